"""The dispatch board's content: lanes, the queue and each kind of conflict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import combinations

from sptui.desk.board import UNASSIGNED, Block, Slot, Waiting, build_board
from sptui.desk.demo import demo_session
from sptui.desk.store import JobStore
from sptui.desk.store.board_rows import board_input
from sptui.desk.store.sync import sync
from sptui.spapi.models import AppointmentStatus

T0 = datetime(2026, 12, 2, 8, tzinfo=UTC)


def block(job: str, start_h: float, hours: float = 1, *techs: str, **kw: object) -> Block:
    start = T0 + timedelta(hours=start_h)
    return Block(job, f"{job}-a", start, start + timedelta(hours=hours), techs, **kw)  # type: ignore[arg-type]


def kinds(board: object, job: str) -> set[str]:
    return {c.kind for c in board.conflicts if c.job_id == job}  # type: ignore[attr-defined]


def test_lanes_hold_each_technicians_blocks_in_order_and_the_unassigned_apart() -> None:
    board = build_board([block("b", 3, 1, "T1"), block("a", 1, 1, "T1", "T2"), block("u", 2)], [])
    assert [b.job_id for b in board.lanes["T1"]] == ["a", "b"]
    assert [b.job_id for b in board.lanes["T2"]] == ["a"]
    assert [b.job_id for b in board.lanes[UNASSIGNED]] == ["u"]
    assert board.conflicts == []


def test_a_technician_in_two_places_at_once_is_flagged_on_both() -> None:
    board = build_board(
        [block("a", 1, 2, "T1"), block("b", 2, 1, "T1"), block("c", 3, 1, "T1")], []
    )
    assert kinds(board, "a") == kinds(board, "b") == {"overlap"}
    assert kinds(board, "c") == set()  # starting as the other ends is no overlap
    assert "also at job b 10:00-11:00" in board.conflicts_of(board.lanes["T1"][0])[0].reason


def test_a_missing_skill_is_flagged_only_when_the_technicians_skills_are_known() -> None:
    jobs = [block("a", 1, 1, "T1", skills=("ELECTRICAL",)), block("b", 3, 1, "T2", skills=("X",))]
    board = build_board(jobs, [], skills={"T1": ["PLUMBING"]}, names={"T1": "Ann"})
    assert kinds(board, "a") == {"skill"} and kinds(board, "b") == set()
    assert "Ann lacks ELECTRICAL" in board.conflicts[0].reason


def test_capacity_outside_the_schedule_and_over_it() -> None:
    slots = [
        Slot(T0 + timedelta(hours=h), T0 + timedelta(hours=h + 1), 1 if h < 4 else 0, 0)
        for h in range(8)
    ]
    jobs = [
        block("a", 1, 1, "T1"),
        block("b", 1, 1, "T1"),  # two at once, capacity 1 (and an overlap)
        block("c", 5, 1, "T1"),  # the technician is not scheduled at 13:00
        block("d", 2, 1, "T1"),
    ]
    board = build_board(jobs, [], capacity={"T1": slots})
    assert kinds(board, "a") == kinds(board, "b") == {"overlap", "overbooked"}
    assert kinds(board, "c") == {"unscheduled"}
    assert kinds(board, "d") == set()


def test_a_time_outside_every_preferred_window_is_flagged() -> None:
    window = (T0, T0 + timedelta(hours=2))
    board = build_board(
        [block("in", 0.5, 1, preferred=(window,)), block("out", 3, 1, "T1", preferred=(window,))],
        [],
    )
    assert kinds(board, "in") == set() and kinds(board, "out") == {"preference"}


def test_the_queue_is_oldest_first() -> None:
    queue = [Waiting("new", T0), Waiting("unknown", None), Waiting("old", T0 - timedelta(days=3))]
    assert [w.job_id for w in build_board([], queue).queue] == ["old", "new", "unknown"]


async def test_the_board_from_the_store_flags_exactly_the_worlds_double_bookings() -> None:
    desk, sim = demo_session(jobs=300, seed=4)
    store = JobStore.memory()
    async with desk.client:
        await sync(store, desk.client, window_days=90)
    start = datetime.now(UTC) - timedelta(days=30)
    end = start + timedelta(days=120)
    blocks, waiting = board_input(store, start, end)
    board = build_board(blocks, waiting)

    # The same question asked of the simulator's world directly.
    active = []
    for record in sim.world.jobs.values():
        if record.job.marketplace_id != desk.client.marketplace_id:
            continue
        for appointment in record.job.appointments or []:
            time = appointment.appointment_time
            if appointment.appointment_status != AppointmentStatus.ACTIVE or time is None:
                continue
            begins = time.start_time
            ends = begins + timedelta(minutes=time.duration_in_minutes or 0)
            if begins < end and ends > start:
                crew = {t.technician_id for t in appointment.assigned_technicians or []}
                active.append((record.job_id, begins, ends, crew))
    expected = set()
    for (job_a, start_a, end_a, crew_a), (job_b, start_b, end_b, crew_b) in combinations(active, 2):
        if crew_a & crew_b and start_a < end_b and start_b < end_a:
            expected |= {job_a, job_b}
    flagged = {c.job_id for c in board.conflicts if c.kind == "overlap"}
    assert flagged == expected
    assert {b.job_id for lane in board.lanes.values() for b in lane} == {a[0] for a in active}
    open_jobs = {
        r.job_id
        for r in sim.world.jobs.values()
        if r.job.marketplace_id == desk.client.marketplace_id
        and r.status.value not in ("CANCELLED", "COMPLETED")
        and r.active() is None
    }
    assert {w.job_id for w in board.queue} == open_jobs


def test_overbooked_counts_what_amazon_says_encumbers_the_technician() -> None:
    """An appointment the store has not seen yet still takes capacity: Amazon's encumbered
    count stands when it is higher than the board's own."""
    from zoneinfo import ZoneInfo

    slots = [
        Slot(T0 + timedelta(hours=h), T0 + timedelta(hours=h + 1), 1 if h < 4 else 0, 2)
        for h in range(8)
    ]
    jobs = [block("a", 1, 1, "T1"), block("late", 5, 1, "T1")]
    board = build_board(jobs, [], capacity={"T1": slots}, zone=ZoneInfo("America/New_York"))
    assert kinds(board, "a") == {"overbooked"}
    assert kinds(board, "late") == {"unscheduled"}  # not also overbooked: it is not scheduled
    assert "2 appointments at 04:00" in board.conflicts_of(jobs[0])[0].reason  # 09:00 UTC
