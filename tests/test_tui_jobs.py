"""The jobs list, driven as a user would, against the in-process simulator."""

from __future__ import annotations

from typing import Any

from sptui.tui.screens.job import JobScreen
from sptui.tui.screens.jobs import JobsScreen
from sptui.tui.widgets.virtual_table import VirtualTable

from .tui_helpers import make_app, screen_text, settle


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


async def test_pages_are_fetched_as_the_cursor_nears_the_end() -> None:
    app, _sim = make_app(jobs=200)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JobsScreen)
        first = len(screen.feed.jobs)
        total = screen.feed.total or 0
        assert 20 <= first < total  # not everything up front
        assert f"{first} of {total} loaded" in screen_text(app)
        await pilot.press("end")
        await settle(pilot)
        assert len(screen.feed.jobs) > first
        for _ in range(20):
            await pilot.press("end")
            await settle(pilot)
        assert len(screen.feed.jobs) == total
        assert len({j.job_id for j in screen.feed.jobs}) == total


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


async def test_the_sort_key_cycles_amazons_orders_and_asks_again() -> None:
    app, _sim = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JobsScreen)
        newest_first = [j.created for j in screen.feed.jobs]
        assert newest_first == sorted(newest_first, reverse=True)
        await pilot.press("s")
        await settle(pilot)
        oldest_first = [j.created for j in screen.feed.jobs]
        assert oldest_first == sorted(oldest_first)
        await pilot.press("s")
        await settle(pilot)
        statuses = [j.status for j in screen.feed.jobs]
        assert statuses == sorted(statuses)
        assert "by status asc" in screen_text(app)
        await pilot.press("s")
        await settle(pilot)
        statuses = [j.status for j in screen.feed.jobs]
        assert statuses == sorted(statuses, reverse=True)
        await pilot.press("s")
        await settle(pilot)
        assert (screen.feed.filters.sort_field, screen.feed.filters.sort_order) == (
            "JOB_DATE",
            "DESC",
        )


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
        assert screen.feed.jobs
        assert {j.status for j in screen.feed.jobs} == {"PENDING_SCHEDULE"}
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


async def test_r_reloads_from_the_server() -> None:
    app, sim = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        record = sim.world.jobs[app.screen.query_one(VirtualTable).rows[0].key]
        from sptui.spapi.models import ServiceJobStatus

        record.job.service_job_status = ServiceJobStatus.HOLD
        sim.world.touch(record)
        await pilot.press("r")
        await settle(pilot)
        assert app.screen.query_one(VirtualTable).rows[0].cells[0] == "= On hold"


async def test_quitting_while_a_page_is_loading_is_clean() -> None:
    app, sim = make_app()
    sim.faults.update({"latency_ms": 300})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.05)  # the first page is still on its way
        assert app.screen.loading_pages  # type: ignore[attr-defined]
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
