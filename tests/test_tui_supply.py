"""The supply side in the console: technicians, capacity, schedules, reservations, slot finder.

Capacity on screen is checked cell by cell against the simulator's own state, before and after
each write, so the grid shows exactly what the server holds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from textual.widgets import Input

from sptui.desk.capacity import TYPES
from sptui.desk.technicians import known_resources
from sptui.simulator.capacity import profile
from sptui.spapi.models import AvailabilityRecord, CapacityType
from sptui.tui.dialogs.availability import AvailabilityDialog
from sptui.tui.dialogs.capacity_range import CapacityRangeDialog
from sptui.tui.screens.capacity import CapacityScreen
from sptui.tui.screens.reservations import ReservationsScreen
from sptui.tui.screens.resources import ResourcesScreen
from sptui.tui.screens.schedule import ScheduleScreen
from sptui.tui.screens.slot_finder import SlotFinderScreen
from sptui.tui.widgets.virtual_table import VirtualTable

from .tui_helpers import confirm, make_app, screen_text, settle

LOWEST = {CapacityType.SCHEDULED_CAPACITY, CapacityType.AVAILABLE_CAPACITY}


def first_technician(sim: Any) -> tuple[str, str]:
    rid, tech = sorted(sim.world.technicians.items(), key=lambda kv: kv[1].name)[0]
    return rid, tech.name


async def open_capacity(pilot: Any, app: Any, sim: Any) -> str:
    rid, _ = first_technician(sim)
    await pilot.press("R")
    await settle(pilot)
    assert isinstance(app.screen, ResourcesScreen)
    table = app.screen.query_one(VirtualTable)
    table.cursor = next(i for i, r in enumerate(table.rows) if r.key == rid)
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, CapacityScreen) and app.screen.table is not None
    return rid


def assert_grid_matches_server(screen: CapacityScreen, sim: Any, rid: str) -> int:
    """Every cell's four numbers are the simulator's for that slot; returns cells checked."""
    table = screen.table
    assert table is not None
    checked = 0
    for cell in table.cells.values():
        shape = profile(sim.world, rid, cell.start, cell.end)
        for kind in TYPES:
            worst = shape.lowest if kind in LOWEST else shape.highest
            assert cell.values[kind] == worst(kind, cell.start, cell.end), (cell.start, kind)
        checked += 1
    return checked


async def fill_availability(pilot: Any, app: Any, **values: str) -> None:
    assert isinstance(app.screen, AvailabilityDialog)
    for name, value in values.items():
        app.screen.query_one(f"#{name}", Input).value = value
    await settle(pilot)


def last_note(app: Any) -> str:
    return list(app._notifications)[-1].message


async def test_capacity_shows_the_servers_numbers_and_follows_a_reservation() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        rid = await open_capacity(pilot, app, sim)
        screen = app.screen
        assert assert_grid_matches_server(screen, sim, rid) == 7 * 24  # all pages: 7 days of hours
        before = dict(sim.world.reservations)
        await pilot.press("n")
        await settle(pilot)
        await fill_availability(
            pilot, app, start="2026-12-02 10:00", end="2026-12-02 12:00", capacity="1"
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        said = await confirm(pilot, app)
        assert "createReservation" in said and "Wed 02 Dec 10:00-12:00" in said
        made = set(sim.world.reservations) - set(before)
        assert len(made) == 1
        assert "Created" in last_note(app) and "request id" in last_note(app)
        assert isinstance(app.screen, CapacityScreen)
        assert assert_grid_matches_server(app.screen, sim, rid) == 7 * 24  # read again
        cell = app.screen.table.cell_at(1, 10)  # Wed 02 Dec, 10:00 UTC
        assert cell is not None and cell.values[CapacityType.RESERVED_CAPACITY] >= 1
    entry = list(app.session.journal.entries())[-1]
    assert entry["operation"] == "createReservation" and entry["outcome"] == "succeeded"
    assert entry["created"] == {"reservationId": made.pop()}


async def test_a_schedule_update_changes_capacity_as_the_server_says() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        rid = await open_capacity(pilot, app, sim)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ScheduleScreen)
        assert "none sent from sptui yet" in screen_text(app)
        await pilot.press("a")
        await settle(pilot)
        await fill_availability(
            pilot,
            app,
            start="2026-12-01 13:00",
            end="2026-12-01 21:00",
            repeat="TUE THU",
            until="2027-01-31 00:00",
            capacity="3",
        )
        await pilot.press("ctrl+s")  # the record into the list
        await settle(pilot)
        await pilot.press("ctrl+s")  # send the list
        await settle(pilot)
        said = await confirm(pilot, app)
        assert "updateSchedule" in said and "every TUE THU until 2027-01-31" in said
        assert "Sent: 1 record(s) taken, 0 refused" in screen_text(app)
        records = sim.world.schedules[rid]
        assert len(records) == 1 and records[0].capacity == 3
        await pilot.press("escape")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CapacityScreen)
        assert_grid_matches_server(screen, sim, rid)
        thursday = screen.table.cell_at(2, 14)  # Thu 03 Dec 14:00 UTC
        friday = screen.table.cell_at(3, 14)
        assert thursday.values[CapacityType.SCHEDULED_CAPACITY] == 3
        assert friday.values[CapacityType.SCHEDULED_CAPACITY] == 0
        # the editor now starts from what was sent
        await pilot.press("e")
        await settle(pilot)
        assert "the last schedule sent from sptui" in screen_text(app)
        assert len(app.screen.records) == 1


async def test_range_mode_folds_amazons_runs_onto_the_same_cells() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        rid = await open_capacity(pilot, app, sim)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert not screen.range.fixed and "range slots" in screen_text(app)
        assert assert_grid_matches_server(screen, sim, rid) == 7 * 24


async def test_cancelling_and_editing_a_reservation_from_its_list() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        rid = await open_capacity(pilot, app, sim)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReservationsScreen)
        await pilot.press("n")
        await settle(pilot)
        await fill_availability(pilot, app, start="2026-12-03 09:00", end="2026-12-03 10:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await confirm(pilot, app)
        assert "Break" in screen_text(app) and "Active" in screen_text(app)
        reservation_id = app.screen.known[0].reservation_id
        await pilot.press("e")
        await settle(pilot)
        assert app.screen.query_one("#start", Input).value == "2026-12-03 09:00"  # as made
        await fill_availability(pilot, app, end="2026-12-03 11:30")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "updateReservation" in await confirm(pilot, app)
        _, kept = sim.world.reservations[reservation_id]
        assert kept.availability.end_time == datetime(2026, 12, 3, 11, 30, tzinfo=UTC)
        await pilot.press("x")
        await settle(pilot)
        assert "cancelReservation" in await confirm(pilot, app)
        assert reservation_id not in sim.world.reservations
        assert "Cancelled" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, CapacityScreen)
        assert_grid_matches_server(app.screen, sim, rid)  # read again on the way back
    operations = [
        e["operation"] for e in app.session.journal.entries() if e["outcome"] == "succeeded"
    ]
    assert operations == ["createReservation", "updateReservation", "cancelReservation"]


async def test_refused_input_sends_nothing() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_capacity(pilot, app, sim)
        served = sim.app.requests_served
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, CapacityRangeDialog)
        for field, value, said in [
            ("minutes", "7", "5 to 360 minutes, in steps of 5"),
            ("minutes", "365", "5 to 360 minutes"),
            ("minutes", "35", "divide a day evenly"),
            ("days", "91", "1 to 90 days"),
            ("first", "next week", "YYYY-MM-DD"),
        ]:
            app.screen.query_one("#minutes", Input).value = "60"
            app.screen.query_one("#days", Input).value = "7"
            app.screen.query_one("#first", Input).value = "2026-12-01"
            app.screen.query_one(f"#{field}", Input).value = value
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, CapacityRangeDialog) and said in screen_text(app), said
        await pilot.press("escape")
        await pilot.press("n")
        await settle(pilot)
        for values, said in [
            ({"start": "2026-12-02 10:00", "end": "2026-12-02 09:00"}, "after the start"),
            ({"start": "2026-11-30 10:00", "end": "2026-11-30 11:00"}, "already over"),
            ({"end": "2026-12-02 11:00", "repeat": "MON 3"}, "not both"),
            ({"repeat": "FUNDAY"}, "weekdays (MON TUE"),
            ({"repeat": "MON", "until": ""}, "a repeat needs an end"),
            ({"repeat": "40", "until": "2027-01-01 00:00"}, "1 to 31"),
            ({"repeat": "", "until": "", "capacity": "0"}, "at least 1"),
        ]:
            await fill_availability(pilot, app, **{"start": "2026-12-02 10:00", **values})
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, AvailabilityDialog) and said in screen_text(app), said
        assert sim.app.requests_served == served
    assert list(app.session.journal.entries()) == []


async def test_server_errors_are_shown_with_request_ids() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one(Input).value = "NOSUCHTECH1"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CapacityScreen)
        text = screen_text(app)
        # Amazon's words for an unknown resource (the model's sandbox case)
        assert "Missing or invalid request parameters: [resourceId]" in text
        assert "request id" in text.lower()
        # a schedule for it: Amazon answers 200 with errors, which is not success
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await fill_availability(pilot, app, start="2026-12-02 08:00", end="2026-12-02 16:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await confirm(pilot, app)
        assert "Not sent (failed)" in screen_text(app) and "[resourceId]" in screen_text(app)
        assert "NOSUCHTECH1" not in sim.world.schedules


async def test_each_records_refusal_is_shown_beside_it() -> None:
    app, sim = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        rid = await open_capacity(pilot, app, sim)
        await pilot.press("e")
        await settle(pilot)
        start = datetime(2026, 12, 2, 8, tzinfo=UTC)
        good = AvailabilityRecord(start_time=start, end_time=start + timedelta(hours=8), capacity=1)
        # made without the dialog, which would refuse it: the server's word is what is tested
        backwards = AvailabilityRecord(start_time=start, end_time=start - timedelta(hours=1))
        app.screen.records = [good, backwards]
        app.screen.show()
        await pilot.press("ctrl+s")
        await settle(pilot)
        await confirm(pilot, app)
        rows = app.screen.query_one(VirtualTable).rows
        assert [r.cells[0] for r in rows] == ["accepted", "refused"]
        assert "endTime must be after startTime" in rows[1].cells[2]
        await pilot.press("down")
        await settle(pilot)
        assert "InvalidInput: endTime must be after startTime" in screen_text(app)  # in full
        assert len(sim.world.schedules[rid]) == 1


async def test_the_slot_finder_answers_for_a_service_at_a_store() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SlotFinderScreen)
        assert screen.query_one("#asin", Input).value  # a service seen on the jobs
        served = sim.app.requests_served
        screen.query_one("#last", Input).value = "2027-06-01"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "at most 90 days" in screen_text(app) and sim.app.requests_served == served
        screen.query_one("#asin", Input).value = "short"
        await settle(pilot)
        assert "10 letters and digits" in screen_text(app)
        screen.query_one("#asin", Input).value, _ = next(iter(screen.offerings))
        screen.query_one("#last", Input).value = "2026-12-07"
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "open slot(s) · enter books one for a job" in text and "request id" in text
        assert "Wed 02 Dec" in text and "08:00–10:00" in text
        assert "Tue 08 Dec" not in text  # the days asked


def test_known_resources_merge_the_config_the_jobs_and_the_journal() -> None:
    found = known_resources(
        {"A1": ("Alex", ["ELECTRICAL"]), "A2": (None, [])},
        {"A2": "Sam", "A3": "Casey"},
        ["A3", "A4"],
    )
    assert found == [
        ("A1", "Alex", ["ELECTRICAL"], "config"),
        ("A3", "Casey", [], "jobs, journal"),
        ("A2", "Sam", [], "config, jobs"),
        ("A4", "A4", [], "journal"),
    ]


async def test_technicians_come_from_the_config_the_jobs_and_the_journal() -> None:
    from textual.widgets import SelectionList

    from sptui.config.schema import Resource
    from sptui.tui.dialogs.assign import AssignDialog

    app, _sim = make_app()
    session = app.session
    session.resources = {"ACONFIGURED01": Resource(name="Config Person")}
    profile_name = session.context()["profile"]
    for outcome, rid in (("succeeded", "AJOURNALLED01"), ("failed", "ANEVERDONE001")):
        session.journal.append(
            {
                "profile": profile_name,
                "operation": "createReservation",
                "ids": {"resourceId": rid},
                "parameters": {"resourceId": rid},
                "outcome": outcome,
            }
        )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        jobs = app.screen
        table = jobs.query_one(VirtualTable)
        index = next(
            i
            for i, r in enumerate(table.rows)
            if r.key in _sim.world.jobs
            and _sim.world.jobs[r.key].active() is not None
            and _sim.world.jobs[r.key].status.value == "NOT_SERVICED"
        )
        on_jobs = next(iter(app.session.seen_technicians))
        await pilot.press("R")
        await settle(pilot)
        listed = {row.key: row.cells[-1] for row in app.screen.query_one(VirtualTable).rows}
        assert listed["ACONFIGURED01"] == "config" and listed["AJOURNALLED01"] == "journal"
        assert "jobs" in listed[on_jobs] and "ANEVERDONE001" not in listed
        await pilot.press("escape")
        await settle(pilot)
        table.cursor = index
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AssignDialog)
        offered = app.screen.query_one("#known", SelectionList)
        values = {offered.get_option_at_index(i).value for i in range(offered.option_count)}
        assert {"ACONFIGURED01", "AJOURNALLED01", on_jobs} <= values
        assert "ANEVERDONE001" not in values
