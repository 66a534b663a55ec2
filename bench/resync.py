"""Catching up a 10,000-job store after 50 jobs changed on the server.

The store is filled first (unpaced, not measured). Then 50 jobs change behind its back (25
cancelled, 25 moved to another appointment time), and a sync runs at Amazon's real plan with
100 ms latency per call: the calls it made, the wall time, and what it reported. Beside it, what
catching up by size would cost: walking the window again, at least (pages - burst) / rate.

Target: at most 4 getServiceJobs calls.

Run: python bench/resync.py   (SPTUI_BENCH_SMALL=1: 2,000 jobs)
"""

from __future__ import annotations

import asyncio
import math
import os
import time
from datetime import timedelta

from sptui.desk.store import JobStore, sync
from sptui.simulator import FaultPlan, SimConfig, Simulator
from sptui.spapi.models import AppointmentStatus, ServiceJobStatus

SMALL = bool(os.environ.get("SPTUI_BENCH_SMALL"))
JOBS, CHANGED, LATENCY_MS, RATE, BURST, PAGE = (2000 if SMALL else 10_000), 50, 100, 10, 40, 20
MARKET = "ATVPDKIKX0DER"


async def no_wait(_: float) -> None:
    return None


def change(sim: Simulator) -> set[str]:
    pending = [r for r in sim.world.jobs.values() if r.status == ServiceJobStatus.PENDING_SCHEDULE]
    booked = [r for r in sim.world.jobs.values() if r.active() is not None]
    changed = set()
    for record in pending[: CHANGED // 2]:
        record.job.service_job_status = ServiceJobStatus.CANCELLED
        sim.world.touch(record)
        changed.add(record.job_id)
    for record in booked[: CHANGED - CHANGED // 2]:
        active = record.active()
        assert active is not None and active.appointment_time is not None
        active.appointment_status = AppointmentStatus.CANCELLED
        moved = active.model_copy(deep=True)
        moved.appointment_id = f"{active.appointment_id}-moved"
        moved.appointment_status = AppointmentStatus.ACTIVE
        moved.appointment_time.start_time += timedelta(days=1)  # type: ignore[union-attr, operator]
        moved.assigned_technicians = None
        record.job.appointments = [*(record.job.appointments or []), moved]
        sim.world.touch(record)
        changed.add(record.job_id)
    return changed


async def main() -> None:
    sim = Simulator(SimConfig(seed=1, jobs=JOBS, marketplaces=(MARKET,), enforce_usage_plans=False))
    store = JobStore.memory()
    began = time.perf_counter()
    async with sim.client(sleep=no_wait) as api:
        filled = await sync(store, api)
    setup = time.perf_counter() - began
    changed = change(sim)

    sim.config.enforce_usage_plans = True
    sim.config.faults = sim.app.faults = FaultPlan(latency_ms=LATENCY_MS)
    async with sim.client() as api:
        await api.auth.access_token()
        served = sim.app.requests_served
        began = time.perf_counter()
        result = await sync(store, api)
        wall = time.perf_counter() - began
        throttled = sim.app.requests_served - served - result.calls
    pages = math.ceil(len(store) / PAGE)
    print(f"job store resync: {len(store):,} jobs stored, {len(changed)} changed on the server")
    print(f"  {'filled in (setup)':<28} {setup:.1f} s, {filled.calls} calls")
    print(f"  {'getServiceJobs calls':<28} {result.calls}   (target <= 4)")
    print(f"  {'wall time to be in sync':<28} {wall:.3f} s   ({LATENCY_MS} ms a call, real plan)")
    print(
        f"  {'reported changed':<28} {len(result.changed)} (all {CHANGED}: {set(result.changed) == changed})"
    )
    print(f"  {'jobs listed':<28} {result.fetched}")
    print(f"  {'429 responses':<28} {throttled}")
    print(
        f"  {'a walk of the window':<28} >= {max(0, pages - BURST) / RATE:.1f} s "
        f"({pages} pages at {RATE}/s after a burst of {BURST})"
    )


if __name__ == "__main__":
    asyncio.run(main())
