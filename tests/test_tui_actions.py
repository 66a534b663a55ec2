"""Cancelling and completing from the console: confirmed, journalled, re-read, in bulk."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from sptui.spapi.models import ServiceJobStatus
from sptui.tui.dialogs.job_action import ConfirmJobAction
from sptui.tui.screens.job_run import JobRun
from sptui.tui.screens.jobs import JobsScreen
from sptui.tui.widgets.virtual_table import VirtualTable

from .tui_helpers import confirm, make_app, screen_text, settle


def rows(app: Any) -> list[Any]:
    return app.screen.query_one(VirtualTable).rows


async def goto(pilot: Any, app: Any, status: str) -> str:
    """Put the cursor on the first loaded job with this status; returns its id."""
    table = app.screen.query_one(VirtualTable)
    for index, row in enumerate(table.rows):
        if app.screen.job(row.key).status == status:
            table.cursor = index
            await pilot.pause()
            return str(row.key)
    raise AssertionError(f"no {status} job loaded")


async def finish_run(pilot: Any, app: Any) -> list[Any]:
    await settle(pilot)
    run = app.screen
    assert isinstance(run, JobRun) and run.finished
    results = list(run.results.values())
    await pilot.press("escape")
    await settle(pilot)
    return results


async def test_cancel_one_job_confirmed_sent_journalled_and_read_back() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        job_id = await goto(pilot, app, "PENDING_SCHEDULE")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmJobAction)
        text = screen_text(app)
        assert job_id in text and "fee" in text and "V1" in text
        await pilot.press("ctrl+s")
        results = await finish_run(pilot, app)
        assert [r.outcome for r in results] == ["succeeded"]
        assert sim.world.jobs[job_id].status == ServiceJobStatus.CANCELLED
        row = next(r for r in rows(app) if r.key == job_id)
        assert row.cells[0] == "✖ Cancelled"  # read back from the server, not guessed
    entries = list(app.session.journal.entries())
    assert [e["outcome"] for e in entries] == ["sending", "succeeded"]
    assert entries[-1]["ids"] == {"serviceJobId": job_id} and entries[-1]["request_id"]
    assert entries[-1]["parameters"] == {"cancellationReasonCode": "V1"}


async def test_a_bad_typed_reason_is_refused_and_nothing_is_sent() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        job_id = await goto(pilot, app, "PENDING_SCHEDULE")
        served = sim.app.requests_served
        await pilot.press("x")
        await settle(pilot)
        app.screen.query_one("#other", Input).value = "not a code"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmJobAction)
        assert "A-Z, 0-9 and _" in screen_text(app)
        assert sim.app.requests_served == served
        assert sim.world.jobs[job_id].status == ServiceJobStatus.PENDING_SCHEDULE
    assert list(app.session.journal.entries()) == []


async def test_a_terminal_job_is_refused_up_front() -> None:
    app, _sim = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await goto(pilot, app, "COMPLETED")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, JobsScreen)
        assert "cannot be cancelled" in list(app._notifications)[-1].message  # type: ignore[attr-defined]


async def test_the_server_refusing_is_shown_with_its_words() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        job_id = await goto(pilot, app, "NOT_SERVICED")  # no fulfillment data set
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "failed" in text and "setAppointmentFulfillmentData" in text and "request id" in text
        results = await finish_run(pilot, app)
        assert results[0].outcome == "failed"
        assert sim.world.jobs[job_id].status == ServiceJobStatus.NOT_SERVICED


async def test_a_bulk_run_with_faults_midway_agrees_with_journal_and_server() -> None:
    app, sim = make_app(jobs=120)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(VirtualTable)
        chosen = [
            r.key
            for r in table.rows
            if app.screen.job(r.key).status in ("PENDING_SCHEDULE", "HOLD")
        ][:8]
        for key in chosen:
            table.cursor = next(i for i, r in enumerate(table.rows) if r.key == key)
            await pilot.press("space")
        assert f"{len(chosen)} marked" in screen_text(app)
        sim.faults.update({"seed": 5, "applied_then_failed_rate": 0.3, "error_500_rate": 0.3})
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+s")
        results = await finish_run(pilot, app)
        sim.faults.clear()
        await settle(pilot)
    assert {r.ids["serviceJobId"] for r in results} == set(chosen)
    outcomes = {r.ids["serviceJobId"]: r.outcome for r in results}
    assert set(outcomes.values()) - {"succeeded"}, "the faults should have hit some jobs"
    journal = {
        e["ids"]["serviceJobId"]: e["outcome"]
        for e in app.session.journal.entries()
        if e["outcome"] != "sending"
    }
    assert journal == outcomes
    for job_id, outcome in outcomes.items():
        cancelled = sim.world.jobs[job_id].status == ServiceJobStatus.CANCELLED
        assert cancelled == (outcome in ("succeeded", "applied")), (job_id, outcome)


async def test_the_journal_screen_lists_every_write_newest_first() -> None:
    from sptui.tui.screens.journal import JournalScreen

    app, _sim = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        job_id = await goto(pilot, app, "PENDING_SCHEDULE")
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await finish_run(pilot, app)
        await pilot.press("J")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        entries = app.screen.query_one(VirtualTable).rows
        assert [r.cells[1] for r in entries] == ["succeeded", "sending"]
        assert (
            entries[0].cells[3] == job_id
            and entries[0].cells[2] == "Cancel job · cancelServiceJobByServiceJobId"
        )
        assert str(app.session.journal.path) in screen_text(app)


async def open_pending_job(pilot: Any, app: Any, sim: Any) -> str:
    job_id = await goto(pilot, app, "PENDING_SCHEDULE")
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    from sptui.tui.dialogs.book import BookDialog

    assert isinstance(app.screen, BookDialog)
    return job_id


def active(sim: Any, job_id: str) -> list[Any]:
    return [
        a for a in sim.world.jobs[job_id].job.appointments or [] if a.appointment_status == "ACTIVE"
    ]


async def test_booking_an_open_slot() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        job_id = await open_pending_job(pilot, app, sim)
        # the first slot is highlighted from the start: one ↓ is the second
        first = app.screen.slots[1][0]  # type: ignore[attr-defined]
        await pilot.press("down", "enter")
        await settle(pilot)
        said = await confirm(pilot, app)
        assert f"Book job {job_id}" in said and "UTC" in said  # previewed first
        assert said.count(f"Book job {job_id} at") == 1  # said once, not as title and body both
        assert "starts with no technician assigned" in said
        booked = active(sim, job_id)
        assert len(booked) == 1 and booked[0].appointment_time.start_time == first
        assert "Active" in screen_text(app)  # the job screen read it back
    last = list(app.session.journal.entries())[-1]
    assert (
        last["operation"] == "addAppointmentForServiceJobByServiceJobId"
        and last["outcome"] == "succeeded"
    )
    assert last["parameters"]["startTime"].endswith("Z")  # sent in UTC


async def test_a_past_time_is_refused_before_sending() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        job_id = await open_pending_job(pilot, app, sim)
        served = sim.app.requests_served
        app.screen.query_one(
            "#typed", Input
        ).value = "2026-11-30 10:00"  # FIXED is 2026-12-01 12:00 UTC
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "has passed" in screen_text(app)
        app.screen.query_one("#typed", Input).value = "2028-01-01 10:00"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "365 days" in screen_text(app)
        assert sim.app.requests_served == served and active(sim, job_id) == []


async def test_an_unavailable_time_is_refused_by_the_server_in_its_words() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        job_id = await open_pending_job(pilot, app, sim)
        dialog = app.screen
        dialog.query_one("#typed", Input).value = "2026-12-02 10:15"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await confirm(pilot, app)
        # the refusal comes back into the dialog, the time typed kept to fix and send again
        from sptui.tui.dialogs.book import BookDialog

        assert app.screen is dialog and isinstance(dialog, BookDialog)
        said = screen_text(app)
        assert "Not booked: Amazon refused it (failed)" in said
        assert "Appointment slot is not available" in said and "request id" in said
        assert dialog.query_one("#typed", Input).value == "2026-12-02 10:15"
        assert not list(app._notifications)  # type: ignore[attr-defined]  # no toast cut at the edge
        assert active(sim, job_id) == []
        dialog.query_one("#typed", Input).value = "2026-12-02 10:00"  # fixed: an open window
        await pilot.press("ctrl+s")
        await settle(pilot)
        await confirm(pilot, app)
        assert not isinstance(app.screen, BookDialog)  # took effect: closed
        assert len(active(sim, job_id)) == 1
        assert "Booked" in list(app._notifications)[-1].message  # type: ignore[attr-defined]


async def test_an_applied_then_failed_booking_is_reported_applied_with_one_appointment() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        job_id = await open_pending_job(pilot, app, sim)
        await pilot.press("down", "enter")
        await settle(pilot)
        sim.faults.update({"applied_then_failed_rate": 1.0})
        await confirm(pilot, app)
        sim.faults.clear()
        await settle(pilot)
        note = list(app._notifications)[-1].message  # type: ignore[attr-defined]
        assert "Booked" in note and "although the answer was an error" in note
        assert len(active(sim, job_id)) == 1
        assert len(sim.world.jobs[job_id].job.appointments or []) == 1  # no second appointment
    assert list(app.session.journal.entries())[-1]["outcome"] == "applied"


async def test_moving_an_appointment_needs_a_reason_and_keeps_one_active() -> None:
    from sptui.tui.dialogs.book import BookDialog

    app, sim = make_app()
    async with app.run_test(size=(100, 44)) as pilot:
        await settle(pilot)
        job_id = await goto(pilot, app, "NOT_SERVICED")
        old = active(sim, job_id)[0]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, BookDialog)
        assert "Now " in screen_text(app) and "→" in screen_text(app)
        target = dialog.slots[-1][0]
        dialog.query_one("#reason", Input).value = "not a code"
        await settle(pilot)
        await pilot.press("down", "end", "enter")
        await settle(pilot)
        assert isinstance(app.screen, BookDialog) and "needs a reason code" in screen_text(app)
        dialog.query_one("#reason", Input).value = "R1"
        dialog.query_one("#slots").focus()
        await pilot.press("end", "enter")
        await settle(pilot)
        said = await confirm(pilot, app)
        assert "from" in said and "to" in said and "R1" in said  # old and new side by side
        now_active = active(sim, job_id)
        assert len(now_active) == 1 and now_active[0].appointment_time.start_time == target
        assert now_active[0].rescheduled_appointment_id == old.appointment_id
    moved = [
        e
        for e in app.session.journal.entries()
        if e["operation"] == "rescheduleAppointmentForServiceJobByServiceJobId"
    ][-1]
    assert moved["parameters"]["rescheduleReasonCode"] == "R1" and moved["outcome"] == "succeeded"


async def test_assigning_technicians_and_plain_words_for_refusals() -> None:
    from datetime import timedelta

    from sptui.simulator.capacity import profile
    from sptui.simulator.rules import qualified
    from sptui.spapi.models import CapacityType
    from sptui.tui.dialogs.assign import AssignDialog

    def free_technician(record: Any) -> str | None:
        when = record.active().appointment_time
        start = when.start_time
        end = start + timedelta(minutes=when.duration_in_minutes or 60)
        for tech in qualified(sim.world, record):
            if (
                profile(sim.world, tech.resource_id, start, end).lowest(
                    CapacityType.AVAILABLE_CAPACITY, start, end
                )
                > 0
            ):
                return str(tech.resource_id)
        return None

    app, sim = make_app(jobs=120)
    async with app.run_test(size=(100, 44)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(VirtualTable)
        index, job_id, able = next(
            (i, r.key, free_technician(sim.world.jobs[r.key]))
            for i, r in enumerate(table.rows)
            if app.screen.job(r.key).status == "NOT_SERVICED"
            and free_technician(sim.world.jobs[r.key])
        )
        table.cursor = index
        record = sim.world.jobs[job_id]
        skills = set(record.job.scope_of_work.required_skills or [])  # type: ignore[union-attr]
        unskilled = next(
            t.resource_id
            for t in sim.world.technicians.values()
            if not skills <= t.skills and record.job.store_id in t.store_ids
        )
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AssignDialog)
        app.screen.query_one("#typed", Input).value = unskilled
        dialog = app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = await confirm(pilot, app)
        assert "before" in said and "after" in said and unskilled in said
        assert app.screen is dialog  # the refusal is shown in the dialog, still open
        note = str(dialog.query_one("#answer").render())
        assert (
            "Not assigned" in note
            and "lacks a skill this job needs (RESOURCES_MISSING_REQUIRED_SKILLS)" in note
        )
        assert "request id" in note
        app.screen.query_one("#typed", Input).value = able
        await pilot.press("ctrl+s")
        await settle(pilot)
        await confirm(pilot, app)
        last = list(app._notifications)[-1].message  # type: ignore[attr-defined]
        assigned = [t.technician_id for t in record.active().assigned_technicians or []]  # type: ignore[union-attr]
        assert able in assigned, (
            last
        )  # added to whoever was ticked (already assigned ones stay ticked)
        assert "Assigned" in list(app._notifications)[-1].message  # type: ignore[attr-defined]
    outcomes = [e["outcome"] for e in app.session.journal.entries() if e["outcome"] != "sending"]
    assert outcomes == ["failed", "succeeded"]


async def test_a_bad_resource_id_is_flagged_as_typed_and_nothing_is_sent() -> None:
    from sptui.tui.dialogs.assign import AssignDialog

    app, sim = make_app()
    async with app.run_test(size=(100, 44)) as pilot:
        await settle(pilot)
        await goto(pilot, app, "NOT_SERVICED")
        await pilot.press("enter")
        await settle(pilot)
        served = sim.app.requests_served
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AssignDialog)
        app.screen.query_one("#typed", Input).value = "two words"
        await settle(pilot)
        assert "not a resource id: two words" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AssignDialog) and sim.app.requests_served == served
    assert list(app.session.journal.entries()) == []
