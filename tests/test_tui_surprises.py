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
        if app.screen.job(row.key).status == status:
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


# ---- §11 global keys stay global ---------------------------------------------------------------
def test_no_screen_binding_shadows_a_global_one() -> None:
    """A key the app binds everywhere (S the slot finder, J the journal, ...) means the same on
    every screen: no screen, dialog or widget binds it to something else."""
    from sptui.tui.keys import APP_BINDINGS, all_bindings

    def keys(binding: Any) -> set[str]:
        return {k.strip() for k in binding.key.split(",")}

    global_keys = {k for b in APP_BINDINGS for k in keys(b)}
    toggles = {("help.close", "question_mark")}  # ? closes the help that ? opened
    shadowing = [
        f"{place}: {binding.id} on {key}"
        for place, bindings in all_bindings()
        if place != "Everywhere"
        for binding in bindings
        for key in sorted(keys(binding) & global_keys)
        if (binding.id, key) not in toggles
    ]
    assert shadowing == []


async def test_the_schedule_editor_sends_on_ctrl_s_and_s_and_leaves_S_to_the_slot_finder() -> None:
    from sptui.tui.screens.schedule import ScheduleScreen
    from sptui.tui.screens.slot_finder import SlotFinderScreen

    app, _ = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ScheduleScreen)
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, SlotFinderScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ScheduleScreen)
        await pilot.press("s")  # nothing to send yet: said so, nothing sent
        await settle(pilot)
        assert "Add at least one availability record" in list(app._notifications)[-1].message  # type: ignore[attr-defined]


# ---- §12 capacity: , and . move the days shown -------------------------------------------------
async def test_comma_and_full_stop_move_the_capacity_window_by_a_week() -> None:
    from datetime import date

    from sptui.tui.screens.capacity import CapacityScreen
    from sptui.tui.widgets.capacity_grid import CapacityGrid

    app, _ = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CapacityScreen)
        assert "01 Dec-07 Dec" in screen_text(app)
        await pilot.press("right", "right")
        cursor = screen.query_one(CapacityGrid).cursor
        await pilot.press("full_stop")
        await settle(pilot)
        assert screen.range.first_day == date(2026, 12, 8)
        assert screen.table is not None and screen.table.first_day == date(2026, 12, 8)
        assert "08 Dec-14 Dec" in screen_text(app) and "12-08" in screen_text(app)
        assert screen.query_one(CapacityGrid).cursor == cursor  # same place in the new week
        await pilot.press("comma", "comma")
        await settle(pilot)
        assert screen.range.first_day == date(2026, 11, 24)
        assert "24 Nov-30 Nov" in screen_text(app)


# ---- §3 offer technicians who can do the job --------------------------------------------------
async def test_the_assign_dialog_offers_first_those_who_serve_the_store_with_the_skills() -> None:
    from textual.widgets import SelectionList

    from sptui.tui.dialogs.assign import AssignDialog

    app, sim = make_app()
    async with app.run_test(size=(120, 44)) as pilot:
        await settle(pilot)
        job_id = await goto(pilot, app, "NOT_SERVICED")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AssignDialog)
        record = sim.world.jobs[job_id]
        skills = set(record.job.scope_of_work.required_skills or [])  # type: ignore[union-attr]

        def fits(rid: str) -> bool:
            tech = sim.world.technicians[rid]
            # store and skills; a background check nobody has been refused for yet is unknown
            return record.job.store_id in tech.store_ids and skills <= tech.skills

        box = dialog.query_one(SelectionList)
        offered = [box.get_option_at_index(i) for i in range(box.option_count)]
        verdicts = [str(o.prompt).split()[0] for o in offered]
        able = [o.value for o, v in zip(offered, verdicts, strict=True) if v == "fits"]
        assert able and all(fits(rid) for rid in able)  # each serves the store, with the skills
        assert verdicts == sorted(verdicts, key=["fits", "unsure", "unlikely"].index)
        elsewhere = next(
            o
            for o in offered
            if record.job.store_id not in sim.world.technicians[o.value].store_ids
        )
        assert "does not serve this store" in str(elsewhere.prompt)
        assert str(offered[0].prompt).startswith("fits")


# ---- §4 book from any list of open slots ------------------------------------------------------
def active_of(sim: Any, job_id: str) -> list[Any]:
    return [
        a for a in sim.world.jobs[job_id].job.appointments or [] if a.appointment_status == "ACTIVE"
    ]


async def test_enter_on_a_slot_of_the_appointment_screen_moves_the_appointment_there() -> None:
    from sptui.tui.screens.appointment import AppointmentScreen
    from sptui.tui.widgets.slot_table import SlotTable, slot_start

    from .tui_helpers import confirm

    app, sim = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        job_id = await goto(pilot, app, "NOT_SERVICED")
        old = active_of(sim, job_id)[0]
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")  # its active appointment
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AppointmentScreen)
        assert "enter moves the appointment there" in screen_text(app)
        table = screen.query_one(SlotTable)
        assert app.focused is table and table.rows
        await pilot.press("down", "down")
        target = slot_start(table.rows[table.cursor])
        await pilot.press("enter")
        await settle(pilot)
        said = await confirm(pilot, app)  # the same preview as from the job screen
        assert f"Move job {job_id}" in said and "reason code R1" in said
        now_active = active_of(sim, job_id)
        assert len(now_active) == 1 and now_active[0].appointment_time.start_time == target
        assert now_active[0].rescheduled_appointment_id == old.appointment_id
        assert app.screen is screen  # back on the appointment, read again
        assert "Cancelled" in screen_text(app)


async def test_enter_on_a_found_slot_asks_which_open_job_then_books_it() -> None:
    from sptui.tui.dialogs.pick_job import PickJob
    from sptui.tui.screens.slot_finder import SlotFinderScreen
    from sptui.tui.widgets.slot_table import SlotTable, slot_start

    from .tui_helpers import confirm

    app, sim = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        pending = sim.world.jobs[await goto(pilot, app, "PENDING_SCHEDULE")].job
        await pilot.press("S")
        await settle(pilot)
        finder = app.screen
        assert isinstance(finder, SlotFinderScreen)
        finder.query_one("#asin").value = pending.scope_of_work.asin  # type: ignore[attr-defined,union-attr]
        finder.query_one("#store").value = pending.store_id  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        table = finder.query_one(SlotTable)
        assert app.focused is table and table.rows
        start = slot_start(table.rows[0])
        await pilot.press("enter")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, PickJob)
        offered = [j.service_job_id for j in picker.jobs]
        assert pending.service_job_id in offered
        assert all(
            sim.world.jobs[str(j)].job.store_id == pending.store_id
            and sim.world.jobs[str(j)].status.value in ("PENDING_SCHEDULE", "NOT_SERVICED")
            for j in offered
        )
        picker.query_one(OptionList).highlighted = offered.index(pending.service_job_id)
        await pilot.press("enter")
        await settle(pilot)
        said = await confirm(pilot, app)
        assert f"Book job {pending.service_job_id}" in said
        booked = active_of(sim, str(pending.service_job_id))
        assert len(booked) == 1 and booked[0].appointment_time.start_time == start


# ---- §13 the slot finder keeps its top bar ----------------------------------------------------
async def test_the_slot_finder_keeps_its_top_bar_when_its_results_scroll() -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("S")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "open slot(s)" in screen_text(app)
        await pilot.press("pagedown", "pagedown", "end")
        app.screen.scroll_end(animate=False)  # as a mouse wheel would
        await settle(pilot)
        top = screen_text(app).splitlines()[0]
        assert "DEMO" in top and "Slot finder" in top


# ---- §14 forms open with the first field focused; save without checking -----------------------
async def test_forms_open_with_their_first_field_focused() -> None:
    from textual.widgets import Input, Select, SelectionList

    app, _ = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for key, field in (("f", "statuses"), ("x", "reason"), ("S", "offering")):
            await pilot.press(key)
            await settle(pilot)
            assert app.focused is not None and app.focused.id == field, (key, app.focused)
            assert isinstance(app.focused, Input | Select | SelectionList)
            await pilot.press("escape")
            await settle(pilot)
        app.action_add_profile()  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press(*"lab")  # typed straight into the first field
        assert app.screen.query_one("#name", Input).value == "lab"


async def test_the_profile_form_saves_without_checking_when_asked(
    tmp_path: Any, monkeypatch: Any
) -> None:
    from textual.widgets import Input, Select

    from sptui.config import load as load_config
    from sptui.config.store import Loaded
    from sptui.tui.app import SptuiApp
    from sptui.tui.dialogs.profile_form import ProfileForm
    from sptui.tui.widgets.ticks import TickBox

    async def no_call(*args: Any) -> str:
        raise AssertionError("checked with Amazon although asked not to")

    monkeypatch.setattr("sptui.tui.dialogs.profile_form.check", no_call)
    monkeypatch.setattr("sptui.tui.app.SptuiApp.switch_session", lambda self, name: None)
    path = tmp_path / "config.toml"
    demo, _ = make_app()
    app = SptuiApp(demo.session, config=Loaded(load_config(path).config, {}, path))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.action_add_profile()
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProfileForm)
        await pilot.press(*"lab")
        form.query_one("#marketplace_id", Select).value = "ATVPDKIKX0DER"
        form.query_one("#client_id", Input).value = "amzn1.application-oa2-client.x"
        form.query_one("#source", Select).value = "command"
        await settle(pilot)
        form.query_one("#client_secret_command", Input).value = "pass show secret"
        form.query_one("#refresh_token_command", Input).value = "pass show refresh"
        form.query_one("#no_check", TickBox).value = True
        await settle(pilot)
        assert "Save without checking" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = load_config(path)
        assert saved.config.profiles["lab"].client_secret_command == "pass show secret"
        assert "without checking" in list(app._notifications)[-1].message  # type: ignore[attr-defined]


# ---- §15 checkboxes show their state without colour --------------------------------------------
async def test_ticks_read_without_colour() -> None:
    from sptui.tui.widgets.ticks import TickBox

    app, _ = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        lines = [
            line for line in screen_text(app).splitlines() if "▐" in line and "To schedule" in line
        ]
        assert lines and "X" not in lines[0]  # nothing ticked: no mark
        await pilot.press("space")  # tick the first status
        await settle(pilot)
        ticked = [line for line in screen_text(app).splitlines() if "▐X▌" in line]
        assert len(ticked) == 1
        await pilot.press("escape")
        await settle(pilot)
        app.action_add_profile()  # type: ignore[attr-defined]
        await settle(pilot)
        box = app.screen.query_one("#sandbox", TickBox)
        sandbox = next(line for line in screen_text(app).splitlines() if "sandbox hosts" in line)
        assert "X" not in sandbox
        box.value = True
        await settle(pilot)
        sandbox = next(line for line in screen_text(app).splitlines() if "sandbox hosts" in line)
        assert "▐X▌" in sandbox


# ---- §16 enter on a journal line shows the whole entry ------------------------------------------
async def test_enter_on_a_journal_line_shows_the_whole_entry_in_words() -> None:
    from sptui.tui.dialogs.journal_entry import JournalEntry
    from sptui.tui.screens.journal import JournalScreen

    app, sim = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await goto(pilot, app, "NOT_SERVICED")
        await pilot.press("enter")
        await settle(pilot)
        job = app.screen.job  # type: ignore[attr-defined]
        outsider = next(
            t.resource_id for t in sim.world.technicians.values() if job.store_id not in t.store_ids
        )
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#typed").value = outsider  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("ctrl+s")  # yes: Amazon refuses
        await settle(pilot)
        await pilot.press("escape", "J")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        assert "Assign technicians · …" in screen_text(app)  # words first; the cell ends in …
        await pilot.press("enter")  # the newest line: the refusal
        await settle(pilot)
        assert isinstance(app.screen, JournalEntry)
        text = screen_text(app)
        last = list(app.session.journal.entries())[-1]
        assert "Assign technicians (assignAppointmentResources)" in text
        assert "RESOURCES_NOT_AVAILABLE_IN_LOCATION" in text  # the error, whole
        assert last["request_id"] in text and app.session.journal.user in text
        assert str(job.service_job_id) in text and outsider in text and "failed" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)


# ---- §5 guard rails for live accounts ------------------------------------------------------------
def profile_console(*, read_only: bool = False, jobs: int = 40) -> tuple[Any, Any]:
    """A console on a real (LIVE) profile, wired to an in-process simulator world."""
    from pathlib import Path

    from sptui.config import Config, Credentials, Profile, Settings
    from sptui.config.store import Loaded
    from sptui.desk.connect import session_for
    from sptui.tui.app import SptuiApp

    from .sim_helpers import simulator
    from .tui_helpers import FIXED

    world = simulator(jobs=jobs, clock=lambda: FIXED)
    profile = Profile(
        marketplace_id="ATVPDKIKX0DER", region="NA", time_zone="UTC", read_only=read_only
    )
    creds = Credentials("sptui-demo", "sptui-demo-secret", "sptui-demo-refresh")
    session = session_for("us-main", profile, Settings(), creds, transport=world.transport())
    session.clock = lambda: FIXED
    from sptui.desk.journal import Journal

    session.journal = Journal(Path(__import__("tempfile").mkdtemp()) / "journal.jsonl")
    config = Loaded(Config(profiles={"us-main": profile}), {}, Path("config.toml"))
    return SptuiApp(session, config=config), world


def writes_refused(app: Any) -> bool:
    said = list(app._notifications)[-1].message if app._notifications else ""
    app.clear_notifications()
    return "read-only" in said


async def test_a_read_only_profile_refuses_every_write_before_anything_is_sent() -> None:
    from sptui.tui.keys import all_bindings
    from sptui.tui.screens.capacity import CapacityScreen
    from sptui.tui.screens.job import JobScreen
    from sptui.tui.screens.reservations import ReservationsScreen
    from sptui.tui.screens.schedule import ScheduleScreen

    app, world = profile_console(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.session.read_only
        served = world.app.requests_served

        async def refused(keys: str, where: type) -> None:
            for key in keys:
                await pilot.press(key)
                await settle(pilot)
                assert isinstance(app.screen, where), (key, type(app.screen).__name__)
                assert writes_refused(app), key

        await goto(pilot, app, "NOT_SERVICED")
        await refused("xd", JobsScreen)
        await pilot.press("enter")
        await settle(pilot)
        await refused("bmafxd", JobScreen)
        # the palette runs the same actions: refused the same way
        await app.run_action("book", app.screen)
        await settle(pilot)
        assert isinstance(app.screen, JobScreen) and writes_refused(app)
        await pilot.press("escape", "R")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await refused("n", CapacityScreen)
        await pilot.press("v")
        await settle(pilot)
        await refused("nexi", ReservationsScreen)
        await pilot.press("escape", "e")
        await settle(pilot)
        await refused("s", ScheduleScreen)
        assert world.app.requests_served > served  # reads went on...
        assert list(app.session.journal.entries()) == []  # ...but no write was even journalled
    writes = {
        "job.book", "job.move", "job.assign", "job.fulfil", "job.cancel", "job.complete",
        "jobs.cancel", "jobs.complete", "capacity.reserve", "schedule.send",
        "reservations.new", "reservations.edit", "reservations.cancel", "reservations.by_id",
        "board.move", "board.assign",
    }  # fmt: skip
    from sptui.tui import keys

    marked = set()
    for _, bindings in all_bindings():
        for binding in bindings:
            owner = next(
                cls for name, cls in keys.places() if binding in getattr(cls, "BINDINGS", [])
            )
            method = getattr(owner, f"action_{binding.action.split('(')[0]}", None)
            if getattr(method, "writes", False):
                marked.add(binding.id)
    assert marked == writes  # every key that leads to a write is guarded, and only those


async def test_a_live_bulk_cancel_of_more_than_ten_asks_for_the_number_typed() -> None:
    from textual.widgets import Input

    from sptui.desk.desk import Mode
    from sptui.tui.dialogs.job_action import ConfirmJobAction
    from sptui.tui.screens.job_run import JobRun

    app, world = profile_console(jobs=120)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        assert app.session.mode is Mode.LIVE
        screen = app.screen
        table = screen.query_one(VirtualTable)
        open_rows = [
            i for i, r in enumerate(table.rows) if screen.job(r.key).status == "PENDING_SCHEDULE"
        ][:12]
        assert len(open_rows) == 12
        for index in open_rows:
            table.cursor = index
            await pilot.pause()
            await screen.run_action("mark")
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmJobAction)
        assert "type 12 to cancel all 12" in screen_text(app)
        served = world.app.requests_served
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and "type 12, the number of jobs" in screen_text(app)
        dialog.query_one("#count", Input).value = "11"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog and world.app.requests_served == served
        dialog.query_one("#count", Input).value = "12"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, JobRun) and len(app.screen.jobs) == 12


async def test_a_demo_bulk_cancel_asks_for_no_number() -> None:
    from sptui.tui.dialogs.job_action import ConfirmJobAction

    app, _ = make_app(jobs=120)
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        screen = app.screen
        table = screen.query_one(VirtualTable)
        for index in [
            i for i, r in enumerate(table.rows) if screen.job(r.key).status == "PENDING_SCHEDULE"
        ][:12]:
            table.cursor = index
            await pilot.pause()
            await screen.run_action("mark")
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmJobAction) and app.screen.typed_count is None


async def test_a_dialog_leaves_no_key_of_the_screen_behind_it_in_the_footer() -> None:
    """The screen behind a dialog shows through it; its footer's keys do nothing there, so
    they are not shown while the dialog is up, and come back when it goes."""
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "f Filter" in screen_text(app).splitlines()[-1]
        await pilot.press("i")  # open a job by its id: a small dialog over the list
        await settle(pilot)
        assert not isinstance(app.screen, JobsScreen)
        footer = screen_text(app).splitlines()[-1]
        assert "Filter" not in footer and "Sync" not in footer, footer
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, JobsScreen)
        assert "f Filter" in screen_text(app).splitlines()[-1]
