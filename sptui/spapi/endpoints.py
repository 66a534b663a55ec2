"""Where requests go: regions, their production and sandbox hosts, and custom endpoints."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"  # noqa: S105 (a URL, not a secret)


class Region(StrEnum):
    NA = "NA"
    EU = "EU"
    FE = "FE"

    @property
    def host(self) -> str:
        return f"sellingpartnerapi-{self.value.lower()}.amazon.com"

    @property
    def sandbox_host(self) -> str:
        return f"sandbox.{self.host}"


MARKETPLACES: dict[str, tuple[str, Region]] = {
    "ATVPDKIKX0DER": ("United States", Region.NA),
    "A2EUQ1WTGCTBG2": ("Canada", Region.NA),
    "A1AM78C64UM0Y8": ("Mexico", Region.NA),
    "A2Q3Y263D00KWC": ("Brazil", Region.NA),
    "A1RKKUPIHCS9HS": ("Spain", Region.EU),
    "A1F83G8C2ARO7P": ("United Kingdom", Region.EU),
    "A13V1IB3VIYZZH": ("France", Region.EU),
    "AMEN7PMS3EDWL": ("Belgium", Region.EU),
    "A1805IZSGTT6HS": ("Netherlands", Region.EU),
    "A1PA6795UKMFR9": ("Germany", Region.EU),
    "APJ6JRA9NG5V4": ("Italy", Region.EU),
    "A2NODRKZP88ZB9": ("Sweden", Region.EU),
    "AE08WJ6YKNBMC": ("South Africa", Region.EU),
    "A1C3SOZRARQ6R3": ("Poland", Region.EU),
    "ARBP9OOSHTCHU": ("Egypt", Region.EU),
    "A33AVAJ2PDY3EV": ("Turkey", Region.EU),
    "A17E79C6D8DWNP": ("Saudi Arabia", Region.EU),
    "A2VIGQ35RCS4UG": ("United Arab Emirates", Region.EU),
    "A21TJRUUN4KGV": ("India", Region.EU),
    "A28R8C7NBKEWEA": ("Ireland", Region.EU),
    "A19VAU5U5O7RUS": ("Singapore", Region.FE),
    "A39IBJ37TRP1C6": ("Australia", Region.FE),
    "A1VC38T7YXB528": ("Japan", Region.FE),
}


class EndpointError(ValueError):
    """An endpoint that sptui refuses to talk to, or a marketplace it does not know."""


def region_for_marketplace(marketplace_id: str) -> Region:
    try:
        return MARKETPLACES[marketplace_id][1]
    except KeyError:
        known = ", ".join(sorted(MARKETPLACES))
        raise EndpointError(
            f"unknown marketplace id {marketplace_id!r}; known ids: {known}"
        ) from None


def is_loopback(host: str) -> bool:
    # RFC 6761: "localhost" and every name under it resolve to this machine only.
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str, what: str) -> str:
    """HTTPS everywhere; plain HTTP only to this machine (the simulator)."""
    parts = urlsplit(url)
    if not parts.hostname:
        raise EndpointError(f"{what} {url!r} has no host")
    if parts.scheme == "https":
        return url.rstrip("/")
    if parts.scheme == "http" and is_loopback(parts.hostname):
        return url.rstrip("/")
    raise EndpointError(
        f"{what} {url!r} must use https:// (plain http is allowed only to 127.0.0.1/localhost)"
    )


@dataclass(frozen=True, slots=True)
class Endpoint:
    """The API base URL and the LWA token URL that go with it."""

    base_url: str
    token_url: str = LWA_TOKEN_URL
    sandbox: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", check_url(self.base_url, "API base URL"))
        object.__setattr__(self, "token_url", check_url(self.token_url, "token URL"))

    @classmethod
    def for_region(cls, region: Region, *, sandbox: bool = False) -> Endpoint:
        host = region.sandbox_host if sandbox else region.host
        return cls(f"https://{host}", sandbox=sandbox)

    @classmethod
    def for_marketplace(cls, marketplace_id: str, *, sandbox: bool = False) -> Endpoint:
        return cls.for_region(region_for_marketplace(marketplace_id), sandbox=sandbox)

    @classmethod
    def choose(
        cls,
        marketplace_id: str,
        *,
        endpoint: str | None = None,
        token_url: str | None = None,
        region: str | None = None,
        sandbox: bool = False,
    ) -> Endpoint:
        """A custom endpoint (its token URL next to it unless given), else the region's hosts,
        else the marketplace's region's."""
        if endpoint:
            return cls(endpoint, token_url or endpoint.rstrip("/") + "/auth/o2/token", sandbox)
        if region:
            return cls.for_region(Region(region), sandbox=sandbox)
        return cls.for_marketplace(marketplace_id, sandbox=sandbox)

    @property
    def is_live(self) -> bool:
        """Production Amazon: real jobs, real buyers."""
        host = urlsplit(self.base_url).hostname or ""
        return not self.sandbox and host.endswith(".amazon.com") and not host.startswith("sandbox.")
