"""A keypress repaints only what it changed (issue 16): over SSH every repainted line is bytes.

The regions widgets ask Textual to refresh are recorded (wrapping ``Widget.refresh``). And since
a line left out by mistake would show stale text, the screen after partial repaints is checked
against a full repaint.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from sptui.tui.screens.jobs import JobsScreen
from sptui.tui.widgets.capacity_grid import HEADER, CapacityGrid
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


async def test_marking_repaints_the_marked_row_and_the_cursor_rows() -> None:
    app, _ = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        _, table = await jobs_screen(pilot)
        await pilot.press("space", "up", "space", "space")
        await settle(pilot)
        assert [row.mark for row in table.rows[:3]] == ["  ", "✓ ", "  "]
        await assert_screen_is_current(pilot, table)
