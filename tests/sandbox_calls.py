"""Turn one of Amazon's sandbox cases into the ServicesClient call it describes."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from sptui.spapi import ServicesClient
from sptui.spapi.sandbox import SandboxCase

ANY_ID = "anyIdTheCaseDoesNotName"


def call_for(client: ServicesClient, case: SandboxCase) -> Awaitable[Any]:
    p = case.parameters
    job = p.get("serviceJobId", ANY_ID)
    appointment = p.get("appointmentId", ANY_ID)
    resource = p.get("resourceId", ANY_ID)
    reservation = p.get("reservationId", ANY_ID)
    body = p.get("body", {})
    window = {"start_time": p.get("startTime"), "end_time": p.get("endTime")}
    match case.operation_id:
        case "getServiceJobByServiceJobId":
            return client.get_service_job_by_service_job_id(job)
        case "cancelServiceJobByServiceJobId":
            return client.cancel_service_job_by_service_job_id(
                job, p.get("cancellationReasonCode", "V1")
            )
        case "completeServiceJobByServiceJobId":
            return client.complete_service_job_by_service_job_id(job)
        case "getServiceJobs":
            filters = {k: v for k, v in p.items()}
            if "createdAfter" not in filters and "lastUpdatedAfter" not in filters:
                filters["createdAfter"] = "2026-01-01T00:00:00Z"
            return client.get_service_jobs(**{_snake(k): v for k, v in filters.items()})
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
            return client.get_range_slot_capacity(
                resource, body, next_page_token=p.get("nextPageToken")
            )
        case "getFixedSlotCapacity":
            return client.get_fixed_slot_capacity(
                resource, body, next_page_token=p.get("nextPageToken")
            )
        case "updateSchedule":
            return client.update_schedule(resource, body)
        case "createReservation":
            return client.create_reservation(body)
        case "updateReservation":
            return client.update_reservation(reservation, body)
        case "cancelReservation":
            return client.cancel_reservation(reservation)
        case "getAppointmmentSlotsByJobId":
            return client.get_appointment_slots_by_job_id(job, **window)
        case "getAppointmentSlots":
            return client.get_appointment_slots(
                p.get("asin", "B000000000"), p.get("storeId", ANY_ID), **window
            )
        case "createServiceDocumentUploadDestination":
            return client.create_service_document_upload_destination(body)
    raise AssertionError(f"no call for {case.operation_id}")


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)
