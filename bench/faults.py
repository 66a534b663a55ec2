"""Walk 2,000 jobs and book 100 appointments against a faulty `sptui simulator` over a socket.

The simulator runs in its own process on 127.0.0.1 with Amazon's real usage plans, once with no
faults and once with 20 % 500s, 10 % dropped connections, 5 % writes applied then answered 500
and 2 % malformed bodies. The client does what a careful caller does: reads are retried by the
client; a write that fails ambiguously is never resent before the job was read back, and resent
only when the read-back (and one recheck a moment later) does not show it applied.

Prints, for each run: jobs returned and whether each came exactly once, appointments per booked
job (exactly one), untyped exceptions (must be 0), calls that gave up, and wall time; then the
ratio of the two wall times.

Run: python bench/faults.py            (SPTUI_BENCH_SMALL=1 for a quick smoke run)
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field

from sptui.simulator.server import free_port, spawn
from sptui.spapi import (
    Endpoint,
    LwaCredentials,
    Outcome,
    RetryPolicy,
    ServicesClient,
    SpApiError,
    UnprocessableError,
    WriteOutcomeError,
)
from sptui.spapi.models import AppointmentStatus

SMALL = bool(os.environ.get("SPTUI_BENCH_SMALL"))
JOBS, BOOKINGS, TASKS = (200, 10, 5) if SMALL else (2000, 100, 10)
MARKET = "ATVPDKIKX0DER"
FAULTS = {
    "--error-500-rate": "0.2",
    "--drop-rate": "0.1",
    "--applied-then-failed-rate": "0.05",
    "--malformed-rate": "0.02",
}
# Patient but quick: a call fails 32 % of the time here, so 8 tries leave ~1 in 10,000 to fail.
RETRY = RetryPolicy(base=0.05, cap=0.5, attempts=8)


@dataclass
class Tally:
    jobs: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    untyped: list[str] = field(default_factory=list)
    gave_up: list[str] = field(default_factory=list)
    booked: list[str] = field(default_factory=list)


async def walk(api: ServicesClient, tally: Tally) -> None:
    async for listing in api.iter_service_job_pages(
        created_after="2020-01-01T00:00:00Z", page_size=20
    ):
        tally.jobs.update(str(j.service_job_id) for j in listing.jobs or [])


async def book(api: ServicesClient, job_id: str, tally: Tally) -> None:
    tried: set[object] = set()
    for _ in range(RETRY.attempts):
        slots = (await api.get_appointment_slots_by_job_id(job_id)).payload
        free = [s for s in (slots and slots.appointment_slots) or [] if s.capacity]
        start = next(s.start_time for s in free if s.start_time not in tried)
        tried.add(start)
        body = {"appointmentTime": {"startTime": start, "durationInMinutes": 60}}
        try:
            await api.add_appointment_for_service_job_by_service_job_id(job_id, body)
            tally.outcomes["succeeded"] += 1
            return
        except WriteOutcomeError as error:
            tally.outcomes[error.outcome.value] += 1
            if error.outcome is Outcome.APPLIED:
                return
            if error.recheck is not None:
                await asyncio.sleep(0.2)
                if (await error.recheck()).outcome is Outcome.APPLIED:
                    tally.outcomes["applied on recheck"] += 1
                    return
        except UnprocessableError:
            # Another task took the slot, or an earlier try booked the job after all.
            job = (await api.get_service_job_by_service_job_id(job_id)).payload
            if _active(job):
                tally.outcomes["found booked"] += 1
                return
            tally.outcomes["slot taken, next slot"] += 1
    raise RuntimeError(f"{job_id}: not booked after {RETRY.attempts} tries")


async def guarded(tally: Tally, what: str, work: Awaitable[None]) -> None:
    try:
        await work
    except SpApiError as error:
        tally.gave_up.append(f"{what}: {type(error).__name__} {error.message}")
    except Exception as error:  # the point of the benchmark: count anything untyped
        tally.untyped.append(f"{what}: {type(error).__name__}: {error}")


async def run(faults: bool) -> tuple[Tally, float, dict[str, int]]:
    port = free_port()
    options = ["--jobs", str(JOBS), "--marketplace", MARKET, "--latency-ms", "20"]
    if faults:
        options += [part for pair in FAULTS.items() for part in pair]
    process = spawn(port, *options)
    base = f"http://127.0.0.1:{port}"
    tally = Tally()
    try:
        creds = LwaCredentials("sptui-demo", "sptui-demo-secret", "sptui-demo-refresh")
        async with ServicesClient(
            creds,
            marketplace_id=MARKET,
            endpoint=Endpoint(base, base + "/auth/o2/token"),
            retry=RETRY,
        ) as api:
            started = time.perf_counter()
            await guarded(tally, "walk", walk(api, tally))
            queue: asyncio.Queue[str] = asyncio.Queue()
            for job_id in await pending(api):
                queue.put_nowait(job_id)

            async def worker() -> None:
                while not queue.empty():
                    job_id = queue.get_nowait()
                    tally.booked.append(job_id)
                    await guarded(tally, job_id, book(api, job_id, tally))

            await asyncio.gather(*(worker() for _ in range(TASKS)))
            wall = time.perf_counter() - started
            per_job = await appointments(api, tally.booked, tally)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return tally, wall, per_job


async def pending(api: ServicesClient) -> list[str]:
    """The first BOOKINGS jobs that wait for an appointment (read with the same client)."""
    found: list[str] = []
    async for listing in api.iter_service_job_pages(
        created_after="2020-01-01T00:00:00Z", service_job_status=["PENDING_SCHEDULE"]
    ):
        found += [str(j.service_job_id) for j in listing.jobs or [] if not _active(j)]
        if len(found) >= BOOKINGS:
            break
    return found[:BOOKINGS]


def _active(job: object) -> bool:
    return any(
        a.appointment_status == AppointmentStatus.ACTIVE
        for a in getattr(job, "appointments", None) or []
    )


async def appointments(api: ServicesClient, job_ids: list[str], tally: Tally) -> dict[str, int]:
    """Active appointments per booked job, read back after the run (with faults still on)."""
    counts: dict[str, int] = {}
    for job_id in job_ids:
        try:
            job = (await api.get_service_job_by_service_job_id(job_id)).payload
        except SpApiError as error:
            tally.gave_up.append(f"read back {job_id}: {error.message}")
            continue
        counts[job_id] = sum(
            1
            for a in (job and job.appointments) or []
            if a.appointment_status == AppointmentStatus.ACTIVE
        )
    return counts


def show(name: str, tally: Tally, wall: float, per_job: dict[str, int]) -> None:
    repeated = sum(1 for n in tally.jobs.values() if n > 1)
    spread = Counter(per_job.values())
    print(name)
    print(f"  {'jobs returned':<28} {len(tally.jobs)} of {JOBS} (seen twice: {repeated})")
    print(f"  {'booked jobs':<28} {len(per_job)} of {len(tally.booked)}")
    print(f"  {'active appointments per job':<28} {dict(sorted(spread.items()))}")
    print(f"  {'write outcomes':<28} {dict(tally.outcomes)}")
    print(f"  {'untyped exceptions':<28} {len(tally.untyped)}")
    for line in tally.untyped[:5]:
        print(f"    {line}")
    print(f"  {'calls that gave up':<28} {len(tally.gave_up)}")
    for line in tally.gave_up[:5]:
        print(f"    {line}")
    print(f"  {'wall time':<28} {wall:.2f} s")


async def main() -> None:
    clean, clean_wall, clean_per_job = await run(faults=False)
    show("no faults", clean, clean_wall, clean_per_job)
    faulty, faulty_wall, faulty_per_job = await run(faults=True)
    show(
        "faults: " + ", ".join(f"{k[2:]} {v}" for k, v in FAULTS.items()),
        faulty,
        faulty_wall,
        faulty_per_job,
    )
    print(f"wall time with faults / without: {faulty_wall / clean_wall:.2f}")
    exact = all(n == 1 for n in faulty.jobs.values()) and len(faulty.jobs) == JOBS
    one_each = all(n == 1 for n in faulty_per_job.values())
    print(f"every job exactly once: {exact}; exactly one appointment per booked job: {one_each}")


if __name__ == "__main__":
    asyncio.run(main())
