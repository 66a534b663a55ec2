"""A console that never surprises (issue 13): refusals, offers, guard rails, keys, the demo."""

from __future__ import annotations

from typing import Any

from textual.widgets import OptionList

from sptui.spapi.models import ServiceJobStatus
from sptui.tui.dialogs.confirm import ConfirmWrite
from sptui.tui.dialogs.profiles import ProfilePicker
from sptui.tui.screens.jobs import JobsScreen
from sptui.tui.widgets.virtual_table import VirtualTable

from .tui_helpers import make_app, screen_text, settle


async def goto(pilot: Any, app: Any, status: str) -> str:
    """Put the jobs list's cursor on the first loaded job with this status; returns its id."""
    table = app.screen.query_one(VirtualTable)
    for index, row in enumerate(table.rows):
        if app.screen.feed.job(row.key).status == status:
            table.cursor = index
            await pilot.pause()
            return str(row.key)
    raise AssertionError(f"no {status} job loaded")


async def choose_demo(pilot: Any, app: Any) -> None:
    await pilot.press("P")
    await settle(pilot)
    assert isinstance(app.screen, ProfilePicker)
    app.screen.query_one(OptionList).highlighted = 0  # the demo world
    await pilot.press("enter")
    await settle(pilot)


# ---- §10 the demo never leaves traces --------------------------------------------------------
async def test_choosing_the_demo_again_asks_before_a_fresh_world_replaces_it() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        job_id = await goto(pilot, app, "PENDING_SCHEDULE")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert sim.world.jobs[job_id].status == ServiceJobStatus.CANCELLED
        first = app.session
        assert list(first.journal.entries())

        await choose_demo(pilot, app)
        assert isinstance(app.screen, ConfirmWrite)
        assert "Reset the demo world?" in screen_text(app) and "forgotten" in screen_text(app)
        await pilot.press("escape")  # keep it
        await settle(pilot)
        assert app.session is first and isinstance(app.screen, JobsScreen)

        await choose_demo(pilot, app)
        await pilot.press("ctrl+s")  # reset
        await settle(pilot)
        fresh = app.session
        assert fresh is not first and fresh.zone == first.zone
        assert list(fresh.journal.entries()) == []  # nothing remembered of the old world
        assert fresh.journal.path.parent != first.journal.path.parent
        assert fresh.journal.path.parent.name.startswith("sptui-demo-")
        answer = await fresh.client.get_service_job_by_service_job_id(job_id)
        assert answer.payload.service_job_status == ServiceJobStatus.PENDING_SCHEDULE
