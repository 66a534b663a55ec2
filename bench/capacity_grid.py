"""A 90-day x 24-hour capacity calendar of fixed 30-minute slots: time to render, keypress latency.

The console runs on the demo world in-process, as `sptui --demo` does, with Amazon's usage plans
enforced. It opens one technician's capacity over 90 days in 30-minute fixed slots (4,320 cells,
fetched a page at a time) and reports:
- the time from opening the screen to the first frame showing the grid, with the fetch inside it;
- the time to draw the loaded grid again (the render alone, no fetch);
- 100 cursor moves (down, right, page down, a week on, and back) timed from the key event to the
  next frame, including encoding that frame for a terminal, as in big_table.py.
Target: median keypress < 30 ms.

Run: python bench/capacity_grid.py
"""

from __future__ import annotations

import asyncio
import statistics
import time
from itertools import cycle, islice

from _frames import FrameClock

from sptui.desk.demo import demo_session
from sptui.tui.app import SptuiApp
from sptui.tui.dialogs.capacity_range import CapacityRange
from sptui.tui.screens.capacity import CapacityScreen
from sptui.tui.widgets.capacity_grid import CapacityGrid

SIZE = (160, 48)
DAYS, MINUTES = 90, 30
KEYS = ["down"] * 4 + ["right"] * 3 + ["pagedown", "full_stop", "up", "left", "pageup", "comma"]


async def measure() -> None:
    session, _simulator = demo_session(jobs=60)
    app = SptuiApp(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        clock = FrameClock(app)
        resource_id = next(iter(session.resources))
        today = session.clock().astimezone(session.zone).date()
        screen = CapacityScreen(resource_id)
        screen.range = CapacityRange(today, days=DAYS, fixed=True, minutes=MINUTES)
        started = time.perf_counter()
        app.push_screen(screen)
        # polled, not awaited: the screen is measured as it is, with no hook added to it
        while screen.table is None:  # noqa: ASYNC110
            await asyncio.sleep(0)
        fetched = (time.perf_counter() - started) * 1000
        await clock.timed(lambda: None)
        opened = (time.perf_counter() - started) * 1000
        grid = screen.query_one(CapacityGrid)
        table = grid.table
        assert table is not None and table.days == DAYS and table.rows == 24 * 60 // MINUTES
        cells = sum(1 for d in range(table.days) for r in range(table.rows) if table.cell_at(d, r))
        redraw = [await clock.timed(lambda: grid.show(table, grid.kind)) for _ in range(10)]
        moves = [await clock.latency(app, key, None) for key in islice(cycle(KEYS), 100)]
    lines = [
        f"capacity grid: {DAYS} days x 24 h of fixed {MINUTES}-min slots "
        f"({cells:,} cells with data), {SIZE[0]}x{SIZE[1]}",
        f"  open to first frame  {opened:7.1f} ms  (of which {fetched:.0f} ms until every page "
        "was in, plans enforced)",
        f"  draw loaded grid     median {statistics.median(redraw):5.1f} ms   "
        f"worst {max(redraw):5.1f} ms",
        f"  cursor move          median {statistics.median(moves):5.1f} ms   "
        f"worst {max(moves):5.1f} ms   (100 keys)",
        "  target: median keypress < 30 ms",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    asyncio.run(measure())
