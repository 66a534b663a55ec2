"""The jobs list, driven as a user would, against the in-process simulator."""

from __future__ import annotations

from typing import Any

from sptui.desk.listing import KEPT_PAGES, PAGE
from sptui.desk.store.query import SORTS, SortKey
from sptui.tui.screens.job import JobScreen
from sptui.tui.screens.jobs import JobsScreen
from sptui.tui.widgets.virtual_table import VirtualTable

from .tui_helpers import FIXED, make_app, screen_text, settle


async def test_opens_on_the_demo_world_and_says_so() -> None:
    app, _sim = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert isinstance(app.screen, JobsScreen)
        assert " DEMO " in text.splitlines()[0]
        table = app.screen.query_one(VirtualTable)
        assert len(table.rows) >= 20
        first = table.rows[0]
        assert first.key in text  # the job id is on screen
        assert any(label in text for label in ("◌ To schedule", "* Scheduled", "✔ Completed"))


async def test_the_list_is_every_stored_job_read_a_page_at_a_time() -> None:
    app, _sim = make_app(jobs=400)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JobsScreen) and screen.listing is not None
        listing = screen.listing
        stored = app.store.count(listing.effective(FIXED))  # type: ignore[union-attr]
        assert stored > 3 * PAGE
        assert len(screen.table.rows) == listing.total == stored
        assert f"{stored} jobs" in screen_text(app)
        newest_first = [j.created for j in listing]
        assert newest_first == sorted(newest_first, reverse=True)
        await pilot.press("end")
        await settle(pilot)
        assert screen.table.cursor == stored - 1
        assert screen.table.current.key == listing[stored - 1].job_id  # type: ignore[union-attr]
        assert len(listing._pages) <= KEPT_PAGES  # never every row in memory


async def test_slash_narrows_the_loaded_rows_as_you_type() -> None:
    app, _sim = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(VirtualTable)
        loaded = len(table.rows)
        await pilot.press("slash", *"doorbell")
        await pilot.pause()
        assert 0 < len(table.rows) < loaded
        assert all("Doorbell" in row.cells[2] for row in table.rows)
        assert "match “doorbell”" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert len(table.rows) == loaded


async def test_the_sort_key_steps_through_every_order_both_ways() -> None:
    app, sim = make_app(jobs=120)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JobsScreen) and screen.listing is not None
        seen = []
        for sort in SORTS[1:] + SORTS[:1]:
            await pilot.press("s")
            await settle(pilot)
            assert screen.sort == sort and sort.describe() in screen_text(app)
            jobs = list(screen.listing)
            seen.append(sort)
            if sort.key is SortKey.CREATED:
                keys: list[Any] = [j.created for j in jobs]
            elif sort.key is SortKey.STATUS:
                keys = [j.status for j in jobs]
            elif sort.key is SortKey.APPOINTMENT:
                starts = [appointment_start(sim, j.job_id) for j in jobs]
                booked = [s for s in starts if s is not None]
                assert starts == booked + [None] * (len(starts) - len(booked))  # unbooked last
                keys = booked
            else:
                names = [j.cells[6] for j in jobs]
                named = [n.lower() for n in names if n != "-"]
                assert names[len(named) :] == ["-"] * (len(names) - len(named))
                keys = named
            assert keys == sorted(keys, reverse=sort.descending), sort
        assert seen == [*SORTS[1:], SORTS[0]]


def appointment_start(sim: Any, job_id: str) -> Any:
    active = sim.world.jobs[job_id].active()
    return active.appointment_time.start_time if active is not None else None


async def test_filter_dialog_applies_statuses_and_ids() -> None:
    app, _sim = make_app(jobs=120)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        from textual.widgets import Input, SelectionList

        dialog.query_one("#statuses", SelectionList).select("PENDING_SCHEDULE")
        dialog.query_one("#asins", Input).value = "TOO-SHORT"
        await pilot.pause()
        assert "at least 10" in screen_text(app)  # checked as you type, nothing sent
        dialog.query_one("#asins", Input).value = ""
        await pilot.pause()
        await pilot.press("ctrl+s")  # the dialog's apply key; the button runs the same action
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JobsScreen)
        assert screen.listing is not None and len(screen.listing) > 0
        assert {j.status for j in screen.listing} == {"PENDING_SCHEDULE"}
        assert "status To schedule" in screen_text(app)  # as the list words it


async def test_enter_opens_the_job_and_escape_comes_back() -> None:
    app, _sim = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(VirtualTable)
        await pilot.press("j", "j")
        key = table.rows[2].key
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, JobScreen) and app.screen.job_id == key
        assert f"Job {key}" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, JobsScreen)
        assert app.screen.query_one(VirtualTable).current.key == key  # type: ignore[union-attr]


async def test_a_pasted_job_id_opens_that_job() -> None:
    app, sim = make_app(jobs=200)
    far = list(sim.world.jobs)[-1]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        from textual import events

        app.screen.post_message(events.Paste(far))
        await settle(pilot)
        assert isinstance(app.screen, JobScreen) and app.screen.job_id == far
        assert app.screen.job is not None


async def test_open_by_id_dialog_refuses_bad_ids_and_opens_good_ones() -> None:
    app, sim = make_app()
    job_id = next(iter(sim.world.jobs))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.press(*"two words", "enter")
        await pilot.pause()
        assert "no spaces" in screen_text(app)
        from textual.widgets import Input

        app.screen.query_one(Input).value = job_id
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, JobScreen) and app.screen.job_id == job_id


async def test_y_copies_the_selected_id() -> None:
    app, _sim = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        key = app.screen.query_one(VirtualTable).current.key  # type: ignore[union-attr]
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == key


async def test_quitting_while_the_first_fill_is_running_is_clean() -> None:
    app, sim = make_app()
    sim.faults.update({"latency_ms": 300})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.05)  # the first page is still on its way
        assert app.screen.syncing  # type: ignore[attr-defined]
    # leaving run_test raises if a worker failed on the way out (it used to: NoMatches '#jobs')


async def test_the_heap_is_frozen_once_after_the_first_page(monkeypatch: Any) -> None:
    import gc

    from sptui.tui import heap

    frozen: list[int] = []
    monkeypatch.setattr(heap, "_settled", False)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(len(frozen)))
    app, _ = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(VirtualTable).rows  # the first page is up
        assert frozen == [0]
        await pilot.press("r")  # a reload loads pages again: no second freeze
        await settle(pilot)
    assert frozen == [0]
