"""The jobs screen on a job store of 100,000 jobs: keypress latency and peak memory.

The store is built first, in a process of its own (10,000 demo jobs through the store's row
builder, each copied ten times under new ids, as bench/store_search.py builds it), so that the
console's peak RSS is the console's. Then the console opens on it as a profile does, with a
simulator (`sptui simulator`, its own process) standing in for Amazon: the catch-up at start
finds the store current.

Timed from the key event to the first frame Textual produces that shows its effect (encoded as
for a terminal): 100 cursor moves (down, page down), and `/` narrowing typed key by key, where
the frame counted is the one showing the rows for the text typed so far (the count of matches
follows on a thread and is timed apart). Pilot.press adds some 60 ms of its own settling per
key, so it is not used to time.

Targets: '/' keystroke to frame median < 30 ms, worst < 100 ms; console peak RSS < 300 MB.

Run: python bench/big_table.py   (SPTUI_BENCH_SMALL=1: 10,000 jobs)
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _frames import FrameClock

SMALL = bool(os.environ.get("SPTUI_BENCH_SMALL"))
TYPED = ["doorbell riv", "mount", "springfield", "41876"]
"""What a dispatcher types (each a letter at a time, then erased): a service and a city, a
service, a city, part of an id."""


def build(path: Path) -> None:
    """Runs in a child process: the store, synced as of now, and checkpointed."""
    from datetime import UTC, datetime

    sys.path.insert(0, str(Path(__file__).parent))
    import store_search

    from sptui.desk.store import open_store
    from sptui.desk.store.rows import row_of
    from sptui.simulator.seed import build_world

    now = datetime.now(UTC)
    world = build_world(1, store_search.BASE_JOBS, marketplaces=("ATVPDKIKX0DER",))
    rows = store_search.copies([row_of(r.job, now) for r in world.jobs.values()])
    with open_store(path) as store:
        for start in range(0, len(rows), 5000):
            store.upsert_rows(rows[start : start + 5000], fetched_at=now)
        store.mark_synced(now, full=True, window_days=90)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def measure(base: str) -> None:
    from sptui.config import Credentials, Profile, Settings
    from sptui.desk.connect import session_for
    from sptui.spapi import RetryPolicy
    from sptui.tui.app import SptuiApp
    from sptui.tui.screens.jobs import JobsScreen

    profile = Profile(marketplace_id="ATVPDKIKX0DER", endpoint=base)
    creds = Credentials("sptui-demo", "sptui-demo-secret", "sptui-demo-refresh")
    desk = session_for("bench", profile, Settings(), creds)
    desk.client.session.retry = RetryPolicy(base=0.05, cap=0.5)
    app = SptuiApp(desk)
    began = time.perf_counter()
    async with app.run_test(size=(160, 48)) as pilot:
        screen = app.screen
        assert isinstance(screen, JobsScreen)
        while not screen.table.rows:  # noqa: ASYNC110 (polling what the app shows, as a user would)
            await asyncio.sleep(0.001)
        first = time.perf_counter() - began
        while not screen._loaded_said:  # noqa: ASYNC110 (the catch-up at start has run)
            await asyncio.sleep(0.01)
        await pilot.pause()
        listing = screen.listing
        assert listing is not None
        stored = len(listing)
        clock = FrameClock(app)
        moves = [
            await clock.latency(app, "down" if n % 4 else "pagedown", None) for n in range(100)
        ]
        await pilot.press("slash")
        await pilot.pause()
        typing: list[float] = []
        counts: list[float] = []
        kept = {}

        async def key(name: str, character: str | None, text: str) -> None:
            began = time.perf_counter()

            def shown() -> bool:
                return listing.query.text == text.strip()

            typing.append(await clock.until(app, name, character, shown))
            while listing.total is None:  # noqa: ASYNC110 (the count, on its thread)
                await asyncio.sleep(0.0005)
            counts.append((time.perf_counter() - began) * 1000)

        for word in TYPED:
            for n, ch in enumerate(word):
                await key("space" if ch == " " else ch, ch, word[: n + 1])
            kept[word] = listing.total
            for n in range(len(word), 0, -1):
                await key("backspace", None, word[: n - 1])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = ", ".join(f"'{w}' {kept[w]:,}" for w in TYPED)
    lines = [
        f"big table: the jobs screen on a store of {stored:,} jobs (160x48, simulator in its own process)",
        f"  first page of rows  {first * 1000:7.0f} ms from the app's start (store opened, read, painted)",
        f"  cursor move         median {statistics.median(moves):5.1f} ms   worst {max(moves):5.1f} ms   ({len(moves)} keys)",
        f"  '/' keystroke       median {statistics.median(typing):5.1f} ms   worst {max(typing):5.1f} ms   ({len(typing)} keys, to the frame showing the rows)",
        f"  its count of matches median {statistics.median(counts):5.1f} ms   worst {max(counts):5.1f} ms   (on its own thread; {found})",
        f"  console peak RSS    {rss:7.0f} MB",
        "  targets: '/' median < 30 ms, worst < 100 ms, RSS < 300 MB",
    ]
    print("\n".join(lines))


def main() -> None:
    from sptui.simulator.server import free_port, spawn

    with tempfile.TemporaryDirectory(prefix="sptui-bench-big-") as folder:
        os.environ["XDG_STATE_HOME"] = folder
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        from sptui.desk.store import store_path
        from sptui.desk.store.account import account_key

        path = store_path("bench", account_key(base, "ATVPDKIKX0DER", "sptui-demo"))
        subprocess.run([sys.executable, __file__, "--build", str(path)], check=True)
        simulator = spawn(
            port, "--jobs", "20", "--marketplace", "ATVPDKIKX0DER", "--no-usage-plans"
        )
        try:
            asyncio.run(measure(base))
        finally:
            simulator.terminate()
            simulator.wait(timeout=10)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--build":
        build(Path(sys.argv[2]))
    else:
        main()
