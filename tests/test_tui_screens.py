"""Job and appointment screens, keys, help, palette, errors, terminal safety, watching."""

from __future__ import annotations

import pytest
from textual.binding import Binding

from sptui.spapi.models import ServiceJobStatus
from sptui.tui.keys import all_bindings
from sptui.tui.screens.appointment import AppointmentScreen
from sptui.tui.screens.help import HelpScreen
from sptui.tui.screens.job import JobScreen
from sptui.tui.screens.jobs import JobsScreen
from sptui.tui.text import clean
from sptui.tui.widgets.virtual_table import VirtualTable

from .tui_helpers import make_app, screen_text, settle


def scheduled_job(sim: object) -> str:
    for job_id, record in sim.world.jobs.items():  # type: ignore[attr-defined]
        if record.job.marketplace_id == "ATVPDKIKX0DER" and record.active() and record.job.buyer:
            return str(job_id)
    raise AssertionError("no scheduled job")


async def open_job(pilot: object, app: object, job_id: str) -> None:
    app.screen.open_job(job_id)  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_job_screen_shows_the_job_with_buyer_masked_until_revealed() -> None:
    app, sim = make_app()
    job_id = scheduled_job(sim)
    job = sim.world.jobs[job_id].job
    name, phone = str(job.buyer.name), str(job.buyer.phone)  # type: ignore[union-attr]
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await open_job(pilot, app, job_id)
        text = screen_text(app)
        assert isinstance(app.screen, JobScreen)
        assert str(job.scope_of_work.title) in text  # type: ignore[union-attr]
        assert name not in text and phone not in text
        assert name[0] + "***" in text
        await pilot.press("v")
        await pilot.pause()
        text = screen_text(app)
        assert name in text and phone in text
        for expected in (
            "Associated items",
            "Orders and payment",
            "Preferred times",
            str(job.tracking_ids[0]),
        ):  # type: ignore[index]
            assert expected in text
        assert "request id" in text


async def test_enter_on_an_appointment_opens_it_with_its_open_slots() -> None:
    app, sim = make_app()
    job_id = scheduled_job(sim)
    appointment = sim.world.jobs[job_id].active()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_job(pilot, app, job_id)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AppointmentScreen)
        text = screen_text(app)
        assert str(appointment.appointment_id) in text  # type: ignore[union-attr]
        assert "Open slots" in text
        assert "Wed 02 Dec" in text and "08:00–10:00" in text  # one window a line, to pick
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, JobScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, JobsScreen)


async def test_question_mark_lists_every_key() -> None:
    app, _ = make_app()
    async with app.run_test(size=(120, 240)) as pilot:  # tall enough to show the whole list
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = screen_text(app)
        for _, bindings in all_bindings():
            for binding in bindings:
                assert str(binding.id) in help_text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, JobsScreen)


def test_every_binding_has_an_id_for_remapping() -> None:
    ids = [b.id for _, bindings in all_bindings() for b in bindings]
    assert all(ids), [b for _, bs in all_bindings() for b in bs if not b.id]
    assert len(ids) >= 20


async def test_the_palette_offers_every_action_of_the_screen_with_its_key() -> None:
    app, _ = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        for binding in JobsScreen.BINDINGS:
            assert isinstance(binding, Binding)
            assert binding.description in commands
        assert commands["Sync"] == "key: r"
        # Running one from the palette does what its key does.
        result = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Sort"
        ).callback()
        if result is not None:
            await result  # the palette awaits what a command returns
        await settle(pilot)
        assert app.screen.sort.describe() == "by date, oldest first"  # type: ignore[attr-defined]


async def test_the_palette_reaches_every_screen_from_anywhere() -> None:
    app, sim = make_app()
    job_id = scheduled_job(sim)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_job(pilot, app, job_id)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AppointmentScreen)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["Jobs list"].callback()
        await settle(pilot)
        assert isinstance(app.screen, JobsScreen)
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["Open a job by id…"].callback()
        await settle(pilot)
        from sptui.tui.dialogs.open_job import OpenJobDialog

        assert isinstance(app.screen, OpenJobDialog)


async def test_an_api_error_is_shown_with_its_request_id_and_the_screen_stays_usable() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        sim.faults.update({"error_500_rate": 1.0})
        await pilot.press("r")
        await settle(pilot)
        notes = [n for n in app._notifications]
        assert notes, "no notification"
        message = notes[-1].message
        assert "InternalFailure" in message and "request id" in message
        assert notes[-1].severity == "error"
        sim.faults.clear()
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.query_one(VirtualTable).rows  # usable again


async def test_a_missing_job_shows_amazons_error() -> None:
    app, _ = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await open_job(pilot, app, "no-such-job")
        text = screen_text(app)
        assert "HTTP 404 NotFound" in text and "request id" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, JobsScreen)


async def test_an_osc52_escape_in_a_buyer_name_renders_inert() -> None:
    app, sim = make_app()
    job_id = scheduled_job(sim)
    buyer = sim.world.jobs[job_id].job.buyer
    evil = "Mallory\x1b]52;c;ZWNobyBwd25lZA==\x07 \x1b[31mRed\x1b[0m\u202eEvil"
    buyer.name = evil  # type: ignore[union-attr]
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await open_job(pilot, app, job_id)
        await pilot.press("v")
        await pilot.pause()
        text = screen_text(app)
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
        assert "]52;" not in text
        assert "Mallory RedEvil" in text
    assert clean("a\x9b31mb\x9d52;c;x\x9cc") == "abc"


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_usable_at_80x24_and_wide(size: tuple[int, int]) -> None:
    app, _ = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        lines = screen_text(app).splitlines()
        assert len(lines) == size[1]
        assert "Status" in lines[2] and "Job ID" in lines[2]
        if size[0] >= 160:
            assert "ASIN" in lines[2] and "City" in lines[2]
        else:
            assert "ASIN" not in lines[2]  # columns give way on a narrow terminal


async def colours_on_screen(pilot: object, app: object) -> list[object]:
    await settle(pilot)  # type: ignore[arg-type]
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    styles = {seg.style for strip in strips for seg in strip if seg.style}
    return [s for s in styles if s.color and s.color.triplet and len({*s.color.triplet}) > 1]


async def test_no_color_is_respected(monkeypatch: pytest.MonkeyPatch) -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert await colours_on_screen(pilot, app)  # statuses are coloured normally...
    monkeypatch.setenv("NO_COLOR", "1")
    app, _ = make_app()
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        assert await colours_on_screen(pilot, app) == []  # ...and not at all under NO_COLOR
        assert "◌ To schedule" in screen_text(app)  # the labels still say it in words


async def test_watch_marks_new_and_changed_jobs() -> None:
    app, sim = make_app(watch=0.05)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JobsScreen)
        shown = screen.query_one(VirtualTable).rows[3].key
        record = sim.world.jobs[shown]
        record.job.service_job_status = ServiceJobStatus.HOLD
        sim.world.touch(record)
        for _ in range(40):
            await pilot.pause(0.05)
            if shown in screen.fresh:
                break
        assert screen.fresh.get(shown) == "✎ "
        row = next(r for r in screen.query_one(VirtualTable).rows if r.key == shown)
        assert row.mark == "✎ " and row.cells[0] == "= On hold"
        assert "watching" in screen_text(app)
        await pilot.press("w")  # off
        assert not screen.watching


async def test_a_job_that_could_not_be_read_says_so_to_every_write_key() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        app.screen.open_job("123")  # type: ignore[attr-defined]
        await settle(pilot)
        assert isinstance(app.screen, JobScreen) and app.screen.job is None
        assert "not found" in screen_text(app).lower()
        served = sim.app.requests_served
        for key in ("b", "m", "a", "x", "d", "f"):
            app._notifications.clear()  # type: ignore[attr-defined]
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, JobScreen), key  # no dialog over nothing
            said = [n.message for n in app._notifications]  # type: ignore[attr-defined]
            assert any("Job 123 is not loaded: r reads it again" in m for m in said), key
        assert sim.app.requests_served == served
