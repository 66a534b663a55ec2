"""Any operation by Amazon's operationId, its parameters named as on the wire.

What `sptui api` and the sandbox replays need: a call described as data (``{"serviceJobId": …,
"body": {…}}``) turned into the client method that sends it, so it gets the same validation,
pacing, retries and reconcile as every other call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any

from .client import ServicesClient
from .errors import RequestValidationError
from .models.base import AnswerModel
from .operations import OPERATIONS

PATH_PARAMETERS: dict[str, tuple[str, ...]] = {
    op_id: tuple(part[1:-1] for part in op.path.split("/") if part.startswith("{"))
    for op_id, op in OPERATIONS.items()
}
QUERY_PARAMETERS: dict[str, tuple[str, ...]] = {
    "getServiceJobs": (
        "serviceOrderIds",
        "serviceJobStatus",
        "pageToken",
        "pageSize",
        "sortField",
        "sortOrder",
        "createdAfter",
        "createdBefore",
        "lastUpdatedAfter",
        "lastUpdatedBefore",
        "scheduleStartDate",
        "scheduleEndDate",
        "marketplaceIds",
        "asins",
        "requiredSkills",
        "storeIds",
        "productOrderIds",
        "trackingIds",
    ),
    "cancelServiceJobByServiceJobId": ("cancellationReasonCode",),
    "getRangeSlotCapacity": ("marketplaceIds", "nextPageToken"),
    "getFixedSlotCapacity": ("marketplaceIds", "nextPageToken"),
    "updateSchedule": ("marketplaceIds",),
    "createReservation": ("marketplaceIds",),
    "updateReservation": ("marketplaceIds",),
    "cancelReservation": ("marketplaceIds",),
    "getAppointmmentSlotsByJobId": ("marketplaceIds", "startTime", "endTime"),
    "getAppointmentSlots": ("asin", "storeId", "marketplaceIds", "startTime", "endTime"),
}
WITH_BODY = frozenset(
    {
        "addAppointmentForServiceJobByServiceJobId",
        "rescheduleAppointmentForServiceJobByServiceJobId",
        "assignAppointmentResources",
        "setAppointmentFulfillmentData",
        "getRangeSlotCapacity",
        "getFixedSlotCapacity",
        "updateSchedule",
        "createReservation",
        "updateReservation",
        "createServiceDocumentUploadDestination",
    }
)
_LISTS = frozenset(
    {
        "serviceOrderIds",
        "serviceJobStatus",
        "asins",
        "requiredSkills",
        "storeIds",
        "productOrderIds",
        "trackingIds",
    }
)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def check_parameters(
    operation_id: str, path: Mapping[str, str], query: Mapping[str, str], body: Any
) -> list[tuple[str, str]]:
    """What is missing or unknown for this operation, as (parameter, problem) pairs."""
    if operation_id not in OPERATIONS:
        return [("operation", f"no Services API operation is called {operation_id!r}")]
    problems = []
    wanted = PATH_PARAMETERS[operation_id]
    for name in wanted:
        if not path.get(name):
            problems.append((name, "this path parameter is required"))
    for name in path:
        if name not in wanted:
            problems.append((name, f"not a path parameter of {operation_id}"))
    known = QUERY_PARAMETERS.get(operation_id, ())
    for name in query:
        if name not in known:
            problems.append((name, f"not a query parameter of {operation_id}"))
    if body is not None and operation_id not in WITH_BODY:
        problems.append(("body", f"{operation_id} takes no body"))
    if body is None and operation_id in WITH_BODY:
        problems.append(("body", f"{operation_id} needs a JSON body"))
    return problems


def call_operation(
    client: ServicesClient,
    operation_id: str,
    path: Mapping[str, str],
    query: Mapping[str, str],
    body: Any = None,
) -> Awaitable[AnswerModel]:
    """The client call this operation and these wire-named parameters describe.

    Raises RequestValidationError (nothing sent) for a missing or unknown parameter.
    """
    problems = check_parameters(operation_id, path, query, body)
    if problems:
        raise RequestValidationError(operation_id, problems)
    job = path.get("serviceJobId", "")
    appointment = path.get("appointmentId", "")
    resource = path.get("resourceId", "")
    reservation = path.get("reservationId", "")
    market: dict[str, Any] = (
        {"marketplace_id": query["marketplaceIds"]} if "marketplaceIds" in query else {}
    )
    window = {"start_time": query.get("startTime"), "end_time": query.get("endTime")}
    page = {"next_page_token": query.get("nextPageToken")}
    match operation_id:
        case "getServiceJobByServiceJobId":
            return client.get_service_job_by_service_job_id(job)
        case "cancelServiceJobByServiceJobId":
            return client.cancel_service_job_by_service_job_id(
                job, query.get("cancellationReasonCode", "")
            )
        case "completeServiceJobByServiceJobId":
            return client.complete_service_job_by_service_job_id(job)
        case "getServiceJobs":
            filters: dict[str, Any] = {
                _snake(k): (v.split(",") if k in _LISTS else v)
                for k, v in query.items()
                if k != "marketplaceIds"
            }
            if "pageSize" in query and query["pageSize"].isdigit():
                filters["page_size"] = int(query["pageSize"])
            return client.get_service_jobs(**filters, **market)
        case "addAppointmentForServiceJobByServiceJobId":
            return client.add_appointment_for_service_job_by_service_job_id(job, body)
        case "rescheduleAppointmentForServiceJobByServiceJobId":
            return client.reschedule_appointment_for_service_job_by_service_job_id(
                job, appointment, body
            )
        case "assignAppointmentResources":
            return client.assign_appointment_resources(job, appointment, body)
        case "setAppointmentFulfillmentData":
            return client.set_appointment_fulfillment_data(job, appointment, body)
        case "getRangeSlotCapacity":
            return client.get_range_slot_capacity(resource, body, **page, **market)
        case "getFixedSlotCapacity":
            return client.get_fixed_slot_capacity(resource, body, **page, **market)
        case "updateSchedule":
            return client.update_schedule(resource, body, **market)
        case "createReservation":
            return client.create_reservation(body, **market)
        case "updateReservation":
            return client.update_reservation(reservation, body, **market)
        case "cancelReservation":
            return client.cancel_reservation(reservation, **market)
        case "getAppointmmentSlotsByJobId":
            return client.get_appointment_slots_by_job_id(job, **window, **market)
        case "getAppointmentSlots":
            return client.get_appointment_slots(
                query.get("asin", ""), query.get("storeId", ""), **window, **market
            )
        case "createServiceDocumentUploadDestination":
            return client.create_service_document_upload_destination(body)
        case _:  # pragma: no cover (every operation is listed above)
            raise AssertionError(operation_id)
