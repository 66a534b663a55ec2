"""Syncing the job store against the simulator: fill, catch up by change, refresh, survive."""

from __future__ import annotations

import asyncio
import random
import re
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path

import httpx
import pytest

from sptui.desk.demo import demo_session
from sptui.desk.feed import JobFilters
from sptui.desk.store import JobStore, open_store, sync
from sptui.desk.store.rows import row_of
from sptui.desk.store.slices import SECOND, Slice
from sptui.simulator import Simulator
from sptui.simulator.world import JobRecord
from sptui.spapi import AuthError, LwaCredentials, ServerError, TransportError
from sptui.spapi.models import AppointmentStatus, ServiceJobStatus

from .fakes import MARKETPLACE
from .loopback import served
from .sim_helpers import Clock, SchemaCheckingTransport, client_for, simulator


def world(jobs: int = 80, seed: int = 3) -> tuple[Simulator, Clock]:
    clock = Clock()
    return simulator(jobs=jobs, seed=seed, clock=clock, marketplaces=(MARKETPLACE,)), clock


def world_ids(sim: Simulator) -> set[str]:
    return {i for i, r in sim.world.jobs.items() if r.job.marketplace_id == MARKETPLACE}


def open_records(sim: Simulator, status: str) -> list[JobRecord]:
    return [r for r in sim.world.jobs.values() if r.status == status]


def cancel_behind_the_stores_back(sim: Simulator, records: list[JobRecord]) -> list[str]:
    """As if another tool cancelled these jobs."""
    for record in records:
        record.job.service_job_status = ServiceJobStatus.CANCELLED
        for appointment in record.job.appointments or []:
            if appointment.appointment_status == AppointmentStatus.ACTIVE:
                appointment.appointment_status = AppointmentStatus.CANCELLED
        sim.world.touch(record)
    return [r.job_id for r in records]


def add_job(sim: Simulator, clock: Clock, like: JobRecord, job_id: str) -> JobRecord:
    job = like.job.model_copy(deep=True)
    job.service_job_id = job_id
    job.create_time = clock()
    record = JobRecord(job, updated=clock())
    sim.world.jobs[job_id] = record
    sim.world.touch(record)
    return record


def assert_matches_the_world(store: JobStore, sim: Simulator) -> None:
    assert store.ids() == world_ids(sim)
    for job_id in world_ids(sim):
        row = store.summary(job_id)
        assert row is not None
        assert row.status == sim.world.jobs[job_id].status.value, job_id


# ---- filling and catching up ---------------------------------------------------------------
async def test_a_sync_brings_what_another_client_changed_while_the_store_was_closed(
    tmp_path: Path,
) -> None:
    sim, clock = world()
    path = tmp_path / "store.sqlite3"
    with open_store(path) as store:
        async with client_for(sim) as api:
            first = await sync(store, api, clock=clock)
        assert first.full and first.first and first.new == [] and first.changed == []
        assert_matches_the_world(store, sim)
        assert store.state().synced == first.started

    # The console is closed; another client (and another tool) change jobs meanwhile.
    clock.advance(hours=2)
    pending = open_records(sim, "PENDING_SCHEDULE")
    async with client_for(sim) as other:
        await other.cancel_service_job_by_service_job_id(pending[0].job_id, "V1")
    scheduled = next(
        r
        for r in open_records(sim, "NOT_SERVICED")
        if (a := r.active()) is not None and not a.assigned_technicians
    )
    tech = next(
        t
        for t in sim.world.technicians.values()
        if scheduled.job.store_id in t.store_ids
        and set(scheduled.job.scope_of_work.required_skills or []) <= t.skills  # type: ignore[union-attr]
        and t.registered
        and t.background_checked
    )
    async with client_for(sim) as other:
        await other.assign_appointment_resources(
            scheduled.job_id,
            str(scheduled.active().appointment_id),  # type: ignore[union-attr]
            {"resources": [{"resourceId": tech.resource_id}]},
        )
    quiet = pending[1]
    quiet.job.tracking_ids = ["TBA999999999999"]  # a dispatcher would not notice this
    sim.world.touch(quiet)
    added = add_job(sim, clock, pending[2], "90000000000001")
    clock.advance(minutes=1)

    with open_store(path) as store:
        async with client_for(sim) as api:
            result = await sync(store, api, clock=clock)
        assert not result.full and not result.first
        assert result.new == [added.job_id]
        assert sorted(result.changed) == sorted([pending[0].job_id, scheduled.job_id])
        assert result.removed == []
        assert result.calls == 1  # one page of changes, not a walk of the window
        assert_matches_the_world(store, sim)
        crew = store.summary(scheduled.job_id).cells[6]  # type: ignore[union-attr]
        assert crew == tech.name
        assert store.count(JobFilters(tracking_ids=("TBA999999999999",))) == 1
        assert store.technicians()[tech.resource_id] == tech.name

        # Asked again at once: the overlap lists the same jobs again, and none is "changed".
        clock.advance(seconds=30)
        async with client_for(sim) as api:
            again = await sync(store, api, clock=clock)
        assert (again.new, again.changed) == ([], [])
        assert again.fetched >= 3


async def test_a_sync_interrupted_halfway_loses_nothing_and_the_next_one_completes_it(
    tmp_path: Path,
) -> None:
    sim, clock = world(jobs=150)
    store = open_store(tmp_path / "store.sqlite3")
    async with client_for(sim) as api:
        await sync(store, api, clock=clock)
    synced = store.state().synced
    clock.advance(hours=1)
    changed = cancel_behind_the_stores_back(sim, open_records(sim, "PENDING_SCHEDULE")[:30])
    assert len(changed) == 30  # two pages of changes

    class FailsAfterOnePage(httpx.AsyncBaseTransport):
        def __init__(self, inner: httpx.AsyncBaseTransport, cancel: bool) -> None:
            self.inner, self.cancel, self.listings = inner, cancel, 0
            self.hanging = asyncio.Event()

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/serviceJobs"):
                self.listings += 1
                if self.listings > 1:
                    if self.cancel:
                        self.hanging.set()
                        await asyncio.Event().wait()  # hangs until cancelled
                    raise httpx.ConnectError("the network went away", request=request)
            return await self.inner.handle_async_request(request)

    for cancel in (False, True):
        broken = FailsAfterOnePage(SchemaCheckingTransport(sim.transport()), cancel)
        async with client_for(sim, checker=broken) as api:  # type: ignore[arg-type]
            task = asyncio.create_task(sync(store, api, clock=clock))
            if cancel:
                await broken.hanging.wait()
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
            else:
                with pytest.raises(TransportError):
                    await task
        assert store.state().synced == synced, "an unfinished sync records nothing as synced"
        kept = store.count(JobFilters(statuses=("CANCELLED",)), text="")
        assert kept >= 20  # the first page of changes is in, and stays in

    async with client_for(sim) as api:
        done = await sync(store, api, clock=clock)
    assert sorted(done.changed) == sorted(changed), "reported, though stored by the failed syncs"
    assert done.calls == 2
    assert_matches_the_world(store, sim)
    store.close()


async def test_an_error_from_amazon_leaves_the_store_intact_and_unsynced(tmp_path: Path) -> None:
    sim, clock = world()
    store = open_store(tmp_path / "store.sqlite3")
    async with client_for(sim) as api:
        await sync(store, api, clock=clock)
    before = (store.state(), store.query(limit=None))
    clock.advance(hours=1)
    cancel_behind_the_stores_back(sim, open_records(sim, "HOLD")[:2])

    bad = LwaCredentials(sim.config.client_id, sim.config.client_secret, "revoked-token")
    async with client_for(sim, credentials=bad) as api:
        with pytest.raises(AuthError):
            await sync(store, api, clock=clock)
    sim.faults.error_500_rate = 1.0
    async with client_for(sim) as api:
        with pytest.raises(ServerError):
            await sync(store, api, clock=clock, full=True)
    sim.faults.error_500_rate = 0.0
    assert (store.state(), store.query(limit=None)) == before
    assert store.count(text="scheduled") > 0  # still answers, offline
    store.close()


# ---- the sliced walk -----------------------------------------------------------------------
def test_slices_meet_without_overlapping_and_start_on_whole_seconds() -> None:
    rng = random.Random(5)
    for _ in range(300):
        start = rng.randrange(0, 10**6) * SECOND
        piece = Slice(start, start + rng.randrange(0, 10**7))
        listed_to = rng.choice([None, rng.randrange(piece.start, piece.end + 1)])
        parts = rng.randrange(2, 40)
        children = piece.cut(parts, listed_to, hot=rng.random() < 0.3)
        assert children[0].start == piece.start and children[-1].end == piece.end
        for before, after in pairwise(children):
            assert after.start == before.end + 1
        assert all(c.start % SECOND == 0 and c.start <= c.end for c in children)


async def test_many_jobs_in_one_second_are_each_listed_once_by_the_sliced_walk() -> None:
    sim, clock = world(jobs=200)
    records = list(sim.world.jobs.values())
    hot = (clock() - timedelta(days=20)).replace(microsecond=0)
    for n, record in enumerate(records[:160]):
        # 160 jobs in one second: on it, and at every millisecond of it
        record.job.create_time = hot + timedelta(milliseconds=0 if n < 100 else n * 6)
    for n, record in enumerate(records[160:175]):  # the seconds around it, to the millisecond
        record.job.create_time = hot + timedelta(milliseconds=(-1, 999, 1000)[n % 3])
    sim.world.touch()
    store = JobStore.memory()
    async with client_for(sim) as api:
        result = await sync(store, api, clock=clock, chain_pages=2)
    walk = result.walk
    assert walk is not None and walk.splits >= 2 and walk.chains >= 4
    assert store.ids() == world_ids(sim)
    assert set(walk.listed) == world_ids(sim)
    assert set(walk.listed.values()) == {1}, "a job listed by two slices"


async def test_the_first_fill_reports_its_progress_and_stores_rows_as_they_arrive() -> None:
    sim, clock = world(jobs=120)
    store = JobStore.memory()
    seen: list[tuple[int, int | None, int]] = []

    def progress(p: object) -> None:
        seen.append((p.fetched, p.expected, len(store)))  # type: ignore[attr-defined]

    async with client_for(sim) as api:
        await sync(store, api, clock=clock, progress=progress, chain_pages=2)
    assert seen[0][1] == len(world_ids(sim))
    assert [s[0] for s in seen] == sorted(s[0] for s in seen)
    assert seen[-1][0] == len(world_ids(sim))
    assert any(0 < stored < len(world_ids(sim)) for *_, stored in seen)


# ---- refresh, removal, purge, another account ----------------------------------------------
async def test_only_a_full_refresh_removes_a_job_and_only_when_amazon_says_404() -> None:
    sim, clock = world()
    store = JobStore.memory()
    async with client_for(sim) as api:
        await sync(store, api, clock=clock)
        gone = next(iter(world_ids(sim)))
        del sim.world.jobs[gone]
        sim.world.touch()
        clock.advance(hours=1)
        changes = await sync(store, api, clock=clock)
        assert gone in store.ids() and changes.removed == [], "never guessed"
        refresh = await sync(store, api, clock=clock, full=True)
    assert refresh.full and refresh.removed == [gone]
    assert store.ids() == world_ids(sim)
    assert store.state().full == refresh.started


async def test_jobs_closed_longer_ago_than_kept_are_neither_added_nor_kept() -> None:
    sim, clock = world(jobs=150)
    now = clock()
    store = JobStore.memory()
    async with client_for(sim) as api:
        await sync(store, api, clock=clock, keep_closed_days=10)
    old = {
        r.job_id
        for r in sim.world.jobs.values()
        if r.status.value in ("CANCELLED", "COMPLETED")
        and row_of(r.job, now).evidence < (now - timedelta(days=10)).timestamp() * 1000  # type: ignore[operator]
    }
    assert old and store.ids() == world_ids(sim) - old
    async with client_for(sim) as api:
        clock.advance(days=30)
        result = await sync(store, api, clock=clock, keep_closed_days=10)
    closed = {
        r.job_id for r in sim.world.jobs.values() if r.status.value in ("CANCELLED", "COMPLETED")
    }
    assert result.purged == len(closed - old)
    assert store.count(JobFilters(statuses=("CANCELLED", "COMPLETED"))) == 0


async def test_credentials_that_now_reach_another_account_start_the_store_afresh() -> None:
    sim, clock = world()
    store = JobStore.memory()
    async with client_for(sim) as api:
        await sync(store, api, clock=clock)
        for record in sim.world.jobs.values():
            record.job.service_job_provider.service_job_provider_id = "A3ANOTHERPROVIDER"  # type: ignore[union-attr]
        sim.world.touch(next(iter(sim.world.jobs.values())))
        clock.advance(hours=1)
        result = await sync(store, api, clock=clock)
    assert result.full and "another account" in result.notes[0]
    assert store.providers() == {"A3ANOTHERPROVIDER"}
    assert store.ids() == world_ids(sim)


# ---- no buyer PII on disk ------------------------------------------------------------------
def on_disk(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name))


async def test_no_buyer_field_of_the_demo_world_is_anywhere_in_the_store_files(
    tmp_path: Path,
) -> None:
    desk, sim = demo_session()
    path = tmp_path / "demo.sqlite3"
    with open_store(path) as store:
        await sync(store, desk.client)
        sim.world.clock = lambda: datetime.now().astimezone() + timedelta(minutes=1)
        cancel_behind_the_stores_back(sim, open_records(sim, "HOLD")[:3])
        await sync(store, desk.client)
        assert len(store) > 100
        files = {p.name for p in await asyncio.to_thread(lambda: list(tmp_path.iterdir()))}
        assert {"demo.sqlite3", "demo.sqlite3-wal", "demo.sqlite3-shm"} <= files
        blob = on_disk(path)  # with the connection open: the -wal holds the latest pages
    assert blob.count(b"\x00") < len(blob)
    # Technicians' names are made of the same demo first and last names as buyers' names:
    # those are taken out before looking, so that a buyer "Alex Example" is not found inside
    # the technician "Alex Example (tech 3)".
    hay = blob
    for name in sorted({t.name for t in sim.world.technicians.values()}, key=len, reverse=True):
        hay = hay.replace(name.encode(), b"")
    checked = 0
    for record in sim.world.jobs.values():
        job = record.job
        address = job.service_location.address if job.service_location else None
        values = [
            job.buyer and job.buyer.name,
            job.buyer and job.buyer.phone,
            job.buyer and job.buyer.buyer_id,
            address and address.name,
            address and address.address_line1,
            address and address.address_line2,
            address and address.address_line3,
            address and address.postal_code,
            address and address.phone,
        ]
        for value in filter(None, values):
            checked += 1
            if value.encode() not in hay:
                continue
            # Short digit runs (a postal code) may sit inside a longer id: only alone is PII.
            alone = rb"(?<![A-Za-z0-9])" + re.escape(value.encode()) + rb"(?![A-Za-z0-9])"
            assert not re.search(alone, hay), f"a buyer field of job {record.job_id} is on disk"
    assert checked > 1000


async def test_buyer_fields_never_reach_the_file_whatever_their_value(tmp_path: Path) -> None:
    sim, clock = world(jobs=60)
    for n, record in enumerate(sim.world.jobs.values()):
        job = record.job
        job.buyer.name = f"CANARY{n} buyer name"  # type: ignore[union-attr]
        job.buyer.phone = f"CANARY{n} phone"  # type: ignore[union-attr]
        address = job.service_location.address  # type: ignore[union-attr]
        for field in ("name", "address_line1", "address_line2", "address_line3", "postal_code"):
            setattr(address, field, f"CANARY{n} {field}")
        address.phone = f"CANARY{n} address phone"  # type: ignore[union-attr]
        job.associated_items[0].title = f"CANARY{n} item"  # type: ignore[index]
    sim.world.touch()
    path = tmp_path / "store.sqlite3"
    with open_store(path) as store:
        async with client_for(sim) as api:
            await sync(store, api, clock=clock)
        assert len(store) == 60
        assert b"CANARY" not in on_disk(path)


# ---- two processes -------------------------------------------------------------------------
WORKER = """
import asyncio, sys
from pathlib import Path
from sptui.desk.store import open_store, sync
from sptui.spapi import Endpoint, LwaCredentials, ServicesClient

async def main() -> None:
    base, path = sys.argv[1], Path(sys.argv[2])
    client = ServicesClient(
        LwaCredentials("sptui-demo", "sptui-demo-secret", "sptui-demo-refresh"),
        marketplace_id="ATVPDKIKX0DER",
        endpoint=Endpoint(base, base + "/auth/o2/token"),
    )
    with open_store(path) as store:
        async with client:
            for full in (False, True, False):
                await sync(store, client, full=full, chain_pages=2)

asyncio.run(main())
"""


def test_two_processes_syncing_one_store_neither_corrupt_it_nor_lose_updates(
    tmp_path: Path,
) -> None:
    sim, _ = world(jobs=250)
    sim.world.clock = lambda: datetime.now().astimezone()
    path = tmp_path / "shared.sqlite3"
    with served(sim) as base:
        for round_ in range(3):
            if round_:
                records = open_records(sim, "PENDING_SCHEDULE")[:15]
                records += open_records(sim, "NOT_SERVICED")[:15]
                cancel_behind_the_stores_back(sim, records)
            workers = [
                subprocess.Popen([sys.executable, "-c", WORKER, base, str(path)]) for _ in range(2)
            ]
            assert [w.wait(timeout=120) for w in workers] == [0, 0]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counted = conn.execute("SELECT count(*), count(DISTINCT job_id) FROM jobs").fetchone()
    with open_store(path) as store:
        assert counted == (len(world_ids(sim)),) * 2
        assert_matches_the_world(store, sim)
