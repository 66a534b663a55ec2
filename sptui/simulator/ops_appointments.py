"""Appointments: add, reschedule, assign technicians and fulfillment data."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sptui.spapi.models import (
    AddAppointmentRequest,
    Appointment,
    AppointmentResource,
    AppointmentStatus,
    AppointmentTime,
    AssignAppointmentResourcesRequest,
    CapacityType,
    Poa,
    PoaType,
    RescheduleAppointmentRequest,
    ServiceJobStatus,
    SetAppointmentFulfillmentDataRequest,
    Technician,
)
from sptui.spapi.models.base import format_wire_datetime

from .calls import ApiFault, Call
from .capacity import profile
from .ops_jobs import find_job
from .registry import Answer, answers
from .rules import (
    appointment_start,
    check_bookable,
    job_is_open_for,
    reason_codes,
)
from .world import JobRecord, World

_DOC_PREFIX = "Failed to process proof of appointment input. Reason:"


def _booking(call: Call, model: type[Any]) -> tuple[JobRecord, Any, datetime, int]:
    body = call.body if isinstance(call.body, dict) else {}
    time_in = body.get("appointmentTime")
    start = appointment_start(time_in.get("startTime") if isinstance(time_in, dict) else None)
    request = call.parse(model, body)
    record = find_job(call, "No job exist with jobId : {job_id}")
    job_is_open_for(record)
    minutes = request.appointment_time.duration_in_minutes or _default_minutes(record)
    return record, request, start, minutes


def _default_minutes(record: JobRecord) -> int:
    preferred = record.job.preferred_appointment_times or []
    return (preferred[0].duration_in_minutes if preferred else None) or 60


def _new_appointment(
    world: World, record: JobRecord, start: datetime, minutes: int, **extra: Any
) -> Appointment:
    appointment = Appointment.from_wire(
        {
            "appointmentId": f"{record.job_id}_{world.next_id('')}",
            "appointmentStatus": "ACTIVE",
            "appointmentTime": {
                "startTime": format_wire_datetime(start),
                "durationInMinutes": minutes,
            },
            **extra,
        }
    )
    record.job.appointments = [*(record.job.appointments or []), appointment]
    record.job.service_job_status = ServiceJobStatus.NOT_SERVICED
    world.touch(record)
    return appointment


@answers("addAppointmentForServiceJobByServiceJobId")
async def add_appointment(call: Call) -> Answer:
    record, _, start, minutes = _booking(call, AddAppointmentRequest)
    if record.active() is not None:
        raise ApiFault(
            422,
            f"Failed to add appointment for jobId : {record.job_id}, reason : Job already has an active appointmentId.",
        )
    check_bookable(call.world, record, start, minutes)
    appointment = _new_appointment(call.world, record, start, minutes)
    return Answer(200, {"appointmentId": appointment.appointment_id})


@answers("rescheduleAppointmentForServiceJobByServiceJobId")
async def reschedule_appointment(call: Call) -> Answer:
    record, request, start, minutes = _booking(call, RescheduleAppointmentRequest)
    old_id = call.path["appointmentId"]
    prefix = f"Failed to add appointment for jobId : {record.job_id}, reason :"
    if str(request.reschedule_reason_code) not in reason_codes("reschedule", call.settings):
        raise ApiFault(422, f"{prefix} Appointment reschedule reason code is not valid.")
    old = record.appointment(old_id)
    if old is None or old.appointment_status != AppointmentStatus.ACTIVE:
        raise ApiFault(422, f"{prefix} No active appointment exists with appointmentId : {old_id}")
    old.appointment_status = AppointmentStatus.CANCELLED  # frees its capacity for the check
    try:
        check_bookable(call.world, record, start, minutes)
    except ApiFault:
        old.appointment_status = AppointmentStatus.ACTIVE
        raise
    appointment = _new_appointment(
        call.world, record, start, minutes, rescheduledAppointmentId=old_id
    )
    answer: dict[str, Any] = {"appointmentId": appointment.appointment_id}
    dropped = [t.technician_id for t in old.assigned_technicians or [] if t.technician_id]
    if dropped:
        answer["warnings"] = [
            {
                "code": "RESOURCES_UNASSIGNED",
                "message": f"Unassigned resources : {','.join(dropped)}",
            }
        ]
    return Answer(200, answer)


def _appointment_to_change(call: Call, job_missing: str) -> tuple[JobRecord, Appointment]:
    record = find_job(call, job_missing)
    job_is_open_for(record)
    appointment_id = call.path["appointmentId"]
    appointment = record.appointment(appointment_id)
    if appointment is None:
        raise ApiFault(
            422,
            f"Failed to Update Appointment for jobId : {record.job_id}, appointmentId : {appointment_id}, "
            f"reason : No appointment exists with appointmentId: {appointment_id}",
        )
    if appointment.appointment_status != AppointmentStatus.ACTIVE:
        raise ApiFault(
            422, f"Appointment metadata update is not allowed for appointmentId {appointment_id}"
        )
    return record, appointment


_REFUSALS = {
    "RESOURCES_MISMATCHED_SERVICE_LOCATION_TYPE": "Resources do not have same service location type as job.",
    "RESOURCES_MISSING_REQUIRED_SKILLS": "Resources Missing required {skills} skills.",
    "RESOURCES_NOT_AVAILABLE_IN_LOCATION": "Resources are not available in the store.",
    "RESOURCES_NOT_REGISTERED_UNDER_MERCHANT": "Resources are not registered under this Merchant.",
    "RESOURCES_BACKGROUND_CHECK_INCOMPLETE": "Resources background check is incomplete.",
    "RESOURCES_NOT_AVAILABLE_IN_TIME_WINDOW": "Resources do not have sufficient available capacity.",
}


@answers("assignAppointmentResources")
async def assign_resources(call: Call) -> Answer:
    body = call.body if isinstance(call.body, dict) else {}
    if "resources" not in body:
        raise ApiFault(400, "Resources not provided in input JSON payload.")
    if not body["resources"]:
        raise ApiFault(400, "Resources must have size greater than or equal to 1.")
    request = call.parse(AssignAppointmentResourcesRequest, body)
    record, appointment = _appointment_to_change(call, "No job exists with jobId : {job_id}")
    ids = [str(r.resource_id) for r in request.resources or []]
    for rid in ids:
        if rid not in call.world.technicians:
            raise ApiFault(422, f"Invalid resourceId : {rid} provided in the input.")
    time_ = appointment.appointment_time
    start = time_.start_time if time_ and time_.start_time else call.world.clock()
    end = start + timedelta(minutes=(time_.duration_in_minutes if time_ else None) or 60)
    job = record.job
    skills = set(job.scope_of_work.required_skills or []) if job.scope_of_work else set()
    location = job.service_location.service_location_type if job.service_location else None
    failing: dict[str, list[str]] = {}
    overbooked = False
    for rid in ids:
        tech = call.world.technicians[rid]
        busy = profile(call.world, rid, start, end)
        found = {
            "RESOURCES_MISMATCHED_SERVICE_LOCATION_TYPE": location is not None
            and tech.location_type != location,
            "RESOURCES_MISSING_REQUIRED_SKILLS": not skills <= tech.skills,
            "RESOURCES_NOT_AVAILABLE_IN_LOCATION": job.store_id not in tech.store_ids,
            "RESOURCES_NOT_REGISTERED_UNDER_MERCHANT": not tech.registered,
            "RESOURCES_BACKGROUND_CHECK_INCOMPLETE": not tech.background_checked,
            "RESOURCES_NOT_AVAILABLE_IN_TIME_WINDOW": busy.lowest(
                CapacityType.SCHEDULED_CAPACITY, start, end
            )
            - busy.highest(CapacityType.RESERVED_CAPACITY, start, end)
            <= 0,
        }
        for code, failed in found.items():
            if failed:
                failing.setdefault(code, []).append(rid)
        mine = {t.technician_id for t in appointment.assigned_technicians or []}
        if rid not in mine and busy.lowest(CapacityType.AVAILABLE_CAPACITY, start, end) <= 0:
            overbooked = True
    if failing:
        missing = ",".join(sorted(skills))
        raise ApiFault.many(
            422,
            [
                {
                    "code": code,
                    "message": f"{_REFUSALS[code].format(skills=missing)} Applicable resources: {','.join(rids)}",
                    "details": "",
                }
                for code, rids in failing.items()
            ],
        )
    appointment.assigned_technicians = [
        Technician(technician_id=rid, name=call.world.technicians[rid].name) for rid in ids
    ]
    call.world.touch(record)
    payload: dict[str, Any] = {}
    if overbooked:
        payload["warnings"] = [
            {
                "code": "RESOURCES_OVERBOOKED",
                "message": "Resources overbooked for this time window.",
            }
        ]
    return Answer(200, {"payload": payload})


def _check_times(call: Call, raw: dict[str, Any]) -> None:
    """Amazon's checks on the fulfillment and arrival windows, with Amazon's words."""
    now = call.world.clock()
    for name in ("fulfillmentTime", "estimatedArrivalTime"):
        window = raw.get(name)
        if not isinstance(window, dict):
            continue
        if name == "estimatedArrivalTime" and not ("startTime" in window and "endTime" in window):
            raise ApiFault(
                422,
                "Failed to process input. Reason: ETA start and end time both are mandatory field "
                "as part of estimatedArrivalTime object. Please check the input again",
            )
        moments = []
        for edge, word in (("startTime", "start"), ("endTime", "end")):
            value = window.get(edge)
            if value is None:
                raise ApiFault(
                    422, f"Appointment {word} time is required. Please check the input again."
                )
            moment = _utc(value)
            if name == "fulfillmentTime" and moment > now:
                raise ApiFault(
                    422,
                    f"Appointment {word} time should not be in future. Please check the input again",
                )
            moments.append(moment)
        if name == "fulfillmentTime" and moments[1] <= moments[0]:
            raise ApiFault(
                422,
                "Appointment end time should be after start time. Please check the input again.",
            )


def _utc(value: Any) -> datetime:
    try:
        return appointment_start(value)
    except ApiFault as fault:
        if fault.errors[0]["message"].startswith("Failed to parse"):
            raise ApiFault(
                422,
                f"Could not parse given time input {value}. Please provide time in ISO8601 format",
            ) from None
        raise ApiFault(
            422, f"ISO8601 time {value} is not in UTC format. Please provide time in UTC"
        ) from None


def _check_documents(call: Call, request: SetAppointmentFulfillmentDataRequest) -> None:
    now = call.world.clock()
    for document in request.fulfillment_documents or []:
        upload = call.world.uploads.get(str(document.upload_destination_id))
        if upload is None:
            raise ApiFault(
                422, f"{_DOC_PREFIX} Input document id does not exist. Please check the input"
            )
        if upload.expires_at < now:
            raise ApiFault(
                422, f"{_DOC_PREFIX} Input document parameters are invalid. Please check the input."
            )
        if upload.problem:
            raise ApiFault(422, f"{_DOC_PREFIX} {upload.problem}")
        if upload.sha256 is None:
            raise ApiFault(
                422,
                f"{_DOC_PREFIX} Document encrypted not found or exist. Please review document uploaded",
            )
        if upload.sha256 != document.content_sha256:
            raise ApiFault(
                422,
                f"{_DOC_PREFIX} Document failed to meet sanity check. Could not get a Sha256 Message "
                "Digest match for the document.",
            )


@answers("setAppointmentFulfillmentData")
async def set_fulfillment(call: Call) -> Answer:
    raw = call.body if isinstance(call.body, dict) else {}
    if not any(
        raw.get(k)
        for k in (
            "estimatedArrivalTime",
            "fulfillmentTime",
            "appointmentResources",
            "fulfillmentDocuments",
        )
    ):
        raise ApiFault(400, "No fulfillment artifacts provided in JSON payload.")
    job_id = call.path["serviceJobId"]
    record = find_job(call, "No job exist with jobId : {job_id}")
    if record.status != ServiceJobStatus.NOT_SERVICED:
        raise ApiFault(
            422,
            f"Job with id {job_id} can not be updated. Please check if the job is in valid status.",
        )
    appointment_id = call.path["appointmentId"]
    appointment = record.appointment(appointment_id)
    if appointment is None:
        raise ApiFault(
            422,
            f"Appointment with id {appointment_id} is not present in the job. Please check the input again.",
        )
    if appointment.appointment_status != AppointmentStatus.ACTIVE:
        raise ApiFault(
            422,
            f"Appointment with appointment id {appointment_id} is not valid to update. Please check the input again",
        )
    _check_times(call, raw)
    request = call.parse(SetAppointmentFulfillmentDataRequest, raw)
    resources: list[AppointmentResource] = request.appointment_resources or []
    if any(str(r.resource_id) not in call.world.technicians for r in resources):
        raise ApiFault(
            422,
            "One or more resources provided does not exist or is deleted. Please check the input again.",
        )
    _check_documents(call, request)
    poa = appointment.poa or Poa()
    if (
        request.fulfillment_time
        and request.fulfillment_time.start_time
        and request.fulfillment_time.end_time
    ):
        span = request.fulfillment_time.end_time - request.fulfillment_time.start_time
        poa.appointment_time = AppointmentTime(
            start_time=request.fulfillment_time.start_time,
            duration_in_minutes=max(1, int(span.total_seconds() // 60)),
        )
    if resources:
        poa.technicians = [
            Technician(
                technician_id=r.resource_id, name=call.world.technicians[str(r.resource_id)].name
            )
            for r in resources
        ]
    if request.fulfillment_documents:
        poa.upload_time = call.world.clock()
        poa.poa_type = PoaType.POA_RECEIPT
    appointment.poa = poa
    record.fulfilled.add(appointment_id)
    call.world.touch(record)
    return Answer(204, None)
