"""Add a profile from inside the console: the same steps as `sptui profile add`.

The values are checked as typed; on saving, sptui logs in with them and makes one harmless call,
and only then stores the secrets where chosen and writes config.toml atomically.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from sptui.config import ConfigError, Profile, resolve_credentials
from sptui.config.schema import PROFILE_NAME, first_problem
from sptui.profile_commands import check, store_profile
from sptui.spapi import SpApiError
from sptui.spapi.endpoints import MARKETPLACES

from ..text import clean
from ..widgets.steady import SteadyStatic
from ..widgets.ticks import TickBox
from .base import Dialog

SOURCES = [
    ("OS keyring (typed here, stored there)", "keyring"),
    ("Commands that print them (password manager)", "command"),
    ("Environment variables", "env"),
    ("This config file, in plain text (0600)", "file"),
]
FIELDS = {
    "keyring": ("client_secret", "refresh_token"),
    "file": ("client_secret", "refresh_token"),
    "command": ("client_secret_command", "refresh_token_command"),
    "env": (),
}


class ProfileForm(Dialog[str | None]):
    """Dismisses with the new profile's name once it is written, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="profile_form.cancel"),
        Binding("ctrl+s", "save", "Check and save", id="profile_form.save"),
    ]
    DEFAULT_CSS = """
    /* As tall as the screen allows, up to what the form needs: the fields scroll, and the
       outcome line under them stays clear of the docked buttons. */
    ProfileForm > Vertical { width: 90; height: 100%; max-height: 32; }
    ProfileForm VerticalScroll { height: 1fr; }
    ProfileForm .row { height: 1; }
    ProfileForm .row > Label { width: 20; }
    ProfileForm Select { margin: 0 0 0 20; width: 1fr; }
    ProfileForm Checkbox { margin-left: 19; border: none; height: 1; padding: 0; }
    ProfileForm .problem { color: $error; padding-left: 20; height: auto; }
    ProfileForm #outcome { height: auto; padding: 0 1; }
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def row(
        self, key: str, label: str, *, password: bool = False, placeholder: str = ""
    ) -> ComposeResult:
        with Horizontal(classes="row", id=f"row-{key}"):
            yield Label(label)
            yield Input(id=key, password=password, placeholder=placeholder)
        # problems can quote what was typed: plain text, never markup
        yield SteadyStatic("", id=f"{key}-problem", classes="problem", markup=False)

    def compose(self) -> ComposeResult:
        markets = [(f"{name} · {mid}", mid) for mid, (name, _) in MARKETPLACES.items()]
        with Vertical():
            yield Label("Add a profile — it is checked with Amazon before anything is written")
            with VerticalScroll():
                yield from self.row("name", "Profile name", placeholder="us-main")
                yield Select(markets, prompt="Marketplace", id="marketplace_id")
                yield from self.row(
                    "endpoint",
                    "Custom endpoint",
                    placeholder="empty: Amazon's hosts for the marketplace",
                )
                yield TickBox("Amazon's sandbox hosts", id="sandbox")
                yield from self.row(
                    "client_id", "LWA client id", placeholder="amzn1.application-oa2-client...."
                )
                yield Select(SOURCES, value="keyring", allow_blank=False, id="source")
                yield from self.row("client_secret", "Client secret", password=True)
                yield from self.row("refresh_token", "Refresh token", password=True)
                yield from self.row(
                    "client_secret_command",
                    "Secret command",
                    placeholder="pass show sp-api/client-secret",
                )
                yield from self.row(
                    "refresh_token_command",
                    "Token command",
                    placeholder="pass show sp-api/refresh-token",
                )
                yield TickBox("Save without checking with Amazon (--no-check)", id="no_check")
            # below the scrolling fields: what the save came to is always in sight
            yield SteadyStatic("", id="outcome", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Check and save", id="save", variant="primary")

    def on_mount(self) -> None:
        self._show_source()
        self._show({})

    # ---- reading and checking ------------------------------------------------------------
    def value(self, key: str) -> str:
        return self.query_one(f"#{key}", Input).value.strip()

    @property
    def source(self) -> str:
        return str(self.query_one("#source", Select).value)

    def read(self) -> tuple[dict[str, Any] | None, dict[str, str]]:
        """The profile entry the form describes, or the problems that stop it, by field."""
        problems: dict[str, str] = {}
        name = self.value("name")
        if not PROFILE_NAME.match(name):
            problems["name"] = (
                "letters, digits, - and _ (at most 40), starting with a letter or digit"
            )
        marketplace = self.query_one("#marketplace_id", Select).value
        entry: dict[str, Any] = {
            "marketplace_id": marketplace if isinstance(marketplace, str) else ""
        }
        if not entry["marketplace_id"]:
            problems["marketplace_id"] = "Choose the marketplace this profile sells in."
        if self.value("endpoint"):
            entry["endpoint"] = self.value("endpoint")
        if self.query_one("#sandbox", Checkbox).value:
            entry["sandbox"] = True
        if self.value("client_id"):
            entry["client_id"] = self.value("client_id")
        elif self.source != "env":
            problems["client_id"] = "needed"
        for key in FIELDS[self.source]:
            if not self.value(key):
                problems[key] = "needed"
            elif key.endswith("_command"):
                entry[key] = self.value(key)
        if self.source == "file":
            entry["client_secret"], entry["refresh_token"] = (
                self.value("client_secret"),
                self.value("refresh_token"),
            )
        try:
            Profile.model_validate(entry)
        except ValidationError as error:
            loc, message = first_problem(error)
            field = str(loc[0]) if loc else "outcome"
            problems.setdefault(
                field if field in ("marketplace_id", "endpoint") else "outcome", message
            )
        return (None if problems else entry), problems

    def _show(self, problems: dict[str, str]) -> None:
        for key in (
            "name",
            "endpoint",
            "client_id",
            "client_secret",
            "refresh_token",
            "client_secret_command",
            "refresh_token_command",
        ):
            box = self.query_one(f"#{key}-problem", Static)
            box.update(problems.get(key, ""))
            box.display = key in problems
        outcome = problems.get("outcome") or problems.get("marketplace_id")
        self.query_one("#outcome", Static).update(outcome or "")

    def _show_source(self) -> None:
        wanted = set(FIELDS[self.source])
        for key in (
            "client_secret",
            "refresh_token",
            "client_secret_command",
            "refresh_token_command",
        ):
            self.query_one(f"#row-{key}").display = key in wanted
            if key not in wanted:
                self.query_one(f"#{key}-problem", Static).display = False

    @on(Select.Changed, "#source")
    def source_changed(self) -> None:
        self._show_source()

    @on(Input.Changed)
    def changed(self) -> None:
        self._show(self.read()[1])

    # ---- saving ----------------------------------------------------------------------------
    def action_save(self) -> None:
        entry, problems = self.read()
        self._show(problems)
        if entry is not None:
            self.save(entry)

    @on(Button.Pressed, "#save")
    def save_pressed(self) -> None:
        self.action_save()

    @on(Checkbox.Changed, "#no_check")
    def no_check_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#save", Button).label = "Save" if event.value else "Check and save"

    @work(exclusive=True, group="profile-form")
    async def save(self, entry: dict[str, Any]) -> None:
        name = self.value("name")
        outcome = self.query_one("#outcome", Static)
        if self.query_one("#no_check", Checkbox).value:
            self.save_unchecked(name, entry)
            return
        outcome.update("Checking with Amazon…")
        profile = Profile.model_validate(entry)
        try:
            if self.source in ("keyring", "file"):
                client_id, secret, refresh = (
                    entry.get("client_id", ""),
                    self.value("client_secret"),
                    self.value("refresh_token"),
                )
            else:
                env = os.environ if self.source == "env" else {}
                found = resolve_credentials(name, profile, env=env, keyring_get=lambda s, u: None)
                client_id, secret, refresh = (
                    found.client_id,
                    found.client_secret,
                    found.refresh_token,
                )
            request_id = await check(profile, client_id, secret, refresh)
            store_profile(self.path, name, entry, self.source, secret, refresh)
        except (ConfigError, SpApiError, OSError) as error:
            # OSError: the config or its folder cannot be written (a full disk, permissions).
            outcome.update(f"Not saved: {clean(error)}")
            return
        self.notify(
            f"Profile {name} checked (request id {clean(request_id)}) and written to {self.path}",
            timeout=8,
        )
        self.dismiss(name)

    def save_unchecked(self, name: str, entry: dict[str, Any]) -> None:
        """Write the profile as typed, without a login or a call (as --no-check): for a machine
        that cannot reach Amazon yet, or secrets that are not in place yet."""
        typed = self.source in ("keyring", "file")
        secret = self.value("client_secret") if typed else ""
        refresh = self.value("refresh_token") if typed else ""
        try:
            store_profile(self.path, name, entry, self.source, secret, refresh)
        except (ConfigError, OSError) as error:
            self.query_one("#outcome", Static).update(f"Not saved: {clean(error)}")
            return
        self.notify(
            f"Profile {name} written to {self.path} without checking it with Amazon: "
            f"`sptui profile test {name}` checks it.",
            timeout=10,
        )
        self.dismiss(name)
