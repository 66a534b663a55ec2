"""What a face knows before its desk is built: enough to show the stored jobs at once.

Building a ``Desk`` loads pydantic and httpx, validates the config and resolves the secrets (a
password manager's command may take seconds). The console paints its first frame from an
``Opening`` instead: the mode and the profile's name, its zone and its job store, read from
config.toml as it stands (``config.quick``). The desk is built after that frame; it then
replaces the opening, and its store is the one the opening guessed, or, if the full read says
otherwise, the right one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .clock import utc_now
from .connect import label_of, mode_of
from .desk import Mode
from .store.account import account_key

if TYPE_CHECKING:
    from sptui.config.quick import QuickStart

    from .demo_backend import DemoBackend
    from .store import JobStore


def demo_label(jobs: int) -> str:
    return f"demo world · {jobs:,} jobs"


@dataclass
class Opening:
    mode: Mode
    label: str
    profile: str | None
    """None: the built-in demo (its store is temporary)."""
    zone: tzinfo | None = None
    watch_seconds: float | None = None
    window_days: int = 90
    account: str | None = None
    """The account key naming the store; None: the demo, or not known until the desk is built."""
    clock: Callable[[], datetime] = field(default=utc_now)
    backend: DemoBackend | None = None
    """The built-in demo's own process, filling the temporary store (see ``demo_backend``)."""

    @property
    def store_known(self) -> bool:
        return self.profile is None or self.account is not None

    def open_store(self) -> JobStore | None:
        """The store to paint from (not checked yet: see ``location.check``); None when which
        one is not known until the desk is built."""
        from .store.location import open_store, temporary_store
        from .store_paths import store_path

        if self.profile is None:
            path = self.backend.store_path if self.backend is not None else None
            return temporary_store(zone=self.zone, path=path)
        if self.account is None:
            return None
        return open_store(store_path(self.profile, self.account), zone=self.zone, checked=False)


def opening_for(
    quick: QuickStart, *, watch: float | None = None, demo_jobs: int = 200
) -> Opening | None:
    """The opening for a quick read of the config; None if it cannot be told (a zone the
    machine does not know, say): the console then waits for the full read."""
    if quick.profile is None:
        return Opening(
            Mode.DEMO,
            demo_label(demo_jobs),
            None,
            zone=None,  # the demo shows this machine's zone, as demo_session does
            watch_seconds=watch,
            window_days=quick.window_days,
        )
    try:
        zone = ZoneInfo(quick.time_zone) if quick.time_zone else None
    except (ZoneInfoNotFoundError, ValueError):
        return None
    assert quick.endpoint is not None and quick.marketplace_id is not None
    account = None
    if quick.client_id is not None:
        account = account_key(quick.endpoint.base_url, quick.marketplace_id, quick.client_id)
    return Opening(
        mode_of(quick.endpoint),
        label_of(quick.profile, quick.region, quick.endpoint, quick.marketplace_id),
        quick.profile,
        zone=zone,
        watch_seconds=watch if watch is not None else quick.refresh_seconds,
        window_days=quick.window_days,
        account=account,
    )
