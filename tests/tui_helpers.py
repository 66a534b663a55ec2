"""Driving the console in tests: a frozen demo world, and the screen as text."""

from __future__ import annotations

import contextlib
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from sptui.desk.demo import demo_session
from sptui.desk.journal import Journal
from sptui.simulator import Simulator
from sptui.spapi import RetryPolicy
from sptui.tui.app import SptuiApp

_JOURNALS = tempfile.TemporaryDirectory(prefix="sptui-test-journals-")
"""Every test console's journal lives under here, removed when the test run ends."""

FIXED = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
"""Every console test and snapshot sees the world as it is at this moment, shown in UTC."""


def make_app(
    jobs: int = 60, watch: float | None = None, **client: Any
) -> tuple[SptuiApp, Simulator]:
    client.setdefault("retry", RetryPolicy(base=0.001, cap=0.002, attempts=2))
    session, simulator = demo_session(
        jobs=jobs, seed=1, watch_seconds=watch, clock=lambda: FIXED, **client
    )
    session.zone = UTC
    session.journal = Journal(
        Path(tempfile.mkdtemp(prefix="journal-", dir=_JOURNALS.name)) / "journal.jsonl",
        clock=lambda: FIXED,
    )
    return SptuiApp(session), simulator


def screen_text(app: App[Any]) -> str:
    """What the terminal shows, as plain text lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers (and the workers they start) finish, and the screen repaint."""
    for _ in range(3):
        # An exclusive worker replaced by a newer one is cancelled: that is the point of it.
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def confirm(pilot: Pilot[Any], app: App[Any]) -> str:
    """Read the write confirmation in front, say yes; returns what it said."""
    from sptui.tui.dialogs.confirm import ConfirmWrite

    assert isinstance(app.screen, ConfirmWrite), type(app.screen).__name__
    said = screen_text(app)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return said
