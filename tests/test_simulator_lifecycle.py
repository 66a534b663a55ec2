"""The whole life of a job through the real client, every answer checked against the schemas."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sptui.simulator import SimConfig, Simulator, build_world
from sptui.simulator.rules import qualified
from sptui.spapi import upload_document
from sptui.spapi.models import (
    AddAppointmentRequest,
    AppointmentResource,
    AppointmentTimeInput,
    AssignAppointmentResourcesRequest,
    FulfillmentTime,
    ServiceJobStatus,
    SetAppointmentFulfillmentDataRequest,
)

from .sim_helpers import Clock, SchemaCheckingTransport, client_for, simulator

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


async def test_list_book_assign_prove_complete(tmp_path: Path) -> None:
    clock = Clock()
    sim = simulator(clock=clock, jobs=80)
    checker = SchemaCheckingTransport(sim.transport())
    async with client_for(sim, checker) as api:
        jobs = [
            j
            async for j in api.iter_service_jobs(
                created_after=clock.now - timedelta(days=90),
                service_job_status=["PENDING_SCHEDULE"],
            )
        ]
        assert jobs and all(j.service_job_status == ServiceJobStatus.PENDING_SCHEDULE for j in jobs)
        job_id = str(jobs[0].service_job_id)

        slots = await api.get_appointment_slots_by_job_id(job_id)
        assert slots.payload and slots.payload.appointment_slots
        slot = slots.payload.appointment_slots[0]
        assert slot.start_time and slot.start_time > clock.now

        booked = await api.add_appointment_for_service_job_by_service_job_id(
            job_id,
            AddAppointmentRequest(
                appointment_time=AppointmentTimeInput(
                    start_time=slot.start_time, duration_in_minutes=60
                )
            ),
        )
        appointment_id = str(booked.appointment_id)

        tech = qualified(sim.world, sim.world.jobs[job_id])[0]
        assigned = await api.assign_appointment_resources(
            job_id,
            appointment_id,
            AssignAppointmentResourcesRequest(
                resources=[AppointmentResource(resource_id=tech.resource_id)]
            ),
        )
        assert assigned.errors is None

        clock.now = slot.start_time + timedelta(hours=3)  # the work is done
        proof = tmp_path / "signed.png"
        proof.write_bytes(PNG)
        document = await upload_document(api, proof)
        await api.set_appointment_fulfillment_data(
            job_id,
            appointment_id,
            SetAppointmentFulfillmentDataRequest(
                fulfillment_time=FulfillmentTime(
                    start_time=slot.start_time, end_time=slot.start_time + timedelta(hours=1)
                ),
                appointment_resources=[AppointmentResource(resource_id=tech.resource_id)],
                fulfillment_documents=[document],
            ),
        )
        await api.complete_service_job_by_service_job_id(job_id)

        final = (await api.get_service_job_by_service_job_id(job_id)).payload
    assert final is not None and final.service_job_status == ServiceJobStatus.COMPLETED
    appointment = final.appointments[-1] if final.appointments else None
    assert appointment and appointment.appointment_id == appointment_id
    assert appointment.appointment_status == "COMPLETED"
    assert (
        appointment.assigned_technicians
        and appointment.assigned_technicians[0].technician_id == tech.resource_id
    )
    assert appointment.poa and appointment.poa.poa_type == "POA_RECEIPT"
    assert checker.problems == [] and checker.checked >= 7


async def test_every_operation_answers_within_the_schemas() -> None:
    sim = simulator(jobs=40)
    checker = SchemaCheckingTransport(sim.transport())
    tech_id = next(iter(sim.world.technicians))
    now = sim.world.clock()
    window = {"startDateTime": now, "endDateTime": now + timedelta(days=10)}
    async with client_for(sim, checker) as api:
        listing = await api.get_service_jobs(created_after=now - timedelta(days=90), page_size=20)
        assert listing.payload and listing.payload.jobs
        job = listing.payload.jobs[0]
        await api.get_service_job_by_service_job_id(str(job.service_job_id))
        await api.get_appointment_slots(str(job.scope_of_work.asin), str(job.store_id))  # type: ignore[union-attr]
        ranges = [p async for p in api.iter_range_slot_capacity(tech_id, window)]
        fixed = [
            p async for p in api.iter_fixed_slot_capacity(tech_id, {**window, "slotDuration": 30})
        ]
        assert len(ranges) == 2 and len(fixed) == 2  # 10 days in pages of 7
        assert sum(len(p.capacities or []) for p in fixed) == 10 * 48
        created = await api.create_reservation(
            {
                "resourceId": tech_id,
                "reservation": {
                    "type": "TRAINING",
                    "availability": {
                        "startTime": now + timedelta(days=2),
                        "endTime": now + timedelta(days=2, hours=2),
                    },
                },
            }
        )
        reservation = created.payload.reservation  # type: ignore[union-attr]
        await api.update_reservation(
            str(reservation.reservation_id),
            {  # type: ignore[union-attr]
                "resourceId": tech_id,
                "reservation": {
                    "type": "BREAK",
                    "availability": {
                        "startTime": now + timedelta(days=3),
                        "endTime": now + timedelta(days=3, hours=1),
                    },
                },
            },
        )
        await api.cancel_reservation(str(reservation.reservation_id))  # type: ignore[union-attr]
        await api.update_schedule(
            tech_id, {"schedules": [{"startTime": now, "endTime": now + timedelta(hours=8)}]}
        )
    assert checker.problems == []
    assert checker.checked >= 9


def test_the_world_is_the_same_for_the_same_seed() -> None:
    first = build_world(7, 50, clock=lambda: Clock().now.replace(hour=12, minute=0, second=0))
    again = build_world(7, 50, clock=lambda: Clock().now.replace(hour=12, minute=0, second=0))
    other = build_world(8, 50, clock=lambda: Clock().now.replace(hour=12, minute=0, second=0))
    dump = lambda w: [r.job.to_wire() for r in w.jobs.values()]  # noqa: E731
    assert dump(first) == dump(again)
    assert dump(first) != dump(other)
    assert len(first.jobs) == 50


def test_the_demo_world_has_everything_a_dispatcher_meets() -> None:
    world = Simulator(SimConfig(jobs=200)).world
    statuses = {r.status.value for r in world.jobs.values()}
    assert statuses == {s.value for s in ServiceJobStatus}
    appointment_states = {
        a.appointment_status for r in world.jobs.values() for a in r.job.appointments or []
    }
    assert appointment_states == {"ACTIVE", "CANCELLED", "COMPLETED"}
    assert any(
        a.rescheduled_appointment_id for r in world.jobs.values() for a in r.job.appointments or []
    )
    assert len({r.job.marketplace_id for r in world.jobs.values()}) >= 3
    assert len({r.job.store_id for r in world.jobs.values()}) >= 6
    phones = {r.job.buyer.phone for r in world.jobs.values() if r.job.buyer}
    assert all(p and p.startswith("+1 555-01") for p in phones)  # reserved fictional numbers
    assert world.reservations and all(world.schedules.values())


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 1, 12, 0, tzinfo=UTC),  # the console tests' FIXED clock, a Tuesday
        datetime(2026, 11, 29, 3, 30, tzinfo=UTC),  # a Sunday night
        datetime(2027, 3, 6, 17, 45, tzinfo=UTC),  # a Saturday evening
    ],
    ids=["tuesday-noon", "sunday-night", "saturday-evening"],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_demo_world_dates_hang_together(seed: int, now: datetime) -> None:
    """Created, delivered, then served: nothing happens before it could have, nothing completed
    lies ahead, nothing active lies behind, and nobody is booked on a weekend."""
    world = build_world(seed, 300, clock=lambda: now)
    for record in [*world.jobs.values(), *world.other_provider_jobs.values()]:
        job = record.job
        created = job.create_time
        assert created is not None and created < now
        item = (job.associated_items or [])[0]
        delivered = item.item_delivery.estimated_delivery_date  # type: ignore[union-attr]
        assert delivered is not None and created < delivered
        promise = item.item_delivery.item_delivery_promise  # type: ignore[union-attr]
        assert promise.start_time <= delivered <= promise.end_time  # type: ignore[union-attr,operator]
        assert (item.item_status == "DELIVERED") == (delivered < now)
        for preferred in job.preferred_appointment_times or []:
            assert preferred.start_time > delivered  # type: ignore[operator]
        by_id = {a.appointment_id: a for a in job.appointments or []}
        for a in job.appointments or []:
            start = a.appointment_time.start_time  # type: ignore[union-attr]
            end = start + timedelta(minutes=a.appointment_time.duration_in_minutes)  # type: ignore[union-attr,operator]
            assert start.date() > delivered.date(), (job.service_job_id, start, delivered)  # type: ignore[union-attr]
            assert start.weekday() < 5
            if a.appointment_status == "COMPLETED":
                assert end <= now
                assert a.poa is not None and end <= a.poa.upload_time <= now  # type: ignore[operator]
                assert record.status == ServiceJobStatus.COMPLETED
            if a.appointment_status == "ACTIVE":
                assert start > now
            if a.rescheduled_appointment_id:
                assert by_id[a.rescheduled_appointment_id].appointment_status == "CANCELLED"
        if record.status == ServiceJobStatus.COMPLETED:
            done = [a for a in job.appointments or [] if a.appointment_status == "COMPLETED"]
            assert [p.start_time for p in job.preferred_appointment_times or []] == [
                done[0].appointment_time.start_time  # type: ignore[union-attr]
            ]
        elif job.preferred_appointment_times:
            assert job.preferred_appointment_times[0].start_time > now  # type: ignore[operator]
        assert created <= record.updated <= now
    for _, reservation in world.reservations.values():
        window = reservation.availability
        assert window.start_time > now and window.start_time.weekday() < 5  # type: ignore[union-attr,operator]
        assert window.start_time.hour >= 8 and window.end_time.hour <= 18  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 1, 12, 0, tzinfo=UTC),  # the console tests' FIXED clock, a Tuesday
        datetime(2026, 11, 29, 3, 30, tzinfo=UTC),  # a Sunday night
        datetime(2027, 3, 6, 17, 45, tzinfo=UTC),  # a Saturday evening
    ],
    ids=["tuesday-noon", "sunday-night", "saturday-evening"],
)
@pytest.mark.parametrize("seed", [1, 2])
def test_the_demo_world_makes_a_believable_dispatch_board(seed: int, now: datetime) -> None:
    """Most appointments fit their technician and buyer; a few real conflicts of each kind,
    in the first working days, are there to find (asked of the world, not of sptui's board)."""
    from collections import Counter

    from .board_world import world_appointments, world_conflicts

    world = build_world(seed, 300, clock=lambda: now)
    start, end = now, now + timedelta(days=30)
    appointments = world_appointments(world, start, end)
    conflicts = world_conflicts(world, start, end)
    kinds = Counter(kind for kind, _ in conflicts)
    assert set(kinds) == {"overlap", "overbooked", "unscheduled", "skill", "preference"}
    assert all(1 <= n <= 8 for n in kinds.values()), kinds
    troubled = {job for _, job in conflicts}
    assert len(troubled) <= len(appointments) // 5  # mostly, everything fits
    assigned = [a for a in appointments if a[4]]
    assert len(assigned) >= len(appointments) // 2  # and most have a technician
    first_week = now + timedelta(days=7)
    early = {job for job, _, begins, _, _ in appointments if begins < first_week}
    assert {kind for kind, job in conflicts if job in early} == set(kinds)
