"""Ambiguous write failures: read back, report, and never create a second appointment."""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from sptui.spapi import Outcome, WriteOutcomeError
from sptui.spapi.models import (
    AddAppointmentRequest,
    AppointmentTimeInput,
    RescheduleAppointmentRequest,
    ServiceJob,
    ServiceJobStatus,
)
from sptui.spapi.reconcile import after_assign, after_fulfillment, after_status_change

from .fakes import amazon_error, make_client, ok

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


class FakeJobs:
    """Just enough of the Services API to apply writes and read jobs back."""

    def __init__(self, fault: str = "") -> None:
        self.fault = fault
        self.jobs: dict[str, dict[str, Any]] = {
            "job-1": {
                "serviceJobId": "job-1",
                "serviceJobStatus": "NOT_SERVICED",
                "appointments": [],
            }
        }
        self.writes: list[str] = []
        self.read_fault = False
        self._ids = itertools.count(1)
        self.late: list[httpx.Request] = []
        """Writes that timed out on their way and arrive after the first read-back ("late")."""
        self.reads = 0

    def _fail(self, request: httpx.Request, applied: bool) -> httpx.Response | None:
        if self.fault == "applied-then-500" and applied:
            return amazon_error(500, "InternalFailure", "We encountered an internal error.")
        if self.fault == "applied-then-timeout" and applied:
            raise httpx.ReadTimeout("timed out", request=request)
        if self.fault == "500-not-applied":
            return amazon_error(500, "InternalFailure", "We encountered an internal error.")
        return None

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/service/v1")
        if request.method == "GET":
            self.reads += 1
            if self.reads == 2 and self.late:  # the late write lands between two reads
                self.fault = ""
                await self(self.late.pop())
                self.writes.pop()
            if self.read_fault:
                return amazon_error(503, "ServiceUnavailable", "try later")
            job_id = path.split("/")[2]
            return ok({"payload": self.jobs[job_id]})
        self.writes.append(f"{request.method} {path}")
        if self.fault == "late":
            self.late.append(request)
            raise httpx.ReadTimeout("timed out", request=request)
        job = self.jobs.get(path.split("/")[2]) if path.startswith("/serviceJobs/") else None
        applied = self.fault != "500-not-applied"
        answer: Any = {}
        if match := re.fullmatch(r"/serviceJobs/([^/]+)/appointments", path):
            assert job is not None
            if applied:
                start = json.loads(request.content)["appointmentTime"]["startTime"]
                answer = {"appointmentId": self._add(job, start, None)}
        elif match := re.fullmatch(r"/serviceJobs/([^/]+)/appointments/([^/]+)", path):
            assert job is not None
            if applied:
                old = match.group(2)
                for appointment in job["appointments"]:
                    if appointment["appointmentId"] == old:
                        appointment["appointmentStatus"] = "CANCELLED"
                start = json.loads(request.content)["appointmentTime"]["startTime"]
                answer = {"appointmentId": self._add(job, start, old)}
        elif path.endswith("/cancellations") and job is not None and applied:
            job["serviceJobStatus"] = "CANCELLED"
        elif path.endswith("/completions") and job is not None and applied:
            job["serviceJobStatus"] = "COMPLETED"
        return self._fail(request, applied) or ok(answer)

    def _add(self, job: dict[str, Any], start: str, old: str | None) -> str:
        appointment_id = f"appt-{next(self._ids):04d}"
        entry = {
            "appointmentId": appointment_id,
            "appointmentStatus": "ACTIVE",
            "appointmentTime": {"startTime": start, "durationInMinutes": 60},
        }
        if old:
            entry["rescheduledAppointmentId"] = old
        job["appointments"].append(entry)
        return appointment_id

    def active(self) -> list[dict[str, Any]]:
        return [a for a in self.jobs["job-1"]["appointments"] if a["appointmentStatus"] == "ACTIVE"]


def booking() -> AddAppointmentRequest:
    return AddAppointmentRequest(
        appointment_time=AppointmentTimeInput(start_time=START, duration_in_minutes=60)
    )


@pytest.mark.parametrize("fault", ["applied-then-500", "applied-then-timeout"])
async def test_ambiguous_add_is_read_back_as_applied_and_not_resent(fault: str) -> None:
    server = FakeJobs(fault)
    async with make_client(server) as client:
        with pytest.raises(WriteOutcomeError) as caught:
            await client.add_appointment_for_service_job_by_service_job_id("job-1", booking())
    assert caught.value.outcome is Outcome.APPLIED
    assert caught.value.appointment_id == "appt-0001"
    assert server.writes == ["POST /serviceJobs/job-1/appointments"]
    assert len(server.active()) == 1


async def test_an_ambiguous_add_that_shows_nothing_yet_is_unknown_not_not_applied() -> None:
    server = FakeJobs("500-not-applied")
    async with make_client(server) as client:
        with pytest.raises(WriteOutcomeError) as caught:
            await client.add_appointment_for_service_job_by_service_job_id("job-1", booking())
    assert caught.value.outcome is Outcome.UNKNOWN
    assert caught.value.cause.status == 500
    assert len(server.writes) == 1 and server.active() == []


async def test_a_write_applied_a_moment_after_the_read_back_is_found_by_a_recheck() -> None:
    server = FakeJobs("late")
    async with make_client(server) as client:
        with pytest.raises(WriteOutcomeError) as caught:
            await client.add_appointment_for_service_job_by_service_job_id("job-1", booking())
        assert caught.value.outcome is Outcome.UNKNOWN  # it was "not applied" before
        assert caught.value.recheck is not None
        later = await caught.value.recheck()
    assert later.outcome is Outcome.APPLIED and later.appointment_id == "appt-0001"
    assert server.writes == ["POST /serviceJobs/job-1/appointments"]  # never resent
    assert len(server.active()) == 1


async def test_an_add_ruled_out_by_another_appointment_is_not_applied() -> None:
    server = FakeJobs()
    async with make_client(server) as client:
        await client.add_appointment_for_service_job_by_service_job_id("job-1", booking())
        server.fault = "500-not-applied"
        other = AddAppointmentRequest(
            appointment_time=AppointmentTimeInput(
                start_time=START.replace(hour=15), duration_in_minutes=60
            )
        )
        with pytest.raises(WriteOutcomeError) as caught:
            await client.add_appointment_for_service_job_by_service_job_id("job-1", other)
    assert caught.value.outcome is Outcome.NOT_APPLIED  # one active appointment per job


async def test_many_ambiguous_adds_never_make_a_second_appointment() -> None:
    server = FakeJobs("applied-then-500")
    async with make_client(server) as client:
        outcomes = []
        for _ in range(5):
            try:
                await client.add_appointment_for_service_job_by_service_job_id("job-1", booking())
            except WriteOutcomeError as error:
                outcomes.append(error.outcome)
                if error.outcome is Outcome.APPLIED:
                    break
    assert outcomes == [Outcome.APPLIED]
    assert len(server.active()) == 1


async def test_ambiguous_reschedule_finds_the_new_appointment() -> None:
    server = FakeJobs()
    async with make_client(server) as client:
        first = await client.add_appointment_for_service_job_by_service_job_id("job-1", booking())
        server.fault = "applied-then-500"
        later = START.replace(hour=13)
        request = RescheduleAppointmentRequest(
            appointment_time=AppointmentTimeInput(start_time=later, duration_in_minutes=60),
            reschedule_reason_code="CUSTOMER_REQUEST",
        )
        with pytest.raises(WriteOutcomeError) as caught:
            await client.reschedule_appointment_for_service_job_by_service_job_id(
                "job-1", str(first.appointment_id), request
            )
    assert caught.value.outcome is Outcome.APPLIED
    assert caught.value.appointment_id == "appt-0002"
    assert [a["appointmentId"] for a in server.active()] == ["appt-0002"]


@pytest.mark.parametrize(
    ("fault", "outcome"),
    [("applied-then-500", Outcome.APPLIED), ("500-not-applied", Outcome.UNKNOWN)],
)
async def test_cancel_and_complete_are_judged_by_the_job_status(
    fault: str, outcome: Outcome
) -> None:
    server = FakeJobs(fault)
    async with make_client(server) as client:
        with pytest.raises(WriteOutcomeError) as caught:
            await client.cancel_service_job_by_service_job_id("job-1", "CUSTOMER_REQUEST")
    assert caught.value.outcome is outcome
    assert len(server.writes) == 1


async def test_unreadable_job_gives_unknown() -> None:
    server = FakeJobs("applied-then-500")
    server.read_fault = True
    async with make_client(server) as client:
        with pytest.raises(WriteOutcomeError) as caught:
            await client.complete_service_job_by_service_job_id("job-1")
    assert caught.value.outcome is Outcome.UNKNOWN
    assert "could not be read back" in caught.value.evidence


async def test_reservation_writes_cannot_be_read_back_and_say_so() -> None:
    server = FakeJobs("500-not-applied")
    body = {
        "resourceId": "tech-1",
        "reservation": {
            "type": "BREAK",
            "availability": {
                "startTime": "2027-01-01T10:00:00Z",
                "endTime": "2027-01-01T11:00:00Z",
            },
        },
    }
    async with make_client(server) as client:
        with pytest.raises(WriteOutcomeError) as caught:
            await client.create_reservation(body)
    assert caught.value.outcome is Outcome.UNKNOWN
    assert server.writes == ["POST /reservation"]


def _job(**appointment: Any) -> ServiceJob:
    return ServiceJob.from_wire(
        {"serviceJobId": "j", "appointments": [{"appointmentId": "a1", **appointment}]}
    )


def test_assignment_is_judged_by_the_listed_technicians() -> None:
    technicians = [{"technicianId": "t1"}, {"technicianId": "t2"}]
    job = _job(appointmentStatus="ACTIVE", assignedTechnicians=technicians)
    assert after_assign(job, "a1", ["t1"]).outcome is Outcome.APPLIED
    assert after_assign(job, "a1", ["t3"]).outcome is Outcome.UNKNOWN  # may still arrive
    assert after_assign(job, "zz", ["t1"]).outcome is Outcome.UNKNOWN
    gone = _job(appointmentStatus="CANCELLED", assignedTechnicians=technicians)
    assert after_assign(gone, "a1", ["t3"]).outcome is Outcome.NOT_APPLIED


def test_a_status_change_is_not_applied_only_when_the_job_closed_another_way() -> None:
    def job(status: str) -> ServiceJob:
        return ServiceJob.from_wire({"serviceJobId": "j", "serviceJobStatus": status})

    cancelled = ServiceJobStatus.CANCELLED
    assert after_status_change(job("CANCELLED"), cancelled).outcome is Outcome.APPLIED
    assert after_status_change(job("COMPLETED"), cancelled).outcome is Outcome.NOT_APPLIED
    assert after_status_change(job("NOT_SERVICED"), cancelled).outcome is Outcome.UNKNOWN


def test_fulfillment_is_applied_only_on_evidence() -> None:
    job = _job(poa={"technicians": [{"technicianId": "t1"}]})
    sent = {"appointmentResources": [{"resourceId": "t1"}]}
    assert after_fulfillment(job, "a1", sent).outcome is Outcome.APPLIED
    assert after_fulfillment(_job(), "a1", sent).outcome is Outcome.UNKNOWN
