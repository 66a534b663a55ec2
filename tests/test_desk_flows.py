"""The core's flows without a terminal: preview, perform, and the guards between them."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from sptui.cli.confirm import WriteOptions
from sptui.cli.exit import Exit
from sptui.cli.io import IO
from sptui.cli.jobs import CloseOptions, run_close
from sptui.desk.demo import demo_session
from sptui.desk.desk import Desk
from sptui.desk.flows.assign import perform_assign, preview_assign
from sptui.desk.flows.booking import perform_booking, preview_booking
from sptui.desk.flows.close import perform_close, preview_close
from sptui.desk.flows.guard import read_job
from sptui.desk.journal import Journal
from sptui.desk.summary import summarize
from sptui.simulator import Simulator
from sptui.spapi import RetryPolicy
from sptui.spapi.models import AppointmentStatus, ServiceJobStatus

QUICK = RetryPolicy(base=0.001, cap=0.002, attempts=2)


def desk_on(tmp_path: Path) -> tuple[Desk, Simulator]:
    desk, sim = demo_session(jobs=60, seed=2, retry=QUICK)
    desk.journal = Journal(tmp_path / "journal.jsonl")
    return desk, sim


def first(sim: Simulator, status: ServiceJobStatus) -> str:
    return next(r.job_id for r in sim.world.jobs.values() if r.status == status)


def fake_io() -> IO:
    return IO(out=io.StringIO(), err=io.StringIO(), inp=io.StringIO(), can_prompt=False)


async def test_a_close_preview_sends_only_what_it_listed(tmp_path: Path) -> None:
    desk, sim = desk_on(tmp_path)
    open_id = first(sim, ServiceJobStatus.PENDING_SCHEDULE)
    closed_id = first(sim, ServiceJobStatus.COMPLETED)
    async with desk.client:
        jobs = [summarize(await read_job(desk, i), None) for i in (open_id, closed_id)]
        preview = preview_close("cancel", jobs, "V1")
        assert [j.job_id for j in preview.send] == [open_id]
        assert "cannot be cancelled" in preview.skip[0][1] and preview.notes
        results = await perform_close(desk, preview)
    assert [r.outcome for r in results.values()] == ["succeeded"]
    assert sim.world.jobs[open_id].status == ServiceJobStatus.CANCELLED
    assert sim.world.jobs[closed_id].status == ServiceJobStatus.COMPLETED


async def test_a_stopped_bulk_run_leaves_the_rest_unsent(tmp_path: Path) -> None:
    desk, sim = desk_on(tmp_path)
    ids = [r.job_id for r in sim.world.jobs.values() if r.status.value == "PENDING_SCHEDULE"][:6]
    stop = asyncio.Event()
    async with desk.client:
        jobs = [summarize(await read_job(desk, i), None) for i in ids]
        preview = preview_close("cancel", jobs, "V1")
        results = await perform_close(
            desk, preview, parallel=1, on_result=lambda job, result: stop.set(), stop=stop
        )
    assert len(results) == 1  # the first answered, then the stop held the rest back
    sent = [e for e in desk.journal.entries() if e["outcome"] == "sending"]
    assert len(sent) == 1


async def test_a_booking_confirmed_against_a_stale_job_is_not_sent(tmp_path: Path) -> None:
    desk, sim = desk_on(tmp_path)
    job_id = first(sim, ServiceJobStatus.PENDING_SCHEDULE)
    async with desk.client:
        job = await read_job(desk, job_id)
        slots = (await desk.client.get_appointment_slots_by_job_id(job_id)).payload
        assert slots and slots.appointment_slots
        start = next(s.start_time for s in slots.appointment_slots if s.capacity)
        assert start is not None
        preview = preview_booking(job, start, 60, desk.clock())
        # Another dispatcher cancels the job between the preview and the confirmation.
        await desk.client.cancel_service_job_by_service_job_id(job_id, "V1")
        served = sim.app.requests_served
        outcome = await perform_booking(desk, preview)
    assert outcome.results == [] and outcome.changed is not None
    assert outcome.changed.job.service_job_status == ServiceJobStatus.CANCELLED
    assert sim.app.requests_served == served + 1  # the fresh read, and no booking
    assert not any(e["operation"].startswith("add") for e in desk.journal.entries())


async def test_an_assignment_against_a_moved_appointment_is_not_sent(tmp_path: Path) -> None:
    desk, sim = desk_on(tmp_path)
    record = next(
        r
        for r in sim.world.jobs.values()
        if r.active() is not None and r.status == ServiceJobStatus.NOT_SERVICED
    )
    async with desk.client:
        job = await read_job(desk, record.job_id)
        preview = preview_assign(job, ["SOMEONE1"])
        active = record.active()
        assert active is not None
        active.appointment_status = AppointmentStatus.CANCELLED  # changed on the server
        outcome = await perform_assign(desk, preview)
    assert outcome.result is None and outcome.changed is not None


class TimesOutOnWrites(httpx.AsyncBaseTransport):
    """Lets reads through; a write is never answered (and, here, never applied)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            raise httpx.ReadTimeout("no answer", request=request)
        return await self.inner.handle_async_request(request)


class LandsLate(httpx.AsyncBaseTransport):
    """A write's answer never comes, and the write lands just after the first read-back."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.held: list[httpx.Request] = []
        self.reads = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "PUT":
            self.held.append(request)
            raise httpx.ReadTimeout("no answer", request=request)
        self.reads += request.method == "GET"
        if self.reads == 3 and self.held:  # the preview's read, the read-back, then this one
            await self.inner.handle_async_request(self.held.pop())
        return await self.inner.handle_async_request(request)


async def test_a_late_write_is_found_by_looking_again_and_journalled_once_more(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sptui.desk.writes.FOLLOW_UP_DELAYS", (0.0, 0.0))
    desk, sim = desk_on(tmp_path)
    late = LandsLate(sim.transport())
    desk.client = sim.client(transport=late, retry=QUICK)
    job_id = first(sim, ServiceJobStatus.PENDING_SCHEDULE)
    fake = fake_io()
    async with desk.client:
        done = await run_close(
            CloseOptions("cancel", [job_id], "V1", WriteOptions(yes=True)), fake, desk
        )
    assert done == Exit.OK  # unknown at first, then seen applied
    assert sim.world.jobs[job_id].status == ServiceJobStatus.CANCELLED
    entries = list(desk.journal.entries())
    assert [e["outcome"] for e in entries] == ["sending", "unknown", "applied"]
    assert entries[-1]["reconciled"] is True
    assert "looking at the job again" in fake.err.getvalue()  # type: ignore[attr-defined]


async def test_an_outcome_still_unknown_after_the_read_back_exits_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sptui.desk.writes.FOLLOW_UP_DELAYS", (0.0,))
    desk, sim = desk_on(tmp_path)
    desk.client = sim.client(transport=TimesOutOnWrites(sim.transport()), retry=QUICK)
    job_id = first(sim, ServiceJobStatus.PENDING_SCHEDULE)
    fake = fake_io()
    async with desk.client:
        done = await run_close(
            CloseOptions("cancel", [job_id], "V1", WriteOptions(yes=True)), fake, desk
        )
    assert done == Exit.UNKNOWN
    assert "unknown" in fake.err.getvalue()  # type: ignore[attr-defined]
    outcomes = [e["outcome"] for e in desk.journal.entries()]
    assert outcomes == ["sending", "unknown"]


def test_the_demo_journal_is_apart_from_the_real_one() -> None:
    from sptui.desk.journal import default_path

    desk, _ = demo_session(jobs=5)
    assert desk.journal.path != default_path()
    assert desk.journal.path.parent.name.startswith("sptui-demo-")


def test_the_hour_a_clock_goes_back_keeps_both_slots_in_its_cell() -> None:
    from datetime import UTC, date, datetime, timedelta
    from zoneinfo import ZoneInfo

    from sptui.desk.capacity import CapacityTable
    from sptui.spapi.models import CapacityType, FixedSlotCapacity

    zone = ZoneInfo("America/New_York")
    table = CapacityTable(date(2026, 11, 1), 1, 60, zone)  # 01:00 local happens twice
    first = datetime(2026, 11, 1, 5, tzinfo=UTC)  # 01:00 EDT
    page = FixedSlotCapacity.from_wire(
        {
            "capacities": [
                {"startDateTime": first.isoformat(), "availableCapacity": 3, "reservedCapacity": 0},
                {
                    "startDateTime": (first + timedelta(hours=1)).isoformat(),  # 01:00 EST
                    "availableCapacity": 1,
                    "reservedCapacity": 2,
                },
            ]
        }
    )
    table.add_fixed(page)
    cell = table.cell_at(0, 1)
    assert cell is not None
    assert cell.values[CapacityType.AVAILABLE_CAPACITY] == 1
    assert cell.values[CapacityType.RESERVED_CAPACITY] == 2
    assert cell.end - cell.start == timedelta(hours=2)


async def test_technicians_are_ranked_for_a_job_from_jobs_seen_config_and_refusals(
    tmp_path: Path,
) -> None:
    """Those who serve the job's store and have its skills first; one Amazon refused at that
    store is put last, with why, and a later session still knows it from the journal."""
    from sptui.config.schema import Resource
    from sptui.desk.feed import JobFilters
    from sptui.desk.reads import list_jobs

    desk, sim = desk_on(tmp_path)
    # as a real profile might: names only, no skills or stores in the config
    desk.resources = {rid: Resource(name=r.name) for rid, r in desk.resources.items()}
    async with desk.client:
        async for _ in list_jobs(desk, JobFilters(), limit=None):
            pass  # every job read: who was assigned where, for which skills
        record = next(
            r
            for r in sim.world.jobs.values()
            if r.status == ServiceJobStatus.NOT_SERVICED
            and any(desk.sightings.get(t.resource_id) for t in sim.world.technicians.values())
            and any(
                r.job.store_id in s.stores
                and set(r.job.scope_of_work.required_skills or []) <= s.skills  # type: ignore[union-attr]
                for s in desk.sightings.values()
            )
            and any(
                r.job.store_id not in t.store_ids
                and set(r.job.scope_of_work.required_skills or []) <= t.skills  # type: ignore[union-attr]
                for t in sim.world.technicians.values()
            )
        )
        job = await read_job(desk, record.job_id)
        skills = set(record.job.scope_of_work.required_skills or [])  # type: ignore[union-attr]
        away = next(
            t.resource_id
            for t in sim.world.technicians.values()
            if record.job.store_id not in t.store_ids and skills <= t.skills
        )
        ranked = desk.candidates(job)
        assert ranked[0].suited and "serves this store" in ranked[0].why
        truth = sim.world.technicians[ranked[0].resource_id]
        assert record.job.store_id in truth.store_ids and skills <= truth.skills
        before = next(c for c in ranked if c.resource_id == away)
        assert before.rank == 1 and "not seen at this store" in before.why

        outcome = await perform_assign(desk, preview_assign(job, [away]))
        assert outcome.result is not None and outcome.result.outcome == "failed"
        after = next(c for c in desk.candidates(job) if c.resource_id == away)
        assert after.rank == 2
        assert after.why == ("refused at this store (RESOURCES_NOT_AVAILABLE_IN_LOCATION)",)
        assert desk.candidates(job)[-1].rank == 2
        line = list(desk.journal.entries())[-1]
        assert line["about"]["storeId"] == record.job.store_id
        assert line["errors"][0]["code"] == "RESOURCES_NOT_AVAILABLE_IN_LOCATION"

    later, _ = desk_on(tmp_path)  # another session, the same journal: nothing read yet
    later.resources = desk.resources
    again = next(c for c in later.candidates(job) if c.resource_id == away)
    assert again.rank == 2 and "RESOURCES_NOT_AVAILABLE_IN_LOCATION" in again.why[0]


async def test_book_then_assign_is_two_writes_and_a_refused_assignment_leaves_the_booking(
    tmp_path: Path,
) -> None:
    """The board's "book there and assign that technician": one preview, two writes, each
    reported; if the assignment is refused the booking stands, reported done."""
    from sptui.desk.flows.booking import describe_booking

    desk, sim = desk_on(tmp_path)
    pending = [r for r in sim.world.jobs.values() if r.status == ServiceJobStatus.PENDING_SCHEDULE]
    async with desk.client:
        outcomes = []
        for record, fits in zip(pending[:2], (True, False), strict=True):
            job = await read_job(desk, record.job_id)
            slots = (await desk.client.get_appointment_slots_by_job_id(record.job_id)).payload
            start = next(s.start_time for s in slots.appointment_slots or [] if s.capacity)  # type: ignore[union-attr]
            assert start is not None
            store = record.job.store_id
            tech = next(
                t.resource_id
                for t in sim.world.technicians.values()
                if (store in t.store_ids) == fits
                and set(record.job.scope_of_work.required_skills or []) <= t.skills  # type: ignore[union-attr]
                and t.registered
                and t.background_checked
            )
            preview = preview_booking(job, start, None, desk.clock(), assign_to=[tech])
            assert preview.reassign == (tech,) and not preview.moving
            lines = describe_booking(preview, None, {tech: "Ann"})
            assert lines[1] == f"Then assign Ann ({tech}) to the new appointment."
            outcome = await perform_booking(desk, preview)
            outcomes.append((record, tech, outcome))
    (good, tech, done), (bad, _, refused) = outcomes
    assert [r.outcome for r in done.results] == ["succeeded", "succeeded"]
    assert [t.technician_id for t in good.active().assigned_technicians or []] == [tech]  # type: ignore[union-attr]
    assert refused.booked is not None and refused.booked.outcome == "succeeded"
    assert refused.assigned is not None and refused.assigned.outcome == "failed"
    assert refused.assigned.errors[0].code == "RESOURCES_NOT_AVAILABLE_IN_LOCATION"
    assert bad.active() is not None and not bad.active().assigned_technicians  # type: ignore[union-attr]
    ops = [
        (e["operation"], e["outcome"]) for e in desk.journal.entries() if e["outcome"] != "sending"
    ]
    assert ops == [
        ("addAppointmentForServiceJobByServiceJobId", "succeeded"),
        ("assignAppointmentResources", "succeeded"),
        ("addAppointmentForServiceJobByServiceJobId", "succeeded"),
        ("assignAppointmentResources", "failed"),
    ]


async def test_a_move_can_hand_the_appointment_to_another_technician(tmp_path: Path) -> None:
    from sptui.desk.flows.booking import describe_booking

    desk, sim = desk_on(tmp_path)
    record = next(
        r
        for r in sim.world.jobs.values()
        if r.active() is not None and r.active().assigned_technicians  # type: ignore[union-attr]
    )
    async with desk.client:
        job = await read_job(desk, record.job_id)
        old = [t.technician_id for t in record.active().assigned_technicians or []]  # type: ignore[union-attr]
        later = desk.clock() + timedelta(days=30)
        preview = preview_booking(
            job, later, None, desk.clock(), move=True, reason="R1", assign_to=["OTHER1"]
        )
    assert preview.unassigned == tuple(old) and preview.reassign == ("OTHER1",)
    assert "OTHER1 will be assigned instead." in " ".join(describe_booking(preview, None))
