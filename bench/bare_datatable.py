"""Textual's own DataTable holding what sptui's jobs list shows: the yardstick for bytes per key.

The same eight columns and the same rows (every job the demo world lists, summarised as the jobs
screen summarises them), a row cursor like sptui's, and nothing else on screen.

Run: python bench/bare_datatable.py [demo jobs]
"""

from __future__ import annotations

import asyncio
import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from sptui.desk.demo import demo_session
from sptui.desk.feed import JobFeed
from sptui.tui.screens.jobs import COLUMNS


async def demo_rows(jobs: int) -> list[tuple[str, ...]]:
    session, _ = demo_session(jobs=jobs)
    feed = JobFeed(session.client, zone=session.zone)
    while not feed.exhausted:
        await feed.load_next(session.clock())
    await session.client.aclose()
    return [job.cells for job in feed.jobs]


class BareTable(App[None]):
    def __init__(self, rows: list[tuple[str, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(c.title for c in COLUMNS))
        table.add_rows(self.rows)
        table.focus()


def main() -> None:
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    BareTable(asyncio.run(demo_rows(jobs))).run()


if __name__ == "__main__":
    main()
