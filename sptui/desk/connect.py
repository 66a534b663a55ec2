"""From a profile in config.toml to a console session.

``mode_of`` and ``label_of`` are light (no pydantic, no httpx): the console names the mode and
the profile on its first frame, before ``session_for`` builds the client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sptui.spapi.endpoints import MARKETPLACES, Endpoint, is_loopback

from .desk import Desk, Mode
from .store.account import account_key

if TYPE_CHECKING:
    import httpx

    from sptui.config import Credentials, Profile, Settings


def mode_of(endpoint: Endpoint) -> Mode:
    """Sandbox hosts are SANDBOX, a simulator on this machine is DEMO, anything else is LIVE.

    An unknown https endpoint counts as LIVE: it may well be a proxy in front of production, and
    the safe mistake is to warn too much.
    """
    if endpoint.sandbox or urlsplit(endpoint.base_url).hostname.startswith("sandbox."):  # type: ignore[union-attr]
        return Mode.SANDBOX
    if is_loopback(urlsplit(endpoint.base_url).hostname or ""):
        return Mode.DEMO
    return Mode.LIVE


def label_of(
    name: str,
    region: str | None,
    endpoint: Endpoint,
    marketplace_id: str,
    *,
    read_only: bool = False,
) -> str:
    """Who and where, for the top bar: 'us-main · NA · United States' (· read-only)."""
    country = MARKETPLACES[marketplace_id][0]
    where = region or urlsplit(endpoint.base_url).hostname or "?"
    return f"{name} · {where} · {country}" + (" · read-only" if read_only else "")


def session_for(
    name: str,
    profile: Profile,
    settings: Settings,
    credentials: Credentials,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Desk:
    from sptui.spapi import LwaCredentials, ServicesClient

    endpoint = profile.api_endpoint()
    client = ServicesClient(
        LwaCredentials(credentials.client_id, credentials.client_secret, credentials.refresh_token),
        marketplace_id=profile.marketplace_id,
        endpoint=endpoint,
        transport=transport,
    )
    zone_name = profile.time_zone or settings.time_zone
    return Desk(
        client=client,
        mode=mode_of(endpoint),
        label=label_of(
            name, profile.region, endpoint, profile.marketplace_id, read_only=profile.read_only
        ),
        zone=ZoneInfo(zone_name) if zone_name else None,
        watch_seconds=profile.refresh_seconds or settings.refresh_seconds,
        mask_pii=settings.mask_pii if profile.mask_pii is None else profile.mask_pii,
        profile=name,
        resources=dict(profile.resources),
        account=account_key(endpoint.base_url, profile.marketplace_id, credentials.client_id),
        store_settings=settings.store,
        read_only=profile.read_only,
    )
