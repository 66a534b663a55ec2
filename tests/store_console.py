"""A console on a real profile whose job store is warm, over a network that can be cut.

The profile points at a simulator on loopback (mode DEMO, a store of its own like any profile),
served in-process through ``Line``: the wire between the console and Amazon, which can drop
every request or only Login with Amazon's, and remembers what got through.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from sptui.config import Credentials, Profile, Settings
from sptui.desk.connect import session_for
from sptui.desk.desk import Desk
from sptui.desk.journal import Journal
from sptui.desk.store import sync
from sptui.simulator import Simulator
from sptui.spapi import RetryPolicy
from sptui.tui.app import SptuiApp

from .sim_helpers import simulator
from .tui_helpers import FIXED

ENDPOINT = "http://127.0.0.1:8765"
WARMED = FIXED - timedelta(minutes=12)
"""When the warm store's last sync started: the console shows 'as of 11:48, 12 min ago'."""


class Line(httpx.AsyncBaseTransport):
    """The network between the console and the simulator."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.down = False
        """Nothing gets through (Amazon unreachable)."""
        self.token_down = False
        """Login with Amazon cannot be reached; the API could be."""
        self.sent: list[tuple[str, str]] = []
        self.hold: Any = None
        """An asyncio.Event: while set to one that is not set, API calls wait on it."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        token = request.url.path.endswith("/auth/o2/token")
        if self.down or (token and self.token_down):
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        if self.hold is not None and not token:
            await self.hold.wait()
        self.sent.append((request.method, request.url.path))
        return await self.inner.handle_async_request(request)

    def writes(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p in self.sent if m in ("PUT", "POST", "DELETE")]


def world(jobs: int = 40) -> Simulator:
    return simulator(jobs=jobs, clock=lambda: FIXED)


def desk_on(sim: Simulator, line: Line, journal: Path | None = None) -> Desk:
    profile = Profile(marketplace_id="ATVPDKIKX0DER", endpoint=ENDPOINT, time_zone="UTC")
    creds = Credentials("sptui-demo", "sptui-demo-secret", "sptui-demo-refresh")
    desk = session_for("us-main", profile, Settings(), creds, transport=line)
    quick = RetryPolicy(base=0.001, cap=0.002, attempts=2)
    desk.client.session.retry = quick
    desk.client.auth._retry = quick
    desk.clock = lambda: FIXED
    if journal is not None:
        desk.journal = Journal(journal, clock=lambda: FIXED)
    return desk


async def warm(sim: Simulator, at: datetime = WARMED) -> int:
    """Fill the profile's store as a console (or cron) would have at ``at``; returns how many
    jobs it holds."""
    desk = desk_on(sim, Line(sim.transport()))
    store = desk.open_store()
    try:
        await sync(store, desk.client, clock=lambda: at)
        return len(store)
    finally:
        store.close()
        await desk.client.aclose()


def console(sim: Simulator, line: Line, tmp_path: Path) -> SptuiApp:
    app = SptuiApp(desk_on(sim, line, tmp_path / "journal.jsonl"))
    app.RECONNECT = (0.05, 0.1)  # type: ignore[misc]
    return app
