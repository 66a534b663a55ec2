"""ServicesClient: one async method per Services API operation, typed in and out."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

import httpx

from . import reconcile, redaction
from .auth import LwaAuth, LwaCredentials
from .endpoints import Endpoint
from .errors import Outcome, ServerError, SpApiError, TransportError, WriteOutcomeError
from .models import (
    AddAppointmentRequest,
    AssignAppointmentResourcesRequest,
    AssignAppointmentResourcesResponse,
    CancelServiceJobByServiceJobIdResponse,
    CompleteServiceJobByServiceJobIdResponse,
    CreateReservationRequest,
    CreateReservationResponse,
    CreateServiceDocumentUploadDestination,
    FixedSlotCapacity,
    FixedSlotCapacityQuery,
    GetAppointmentSlotsResponse,
    GetServiceJobByServiceJobIdResponse,
    GetServiceJobsResponse,
    JobListing,
    RangeSlotCapacity,
    RangeSlotCapacityQuery,
    RescheduleAppointmentRequest,
    ServiceJob,
    ServiceJobStatus,
    ServiceUploadDocument,
    SetAppointmentFulfillmentDataRequest,
    SetAppointmentResponse,
    UpdateReservationRequest,
    UpdateReservationResponse,
    UpdateScheduleRequest,
    UpdateScheduleResponse,
    WireModel,
)
from .models.base import AnswerModel, parse_wire_datetime
from .params import (
    CancelQuery,
    ServiceJobsQuery,
    SlotsQuery,
    SlotWindow,
    check_path,
    encode_query,
    validated,
)
from .ratelimit import RateLimiter, Sleep
from .retry import RetryPolicy
from .session import DEFAULT_TIMEOUT, USER_AGENT, Session

M = TypeVar("M", bound=AnswerModel)
_C = TypeVar("_C", RangeSlotCapacity, FixedSlotCapacity)
Body = WireModel | Mapping[str, Any]


class Receipt(AnswerModel):
    """The answer to an operation that returns no body (204)."""


def _parse(model: type[M], response: httpx.Response) -> M:
    data = response.json() if response.content else {}
    result = model.from_wire(data)
    result._request_id = response.headers.get("x-amzn-RequestId")
    result._rate_limit = response.headers.get("x-amzn-RateLimit-Limit")
    return result


class ServicesClient:
    """The Selling Partner API for Services, v1.

    ``validate=False`` sends bodies and parameters exactly as given, skipping the model's
    constraints: only for replaying Amazon's sandbox cases, which are invalid on purpose.
    """

    def __init__(
        self,
        credentials: LwaCredentials,
        *,
        marketplace_id: str,
        endpoint: Endpoint | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        validate: bool = True,
    ) -> None:
        redaction.install()
        self.marketplace_id = marketplace_id
        self.endpoint = endpoint or Endpoint.for_marketplace(marketplace_id)
        self.validate = validate
        headers = {"user-agent": USER_AGENT}
        # One set of trusted certificates for both clients: loading it takes ~20 ms.
        verify = httpx.create_ssl_context() if transport is None else True
        # Plain HTTP is allowed to this machine only (a simulator): a proxy from the
        # environment (HTTP_PROXY without a NO_PROXY for 127.0.0.1) would be asked for it.
        local = all(
            url.startswith("http://") for url in (self.endpoint.base_url, self.endpoint.token_url)
        )
        # Token and upload requests go to other hosts and must not carry the access token.
        self.plain_http = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            headers=headers,
            follow_redirects=False,
            verify=verify,
            trust_env=not local,
        )
        self.auth = LwaAuth(
            credentials, self.endpoint.token_url, self.plain_http, clock=clock, sleep=sleep
        )
        self._http = httpx.AsyncClient(
            base_url=self.endpoint.base_url,
            transport=transport,
            auth=self.auth,
            timeout=timeout,
            headers={**headers, "accept": "application/json"},
            follow_redirects=False,
            verify=verify,
            trust_env=not local,
        )
        self.limiter = RateLimiter(clock=clock, sleep=sleep)
        self.session = Session(
            self._http, limiter=self.limiter, retry=retry or RetryPolicy(), sleep=sleep
        )

    async def __aenter__(self) -> ServicesClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()
        await self.plain_http.aclose()

    # ---- helpers -----------------------------------------------------------------------
    def _body(self, operation_id: str, model: type[WireModel], body: Body | None) -> Any:
        if not self.validate:
            return body.to_wire() if isinstance(body, WireModel) else body
        return validated(operation_id, model, body)

    def _path(self, operation_id: str, **values: str) -> dict[str, str]:
        return check_path(operation_id, **values) if self.validate else values

    def _query(
        self, operation_id: str, model: type[WireModel] | None, **values: Any
    ) -> dict[str, str]:
        given = {k: v for k, v in values.items() if v is not None}
        if model is not None and self.validate:
            given = validated(operation_id, model, given)
        return encode_query(given)

    def _market(self, marketplace_id: str | None, **extra: str | None) -> dict[str, str]:
        """``marketplaceIds`` (one value, a query parameter on every operation that takes it)."""
        return encode_query({"marketplaceIds": marketplace_id or self.marketplace_id, **extra})

    async def _capacity(
        self,
        op: str,
        answer: type[_C],
        query_model: type[WireModel],
        resource_id: str,
        body: Body,
        next_page_token: str | None,
        marketplace_id: str | None,
    ) -> _C:
        return await self._send(
            op,
            answer,
            path=self._path(op, resourceId=resource_id),
            query=self._market(marketplace_id, nextPageToken=next_page_token),
            body=self._body(op, query_model, body),
        )

    async def _read_job(self, service_job_id: str) -> ServiceJob | None:
        answer = await self.get_service_job_by_service_job_id(service_job_id)
        return answer.payload

    async def _write(
        self,
        send: Awaitable[M],
        service_job_id: str | None,
        judge: Callable[[ServiceJob], reconcile.Verdict] | None,
        what: str = "",
    ) -> M:
        """Send a write; after an ambiguous failure, read back and report, never resend."""
        try:
            return await send
        except (ServerError, TransportError) as error:
            if isinstance(error, TransportError) and not error.sent:
                raise

            def recheck(cause: SpApiError = error) -> Awaitable[reconcile.Verdict]:
                # a default, because Python unbinds ``error`` when this except block ends
                return self._judge(cause, service_job_id, judge, what)

            verdict = await recheck()
            can_look_again = service_job_id is not None and judge is not None
            raise WriteOutcomeError(
                error,
                verdict.outcome,
                verdict.evidence,
                verdict.appointment_id,
                recheck if can_look_again else None,
            ) from error

    async def _judge(
        self,
        error: SpApiError,
        service_job_id: str | None,
        judge: Callable[[ServiceJob], reconcile.Verdict] | None,
        what: str,
    ) -> reconcile.Verdict:
        if service_job_id is None or judge is None:
            return reconcile.without_read_back(what)
        try:
            job = await self._read_job(service_job_id)
        except SpApiError as read_error:
            return reconcile.Verdict(
                Outcome.UNKNOWN, f"the job could not be read back: {read_error.message}"
            )
        if job is None:
            return reconcile.Verdict(Outcome.UNKNOWN, "the read-back had no job")
        return judge(job)

    async def _send(
        self,
        operation_id: str,
        model: type[M],
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        body: Any = None,
    ) -> M:
        return await self.session.call(
            operation_id,
            path=path,
            query=query,
            body=body,
            parse=lambda response: _parse(model, response),
        )

    # ---- service jobs ------------------------------------------------------------------
    async def get_service_job_by_service_job_id(
        self, service_job_id: str
    ) -> GetServiceJobByServiceJobIdResponse:
        op = "getServiceJobByServiceJobId"
        return await self._send(
            op,
            GetServiceJobByServiceJobIdResponse,
            path=self._path(op, serviceJobId=service_job_id),
        )

    async def get_service_jobs(
        self,
        *,
        created_after: datetime | str | None = None,
        created_before: datetime | str | None = None,
        last_updated_after: datetime | str | None = None,
        last_updated_before: datetime | str | None = None,
        schedule_start_date: datetime | str | None = None,
        schedule_end_date: datetime | str | None = None,
        service_job_status: Sequence[ServiceJobStatus | str] | None = None,
        service_order_ids: Sequence[str] | None = None,
        product_order_ids: Sequence[str] | None = None,
        tracking_ids: Sequence[str] | None = None,
        asins: Sequence[str] | None = None,
        required_skills: Sequence[str] | None = None,
        store_ids: Sequence[str] | None = None,
        sort_field: str | None = None,
        sort_order: str | None = None,
        page_size: int | None = None,
        page_token: str | None = None,
        marketplace_id: str | None = None,
    ) -> GetServiceJobsResponse:
        op = "getServiceJobs"
        query = self._query(
            op,
            ServiceJobsQuery,
            createdAfter=created_after,
            createdBefore=created_before,
            lastUpdatedAfter=last_updated_after,
            lastUpdatedBefore=last_updated_before,
            scheduleStartDate=schedule_start_date,
            scheduleEndDate=schedule_end_date,
            serviceJobStatus=_list(service_job_status),
            serviceOrderIds=_list(service_order_ids),
            productOrderIds=_list(product_order_ids),
            trackingIds=_list(tracking_ids),
            asins=_list(asins),
            requiredSkills=_list(required_skills),
            storeIds=_list(store_ids),
            sortField=sort_field,
            sortOrder=sort_order,
            pageSize=page_size,
            pageToken=page_token,
        )
        query.update(self._market(marketplace_id))
        return await self._send(op, GetServiceJobsResponse, query=query)

    async def iter_service_job_pages(self, **filters: Any) -> AsyncIterator[JobListing]:
        """Every page of getServiceJobs for these filters, fetched one at a time as consumed."""

        async def fetch(token: str | None) -> JobListing:
            answer = await self.get_service_jobs(page_token=token, **filters)
            return answer.payload or JobListing()

        async for listing in _pages(fetch, lambda listing: listing.next_page_token):
            yield listing

    async def iter_service_jobs(self, **filters: Any) -> AsyncIterator[ServiceJob]:
        async for listing in self.iter_service_job_pages(**filters):
            for job in listing.jobs or []:
                yield job

    async def cancel_service_job_by_service_job_id(
        self, service_job_id: str, cancellation_reason_code: str
    ) -> CancelServiceJobByServiceJobIdResponse:
        op = "cancelServiceJobByServiceJobId"
        path = self._path(op, serviceJobId=service_job_id)
        query = self._query(op, CancelQuery, cancellationReasonCode=cancellation_reason_code)
        return await self._write(
            self._send(op, CancelServiceJobByServiceJobIdResponse, path=path, query=query),
            service_job_id,
            lambda job: reconcile.after_status_change(job, ServiceJobStatus.CANCELLED),
        )

    async def complete_service_job_by_service_job_id(
        self, service_job_id: str
    ) -> CompleteServiceJobByServiceJobIdResponse:
        op = "completeServiceJobByServiceJobId"
        path = self._path(op, serviceJobId=service_job_id)
        return await self._write(
            self._send(op, CompleteServiceJobByServiceJobIdResponse, path=path),
            service_job_id,
            lambda job: reconcile.after_status_change(job, ServiceJobStatus.COMPLETED),
        )

    # ---- appointments ------------------------------------------------------------------
    async def add_appointment_for_service_job_by_service_job_id(
        self, service_job_id: str, body: AddAppointmentRequest | Mapping[str, Any]
    ) -> SetAppointmentResponse:
        op = "addAppointmentForServiceJobByServiceJobId"
        path = self._path(op, serviceJobId=service_job_id)
        wire = self._body(op, AddAppointmentRequest, body)
        start = _start_of(wire)
        return await self._write(
            self._send(op, SetAppointmentResponse, path=path, body=wire),
            service_job_id,
            (lambda job: reconcile.after_add(job, start)) if start else None,
            "the appointment",
        )

    async def reschedule_appointment_for_service_job_by_service_job_id(
        self,
        service_job_id: str,
        appointment_id: str,
        body: RescheduleAppointmentRequest | Mapping[str, Any],
    ) -> SetAppointmentResponse:
        op = "rescheduleAppointmentForServiceJobByServiceJobId"
        path = self._path(op, serviceJobId=service_job_id, appointmentId=appointment_id)
        wire = self._body(op, RescheduleAppointmentRequest, body)
        start = _start_of(wire)
        return await self._write(
            self._send(op, SetAppointmentResponse, path=path, body=wire),
            service_job_id,
            (lambda job: reconcile.after_reschedule(job, appointment_id, start)) if start else None,
            "the appointment",
        )

    async def assign_appointment_resources(
        self,
        service_job_id: str,
        appointment_id: str,
        body: AssignAppointmentResourcesRequest | Mapping[str, Any],
    ) -> AssignAppointmentResourcesResponse:
        op = "assignAppointmentResources"
        path = self._path(op, serviceJobId=service_job_id, appointmentId=appointment_id)
        wire = self._body(op, AssignAppointmentResourcesRequest, body)
        ids = [str(r.get("resourceId")) for r in (wire or {}).get("resources") or []]
        return await self._write(
            self._send(op, AssignAppointmentResourcesResponse, path=path, body=wire),
            service_job_id,
            lambda job: reconcile.after_assign(job, appointment_id, ids),
        )

    async def set_appointment_fulfillment_data(
        self,
        service_job_id: str,
        appointment_id: str,
        body: SetAppointmentFulfillmentDataRequest | Mapping[str, Any],
    ) -> Receipt:
        op = "setAppointmentFulfillmentData"
        path = self._path(op, serviceJobId=service_job_id, appointmentId=appointment_id)
        wire = self._body(op, SetAppointmentFulfillmentDataRequest, body)
        return await self._write(
            self._send(op, Receipt, path=path, body=wire),
            service_job_id,
            lambda job: reconcile.after_fulfillment(job, appointment_id, wire),
        )

    async def get_appointment_slots_by_job_id(
        self,
        service_job_id: str,
        *,
        start_time: datetime | str | None = None,
        end_time: datetime | str | None = None,
        marketplace_id: str | None = None,
    ) -> GetAppointmentSlotsResponse:
        """getAppointmmentSlotsByJobId (sic, Amazon's spelling of the operation id)."""
        op = "getAppointmmentSlotsByJobId"
        path = self._path(op, serviceJobId=service_job_id)
        query = self._query(op, SlotWindow, startTime=start_time, endTime=end_time)
        query.update(self._market(marketplace_id))
        return await self._send(op, GetAppointmentSlotsResponse, path=path, query=query)

    async def get_appointment_slots(
        self,
        asin: str,
        store_id: str,
        *,
        start_time: datetime | str | None = None,
        end_time: datetime | str | None = None,
        marketplace_id: str | None = None,
    ) -> GetAppointmentSlotsResponse:
        op = "getAppointmentSlots"
        query = self._query(op, SlotWindow, startTime=start_time, endTime=end_time)
        ids = self._query(op, SlotsQuery, asin=asin, storeId=store_id)
        query = {**ids, **query, **self._market(marketplace_id)}
        return await self._send(op, GetAppointmentSlotsResponse, query=query)

    # ---- capacity and schedules --------------------------------------------------------
    async def get_range_slot_capacity(
        self,
        resource_id: str,
        body: RangeSlotCapacityQuery | Mapping[str, Any],
        *,
        next_page_token: str | None = None,
        marketplace_id: str | None = None,
    ) -> RangeSlotCapacity:
        return await self._capacity(
            "getRangeSlotCapacity",
            RangeSlotCapacity,
            RangeSlotCapacityQuery,
            resource_id,
            body,
            next_page_token,
            marketplace_id,
        )

    async def get_fixed_slot_capacity(
        self,
        resource_id: str,
        body: FixedSlotCapacityQuery | Mapping[str, Any],
        *,
        next_page_token: str | None = None,
        marketplace_id: str | None = None,
    ) -> FixedSlotCapacity:
        return await self._capacity(
            "getFixedSlotCapacity",
            FixedSlotCapacity,
            FixedSlotCapacityQuery,
            resource_id,
            body,
            next_page_token,
            marketplace_id,
        )

    async def iter_range_slot_capacity(
        self, resource_id: str, body: RangeSlotCapacityQuery | Mapping[str, Any], **kw: Any
    ) -> AsyncIterator[RangeSlotCapacity]:
        def fetch(token: str | None) -> Awaitable[RangeSlotCapacity]:
            return self.get_range_slot_capacity(resource_id, body, next_page_token=token, **kw)

        async for page in _pages(fetch, lambda page: page.next_page_token):
            yield page

    async def iter_fixed_slot_capacity(
        self, resource_id: str, body: FixedSlotCapacityQuery | Mapping[str, Any], **kw: Any
    ) -> AsyncIterator[FixedSlotCapacity]:
        def fetch(token: str | None) -> Awaitable[FixedSlotCapacity]:
            return self.get_fixed_slot_capacity(resource_id, body, next_page_token=token, **kw)

        async for page in _pages(fetch, lambda page: page.next_page_token):
            yield page

    async def update_schedule(
        self,
        resource_id: str,
        body: UpdateScheduleRequest | Mapping[str, Any],
        *,
        marketplace_id: str | None = None,
    ) -> UpdateScheduleResponse:
        op = "updateSchedule"
        return await self._write(
            self._send(
                op,
                UpdateScheduleResponse,
                path=self._path(op, resourceId=resource_id),
                query=self._market(marketplace_id),
                body=self._body(op, UpdateScheduleRequest, body),
            ),
            None,
            None,
            "schedules",
        )

    # ---- reservations ------------------------------------------------------------------
    async def create_reservation(
        self,
        body: CreateReservationRequest | Mapping[str, Any],
        *,
        marketplace_id: str | None = None,
    ) -> CreateReservationResponse:
        op = "createReservation"
        return await self._write(
            self._send(
                op,
                CreateReservationResponse,
                query=self._market(marketplace_id),
                body=self._body(op, CreateReservationRequest, body),
            ),
            None,
            None,
            "reservations",
        )

    async def update_reservation(
        self,
        reservation_id: str,
        body: UpdateReservationRequest | Mapping[str, Any],
        *,
        marketplace_id: str | None = None,
    ) -> UpdateReservationResponse:
        op = "updateReservation"
        return await self._write(
            self._send(
                op,
                UpdateReservationResponse,
                path=self._path(op, reservationId=reservation_id),
                query=self._market(marketplace_id),
                body=self._body(op, UpdateReservationRequest, body),
            ),
            None,
            None,
            "reservations",
        )

    async def cancel_reservation(
        self, reservation_id: str, *, marketplace_id: str | None = None
    ) -> Receipt:
        op = "cancelReservation"
        return await self._write(
            self._send(
                op,
                Receipt,
                path=self._path(op, reservationId=reservation_id),
                query=self._market(marketplace_id),
            ),
            None,
            None,
            "reservations",
        )

    # ---- documents ---------------------------------------------------------------------
    async def create_service_document_upload_destination(
        self, body: ServiceUploadDocument | Mapping[str, Any]
    ) -> CreateServiceDocumentUploadDestination:
        op = "createServiceDocumentUploadDestination"
        return await self._send(
            op,
            CreateServiceDocumentUploadDestination,
            body=self._body(op, ServiceUploadDocument, body),
        )


def _list(values: Sequence[Any] | None) -> list[Any] | None:
    return list(values) if values is not None else None


def _start_of(wire: Any) -> datetime | None:
    """The requested start time, parsed, for reconciling an add or reschedule."""
    try:
        return parse_wire_datetime(wire["appointmentTime"]["startTime"])
    except (KeyError, TypeError, ValueError):
        return None


_P = TypeVar("_P")


async def _pages(
    fetch: Callable[[str | None], Awaitable[_P]], next_token: Callable[[_P], str | None]
) -> AsyncIterator[_P]:
    """Walk a paged operation; a token seen twice ends the walk instead of looping forever."""
    token: str | None = None
    seen: set[str] = set()
    while True:
        page = await fetch(token)
        yield page
        token = next_token(page)
        if not token or token in seen:
            return
        seen.add(token)
