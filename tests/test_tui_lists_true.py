"""Lists that stay true (issue 13 §6-§8): a write made anywhere shows in every list on the way
back, the filter line says every filter in force, and watch marks wait to be seen."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from textual.widgets import Input

from sptui.desk.feed import JobFilters
from sptui.spapi.models import ServiceJobStatus
from sptui.tui.dialogs.filters import FilterDialog
from sptui.tui.screens.job import JobScreen
from sptui.tui.screens.jobs import JobsScreen

from .store_console import Line, console, warm, world
from .test_tui_actions import finish_run, goto
from .test_tui_store import add_job, jobs_of
from .tui_helpers import FIXED, make_app, screen_text, settle


def row_of(app: Any, job_id: str) -> Any:
    return next(r for r in jobs_of(app).table.rows if r.key == job_id)


# ---- §6: after a write, the list shows the job's new state ----------------------------------


async def test_a_cancel_from_the_job_screen_shows_in_the_list_without_r() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        job_id = await goto(pilot, app, "PENDING_SCHEDULE")
        synced = jobs_of(app).synced
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, JobScreen)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+s")
        results = await finish_run(pilot, app)
        assert [r.outcome for r in results] == ["succeeded"]
        assert isinstance(app.screen, JobScreen)
        assert "Cancelled" in screen_text(app)  # the job screen read it back
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, JobsScreen)
        assert sim.world.jobs[job_id].status == ServiceJobStatus.CANCELLED
        assert row_of(app, job_id).cells[0] == "✖ Cancelled"
        # no sync ran: the list shows what the job screen's read back stored
        assert jobs_of(app).synced == synced


async def test_a_job_changed_elsewhere_and_read_again_shows_so_in_the_list() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        job_id = await goto(pilot, app, "PENDING_SCHEDULE")
        await pilot.press("enter")
        await settle(pilot)
        other = sim.client()  # another console cancels it meanwhile
        await other.cancel_service_job_by_service_job_id(job_id, "V1")
        await other.aclose()
        await pilot.press("r")  # the job screen reads it again
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert row_of(app, job_id).cells[0] == "✖ Cancelled"


# ---- §7: the filter line and the empty list say what is in force ----------------------------


async def test_the_filter_line_names_every_date_filter_in_force() -> None:
    app, _ = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        screen = jobs_of(app)
        screen.filters = JobFilters(
            created_after=datetime(2026, 9, 1, tzinfo=FIXED.tzinfo),
            created_before=datetime(2026, 11, 20, tzinfo=FIXED.tzinfo),
            scheduled_before=datetime(2026, 12, 24, 18, 30, tzinfo=FIXED.tzinfo),
        )
        screen._requery(at=0)
        await settle(pilot)
        line = screen_text(app).splitlines()[1]
        assert "created 2026-09-01 to 2026-11-20" in line
        assert "scheduled until 2026-12-24" in line


async def test_a_from_date_after_the_until_date_is_refused_in_the_dialog() -> None:
    app, _ = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        screen = jobs_of(app)
        before = screen.filters
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        dialog.query_one("#created_after", Input).value = "2026-11-20"
        dialog.query_one("#created_before", Input).value = "2026-11-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog  # kept open, the input intact
        assert "must be after Created from" in screen_text(app)
        assert dialog.query_one("#created_before", Input).value == "2026-11-01"
        await pilot.press("escape")
        await settle(pilot)
        assert screen.filters == before


async def test_a_filter_matching_nothing_says_so() -> None:
    app, _ = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        screen = jobs_of(app)
        screen.filters = JobFilters(asins=("B000NOSUCH",))
        screen._requery(at=0)
        await settle(pilot)
        text = screen_text(app)
        assert "No jobs match these filters" in text
        assert "ASIN B000NOSUCH" in text.splitlines()[1]


# ---- §8: watch marks stay until looked at; the top bar counts them --------------------------


async def test_marks_stay_until_the_cursor_visits_and_the_top_bar_counts_them(
    tmp_path: Path,
) -> None:
    sim = world()
    await warm(sim)
    app = console(sim, Line(sim.transport()), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = jobs_of(app)
        keys = [r.key for r in screen.table.rows]
        add_job(sim, sim.world.jobs[keys[0]], "99999999999991")
        add_job(sim, sim.world.jobs[keys[0]], "99999999999992")
        await pilot.press("r")
        await settle(pilot)
        assert set(screen.fresh) == {"99999999999991", "99999999999992"}
        assert "2 unseen" in screen_text(app).splitlines()[0]
        # another round with nothing new leaves the marks where they were
        await pilot.press("r")
        await settle(pilot)
        assert row_of(app, "99999999999992").mark == "✚ "
        assert "2 unseen" in screen_text(app).splitlines()[0]
        # the cursor on a marked row: seen
        table = screen.table
        at = next(i for i, r in enumerate(table.rows) if r.key == "99999999999991")
        table.cursor = at + 1 if at + 1 < len(table.rows) else at - 1
        await settle(pilot)
        table.cursor = at
        await settle(pilot)
        assert row_of(app, "99999999999991").mark.strip() == ""
        assert row_of(app, "99999999999992").mark == "✚ "
        assert "1 unseen" in screen_text(app).splitlines()[0]
        # c: all seen
        await pilot.press("c")
        await settle(pilot)
        assert screen.fresh == {}
        assert all(r.mark.strip() == "" for r in table.rows)
        assert "unseen" not in screen_text(app).splitlines()[0]


async def test_a_move_from_the_appointment_screen_shows_on_the_job_and_in_the_list() -> None:
    from sptui.desk.summary import summarize
    from sptui.tui.screens.appointment import AppointmentScreen
    from sptui.tui.widgets.slot_table import SlotTable

    from .test_tui_surprises import active_of
    from .tui_helpers import confirm

    app, sim = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        job_id = await goto(pilot, app, "NOT_SERVICED")
        before = row_of(app, job_id).cells
        await pilot.press("enter")
        await settle(pilot)
        job_screen = app.screen
        assert isinstance(job_screen, JobScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AppointmentScreen)
        await pilot.press("down", "down")
        assert app.screen.query_one(SlotTable).rows
        await pilot.press("enter")
        await settle(pilot)
        await confirm(pilot, app)
        new = active_of(sim, job_id)[0]
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is job_screen
        assert job_screen.job is not None
        ids = {a.appointment_id for a in job_screen.job.appointments or []}
        assert new.appointment_id in ids  # read again on the way back
        await pilot.press("escape")
        await settle(pilot)
        expected = summarize(sim.world.jobs[job_id].job, app.session.zone).cells
        assert row_of(app, job_id).cells == expected != before


# ---- §1: a move assigns the same technicians again; a job changed since the preview -----------


def _skilled(sim: Any, job_id: str) -> bool:
    """Do the job's technicians have the skills it needs (in the simulator's world)?"""
    from .test_tui_surprises import active_of

    record = sim.world.jobs[job_id]
    scope = record.job.scope_of_work
    need = set(scope.required_skills or []) if scope else set()
    crew = active_of(sim, job_id)[0].assigned_technicians
    return all(need <= sim.world.technicians[t.technician_id].skills for t in crew)


async def _move_dialog(pilot: Any, app: Any, sim: Any, *, skilled: bool = True) -> tuple[str, Any]:
    """The move dialog of a job whose appointment has technicians (who have the job's skills,
    or not), a slot chosen."""
    from sptui.tui.dialogs.book import BookDialog

    from .test_tui_surprises import active_of

    await settle(pilot)
    table = jobs_of(app).table
    for index, row in enumerate(table.rows):
        record = sim.world.jobs.get(row.key)
        now = active_of(sim, row.key) if record else []
        if (
            now
            and now[0].assigned_technicians
            and record.status.value == "NOT_SERVICED"
            and _skilled(sim, row.key) == skilled
        ):
            table.cursor = index
            break
    else:
        raise AssertionError("no job with an assigned appointment")
    job_id = table.rows[table.cursor].key
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)
    dialog = app.screen
    assert isinstance(dialog, BookDialog)
    dialog.query_one("#reason", Input).value = "R1"
    dialog.query_one("#slots").focus()
    await pilot.press("end", "enter")
    await settle(pilot)
    return job_id, dialog


async def test_a_move_is_previewed_with_the_technicians_it_assigns_again() -> None:
    from .test_tui_surprises import active_of
    from .tui_helpers import confirm

    app, sim = make_app()
    async with app.run_test(size=(100, 44)) as pilot:
        job_id, _ = await _move_dialog(pilot, app, sim)
        crew = sorted(t.technician_id for t in active_of(sim, job_id)[0].assigned_technicians)
        said = await confirm(pilot, app)
        assert "again" in said  # the preview says the technicians are assigned again
        flat = " ".join(said.split())
        assert all(f"{sim.world.technicians[t].name} ({t})" in flat for t in crew)  # by name
        after = active_of(sim, job_id)[0]
        assert sorted(t.technician_id for t in after.assigned_technicians or []) == crew
    ops = [(e["operation"], e["outcome"]) for e in app.session.journal.entries()]
    assert ("rescheduleAppointmentForServiceJobByServiceJobId", "succeeded") in ops
    assert ("assignAppointmentResources", "succeeded") in ops


async def test_a_job_changed_since_the_preview_is_not_moved() -> None:
    from sptui.tui.dialogs.confirm import ConfirmWrite

    from .test_tui_surprises import active_of

    app, sim = make_app()
    async with app.run_test(size=(100, 44)) as pilot:
        job_id, _ = await _move_dialog(pilot, app, sim)
        assert isinstance(app.screen, ConfirmWrite)
        other = sim.client()  # another dispatcher cancels the job meanwhile
        await other.cancel_service_job_by_service_job_id(job_id, "V1")
        await other.aclose()
        before = active_of(sim, job_id)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Nothing was sent" in screen_text(app) + " ".join(
            n.message for n in app._notifications
        )
        assert active_of(sim, job_id) == before
    ops = [e["operation"] for e in app.session.journal.entries()]
    assert "rescheduleAppointmentForServiceJobByServiceJobId" not in ops


async def test_a_move_whose_second_write_fails_is_reported_done_and_the_assignment_not() -> None:
    from .test_tui_surprises import active_of
    from .tui_helpers import confirm

    app, sim = make_app()
    async with app.run_test(size=(100, 44)) as pilot:
        job_id, _ = await _move_dialog(pilot, app, sim, skilled=False)
        old = active_of(sim, job_id)[0]
        await confirm(pilot, app)
        now = active_of(sim, job_id)[0]
        assert now.appointment_id != old.appointment_id  # moved
        assert not now.assigned_technicians  # and not assigned: Amazon refused it
        said = [n.message for n in app._notifications]
        assert any(m.startswith("Moved to") for m in said)
        assert any(
            "The move is done, but" in m and "could not be assigned again" in m for m in said
        )
    ops = [(e["operation"], e["outcome"]) for e in app.session.journal.entries()]
    assert ("rescheduleAppointmentForServiceJobByServiceJobId", "succeeded") in ops
    assert ("assignAppointmentResources", "failed") in ops


async def test_a_write_of_ones_own_is_not_news_at_the_next_sync_but_anothers_is(
    tmp_path: Path,
) -> None:
    sim = world()
    await warm(sim)
    app = console(sim, Line(sim.transport()), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = jobs_of(app)
        pending = [
            r.key
            for r in screen.table.rows
            if sim.world.jobs[r.key].status.value == "PENDING_SCHEDULE"
        ]
        mine, theirs = pending[0], pending[1]
        screen.table.cursor = next(i for i, r in enumerate(screen.table.rows) if r.key == mine)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await finish_run(pilot, app)
        assert row_of(app, mine).cells[0] == "✖ Cancelled"
        other = sim.client()
        await other.cancel_service_job_by_service_job_id(theirs, "V1")
        await other.aclose()
        await pilot.press("r")
        await settle(pilot)
        assert screen.fresh == {theirs: "✎ "}  # another's change is news; one's own is not
        said = [n.message for n in app._notifications]  # type: ignore[attr-defined]
        assert any("0 new (✚), 1 changed (✎)" in m for m in said)
        app._notifications.clear()  # type: ignore[attr-defined]
        await pilot.press("r")
        await settle(pilot)
        said = [n.message for n in app._notifications]  # type: ignore[attr-defined]
        assert any("Up to date" in m and "nothing new or changed" in m for m in said)


async def test_the_filter_line_wraps_between_phrases_never_inside_one() -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = jobs_of(app)
        screen.filters = JobFilters(statuses=("PENDING_SCHEDULE", "HOLD", "NOT_SERVICED"))
        screen._requery(at=0)
        await settle(pilot)
        lines = screen_text(app).splitlines()
        first, second = lines[1].strip(), lines[2].strip()
        assert first.startswith("status ") and first.endswith(" ·")  # broken at a separator
        assert second.endswith("times in UTC")  # the phrase whole, after a break at a "·"
