"""Nothing cut, nothing glitched (issue 13 §17-§19): every screen and dialog, looked at by its words.

At 80x24 every label, hint, footer key, top-bar status, button and dialog line shows all of its
words (``fit.cut_texts``), and a table cell too long for its column ends in "…" (``fit.cut_cells``)
with the whole row a key away. At 60x15 much gives way on purpose (columns, footer keys), but
nothing shows half: no id or status label is broken over two lines, no footer key peeks out from
under the palette key. Tables never show a horizontal scrollbar they cannot use, and share the
width of a wide screen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets._footer import FooterKey

from sptui.tui.widgets.capacity_grid import CapacityGrid
from sptui.tui.widgets.virtual_table import VirtualTable

from . import test_tui_snapshots as shots
from .fit import cut_cells, cut_texts, split_words
from .tui_helpers import make_app, screen_text, settle

Steps = Callable[[Pilot[Any]], Awaitable[None]]


async def profiles_in_the_demo(pilot: Pilot[Any]) -> None:
    """The switcher with no profiles yet: its hint names where config.toml would be."""
    from sptui.config import Config
    from sptui.config.store import Loaded

    pilot.app.config = Loaded(Config(), {}, Path("/home/dispatcher/.config/sptui/config.toml"))  # type: ignore[attr-defined]
    await shots.picker(pilot)


async def a_failure_said(pilot: Pilot[Any]) -> None:
    """An error toast, with the request id Amazon's support asks for."""
    await settle(pilot)
    pilot.app.screen.open_job("no-such-job")  # type: ignore[attr-defined]
    await settle(pilot)


async def schedule_repeating(pilot: Pilot[Any]) -> None:
    """A weekly record: 'every MON TUE WED THU FRI until …' in the availability column."""
    from datetime import UTC, datetime, timedelta

    from sptui.spapi.models import AvailabilityRecord, DayOfWeek, Recurrence

    await shots.capacity(pilot)
    await pilot.press("e")
    await settle(pilot)
    start = datetime(2026, 12, 2, 8, tzinfo=UTC)
    week = [DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY]
    week += [DayOfWeek.THURSDAY, DayOfWeek.FRIDAY]
    screen = pilot.app.screen
    screen.records = [  # type: ignore[attr-defined]
        AvailabilityRecord(
            start_time=start,
            end_time=start + timedelta(hours=9),
            capacity=2,
            recurrence=Recurrence(end_time=start + timedelta(days=60), days_of_week=week),
        )
    ]
    screen.show()  # type: ignore[attr-defined]
    await settle(pilot)


def demo() -> Any:
    return make_app()[0]


CASES: dict[str, tuple[Callable[[], Any], Steps]] = {
    **{f"screen_{name}": (demo, steps) for name, steps in shots.CASES.items()},
    **{
        f"marker_{m}": (lambda m=m: shots.profile_app(*shots.MARKERS[m]), shots.jobs)
        for m in shots.MARKERS
    },
    "picker": (lambda: shots.profile_app(None), shots.picker),
    "picker_in_the_demo": (demo, profiles_in_the_demo),
    "profile_form": (lambda: shots.profile_app(None), shots.profile_form),
    "confirm_cancel": (demo, shots.confirm_cancel),
    "confirm_cancel_bad_reason": (demo, shots.confirm_cancel_bad_reason),
    "confirm_complete_without_proof": (demo, shots.confirm_complete_without_proof),
    "run_report": (demo, shots.run_report),
    "journal": (demo, shots.journal_after_a_cancel),
    "book": (demo, shots.book_with_a_problem),
    "move": (demo, shots.move_dialog),
    "move_with_a_problem": (demo, shots.move_with_a_problem),
    "assign": (demo, shots.assign_dialog),
    "fulfillment_with_problems": (demo, shots.fulfillment_with_problems),
    "fulfillment_sent": (demo, shots.fulfillment_sent),
    **{name: (demo, steps) for name, steps in shots.SUPPLY.items()},
    "schedule_repeating": (demo, schedule_repeating),
    "a_failure_said": (demo, a_failure_said),
}


TOASTS = {"a_failure_said"}
"""Cases run with notifications on (test runs leave them off): a toast hides what is under it."""


async def shown(case: str, size: tuple[int, int], look: Callable[[Any], list[str]]) -> list[str]:
    make, steps = CASES[case]
    app = make()
    async with app.run_test(size=size, notifications=case in TOASTS) as pilot:
        await steps(pilot)
        return look(app)


@pytest.mark.parametrize("case", list(CASES))
async def test_nothing_is_cut_at_80x24(case: str) -> None:
    problems = await shown(case, (80, 24), lambda app: cut_texts(app) + cut_cells(app))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", list(CASES))
async def test_ids_and_statuses_stay_whole_and_no_key_peeks_out_at_60x15(case: str) -> None:
    def look(app: Any) -> list[str]:
        problems = split_words(app) + cut_cells(app)
        problems += [p for p in cut_texts(app) if p.startswith("FooterKey")]
        footer = screen_text(app).splitlines()[-1]
        if app.screen.query(FooterKey) and footer.rstrip() != footer.rstrip()[:59]:
            problems.append(f"the footer runs into the last column: {footer!r}")
        return problems

    problems = await shown(case, (60, 15), look)
    assert not problems, "\n".join(problems)


async def test_a_footer_fits_again_when_the_terminal_is_resized() -> None:
    app = demo()
    async with app.run_test(size=(100, 24)) as pilot:
        await shots.job(pilot)

        async def keys_at(width: int) -> list[str]:
            await pilot.resize_terminal(width, 24)
            await settle(pilot)
            assert not [p for p in cut_texts(app) if p.startswith(("FooterKey", "SteadyStatic#st"))]
            return [k.key_display for k in app.screen.query(FooterKey)]

        wide = await keys_at(100)
        narrow = await keys_at(60)
        assert "?" in narrow and len(narrow) < len(wide)
        assert await keys_at(100) == wide


@pytest.mark.parametrize("size", [(60, 15), (80, 24), (160, 48)], ids=["60x15", "80x24", "160x48"])
@pytest.mark.parametrize("case", ["screen_jobs", "journal", "technicians", "schedule_sent"])
async def test_a_table_that_fits_has_no_horizontal_scrollbar(
    case: str, size: tuple[int, int]
) -> None:
    def look(app: Any) -> list[str]:
        return [
            f"#{t.id} has a horizontal scrollbar"
            for t in app.screen.query(VirtualTable)
            if t.show_horizontal_scrollbar or t.max_scroll_x
        ]

    assert not await shown(case, size, look)


async def columns(case: str, size: tuple[int, int]) -> dict[str, int]:
    def look(app: Any) -> list[str]:
        table = app.screen.query(VirtualTable).first()
        return [f"{column.key}={width}" for column, _, width in table._layout]

    return dict((k, int(v)) for k, v in (p.split("=") for p in await shown(case, size, look)))


async def test_the_job_id_stays_at_60_columns_and_the_technician_grows_on_a_wide_screen() -> None:
    narrow = await columns("screen_jobs", (60, 15))
    assert {"status", "scheduled", "service", "job"} <= narrow.keys()
    wide = await columns("screen_jobs", (160, 48))
    assert wide["technician"] >= 30, wide
    assert wide["service"] <= 40, wide  # no wider than the longest services need


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
async def test_the_capacity_grid_fills_the_height_it_has(size: tuple[int, int]) -> None:
    """No blank lines under the grid while hours are hidden above it (00:00-06:00 were)."""

    def look(app: Any) -> list[str]:
        grid = app.screen.query_one(CapacityGrid)
        lines = range(2, grid.size.height)
        blank = sum(not grid.render_line(y).text.strip() for y in lines)
        return [str(grid.table.rows), str(len(lines)), str(grid.top), str(blank)]

    rows, lines, top, blank = map(int, await shown("capacity", size, look))
    if rows >= lines:
        assert blank == 0, (rows, lines, top, blank)
    else:
        assert top == 0 and blank == lines - rows, (rows, lines, top, blank)
