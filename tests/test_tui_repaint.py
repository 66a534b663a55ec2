"""A keypress repaints only what it changed (issue 16): over SSH every repainted line is bytes.

Two views of it: the regions widgets ask Textual to refresh (wrapping ``Widget.refresh``), and
the screen lines Textual hands the terminal (wrapping ``App._display``). And since a line left
out by mistake would show stale text, the screen after partial repaints is checked against a
full repaint.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from sptui.spapi.models import ServiceJobStatus
from sptui.tui.screens.jobs import JobsScreen
from sptui.tui.widgets.capacity_grid import HEADER, CapacityGrid
from sptui.tui.widgets.steady import SteadyStatic
from sptui.tui.widgets.virtual_table import VirtualTable

from .test_tui_supply import open_capacity
from .tui_helpers import make_app, settle

Refreshes = list[tuple[Widget, tuple[Region, ...]]]


@asynccontextmanager
async def refreshes(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Refreshes]:
    """Every repaint widgets ask for while the block runs, with the regions named (none: all)."""
    calls: Refreshes = []
    original = Widget.refresh

    def spy(self: Widget, *regions: Region, **options: Any) -> Widget:
        if options.get("repaint", True):  # a layout pass alone repaints nothing
            calls.append((self, regions))
        return original(self, *regions, **options)

    with monkeypatch.context() as patch:
        patch.setattr(Widget, "refresh", spy)
        yield calls


@asynccontextmanager
async def spans_sent(app: Any) -> AsyncIterator[set[tuple[int, int, int]]]:
    """What Textual writes to the terminal while the block runs: (line, first column, end)."""
    spans: set[tuple[int, int, int]] = set()
    display = app._display

    def spy(screen: Any, update: Any) -> None:
        if update is not None:
            partial = getattr(update, "spans", None)  # a full update has none: every line
            width, height = app.size
            spans.update(partial if partial is not None else ((y, 0, width) for y in range(height)))
        display(screen, update)

    app._display = spy
    try:
        yield spans
    finally:
        app._display = display


def lines(spans: set[tuple[int, int, int]], before: int = 10_000) -> set[int]:
    """The lines written to, counting only what starts left of column ``before``."""
    return {y for y, start, _ in spans if start < before}


def row_lines(regions: tuple[Region, ...]) -> set[int]:
    return {y for region in regions for y in range(region.y, region.bottom)}


def drawn(app: Any) -> list[list[tuple[str, Any]]]:
    """The screen as the terminal has it: text and style (a stale cursor is only a style)."""
    strips = app.screen._compositor.render_strips()
    return [[(segment.text, segment.style) for segment in strip] for strip in strips]


async def assert_screen_is_current(pilot: Pilot[Any], widget: Widget) -> None:
    """What partial repaints left on screen is what a full repaint draws."""
    shown = drawn(pilot.app)
    widget.refresh()
    await pilot.pause()
    assert drawn(pilot.app) == shown


async def jobs_screen(pilot: Pilot[Any]) -> tuple[JobsScreen, VirtualTable]:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, JobsScreen)
    return screen, screen.table


@pytest.mark.parametrize(("start", "key"), [(3, "down"), (3, "up"), (0, "pagedown")])
async def test_a_cursor_move_repaints_the_two_rows_it_changes_and_nothing_else(
    monkeypatch: pytest.MonkeyPatch, start: int, key: str
) -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        _, table = await jobs_screen(pilot)
        table.cursor = start
        await pilot.pause()
        was = table.cursor
        async with refreshes(monkeypatch) as calls:
            await pilot.press(key)
            await pilot.pause()
        now = table.cursor
        assert now != was and table.scroll_offset.y == 0  # a move within the page
        assert [widget for widget, _ in calls] == [table]  # no top bar, summary or footer
        regions = calls[0][1]
        assert regions, "the whole table was repainted"
        assert row_lines(regions) == {was + 1, now + 1}  # line 0 is the header
        assert all(region.height == 1 for region in regions)
        await assert_screen_is_current(pilot, table)


async def test_a_capacity_cursor_move_repaints_only_the_cells_it_leaves_and_enters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_capacity(pilot, app, sim)
        grid = app.screen.query_one(CapacityGrid)
        day, row = grid.cursor
        async with refreshes(monkeypatch) as calls:
            await pilot.press("down")
            await pilot.pause()
        assert grid.cursor == (day, row + 1)
        asked = [regions for widget, regions in calls if widget is grid]
        assert asked and all(asked), "the whole grid was repainted"
        regions = tuple(r for regions in asked for r in regions)
        top = HEADER - grid.top
        assert row_lines(regions) == {top + row, top + row + 1}  # the day headings stay put
        async with refreshes(monkeypatch) as calls:
            await pilot.press("right")
            await pilot.pause()
        regions = tuple(r for widget, rs in calls if widget is grid for r in rs)
        assert regions and row_lines(regions) == {0, 1, top + row + 1}  # two headings, one row
        await assert_screen_is_current(pilot, grid)


async def test_a_watch_round_repaints_only_the_rows_that_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, sim = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen, table = await jobs_screen(pilot)
        async with refreshes(monkeypatch) as calls, spans_sent(app) as sent:
            screen.poll()
            await settle(pilot)
        assert calls == [] and sent == set()  # nothing changed: nothing is written
        changed = table.rows[3].key
        record = sim.world.jobs[changed]
        record.job.service_job_status = ServiceJobStatus.HOLD
        sim.world.touch(record)
        async with refreshes(monkeypatch) as calls:
            screen.poll()
            await settle(pilot)
        assert screen.fresh == {changed: "✎ "}
        asked = [regions for widget, regions in calls if widget is table]
        assert asked and all(asked), "the whole table was repainted"
        assert row_lines(tuple(r for regions in asked for r in regions)) == {4}
        await assert_screen_is_current(pilot, table)


async def test_narrowing_repaints_rows_and_status_never_the_bars_or_the_header(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        _, table = await jobs_screen(pilot)
        async with spans_sent(app) as opening:
            await pilot.press("slash")
            await settle(pilot)
        assert {0, 1}.isdisjoint(lines(opening))  # the top bar and the filter summary stay put
        async with refreshes(monkeypatch) as calls, spans_sent(app) as typing:
            await pilot.press(*"installation")  # keeps enough rows to scroll: the bar stays
            await settle(pilot)
        asked = [regions for widget, regions in calls if widget is table]
        assert asked and all(asked), "the whole table was repainted"
        assert 0 not in row_lines(tuple(r for regions in asked for r in regions))  # the header
        scrollbar = table.scrollable_content_region.right
        assert {1, 2, 23}.isdisjoint(lines(typing, before=scrollbar))  # summary, header, footer
        await assert_screen_is_current(pilot, table)
        await pilot.press("escape")
        await settle(pilot)
        await assert_screen_is_current(pilot, table)
        async with spans_sent(app) as moving:
            await pilot.press("down")
            await settle(pilot)
        # The table was resized twice: nothing of that is left to send with the next move.
        assert lines(moving) == {3 + table.cursor - 1, 3 + table.cursor}


async def test_marking_repaints_the_marked_row_and_the_cursor_rows() -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        _, table = await jobs_screen(pilot)
        await pilot.press("space", "up", "space", "space")
        await settle(pilot)
        assert [row.mark for row in table.rows[:3]] == ["  ", "✓ ", "  "]
        await assert_screen_is_current(pilot, table)


async def test_a_static_given_the_text_it_shows_is_not_repainted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen, _ = await jobs_screen(pilot)
        summary = screen.query_one("#summary", SteadyStatic)
        async with refreshes(monkeypatch) as calls:
            summary.update(summary.content)
            screen._show_status()
        assert calls == []
        async with refreshes(monkeypatch) as calls:
            summary.update("something else")
        assert [widget for widget, _ in calls] == [summary]
