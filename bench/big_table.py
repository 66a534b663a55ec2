"""10,000 jobs loaded into the jobs screen; keypress latency and peak memory.

`sptui simulator --jobs 10000` runs in its own process (as Amazon is elsewhere in real use). The
console pages through all 10,000 jobs, paced by the client at Amazon's plan for getServiceJobs
(10/s after a burst of 40, so loading takes (pages - 40) / 10 s at best, as it would live).
Then 100 cursor moves and a `/` narrowing typed key by key are timed from the key event to the
next frame Textual produces, including encoding that frame for a terminal. (Pilot.press adds some 60 ms of its own settling per key, so it is not used to time.)
Targets: median keypress < 30 ms, worst < 100 ms, console peak RSS < 300 MB.

Run: python bench/big_table.py
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import time

from _frames import FrameClock

from sptui.desk.desk import Desk, Mode
from sptui.simulator.server import free_port, spawn
from sptui.spapi import Endpoint, LwaCredentials, RetryPolicy, ServicesClient
from sptui.tui.app import SptuiApp
from sptui.tui.screens.jobs import JobsScreen

JOBS = 10_000


async def measure(base: str) -> None:
    creds = LwaCredentials("sptui-demo", "sptui-demo-secret", "sptui-demo-refresh")
    client = ServicesClient(
        creds,
        marketplace_id="ATVPDKIKX0DER",
        endpoint=Endpoint(base, base + "/auth/o2/token"),
        retry=RetryPolicy(base=0.05, cap=0.5),
    )
    app = SptuiApp(Desk(client=client, mode=Mode.DEMO, label="bench"))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, JobsScreen)
        clock = FrameClock(app)
        started = time.perf_counter()
        while not screen.feed.exhausted or screen.loading_pages:
            screen.table.action_edge(1)
            await app.workers.wait_for_complete()
            await asyncio.sleep(0)
        load = time.perf_counter() - started
        loaded = len(screen.feed.jobs)
        screen.table.action_edge(0)
        await pilot.pause()
        moves = [
            await clock.latency(app, "down" if n % 4 else "pagedown", None) for n in range(100)
        ]
        await pilot.press("slash")
        await pilot.pause()
        typing = [
            await clock.latency(app, ch if ch != " " else "space", ch) for ch in "doorbell riv"
        ]
        kept = len(screen.table.rows)
        typing += [await clock.latency(app, "backspace", None) for _ in range(4)]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pages = loaded // 20
    bound = (pages - 40) / 10  # getServiceJobs: 10/s after a burst of 40
    kept_text = f"'doorbell riv' kept {kept:,}"
    lines = [
        f"big table: {loaded:,} jobs in the jobs screen (160x48, simulator in its own process)",
        f"  load all pages    {load:7.2f} s   ({pages} pages; Amazon's plan allows no less than {bound:.1f} s)",
        f"  cursor move       median {statistics.median(moves):5.1f} ms   worst {max(moves):5.1f} ms",
        f"  '/' keystroke     median {statistics.median(typing):5.1f} ms   worst {max(typing):5.1f} ms   ({kept_text})",
        f"  console peak RSS  {rss:7.0f} MB",
        "  targets: median < 30 ms, worst < 100 ms, RSS < 300 MB",
    ]
    print("\n".join(lines))


def main() -> None:
    port = free_port()
    simulator = spawn(
        port, "--jobs", str(JOBS), "--marketplace", "ATVPDKIKX0DER", "--no-usage-plans"
    )
    try:
        asyncio.run(measure(f"http://127.0.0.1:{port}"))
    finally:
        simulator.terminate()
        simulator.wait(timeout=10)


if __name__ == "__main__":
    main()
