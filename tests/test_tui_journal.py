"""The console never loses a write's outcome: not to a full disk, nor to leaving a screen."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Input

import sptui.desk.journal
from sptui.spapi.models import ServiceJobStatus
from sptui.tui.dialogs.assign import AssignDialog
from sptui.tui.dialogs.job_action import ConfirmJobAction
from sptui.tui.screens.capacity import CapacityScreen
from sptui.tui.screens.job_run import JobRun
from sptui.tui.screens.jobs import JobsScreen
from sptui.tui.screens.journal import JournalScreen
from sptui.tui.widgets.virtual_table import VirtualTable

from .journal_faults import FullDisk, fill_disk
from .test_tui_actions import active, goto, open_pending_job
from .test_tui_supply import fill_availability, open_capacity
from .tui_helpers import make_app, screen_text, settle


def notes(app: Any) -> list[Any]:
    return list(app._notifications)


def gate(client: Any, method: str) -> asyncio.Event:
    """Hold ``method``'s requests until the returned event is set."""
    opened = asyncio.Event()
    original: Callable[..., Any] = getattr(client, method)

    async def held(*args: Any, **kw: Any) -> Any:
        await opened.wait()
        return await original(*args, **kw)

    setattr(client, method, held)
    return opened


async def start_assign(pilot: Any, app: Any) -> str:
    """Open a scheduled job and send an assignment of one technician; returns the job id."""
    job_id = await goto(pilot, app, "NOT_SERVICED")
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(app.screen, AssignDialog)
    app.screen.query_one("#typed", Input).value = "A8B3M999LMHF2"
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.press("ctrl+s")  # yes to the preview
    await pilot.pause()
    return job_id


async def test_leaving_the_job_screen_mid_assign_sees_the_write_through() -> None:
    app, _ = make_app()
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await settle(pilot)
        opened = gate(app.session.client, "assign_appointment_resources")
        await start_assign(pilot, app)
        # leave the dialog, then the job screen, while the write is in flight
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, JobsScreen)
        opened.set()
        await settle(pilot)
        said = notes(app)[-1].message
        assert said.startswith(("Assigned", "Not assigned")) and "request id" in said
        assert said.splitlines()[0] in screen_text(app)  # the toast shows on this screen
    outcomes = [e["outcome"] for e in app.session.journal.entries()]
    assert len(outcomes) == 2 and outcomes[0] == "sending" and outcomes[1] != "sending"


async def test_leaving_the_job_screen_mid_booking_sees_the_write_through() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        opened = gate(app.session.client, "add_appointment_for_service_job_by_service_job_id")
        job_id = await open_pending_job(pilot, app, sim)
        await pilot.press("down", "enter")  # the first open slot
        await settle(pilot)
        await pilot.press("ctrl+s")  # yes to the preview
        await pilot.pause()
        await pilot.press("escape", "escape")  # the dialog, then the job screen
        await pilot.pause()
        assert isinstance(app.screen, JobsScreen)
        opened.set()
        await settle(pilot)
        assert notes(app)[-1].message.startswith("Booked")
        assert len(active(sim, job_id)) == 1
    assert [e["outcome"] for e in app.session.journal.entries()] == ["sending", "succeeded"]


async def test_leaving_the_schedule_screen_mid_send_sees_the_write_through() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        rid = await open_capacity(pilot, app, sim)
        await pilot.press("e", "a")
        await settle(pilot)
        await fill_availability(
            pilot, app, start="2026-12-02 13:00", end="2026-12-02 21:00", capacity="2"
        )
        await pilot.press("ctrl+s")  # the record into the list
        await settle(pilot)
        await pilot.press("ctrl+s")  # send the list...
        await settle(pilot)
        opened = gate(app.session.client, "update_schedule")
        await pilot.press("ctrl+s")  # ...confirmed
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CapacityScreen)
        opened.set()
        await settle(pilot)
        assert notes(app)[-1].message.startswith("Schedule sent: 1 taken")
        assert sim.world.schedules[rid][0].capacity == 2
    assert [e["outcome"] for e in app.session.journal.entries()] == ["sending", "succeeded"]


async def test_leaving_the_reservations_screen_mid_create_sees_the_write_through() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_capacity(pilot, app, sim)
        await pilot.press("v", "n")
        await settle(pilot)
        await fill_availability(pilot, app, start="2026-12-02 10:00", end="2026-12-02 12:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        opened = gate(app.session.client, "create_reservation")
        await pilot.press("ctrl+s")  # confirmed
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CapacityScreen)
        opened.set()
        await settle(pilot)
        assert notes(app)[-1].message.startswith("Created")
    assert [e["outcome"] for e in app.session.journal.entries()] == ["sending", "succeeded"]


async def test_quitting_mid_write_journals_the_outcome_unknown() -> None:
    app, _ = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        gate(app.session.client, "assign_appointment_resources")  # never answers
        await start_assign(pilot, app)
        await pilot.press("q")
        await pilot.pause()
    assert [e["outcome"] for e in app.session.journal.entries()] == ["sending", "unknown"]


async def cancel_one(pilot: Any, app: Any) -> str:
    job_id = await goto(pilot, app, "PENDING_SCHEDULE")
    await pilot.press("x")
    await settle(pilot)
    assert isinstance(app.screen, ConfirmJobAction)
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(app.screen, JobRun) and app.screen.finished
    return job_id


async def test_an_outcome_the_full_disk_refused_is_shown_with_its_request_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, sim = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        fill_disk(monkeypatch, FullDisk(writes=1))  # room for the "sending" line only
        job_id = await cancel_one(pilot, app)
        result = app.screen.results[job_id]
        text = screen_text(app)
        assert sim.world.jobs[job_id].status == ServiceJobStatus.CANCELLED
        assert f"{job_id}  succeeded" in text and f"request id {result.request_id}" in text
        assert "This outcome could not be written to the journal" in text
        assert "No space left on device" in result.unrecorded
        assert "1 outcome(s) could not be written to the" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, JobsScreen)  # still running, and usable


async def test_a_write_the_journal_cannot_record_first_is_not_sent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, sim = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        fill_disk(monkeypatch, FullDisk())
        served = sim.app.requests_served
        job_id = await cancel_one(pilot, app)
        text = screen_text(app)
        assert f"{job_id}  not sent" in text and "the journal could not be written" in text
        assert "nothing was sent" in text
        assert sim.app.requests_served == served
        assert sim.world.jobs[job_id].status == ServiceJobStatus.PENDING_SCHEDULE


def sending_line(job_id: str) -> dict[str, Any]:
    return {
        "time": "2026-11-30T09:00:00.000+00:00",
        "user": "dispatcher",
        "profile": "demo",
        "mode": "DEMO",
        "operation": "cancelServiceJobByServiceJobId",
        "ids": {"serviceJobId": job_id},
        "parameters": {"cancellationReasonCode": "V1"},
        "outcome": "sending",
    }


async def test_the_next_start_says_which_outcome_is_missing_once_the_list_is_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, _ = make_app()
    app.session.journal.path.write_text(json.dumps(sending_line("JOB-LOST-1")) + "\n")
    rows_when_checked: list[int] = []
    close_missing = sptui.desk.journal.close_missing

    def watched(journal: Any) -> Any:
        jobs = [s for s in app.screen_stack if isinstance(s, JobsScreen)]
        rows_when_checked.extend(len(s.query_one(VirtualTable).rows) for s in jobs)
        return close_missing(journal)

    monkeypatch.setattr(sptui.desk.journal, "close_missing", watched)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        note = notes(app)[-1]
        assert note.title == "1 write(s) without an outcome in the journal"
        assert "cancelServiceJobByServiceJobId JOB-LOST-1" in note.message
        assert "marked unknown" in note.message
        assert rows_when_checked and rows_when_checked[0] > 0  # after the first page
    assert [e["outcome"] for e in app.session.journal.entries()] == ["sending", "unknown"]

    monkeypatch.undo()
    again, _ = make_app()
    again.session.journal = app.session.journal
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not [n for n in notes(again) if "without an outcome" in n.title]  # said once


async def test_the_journal_screen_skips_a_line_torn_inside_a_character() -> None:
    app, _ = make_app()
    whole = json.dumps({**sending_line("JOB-1"), "outcome": "succeeded"}).encode() + b"\n"
    torn = json.dumps(sending_line("JOB-café"), ensure_ascii=False).encode()
    app.session.journal.path.write_bytes(whole + torn[: torn.index("é".encode()) + 1])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("J")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        assert "1 entries" in screen_text(app) and "JOB-1" in screen_text(app)


async def test_a_write_that_fails_on_a_fault_of_sptui_is_said_and_journalled_unknown() -> None:
    app, _ = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)

        async def broken(*args: Any, **kw: Any) -> None:
            raise RuntimeError("a bug")

        app.session.client.assign_appointment_resources = broken
        await start_assign(pilot, app)
        await settle(pilot)
        note = notes(app)[-1]
        assert note.title == "A write stopped on an unexpected error"
        assert "RuntimeError: a bug" in note.message and "outcome is unknown" in note.message
        assert "unexpected error" in screen_text(app)  # the dialog says so too
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, JobsScreen)  # still running
    assert [e["outcome"] for e in app.session.journal.entries()] == ["sending", "unknown"]
