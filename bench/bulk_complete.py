"""Complete 100 ready jobs at the real plan (5/s, burst 20); prints wall time, bound, ratio, 429s.

"Ready" means the job has an active appointment whose fulfillment data is set. The completions
are sent from 20 concurrent tasks; the client's usage-plan pacing is what keeps them from 429s.

Run: python bench/bulk_complete.py
"""

from __future__ import annotations

import asyncio
import time

from _sim import real_plan_simulator, report

from sptui.spapi.models import ServiceJobStatus

COUNT, TASKS, RATE, BURST, LATENCY_MS = 100, 20, 5, 20, 50


async def main() -> None:
    sim = real_plan_simulator(2000, LATENCY_MS, seed=2)
    ready = [
        r
        for r in sim.world.jobs.values()
        if r.status == ServiceJobStatus.NOT_SERVICED
        and r.active()
        and r.job.marketplace_id == "ATVPDKIKX0DER"
    ][:COUNT]
    assert len(ready) == COUNT
    for record in ready:  # fulfillment data set beforehand, as a dispatcher would have
        record.fulfilled.add(str(record.active().appointment_id))  # type: ignore[union-attr]
    queue: asyncio.Queue[str] = asyncio.Queue()
    for record in ready:
        queue.put_nowait(record.job_id)
    async with sim.client() as api:
        await api.auth.access_token()
        sent_before = sim.app.requests_served

        async def worker() -> None:
            while not queue.empty():
                await api.complete_service_job_by_service_job_id(queue.get_nowait())

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(TASKS)))
        wall = time.perf_counter() - started
    done = sum(1 for r in ready if r.status == ServiceJobStatus.COMPLETED)
    throttled = sim.app.requests_served - sent_before - COUNT
    report(
        "bulk complete: 100 ready jobs",
        wall,
        (COUNT - BURST) / RATE,
        throttled,
        {"completed": done, "tasks": TASKS, "latency": f"{LATENCY_MS} ms"},
    )


if __name__ == "__main__":
    asyncio.run(main())
