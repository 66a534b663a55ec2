"""The dispatch board (issue 15), driven through the console against the simulator's demo world.

The conflicts the board flags are checked against the same questions asked of the simulator's
world directly (its technicians, schedules, appointments and buyers), not against the board's
own code; each action is checked in the journal and in the world.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from sptui.desk.board import UNASSIGNED
from sptui.simulator import Simulator
from sptui.tui.dialogs.board_confirm import BoardConfirm
from sptui.tui.screens.board import SETTLE_S, BoardScreen
from sptui.tui.widgets.board_grid import BoardGrid

from .board_world import world_appointments, world_conflicts
from .test_tui_repaint import assert_screen_is_current, refreshes, row_lines
from .tui_helpers import FIXED, make_app, screen_text, settle

JOBS = 300


async def rest(pilot: Pilot[Any]) -> None:
    """Let the cursor rest: the open slots and the capacity on screen are read, and drawn."""
    await settle(pilot)
    await pilot.pause(SETTLE_S + 0.1)
    await settle(pilot)


async def open_board(pilot: Pilot[Any]) -> BoardScreen:
    await settle(pilot)
    await pilot.press("B")
    await rest(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BoardScreen)
    return screen


async def dialog_text(pilot: Pilot[Any]) -> str:
    """The confirmation in front, once it is drawn."""
    assert isinstance(pilot.app.screen, BoardConfirm)
    for _ in range(20):
        text = screen_text(pilot.app)
        if "ctrl+s confirms" in text:
            return text
        await pilot.pause(0.05)
    raise AssertionError("the confirmation was not drawn")


def operations(app: Any) -> list[tuple[str, str]]:
    return [
        (str(e.get("operation")), str(e.get("outcome")))
        for e in app.session.journal.entries()
        if e.get("outcome") != "sending"
    ]


async def test_the_board_flags_exactly_the_worlds_own_conflicts_of_every_kind() -> None:
    app, sim = make_app(jobs=JOBS)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_board(pilot)
        data = screen.data
        assert data is not None and data.period.days == 7  # a week at this size
        # every technician is on screen, so every one's capacity was read
        assert data.judged == set(data.lanes) - {UNASSIGNED}
        start, end = data.period.window()
        flagged = {(c.kind, c.job_id) for c in data.board.conflicts}
        expected = world_conflicts(sim.world, start, end)
        assert flagged == expected
        kinds = {kind for kind, _ in expected}
        assert kinds == {"overlap", "overbooked", "unscheduled", "skill", "preference"}
        # the top bar counts them
        assert f"{len(data.board.conflicts)} conflicts" in screen_text(app).splitlines()[0]
        # and every appointment of the world is on the board, in its lane
        shown = {b.job_id for lane in data.board.lanes.values() for b in lane}
        assert shown == {a[0] for a in world_appointments(sim.world, start, end)}


async def test_a_conflict_is_marked_on_its_block_and_explained_under_the_board() -> None:
    app, _ = make_app(jobs=JOBS)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        data = screen.data
        assert data is not None and data.period.days == 1  # one day at 80x24
        grid = screen.grid
        # the cursor starts on the day's first appointment: two at once for one technician
        block = grid.current_block()
        assert block is not None
        reasons = [c.reason for c in data.board.conflicts_of(block)]
        assert any("is also at job" in r for r in reasons)
        text = screen_text(app)
        assert "[!" in text  # the mark, without colour
        detail = text.splitlines()[grid.region.bottom + 1]  # the block, then its conflicts
        assert detail.strip().startswith("! ") and "is also at job" in detail
        # a block without a conflict says so
        for _ in range(len(grid.tracks)):
            await pilot.press("down")
            here = grid.current_block()
            if here is not None and not data.board.conflicts_of(here):
                break
            await pilot.press("right")
            here = grid.current_block()
            if here is not None and not data.board.conflicts_of(here):
                break
        await settle(pilot)
        assert "no conflict" in screen_text(app)


async def test_o_shows_every_conflict_of_the_block_whole_where_the_line_cuts_them() -> None:
    from sptui.tui.dialogs.row_detail import RowDetail

    app, _ = make_app(jobs=JOBS)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        assert screen.data is not None
        block = screen.grid.current_block()
        assert block is not None
        reasons = [c.reason for c in screen.data.board.conflicts_of(block)]
        assert len(reasons) >= 2  # more than the one line under the board holds at 80 columns
        assert "…" in screen_text(app).splitlines()[screen.grid.region.bottom + 1]
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, RowDetail)
        shown = " ".join(screen_text(app).split())
        for reason in reasons:
            assert " ".join(f"! {reason}".split()) in shown
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen


async def test_b_draws_the_board_from_the_store_with_no_call_before_its_first_frame() -> None:
    app, sim = make_app(jobs=JOBS)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("B")  # the store was never synced: it is, first, with a progress line
        await rest(pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        assert screen.state.store.state().synced is not None
        assert "synced 12:00" in screen_text(app).splitlines()[0]
        await pilot.press("escape")
        await settle(pilot)
        served = sim.app.requests_served
        await pilot.press("B")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen) and app.screen.grid.tracks
        assert sim.app.requests_served == served  # the board, before any call
        await rest(pilot)
        # what was read for it is kept while the console runs: nothing is asked again...
        assert sim.app.requests_served == served
        await pilot.press("full_stop")
        await rest(pilot)
        assert sim.app.requests_served > served  # ...until other days are shown


async def test_moving_a_block_reschedules_and_assigns_the_same_technician_again() -> None:
    app, sim = make_app(jobs=JOBS)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        grid = screen.grid
        block = grid.current_block()
        assert block is not None and len(block.technicians) == 1
        tech = block.technicians[0]
        await pilot.press("m")
        await rest(pilot)
        assert grid.step_minutes == 120  # the slot length of the job's open slots
        await pilot.press("right")
        await settle(pilot)
        assert "{" in screen_text(app)  # the ghost, where it would go
        await pilot.press("enter")
        await settle(pilot)
        said = await dialog_text(pilot)
        assert "reason code R1" in said and "assigned again" in said
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert operations(app) == [
            ("rescheduleAppointmentForServiceJobByServiceJobId", "succeeded"),
            ("assignAppointmentResources", "succeeded"),
        ]
        active = sim.world.jobs[block.job_id].active()
        assert active is not None and active.appointment_time is not None
        assert active.appointment_time.start_time == block.start + timedelta(hours=2)
        assert [t.technician_id for t in active.assigned_technicians or []] == [tech]
        # drawn again from the store, in place; both writes reported apart
        moved = next(b for b in screen.data.blocks if b.job_id == block.job_id)  # type: ignore[union-attr]
        assert moved.start == block.start + timedelta(hours=2)
        text = screen_text(app)
        assert "✓ Move done" in text and "✓ Assignment done" in text


async def test_moving_a_block_to_another_technicians_row_assigns_them() -> None:
    app, sim = make_app(jobs=JOBS)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        grid = screen.grid
        data = screen.data
        assert data is not None
        # a block without conflicts, and a technician who serves its store and has its skills
        block = next(b for b in data.blocks if b.technicians and not data.board.conflicts_of(b))
        record = sim.world.jobs[block.job_id]
        skills = set(record.job.scope_of_work.required_skills or [])  # type: ignore[union-attr]
        other = next(
            t.resource_id
            for t in sim.world.technicians.values()
            if t.resource_id not in block.technicians
            and record.job.store_id in t.store_ids
            and skills <= t.skills
            and t.registered
            and t.background_checked
            and not any(t.resource_id in b.technicians and b.overlaps(block) for b in data.blocks)
        )
        grid.move_to(block.technicians[0], block.start)
        await pilot.press("m")
        await settle(pilot)
        grid.move_to(other, block.start)  # the same time, another technician's row
        await pilot.press("enter")
        await settle(pilot)
        assert "Assign technicians" in await dialog_text(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert operations(app) == [("assignAppointmentResources", "succeeded")]
        active = sim.world.jobs[block.job_id].active()
        assert [t.technician_id for t in active.assigned_technicians or []] == [other]  # type: ignore[union-attr]
        lane = screen.data.board.lanes[other]  # type: ignore[union-attr]
        assert block.job_id in {b.job_id for b in lane}


async def test_a_on_a_block_opens_the_assign_dialog_and_the_board_reads_the_job_back() -> None:
    from sptui.tui.dialogs.assign import AssignDialog

    app, _ = make_app(jobs=JOBS)
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await open_board(pilot)
        block = screen.grid.current_block()
        assert block is not None
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AssignDialog)
        assert block.technicians[0] in app.screen.query_one("#known").selected  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")  # the same technician again
        await settle(pilot)
        await pilot.press("ctrl+s")  # confirmed
        await rest(pilot)
        assert app.screen is screen
        assert operations(app) == [("assignAppointmentResources", "succeeded")]


def placeable(sim: Simulator, screen: BoardScreen) -> tuple[str, datetime, str, str]:
    """A queued job that can be booked on the day shown: (job, a slot start, a technician who
    fits it, one who does not serve its store)."""
    from sptui.simulator.rules import qualified, windows

    data = screen.data
    assert data is not None
    start, end = data.period.window()
    lanes = set(data.lanes)
    for waiting in data.board.queue:
        record = sim.world.jobs[waiting.job_id]
        if record.status.value not in ("PENDING_SCHEDULE", "NOT_SERVICED"):
            continue
        able = [t for t in qualified(sim.world, record) if t.resource_id in lanes]
        store = record.job.store_id
        stranger = [
            t.resource_id
            for t in sim.world.technicians.values()
            if t.resource_id in lanes and store not in t.store_ids
        ]
        for begin, finish, free in windows(sim.world, record, able, start, end, store):
            busy = {
                t for b in data.blocks if b.start < finish and begin < b.end for t in b.technicians
            }
            fits = [t.resource_id for t in able if t.resource_id not in busy]
            if free and fits and stranger:
                return waiting.job_id, begin, fits[0], stranger[0]
    raise AssertionError("no queued job can be booked on this day")


async def place(
    pilot: Pilot[Any], screen: BoardScreen, job_id: str, lane: str, at: datetime
) -> str:
    """Choose the queued job, carry it to ``lane`` at ``at``, enter: the preview's text."""
    queue = screen.queue
    queue.focus()
    queue.cursor = next(i for i, r in enumerate(queue.rows) if r.key == job_id)
    await pilot.press("enter")
    await settle(pilot)
    assert screen.carrying is not None and screen.grid.has_focus
    screen.grid.move_to(lane, at)
    await pilot.press("enter")
    await settle(pilot)
    return await dialog_text(pilot)


async def test_a_queued_job_is_booked_on_a_technicians_row_and_assigned_them() -> None:
    app, sim = make_app(jobs=JOBS)
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await open_board(pilot)
        job_id, at, tech, _ = placeable(sim, screen)
        said = await place(pilot, screen, job_id, tech, at)
        assert f"Book job {job_id}" in said and "Then assign" in said
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert operations(app) == [
            ("addAppointmentForServiceJobByServiceJobId", "succeeded"),
            ("assignAppointmentResources", "succeeded"),
        ]
        active = sim.world.jobs[job_id].active()
        assert active is not None and active.appointment_time.start_time == at  # type: ignore[union-attr]
        assert [t.technician_id for t in active.assigned_technicians or []] == [tech]
        data = screen.data
        assert data is not None
        assert job_id not in {w.job_id for w in data.board.queue}  # out of the queue...
        assert job_id in {b.job_id for b in data.board.lanes[tech]}  # ...onto the row
        text = screen_text(app)
        assert "✓ Booking done" in text and "✓ Assignment done" in text


async def test_book_then_assign_reports_the_booking_done_and_the_refused_assignment_not() -> None:
    app, sim = make_app(jobs=JOBS)
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await open_board(pilot)
        job_id, at, _, stranger = placeable(sim, screen)
        await place(pilot, screen, job_id, stranger, at)  # a technician not at its store
        warned = await dialog_text(pilot)
        assert "does not serve this store" in warned and "Amazon is likely to" in warned
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert operations(app) == [
            ("addAppointmentForServiceJobByServiceJobId", "succeeded"),
            ("assignAppointmentResources", "failed"),
        ]
        active = sim.world.jobs[job_id].active()
        assert active is not None and not active.assigned_technicians  # booked, not assigned
        text = screen_text(app)
        assert "✓ Booking done" in text
        assert "✗ Assignment NOT done" in text
        said = [n.message for n in app._notifications]
        assert any("✓ Booking done" in m and "✗ Assignment NOT done" in m for m in said)
        data = screen.data
        assert data is not None
        assert job_id in {b.job_id for b in data.board.lanes[UNASSIGNED]}  # drawn as it is


async def test_the_board_redraws_after_a_sync_and_says_when_it_was() -> None:
    app, sim = make_app(jobs=JOBS)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        block = screen.grid.current_block()
        assert block is not None
        # the job is moved behind the board's back (another console, Seller Central)
        record = sim.world.jobs[block.job_id]
        active = record.active()
        assert active is not None and active.appointment_time is not None
        active.appointment_time.start_time = block.start + timedelta(hours=4)
        sim.world.touch(record)
        await pilot.press("r")
        await rest(pilot)
        moved = next(b for b in screen.data.blocks if b.job_id == block.job_id)  # type: ignore[union-attr]
        assert moved.start == block.start + timedelta(hours=4)
        assert f"synced {FIXED:%H:%M}" in screen_text(app).splitlines()[0]


@pytest.mark.parametrize("key", ["down", "right"])
async def test_a_cursor_move_on_the_board_repaints_only_the_lines_it_changed(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    app, _ = make_app(jobs=JOBS)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        grid = screen.grid
        grid.set_shade(None, ())  # the open slots come and go with the job; not this test's
        await pilot.pause()
        was = grid.row - grid.top
        async with refreshes(monkeypatch) as calls:
            await pilot.press(key)
            await pilot.pause()
        now = grid.row - grid.top
        repainted = [(widget, regions) for widget, regions in calls if widget is grid]
        assert repainted and all(regions for _, regions in repainted), "the whole board"
        lines = set().union(*(row_lines(regions) for _, regions in repainted))
        assert lines == {was + 1, now + 1}  # line 0 is the hours
        others = {type(w).__name__ for w, _ in calls if w is not grid}
        assert others <= {"SteadyStatic"}  # the line under the board, nothing else
        await assert_screen_is_current(pilot, grid)


async def test_a_week_at_a_wide_terminal_and_one_day_at_80_columns() -> None:
    app, _ = make_app(jobs=JOBS)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_board(pilot)
        assert screen.period is not None and screen.period.days == 7
        await pilot.press("w")
        await rest(pilot)
        assert screen.period.days == 1
        assert not screen.has_class("-below")  # the queue stands beside the day
        await pilot.press("full_stop")
        await rest(pilot)
        assert screen.period.first == (FIXED + timedelta(days=2)).date()
    app, _ = make_app(jobs=JOBS)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_board(pilot)
        assert screen.period is not None and screen.period.days == 1
        assert screen.has_class("-below")
        grid = screen.query_one(BoardGrid)
        assert grid.region.height >= 10  # the board keeps most of the screen


async def test_a_technician_elsewhere_at_that_time_is_said_before_sending() -> None:
    app, _ = make_app(jobs=JOBS)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_board(pilot)
        data = screen.data
        assert data is not None
        pairs = [
            (a, b)
            for lane, blocks in data.board.lanes.items()
            if lane != UNASSIGNED
            for a in blocks
            for other_lane, others in data.board.lanes.items()
            if other_lane not in (lane, UNASSIGNED)
            for b in others
            if a.overlaps(b) and a.job_id != b.job_id
        ]
        assert pairs, "the world has two technicians busy at once"
        mine, theirs = pairs[0]
        busy = theirs.technicians[0]
        job = screen.state.store.get(mine.job_id)
        assert job is not None
        minutes = int((mine.end - mine.start).total_seconds() // 60)
        doubts = screen._doubts(job, [busy], mine.start, minutes)
        assert any(f"is also at job {theirs.job_id}" in line for line in doubts)
        free = screen._doubts(job, [busy], mine.start + timedelta(days=3, hours=5), minutes)
        assert not any("is also at job" in line for line in free)


async def test_the_assign_dialog_says_who_is_elsewhere_at_the_appointments_time() -> None:
    from textual.widgets import SelectionList

    from sptui.desk.store.board_rows import board_input
    from sptui.tui.dialogs.assign import AssignDialog

    app, _ = make_app(jobs=JOBS)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        store = app.store
        assert store is not None
        blocks, _ = board_input(store, FIXED - timedelta(days=30), FIXED + timedelta(days=60))
        pair = next(
            (a, b, t)
            for a in blocks
            for b in blocks
            if a.job_id != b.job_id and a.overlaps(b)
            for t in b.technicians
            if t not in a.technicians
        )
        mine, theirs, busy = pair
        app.screen.open_job(mine.job_id)  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AssignDialog)
        box = dialog.query_one("#known", SelectionList)
        prompts = {
            str(box.get_option_at_index(i).value): str(box.get_option_at_index(i).prompt)
            for i in range(box.option_count)
        }
        assert f"also at job {theirs.job_id}" in prompts[busy]
        assert not prompts[busy].startswith("fits")
        # ticked and sent for: the confirmation says it before anything goes
        index = next(i for i in range(box.option_count) if box.get_option_at_index(i).value == busy)
        for i in range(box.option_count):
            box.deselect(box.get_option_at_index(i).value)
        box.select(box.get_option_at_index(index).value)
        dialog.action_assign()
        await settle(pilot)
        said = screen_text(app)
        assert f"is also at job {theirs.job_id}" in said and "books them at both" in said
