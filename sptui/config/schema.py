"""What config.toml may hold. Unknown keys are refused by name: a typo must not pass silently."""

from __future__ import annotations

import re
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sptui.spapi.endpoints import MARKETPLACES, Endpoint, EndpointError

PROFILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _zone(value: str | None) -> str | None:
    if value is not None:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r} (use a name like Europe/Berlin)"
            ) from None
    return value


class Resource(_Strict):
    """A technician (Amazon's "resource") the provider names in the config: Amazon has no call
    that lists them, so the console knows them from here and from the jobs it has seen."""

    name: str | None = Field(default=None, max_length=100)
    skills: list[str] = Field(default_factory=list)
    stores: list[str] = Field(default_factory=list)
    """The store ids they serve: with the skills, what the assign dialog ranks them by."""


class Profile(_Strict):
    """One seller account in one region (or one local simulator)."""

    region: Literal["NA", "EU", "FE"] | None = None
    endpoint: str | None = None
    token_url: str | None = None
    marketplace_id: str
    sandbox: bool = False
    client_id: str | None = None
    client_id_command: str | None = None
    client_secret: str | None = Field(default=None, repr=False)
    client_secret_command: str | None = None
    refresh_token: str | None = Field(default=None, repr=False)
    refresh_token_command: str | None = None
    time_zone: str | None = None
    refresh_seconds: float | None = Field(default=None, ge=5)
    mask_pii: bool | None = None
    read_only: bool = False
    """Refuse every write, in the console and on the command line, before anything is sent."""
    resources: dict[str, Resource] = Field(default_factory=dict)

    _check_zone = field_validator("time_zone")(_zone)

    @field_validator("marketplace_id")
    @classmethod
    def _known_marketplace(cls, value: str) -> str:
        if value not in MARKETPLACES:
            raise ValueError(f"unknown marketplace id {value!r}")
        return value

    @model_validator(mode="after")
    def _where(self) -> Profile:
        if self.endpoint and self.region:
            raise ValueError("give region or endpoint, not both")
        try:
            self.api_endpoint()
        except EndpointError as error:
            raise ValueError(str(error)) from None
        return self

    def api_endpoint(self) -> Endpoint:
        return Endpoint.choose(
            self.marketplace_id,
            endpoint=self.endpoint,
            token_url=self.token_url,
            region=self.region,
            sandbox=self.sandbox,
        )

    @property
    def has_plaintext_secret(self) -> bool:
        return bool(self.client_secret or self.refresh_token)


class StoreSettings(_Strict):
    """The local job store (one per profile, under the platform's state directory)."""

    window_days: int = Field(default=90, ge=1, le=3650)
    """Jobs created this many days back are kept in the store and walked on a full refresh."""
    keep_closed_days: int = Field(default=90, ge=0, le=3650)
    """Cancelled and completed jobs are dropped from the store this long after they closed."""


class Settings(_Strict):
    default_profile: str | None = None
    theme: str | None = None
    time_zone: str | None = None
    refresh_seconds: float | None = Field(default=None, ge=5)
    mask_pii: bool = True
    store: StoreSettings = Field(default_factory=StoreSettings)

    _check_zone = field_validator("time_zone")(_zone)


class Config(_Strict):
    settings: Settings = Field(default_factory=Settings)
    keys: dict[str, str] = Field(default_factory=dict)
    """Binding id -> keys, e.g. "jobs.refresh" = "ctrl+r"."""
    profiles: dict[str, Profile] = Field(default_factory=dict)

    @field_validator("profiles")
    @classmethod
    def _names(cls, value: dict[str, Profile]) -> dict[str, Profile]:
        for name in value:
            if not PROFILE_NAME.match(name):
                raise ValueError(
                    f"profile name {name!r}: use letters, digits, - and _ (at most 40)"
                )
        return value

    @model_validator(mode="after")
    def _default_exists(self) -> Config:
        wanted = self.settings.default_profile
        if wanted and wanted not in self.profiles:
            raise ValueError(f"default_profile {wanted!r} is not a profile in this file")
        return self


def first_problem(error: ValidationError) -> tuple[tuple[Any, ...], str]:
    item = error.errors(include_url=False, include_input=False)[0]
    message = str(item["msg"]).removeprefix("Value error, ")
    if item["type"] == "extra_forbidden":
        message = "unknown key (check its spelling against config.example.toml)"
    return tuple(item["loc"]), message
