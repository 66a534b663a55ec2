"""Walk every job of a 2,000-job world at the real plan (10/s, burst 40) with 100 ms latency.

Prints the wall time, the plan's bound, their ratio and the 429 count. A walk is sequential by
nature (each page needs the previous page's token), so it is also bounded by pages x latency;
that bound is printed too, as the figure the walk can actually approach.

Run: python bench/listing.py
"""

from __future__ import annotations

import asyncio
import time

from _sim import real_plan_simulator, report

from sptui.simulator.seed import MARKETS

JOBS, LATENCY_MS, RATE, BURST, PAGE = 2000, 100, 10, 40, 20


async def main() -> None:
    sim = real_plan_simulator(JOBS, LATENCY_MS)
    pages = 0
    seen: set[str] = set()
    async with sim.client() as api:
        await api.auth.access_token()
        started = time.perf_counter()
        for market in MARKETS:  # the world spans three marketplaces; one listing each
            async for listing in api.iter_service_job_pages(
                created_after="2020-01-01T00:00:00Z", page_size=PAGE, marketplace_id=market
            ):
                pages += 1
                seen.update(str(j.service_job_id) for j in listing.jobs or [])
        wall = time.perf_counter() - started
    throttled = sim.app.requests_served - pages
    assert len(seen) == JOBS, f"walked {len(seen)} of {JOBS} jobs"
    plan = max(0.0, (pages - BURST) / RATE)
    latency_bound = pages * LATENCY_MS / 1000
    report(
        "listing: all jobs of a 2,000-job world",
        wall,
        plan,
        throttled,
        {
            "jobs": len(seen),
            "pages": pages,
            "latency bound": f"{latency_bound:.3f} s (pages x latency)",
            "ratio to latency bound": f"{wall / latency_bound:.3f}",
        },
    )


if __name__ == "__main__":
    asyncio.run(main())
