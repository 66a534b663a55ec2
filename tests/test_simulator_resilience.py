"""The client's retries and reconciliation, end to end against a faulty simulator."""

from __future__ import annotations

from collections import Counter

from sptui.spapi import Outcome, RetryPolicy, WriteOutcomeError
from sptui.spapi.models import AppointmentStatus

from .sim_helpers import client_for, simulator

PATIENT = RetryPolicy(base=0.001, cap=0.002, attempts=12)


async def test_listing_2000_jobs_through_500s_and_drops_returns_each_once() -> None:
    sim = simulator(jobs=2000, seed=3)
    sim.faults.update({"error_500_rate": 0.2, "drop_rate": 0.1, "seed": 11})
    async with client_for(sim, retry=PATIENT) as api:
        await api.auth.access_token()
        seen = Counter(
            [
                str(j.service_job_id)
                async for j in api.iter_service_jobs(created_after="2020-01-01T00:00:00Z")
            ]
        )
    expected = {
        r.job_id for r in sim.world.jobs.values() if r.job.marketplace_id == "ATVPDKIKX0DER"
    }
    assert set(seen) == expected and len(expected) > 1500
    assert max(seen.values()) == 1
    assert sim.app.requests_served > len(expected) / 20 + 10  # faults really forced retries


async def test_100_bookings_under_applied_then_failed_leave_one_active_appointment_each() -> None:
    sim = simulator(jobs=2000, seed=4)
    jobs = [
        r
        for r in sim.world.jobs.values()
        if r.status.value == "PENDING_SCHEDULE" and r.job.marketplace_id == "ATVPDKIKX0DER"
    ][:100]
    assert len(jobs) == 100
    outcomes: Counter[str] = Counter()
    async with client_for(sim, retry=PATIENT) as api:
        for record in jobs:
            slots = (await api.get_appointment_slots_by_job_id(record.job_id)).payload
            assert slots and slots.appointment_slots
            start = next(s.start_time for s in slots.appointment_slots if s.capacity)
            sim.faults.update({"applied_then_failed_rate": 0.5})
            # What a careful caller does: resend only what the read-back proved was not applied.
            for _ in range(10):
                try:
                    await api.add_appointment_for_service_job_by_service_job_id(
                        record.job_id,
                        {"appointmentTime": {"startTime": start, "durationInMinutes": 60}},
                    )
                    outcomes["ok"] += 1
                    break
                except WriteOutcomeError as error:
                    outcomes[error.outcome.value] += 1
                    if error.outcome is Outcome.APPLIED:
                        assert error.appointment_id
                        break
            sim.faults.update({"applied_then_failed_rate": 0.0})
    for record in jobs:
        active = [
            a
            for a in record.job.appointments or []
            if a.appointment_status == AppointmentStatus.ACTIVE
        ]
        assert len(active) == 1, record.job_id
        assert len(record.job.appointments or []) == 1  # no second appointment was ever made
    assert outcomes["applied"] > 20 and outcomes["ok"] > 20
