"""Complete 100 marked jobs through the console, at the real plan (5/s, burst 20).

The jobs are marked in the jobs list, completed through the confirmation and the run screen, as a
dispatcher would; the simulator enforces Amazon's usage plan and answers in 50 ms. Prints the wall
time against the plan's bound ((100 - 20) / 5 = 16 s; target <= 1.15x) and, to show the console
stays responsive meanwhile, how late the event loop ran a 20 ms heartbeat during the run.

Run: python bench/bulk_ui.py
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from textual.worker import WorkerCancelled

from sptui.desk.desk import Desk, Mode
from sptui.desk.feed import JobFilters
from sptui.desk.journal import Journal
from sptui.simulator import FaultPlan, SimConfig, Simulator
from sptui.spapi.models import ServiceJobStatus
from sptui.tui.app import SptuiApp
from sptui.tui.screens.job_run import JobRun
from sptui.tui.screens.jobs import JobsScreen

COUNT, RATE, BURST = 100, 5, 20


async def settle(app: SptuiApp) -> None:
    with contextlib.suppress(WorkerCancelled):  # an exclusive page load replaced by a newer one
        await app.workers.wait_for_complete()
    await asyncio.sleep(0.01)


async def main() -> None:
    now = datetime.now(UTC)
    sim = Simulator(
        SimConfig(
            jobs=1200, seed=7, marketplaces=("ATVPDKIKX0DER",), faults=FaultPlan(latency_ms=50)
        ),
        clock=lambda: now,
    )
    ready = [
        r
        for r in sim.world.jobs.values()
        if r.status == ServiceJobStatus.NOT_SERVICED and r.active()
    ]
    for record in ready:  # fulfillment data set beforehand, as it would be after the visits
        record.fulfilled.add(str(record.active().appointment_id))  # type: ignore[union-attr]
    journal = Journal(Path(tempfile.mkdtemp()) / "journal.jsonl")
    session = Desk(
        client=sim.client(), mode=Mode.DEMO, label="bench", clock=lambda: now, journal=journal
    )
    app = SptuiApp(session)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, JobsScreen)
        await settle(app)  # the first fill of the store (the demo's is temporary)
        screen.filters = JobFilters(statuses=("NOT_SERVICED",))
        screen._requery(at=0)
        await settle(app)
        assert len(screen.table.rows) >= COUNT, len(screen.table.rows)
        await pilot.pause()
        for _ in range(COUNT):
            await pilot.press("space")
        assert len(screen.marked) == COUNT, len(screen.marked)
        await pilot.press("d")
        await pilot.pause()
        lags: list[float] = []
        started = time.perf_counter()
        await pilot.press("ctrl+s")
        run = app.screen
        assert isinstance(run, JobRun)
        while not run.finished:
            beat = time.perf_counter()
            await asyncio.sleep(0.02)
            lags.append((time.perf_counter() - beat - 0.02) * 1000)
        wall = time.perf_counter() - started
        done = sum(r.took_effect for r in run.results.values())
    bound = (COUNT - BURST) / RATE
    print(
        f"bulk complete through the console: {COUNT} marked jobs, plan {RATE}/s burst {BURST}, 50 ms latency"
    )
    print(f"  completed        {done} of {COUNT}")
    print(f"  wall time        {wall:6.2f} s")
    print(f"  plan bound       {bound:6.2f} s")
    print(f"  ratio            {wall / bound:6.3f}   (target <= 1.15)")
    print(
        f"  event-loop lag   median {statistics.median(lags):5.1f} ms   worst {max(lags):5.1f} ms   ({len(lags)} heartbeats of 20 ms)"
    )


if __name__ == "__main__":
    asyncio.run(main())
