"""The first fill of a job store: 2,000 jobs, one page chain against the sliced walk.

At Amazon's real plan for getServiceJobs (10/s, burst 40) with 100 ms and with 400 ms latency
per call. The demo world spans three marketplaces; a profile (and its store) is one of them, so
each run fills three stores at once through one client, as three profiles of one seller share a
usage plan. Each run gets a fresh simulator (full buckets) and prints its wall time against the
plan's bound computed from the jobs: (sum over marketplaces of ceil(jobs / 20) - burst) / rate.
A chain is also bound by pages x latency, printed beside it.

Targets: sliced within 1.15x the plan bound at 100 ms and 1.3x at 400 ms.

Run: python bench/listing.py   (SPTUI_BENCH_SMALL=1: 1,000 jobs at 20 and 80 ms, a smoke test)
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from datetime import UTC, datetime, timedelta

from _sim import real_plan_simulator

from sptui.desk.store import JobStore, sync
from sptui.simulator.seed import MARKETS

SMALL = bool(os.environ.get("SPTUI_BENCH_SMALL"))
JOBS = 1000 if SMALL else 2000
LATENCIES_MS = (20, 80) if SMALL else (100, 400)
RATE, BURST, PAGE, WINDOW_DAYS = 10, 40, 20, 90


async def chain(api, store: JobStore, market: str) -> int:  # type: ignore[no-untyped-def]
    """The store filled the old way: one getServiceJobs page chain over the window."""
    now = datetime.now(UTC)
    pages = 0
    async for listing in api.iter_service_job_pages(
        created_after=now - timedelta(days=WINDOW_DAYS),
        created_before=now,
        page_size=PAGE,
        marketplace_id=market,
    ):
        pages += 1
        await asyncio.to_thread(store.upsert, listing.jobs or [], fetched_at=now)
    return pages


async def sliced(api, store: JobStore, market: str) -> int:  # type: ignore[no-untyped-def]
    result = await sync(store, api, marketplace_id=market, window_days=WINDOW_DAYS)
    return result.calls


async def run(how: str, latency_ms: int) -> dict[str, float]:
    sim = real_plan_simulator(JOBS, latency_ms)
    per_market = {m: 0 for m in MARKETS}
    for record in sim.world.jobs.values():
        per_market[str(record.job.marketplace_id)] += 1
    bound = max(0.0, (sum(math.ceil(n / PAGE) for n in per_market.values()) - BURST) / RATE)
    stores = {m: JobStore.memory() for m in MARKETS}
    fill = chain if how == "one page chain" else sliced
    async with sim.client() as api:
        await api.auth.access_token()
        started = time.perf_counter()
        calls = await asyncio.gather(*(fill(api, stores[m], m) for m in MARKETS))
        wall = time.perf_counter() - started
    stored = {m: len(s) for m, s in stores.items()}
    assert stored == per_market, f"stored {stored}, the world has {per_market}"
    throttled = sim.app.requests_served - sum(calls)
    longest = max(math.ceil(n / PAGE) for n in per_market.values()) * latency_ms / 1000
    return {
        "wall": wall,
        "bound": bound,
        "calls": sum(calls),
        "throttled": throttled,
        "latency": longest,
    }


async def main() -> None:
    print(f"job store, first fill: {JOBS:,} jobs in {len(MARKETS)} marketplaces (one store each)")
    print(
        f"  {'latency':>7}  {'how':<15} {'calls':>5} {'429s':>4} {'wall s':>7} {'plan s':>6}"
        f" {'ratio':>6}  chain bound (pages x latency)"
    )
    for latency_ms in LATENCIES_MS:
        for how in ("one page chain", "sliced walk"):
            f = await run(how, latency_ms)
            print(
                f"  {latency_ms:>5}ms  {how:<15} {f['calls']:>5.0f} {f['throttled']:>4.0f}"
                f" {f['wall']:>7.3f} {f['bound']:>6.3f} {f['wall'] / max(f['bound'], 1e-9):>6.3f}"
                f"  {f['latency']:.1f} s"
            )
    print("  targets: sliced ratio <= 1.15 at 100 ms, <= 1.3 at 400 ms")


if __name__ == "__main__":
    asyncio.run(main())
