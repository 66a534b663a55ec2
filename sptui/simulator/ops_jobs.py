"""getServiceJobByServiceJobId, getServiceJobs, cancel and complete."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import datetime

from sptui.spapi.models import AppointmentStatus, ServiceJobStatus
from sptui.spapi.params import CancelQuery, ServiceJobsQuery, SortField, SortOrder

from .calls import ApiFault, Call, bad_parameters
from .refusals import not_yours
from .registry import Answer, answers
from .rules import reason_codes
from .world import OPEN, JobRecord, World


def find_job(
    call: Call, missing: str, *, status: int = 422, code: str = "InvalidInput"
) -> JobRecord:
    """The path's job if these credentials may touch it; 403 for another provider's job, and
    ``missing`` (with {job_id}) for an id Amazon does not know."""
    job_id = call.path["serviceJobId"]
    record = call.world.jobs.get(job_id)
    if record is None:
        if job_id in call.world.other_provider_jobs:
            raise not_yours(call.operation_id)
        raise ApiFault(status, missing.format(job_id=job_id), code=code)
    return record


@answers("getServiceJobByServiceJobId")
async def get_job(call: Call) -> Answer:
    record = find_job(call, "Job not found for jobId {job_id}", status=404, code="NotFound")
    return Answer(200, {"payload": record.job.to_wire()})


def _matches(record: JobRecord, q: ServiceJobsQuery, marketplace: str) -> bool:
    job = record.job
    created = job.create_time
    if job.marketplace_id != marketplace or created is None:
        return False
    if q.service_job_status and record.status not in q.service_job_status:
        return False
    if q.created_after and created < q.created_after:
        return False
    if q.created_before and created > q.created_before:
        return False
    if q.last_updated_after and record.updated < q.last_updated_after:
        return False
    if q.last_updated_before and record.updated > q.last_updated_before:
        return False
    if q.schedule_start_date or q.schedule_end_date:
        active = record.active()
        start = active.appointment_time.start_time if active and active.appointment_time else None
        if start is None:
            return False
        if q.schedule_start_date and start < q.schedule_start_date:
            return False
        if q.schedule_end_date and start > q.schedule_end_date:
            return False
    scope = job.scope_of_work
    checks: list[tuple[list[str] | None, set[str]]] = [
        (q.asins, {scope.asin} if scope and scope.asin else set()),
        (q.required_skills, set(scope.required_skills or []) if scope else set()),
        (q.store_ids, {job.store_id} if job.store_id else set()),
        (q.service_order_ids, {job.service_order_id} if job.service_order_id else set()),
        (q.product_order_ids, set(job.product_order_ids or [])),
        (q.tracking_ids, set(job.tracking_ids or [])),
    ]
    return all(not wanted or set(wanted) & have for wanted, have in checks)


def _sort_key(record: JobRecord, field: SortField) -> tuple[str, datetime, str]:
    created = record.job.create_time or datetime.min
    status = record.status.value if field == SortField.JOB_STATUS else ""
    return (status, created, record.job_id)


def _listing(world: World, q: ServiceJobsQuery, marketplace: str, key: str) -> list[str]:
    cache_key = (key, world.version)
    cached = world.listings.get(cache_key)
    if cached is None:
        field = q.sort_field or SortField.JOB_DATE
        chosen = [r for r in world.jobs.values() if _matches(r, q, marketplace)]
        chosen.sort(key=lambda r: _sort_key(r, field), reverse=q.sort_order == SortOrder.DESC)
        cached = [r.job_id for r in chosen]
        if len(world.listings) > 64:
            world.listings.clear()
        world.listings[cache_key] = cached
    return cached


def _token(offset: int, key: str) -> str:
    raw = json.dumps({"o": offset, "k": key}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _offset(token: str | None, key: str) -> int:
    if not token:
        return 0
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if data["k"] == key and isinstance(data["o"], int) and data["o"] >= 0:
            return int(data["o"])
    except (ValueError, KeyError, TypeError):
        pass
    raise bad_parameters("pageToken", details="the token does not belong to this query")


@answers("getServiceJobs")
async def list_jobs(call: Call) -> Answer:
    marketplace = call.marketplace()
    q = call.parse(ServiceJobsQuery, call.query_input())
    if (
        q.schedule_start_date
        and q.schedule_end_date
        and q.schedule_end_date < q.schedule_start_date
    ):
        raise bad_parameters(
            "scheduleEndDate", details="must not be earlier than scheduleStartDate"
        )
    stable = {k: v for k, v in sorted(call.query.items()) if k not in ("pageToken", "pageSize")}
    key = hashlib.sha256(json.dumps(stable).encode()).hexdigest()[:16]
    ids = _listing(call.world, q, marketplace, key)
    offset = _offset(q.page_token, key)
    size = q.page_size or 20
    page = ids[offset : offset + size]
    payload: dict[str, object] = {
        "totalResultSize": len(ids),
        "jobs": [call.world.jobs[i].job.to_wire() for i in page],
    }
    if offset + size < len(ids):
        payload["nextPageToken"] = _token(offset + size, key)
    if offset > 0:
        payload["previousPageToken"] = _token(max(0, offset - size), key)
    return Answer(200, {"payload": payload})


@answers("cancelServiceJobByServiceJobId")
async def cancel_job(call: Call) -> Answer:
    job_id = call.path["serviceJobId"]
    code = call.parse(
        CancelQuery, {"cancellationReasonCode": call.scalar("cancellationReasonCode")}
    )
    record = find_job(call, "Job not found for jobId {job_id}")
    reason = str(code.cancellation_reason_code)
    if reason not in reason_codes("cancel", call.settings):
        raise ApiFault(422, f"Received invalid input reason code {reason} for jobId {job_id}")
    if record.status not in OPEN:
        raise ApiFault(
            422, f"Job with jobId {job_id} and jobStatus {record.status.value} cannot be cancelled"
        )
    record.job.service_job_status = ServiceJobStatus.CANCELLED
    active = record.active()
    if active is not None:
        active.appointment_status = AppointmentStatus.CANCELLED
    call.world.touch(record)
    return Answer(200, {})


@answers("completeServiceJobByServiceJobId")
async def complete_job(call: Call) -> Answer:
    job_id = call.path["serviceJobId"]
    record = find_job(call, "Job not found for jobId {job_id}")
    if record.status != ServiceJobStatus.NOT_SERVICED:
        raise ApiFault(
            422,
            f"Operation not allowed on job with jobId : {job_id} and jobState : {record.status.value}",
        )
    active = record.active()
    if active is None or active.appointment_id not in record.fulfilled:
        raise ApiFault(
            422,
            f"Job with jobId {job_id} cannot be completed: set the appointment's fulfillment data "
            "(setAppointmentFulfillmentData) first",
        )
    active.appointment_status = AppointmentStatus.COMPLETED
    record.job.service_job_status = ServiceJobStatus.COMPLETED
    call.world.touch(record)
    return Answer(200, {})
