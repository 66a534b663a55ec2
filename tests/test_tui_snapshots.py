"""Every screen and dialog of the console, at 80x24 and at 160x48, from a frozen demo world."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from .tui_helpers import make_app, settle

SIZES = [(80, 24), (160, 48)]
Steps = Callable[[Pilot[Any]], Awaitable[None]]


async def jobs(pilot: Pilot[Any]) -> None:
    await settle(pilot)


async def job(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("j", "j", "j", "enter")
    await settle(pilot)


async def job_revealed(pilot: Pilot[Any]) -> None:
    await job(pilot)
    await pilot.press("v")
    await settle(pilot)


async def appointment(pilot: Pilot[Any]) -> None:
    await job(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def narrowed(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("slash", *"fan")
    await settle(pilot)


async def help_screen(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


async def filters(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)


async def filters_with_errors(pilot: Pilot[Any]) -> None:
    await filters(pilot)
    from textual.widgets import Input

    pilot.app.screen.query_one("#asins", Input).value = "B0SHORT"
    pilot.app.screen.query_one("#updated_after", Input).value = "yesterday"
    await settle(pilot)


async def open_by_id(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("i", *"two words")
    await settle(pilot)


async def missing_job(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.screen.open_job("no-such-job")  # type: ignore[attr-defined]
    await settle(pilot)
    pilot.app.clear_notifications()
    await settle(pilot)


async def row_in_full(pilot: Pilot[Any]) -> None:
    """A row whose service and technician are cut short in their columns, shown whole."""
    await settle(pilot)
    await pilot.press(*"jjjjjjjjjj", "o")
    await settle(pilot)


CASES: dict[str, Steps] = {
    "jobs": jobs,
    "jobs_narrowed": narrowed,
    "job": job,
    "job_revealed": job_revealed,
    "appointment": appointment,
    "help": help_screen,
    "filters": filters,
    "filters_with_errors": filters_with_errors,
    "open_by_id": open_by_id,
    "job_not_found": missing_job,
    "row_in_full": row_in_full,
}


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("case", list(CASES))
def test_screen(case: str, size: tuple[int, int], snap_compare: Any) -> None:
    app, _ = make_app()
    assert snap_compare(app, terminal_size=size, run_before=CASES[case])


def profile_app(endpoint: str | None, sandbox: bool = False) -> Any:
    """A console on a real profile's session, wired to an in-process simulator world."""
    from sptui.config import Config, Credentials, Profile, Settings
    from sptui.config.store import Loaded
    from sptui.desk.connect import session_for
    from sptui.tui.app import SptuiApp

    from .sim_helpers import simulator
    from .tui_helpers import FIXED

    world = simulator(jobs=30, clock=lambda: FIXED)
    extra = {"endpoint": endpoint} if endpoint else {"region": "NA"}
    profile = Profile(marketplace_id="ATVPDKIKX0DER", sandbox=sandbox, time_zone="UTC", **extra)
    creds = Credentials("sptui-demo", "sptui-demo-secret", "sptui-demo-refresh")
    session = session_for("us-main", profile, Settings(), creds, transport=world.transport())
    session.clock = lambda: FIXED
    config = Loaded(
        Config(
            profiles={
                "us-main": profile,
                "eu-main": Profile(marketplace_id="A1PA6795UKMFR9", sandbox=True),
            }
        ),
        {},
        Path("config.toml"),
    )
    return SptuiApp(session, config=config)


MARKERS = {
    "live": (None, False),
    "sandbox": (None, True),
    "simulator_profile": ("http://127.0.0.1:8765", False),
}


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("marker", list(MARKERS))
def test_mode_marker(marker: str, size: tuple[int, int], snap_compare: Any) -> None:
    endpoint, sandbox = MARKERS[marker]
    assert snap_compare(profile_app(endpoint, sandbox), terminal_size=size, run_before=jobs)


def store_app(offline: bool, tmp_path: Path) -> Any:
    """A real profile's console on its warm store (last synced 12 minutes before the frozen
    moment): catching up with Amazon (held, so the frame stays as it first is), or offline."""
    import asyncio

    from .store_console import Line, console, warm, world

    sim = world(30)
    asyncio.run(warm(sim))
    line = Line(sim.transport())
    if offline:
        line.token_down = True
    else:
        line.hold = asyncio.Event()  # never set: the catch-up at start stays under way
    app = console(sim, line, tmp_path)
    app.RECONNECT = (600.0, 600.0)  # no second try while the snapshot is taken
    return app


async def from_the_store(pilot: Pilot[Any]) -> None:
    for _ in range(6):  # not settle(): the held catch-up never finishes
        await pilot.pause(0.05)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("case", ["catching_up", "offline"])
def test_jobs_from_the_store(
    case: str, size: tuple[int, int], snap_compare: Any, tmp_path: Path
) -> None:
    app = store_app(case == "offline", tmp_path)
    steps = jobs if case == "offline" else from_the_store
    assert snap_compare(app, terminal_size=size, run_before=steps)


async def picker(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("P")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_profile_picker(size: tuple[int, int], snap_compare: Any) -> None:
    assert snap_compare(profile_app(None), terminal_size=size, run_before=picker)


async def profile_form(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    pilot.app.action_add_profile()  # type: ignore[attr-defined]
    await settle(pilot)
    from textual.widgets import Input

    pilot.app.screen.query_one("#name", Input).value = "us main"
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_profile_form(size: tuple[int, int], snap_compare: Any) -> None:
    assert snap_compare(profile_app(None), terminal_size=size, run_before=profile_form)


async def confirm_cancel(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("space", "space", "x")  # two to-schedule jobs at the top of the frozen world
    await settle(pilot)


async def confirm_complete_without_proof(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    jobs_screen = pilot.app.screen
    scheduled = next(j.job_id for j in jobs_screen.listing if j.status == "NOT_SERVICED")  # type: ignore[attr-defined]
    jobs_screen.open_job(scheduled)  # type: ignore[attr-defined]
    await settle(pilot)
    from sptui.tui.screens.job import JobScreen

    screen = pilot.app.screen
    assert isinstance(screen, JobScreen)
    screen.action_act("complete")
    await settle(pilot)


async def confirm_cancel_bad_reason(pilot: Pilot[Any]) -> None:
    from textual.widgets import Input

    await confirm_cancel(pilot)
    pilot.app.screen.query_one("#other", Input).value = "not a code"
    await settle(pilot)


async def run_report(pilot: Pilot[Any]) -> None:
    await confirm_cancel(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(
    "case",
    ["confirm_cancel", "confirm_cancel_bad_reason", "confirm_complete_without_proof", "run_report"],
)
def test_write_dialogs(case: str, size: tuple[int, int], snap_compare: Any) -> None:
    steps = {
        "confirm_cancel": confirm_cancel,
        "confirm_cancel_bad_reason": confirm_cancel_bad_reason,
        "confirm_complete_without_proof": confirm_complete_without_proof,
        "run_report": run_report,
    }
    app, _ = make_app()
    assert snap_compare(app, terminal_size=size, run_before=steps[case])


async def journal_after_a_cancel(pilot: Pilot[Any]) -> None:
    await run_report(pilot)
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("J")
    await settle(pilot)
    pilot.app.screen.query_one("#where").update(
        " journal.jsonl · append-only, newest first · times in UTC"
    )  # the temp path varies


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_journal_screen(size: tuple[int, int], snap_compare: Any) -> None:
    app, _ = make_app()
    assert snap_compare(app, terminal_size=size, run_before=journal_after_a_cancel)


async def book_with_a_problem(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    jobs_screen = pilot.app.screen
    pending = next(j.job_id for j in jobs_screen.listing if j.status == "PENDING_SCHEDULE")  # type: ignore[attr-defined]
    jobs_screen.open_job(pending)  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    from textual.widgets import Input

    pilot.app.screen.query_one("#typed", Input).value = "2026-11-30 10:00"
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_book_dialog(size: tuple[int, int], snap_compare: Any) -> None:
    app, _ = make_app()
    assert snap_compare(app, terminal_size=size, run_before=book_with_a_problem)


async def move_dialog(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    jobs_screen = pilot.app.screen
    scheduled = next(j.job_id for j in jobs_screen.listing if j.status == "NOT_SERVICED")  # type: ignore[attr-defined]
    jobs_screen.open_job(scheduled)  # type: ignore[attr-defined]
    await settle(pilot)
    await pilot.press("m")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_move_dialog(size: tuple[int, int], snap_compare: Any) -> None:
    app, _ = make_app()
    assert snap_compare(app, terminal_size=size, run_before=move_dialog)


async def move_with_a_problem(pilot: Pilot[Any]) -> None:
    from textual.widgets import Input

    await move_dialog(pilot)
    pilot.app.screen.query_one("#typed", Input).value = "2026-12-04 10:00"
    pilot.app.screen.query_one("#reason", Input).value = "not a code"
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_move_dialog_with_a_problem(size: tuple[int, int], snap_compare: Any) -> None:
    app, _ = make_app()
    assert snap_compare(app, terminal_size=size, run_before=move_with_a_problem)


async def assign_dialog(pilot: Pilot[Any]) -> None:
    from textual.widgets import Input

    await move_dialog(pilot)
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    pilot.app.screen.query_one("#typed", Input).value = "A8B3M999LMHF2, two words"
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_assign_dialog(size: tuple[int, int], snap_compare: Any) -> None:
    app, _ = make_app()
    assert snap_compare(app, terminal_size=size, run_before=assign_dialog)


async def fulfillment_with_problems(pilot: Pilot[Any]) -> None:
    import tempfile

    from textual.widgets import Input

    await move_dialog(pilot)
    await pilot.press("escape")
    await settle(pilot)
    await pilot.press("f")
    await settle(pilot)
    screen = pilot.app.screen
    screen.query_one("#eta-start", Input).value = "2026-12-01 08:00"
    screen.query_one("#started", Input).value = "2026-12-01 13:00"
    screen.query_one("#finished", Input).value = "2026-12-01 14:00"  # after FIXED: refused
    proof = Path(tempfile.mkdtemp()) / "receipt.pdf"
    proof.write_bytes(b"%PDF-1.4\nsigned\n%%EOF\n")
    box = screen.query_one("#path", Input)
    box.value = str(proof)
    box.focus()
    await pilot.press("enter")
    await settle(pilot)


async def fulfillment_sent(pilot: Pilot[Any]) -> None:
    from textual.widgets import Input

    await fulfillment_with_problems(pilot)
    screen = pilot.app.screen
    screen.query_one("#eta-start", Input).value = ""
    screen.query_one("#started", Input).value = "2026-12-01 09:00"
    screen.query_one("#finished", Input).value = "2026-12-01 10:30"
    await pilot.press("ctrl+s")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("case", ["fulfillment_with_problems", "fulfillment_sent"])
def test_fulfillment(case: str, size: tuple[int, int], snap_compare: Any) -> None:
    steps = {
        "fulfillment_with_problems": fulfillment_with_problems,
        "fulfillment_sent": fulfillment_sent,
    }
    app, _ = make_app()
    assert snap_compare(app, terminal_size=size, run_before=steps[case])


async def technicians(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("R")
    await settle(pilot)


async def capacity(pilot: Pilot[Any]) -> None:
    await technicians(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def capacity_cell(pilot: Pilot[Any]) -> None:
    await capacity(pilot)
    await pilot.press("m")  # range slots: the details list Amazon's runs too
    await settle(pilot)
    await pilot.press("right", "down", "down", "enter")
    await settle(pilot)


async def capacity_range_with_problem(pilot: Pilot[Any]) -> None:
    from textual.widgets import Input

    await capacity(pilot)
    await pilot.press("o")
    await settle(pilot)
    pilot.app.screen.query_one("#minutes", Input).value = "7"
    await settle(pilot)


async def reservation_with_problem(pilot: Pilot[Any]) -> None:
    from textual.widgets import Input

    await capacity(pilot)
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    screen.query_one("#end", Input).value = "2026-12-02 07:00"
    screen.query_one("#repeat", Input).value = "MON FRI"
    await settle(pilot)


async def reservation_confirm(pilot: Pilot[Any]) -> None:
    from textual.widgets import Input

    await capacity(pilot)
    await pilot.press("n")
    await settle(pilot)
    screen = pilot.app.screen
    screen.query_one("#start", Input).value = "2026-12-02 10:00"
    screen.query_one("#end", Input).value = "2026-12-02 12:00"
    await pilot.press("ctrl+s")
    await settle(pilot)


async def reservations_list(pilot: Pilot[Any]) -> None:
    await reservation_confirm(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)


async def reservation_by_id(pilot: Pilot[Any]) -> None:
    await reservations_list(pilot)
    await pilot.press("i")
    await settle(pilot)


async def schedule_sent(pilot: Pilot[Any]) -> None:
    from datetime import UTC, datetime, timedelta

    from sptui.spapi.models import AvailabilityRecord

    await capacity(pilot)
    await pilot.press("e")
    await settle(pilot)
    start = datetime(2026, 12, 2, 8, tzinfo=UTC)
    screen = pilot.app.screen
    screen.records = [  # type: ignore[attr-defined]
        AvailabilityRecord(start_time=start, end_time=start + timedelta(hours=9), capacity=2),
        AvailabilityRecord(start_time=start, end_time=start - timedelta(hours=1)),
    ]
    screen.show()  # type: ignore[attr-defined]
    await pilot.press("ctrl+s")
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def schedule_record(pilot: Pilot[Any]) -> None:
    await capacity(pilot)
    await pilot.press("e")
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)


async def slot_finder(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await pilot.press("S")
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def slot_finder_with_problem(pilot: Pilot[Any]) -> None:
    from textual.widgets import Input

    await settle(pilot)
    await pilot.press("S")
    await settle(pilot)
    pilot.app.screen.query_one("#last", Input).value = "2027-06-01"
    await settle(pilot)


SUPPLY = {
    f.__name__: f
    for f in (
        technicians,
        capacity,
        capacity_cell,
        capacity_range_with_problem,
        reservation_with_problem,
        reservation_confirm,
        reservations_list,
        reservation_by_id,
        schedule_record,
        schedule_sent,
        slot_finder,
        slot_finder_with_problem,
    )
}


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("case", list(SUPPLY))
def test_supply_side(case: str, size: tuple[int, int], snap_compare: Any) -> None:
    app, _ = make_app()
    assert snap_compare(app, terminal_size=size, run_before=SUPPLY[case])


# ---- the dispatch board (issue 15), on a 300-job world: a believable day, with conflicts -------
async def board(pilot: Pilot[Any]) -> None:
    from sptui.tui.screens.board import SETTLE_S

    await settle(pilot)
    await pilot.press("B")
    for _ in range(2):  # the store synced first; then capacity and open slots, once at rest
        await settle(pilot)
        await pilot.pause(SETTLE_S + 0.1)
    await settle(pilot)


async def board_other_view(pilot: Pilot[Any]) -> None:
    """At 80x24 a week, at 160x48 a day (w): each size's other view."""
    await board(pilot)
    await pilot.press("w")
    await board_rest(pilot)


async def board_moving(pilot: Pilot[Any]) -> None:
    """A block picked up (m) and carried a slot later and a row down."""
    await board(pilot)
    await pilot.press("m", "right", "down")
    await board_rest(pilot)


async def board_rest(pilot: Pilot[Any]) -> None:
    from sptui.tui.screens.board import SETTLE_S

    await settle(pilot)
    await pilot.pause(SETTLE_S + 0.1)
    await settle(pilot)


BOARD: dict[str, Steps] = {
    "board": board,
    "board_other_view": board_other_view,
    "board_moving": board_moving,
}


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("case", list(BOARD))
def test_board(case: str, size: tuple[int, int], snap_compare: Any) -> None:
    app, _ = make_app(jobs=300)
    assert snap_compare(app, terminal_size=size, run_before=BOARD[case])


NARROW = {"jobs": jobs, "job": job, "journal": journal_after_a_cancel, "technicians": technicians}


@pytest.mark.parametrize("case", list(NARROW))
def test_narrow_terminal(case: str, snap_compare: Any) -> None:
    """60x15: columns and footer keys give way whole (the job id stays), nothing half shown."""
    app, _ = make_app()
    assert snap_compare(app, terminal_size=(60, 15), run_before=NARROW[case])
