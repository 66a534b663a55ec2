"""Setting an appointment's fulfillment data: each proof document uploaded, then the data attached.

Nothing is attached until every document is up: an upload that fails stops the flow before
setAppointmentFulfillmentData, so the appointment never carries half of what was chosen. A stop
is honoured between steps (a step under way finishes, so no write is left without its outcome).
Each upload and the final write are journal entries.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from sptui.spapi.documents import PreparedDocument, upload_document
from sptui.spapi.models import (
    AppointmentResource,
    DateTimeRange,
    FulfillmentDocument,
    FulfillmentTime,
    SetAppointmentFulfillmentDataRequest,
)

from ..desk import Desk
from ..writes import WriteResult, perform

OPERATION = "setAppointmentFulfillmentData"
UPLOAD = "uploadDocument"
Window = tuple[datetime, datetime]
Progress = Callable[[int, int, int], None]
"""(document index, bytes sent, bytes in all)."""


@dataclass(frozen=True)
class Fulfillment:
    arrival: Window | None
    worked: Window | None
    resource_ids: list[str]
    documents: list[PreparedDocument] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.arrival or self.worked or self.resource_ids or self.documents)


@dataclass
class FulfilmentOutcome:
    uploads: list[WriteResult]
    result: WriteResult | None
    """The setAppointmentFulfillmentData write; None when it was not sent."""
    why: str = ""
    """Why the data was not sent (an upload failed, or a stop): nothing was attached."""


def request_for(
    plan: Fulfillment, documents: list[FulfillmentDocument]
) -> SetAppointmentFulfillmentDataRequest:
    return SetAppointmentFulfillmentDataRequest(
        estimated_arrival_time=(
            DateTimeRange(start_time=plan.arrival[0], end_time=plan.arrival[1])
            if plan.arrival
            else None
        ),
        fulfillment_time=(
            FulfillmentTime(start_time=plan.worked[0], end_time=plan.worked[1])
            if plan.worked
            else None
        ),
        appointment_resources=[AppointmentResource(resource_id=i) for i in plan.resource_ids]
        or None,
        fulfillment_documents=documents or None,
    )


def size_text(count: int) -> str:
    return f"{count} B" if count < 1024 else f"{count / 1024:,.1f} kB"


def describe_fulfilment(job_id: str, appointment_id: str, plan: Fulfillment) -> list[str]:
    def span(window: Window | None) -> str:
        if window is None:
            return "-"
        return f"{window[0]:%Y-%m-%dT%H:%MZ} to {window[1]:%Y-%m-%dT%H:%MZ}"

    lines = [
        f"Set fulfillment data of job {job_id}, appointment {appointment_id}:",
        f"  arrival window  {span(plan.arrival)}",
        f"  work done       {span(plan.worked)}",
        f"  technicians     {', '.join(plan.resource_ids) or '-'}",
    ]
    for document in plan.documents:
        size = size_text(len(document.data))
        lines.append(f"  document        {document.name} ({document.content_type.value}, {size})")
    return lines


async def perform_fulfilment(
    desk: Desk,
    job_id: str,
    appointment_id: str,
    plan: Fulfillment,
    *,
    progress: Progress | None = None,
    stop: asyncio.Event | None = None,
    on_step: Callable[[str], None] | None = None,
) -> FulfilmentOutcome:
    """Upload each document, then set the data; ``on_step`` hears what is being done."""
    ids = {"serviceJobId": job_id, "appointmentId": appointment_id}
    uploads: list[WriteResult] = []
    references: list[FulfillmentDocument] = []
    for index, document in enumerate(plan.documents):
        if stop and stop.is_set():
            return FulfilmentOutcome(uploads, None, "stopped before all documents were up")

        def report(sent: int, total: int, index: int = index) -> None:
            if progress is not None:
                progress(index, sent, total)

        def upload(
            document: PreparedDocument = document, report: Callable[[int, int], None] = report
        ) -> Awaitable[FulfillmentDocument]:
            return upload_document(desk.client, document, progress=report)

        if on_step:
            on_step(f"uploading {document.name}…")
        result = await perform(
            desk.journal,
            desk.context(),
            UPLOAD,
            ids,
            {
                "contentType": document.content_type.value,
                "contentLength": len(document.data),
                "contentSha256": document.sha256,
            },
            upload,
        )
        uploads.append(result)
        if not result.took_effect:
            why = f"the upload of {document.name} failed: {result.message}"
            return FulfilmentOutcome(uploads, None, why)
        references.append(result.answer)
    if stop and stop.is_set():
        return FulfilmentOutcome(uploads, None, "stopped before sending")
    request = request_for(plan, references)
    if on_step:
        on_step("sending the fulfillment data…")
    result = await perform(
        desk.journal,
        desk.context(),
        OPERATION,
        ids,
        request.to_wire(),
        lambda: desk.client.set_appointment_fulfillment_data(job_id, appointment_id, request),
    )
    return FulfilmentOutcome(uploads, result)
