"""Path and query parameters, with the constraints Amazon's model puts on them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Annotated, Any, Self

from pydantic import Field, ValidationError, ValidationInfo, model_validator

from .errors import RequestValidationError
from .models import ServiceJobStatus
from .models.base import (
    OpenStrEnum,
    Rule,
    WireDateTime,
    WireModel,
    format_wire_datetime,
    is_lenient,
)

PATH_ID = Rule(min_length=1, max_length=100)
MAX_SLOT_RANGE = timedelta(days=90)


class SortField(OpenStrEnum):
    JOB_DATE = "JOB_DATE"
    JOB_STATUS = "JOB_STATUS"


class SortOrder(OpenStrEnum):
    ASC = "ASC"
    DESC = "DESC"


_Orders = Annotated[str, Rule(pattern=r"^[0-9\-]+$")]
_Tracking = Annotated[str, Rule(pattern=r"^[A-Za-z0-9\-]+$")]
_Asin = Annotated[str, Rule(min_length=10, max_length=10)]
_Skill = Annotated[str, Rule(min_length=1, max_length=50)]
_Store = Annotated[str, Rule(min_length=1, max_length=100)]
_Status = Annotated[ServiceJobStatus, Rule()]
_UpTo20 = Rule(min_items=1, max_items=20)


class ServiceJobsQuery(WireModel):
    """The filters of getServiceJobs."""

    service_order_ids: Annotated[list[_Orders], _UpTo20] | None = Field(
        None, alias="serviceOrderIds"
    )
    product_order_ids: Annotated[list[_Orders], _UpTo20] | None = Field(
        None, alias="productOrderIds"
    )
    tracking_ids: Annotated[list[_Tracking], _UpTo20] | None = Field(None, alias="trackingIds")
    service_job_status: Annotated[list[_Status], Rule(min_items=1)] | None = Field(
        None, alias="serviceJobStatus"
    )
    page_token: str | None = Field(None, alias="pageToken")
    page_size: Annotated[int, Rule(ge=1, le=20)] | None = Field(None, alias="pageSize")
    sort_field: Annotated[SortField, Rule()] | None = Field(None, alias="sortField")
    sort_order: Annotated[SortOrder, Rule()] | None = Field(None, alias="sortOrder")
    created_after: WireDateTime | None = Field(None, alias="createdAfter")
    created_before: WireDateTime | None = Field(None, alias="createdBefore")
    last_updated_after: WireDateTime | None = Field(None, alias="lastUpdatedAfter")
    last_updated_before: WireDateTime | None = Field(None, alias="lastUpdatedBefore")
    schedule_start_date: WireDateTime | None = Field(None, alias="scheduleStartDate")
    schedule_end_date: WireDateTime | None = Field(None, alias="scheduleEndDate")
    asins: Annotated[list[_Asin], _UpTo20] | None = Field(None, alias="asins")
    required_skills: Annotated[list[_Skill], _UpTo20] | None = Field(None, alias="requiredSkills")
    store_ids: Annotated[list[_Store], Rule(min_items=1, max_items=50)] | None = Field(
        None, alias="storeIds"
    )

    @model_validator(mode="after")
    def _one_anchor(self, info: ValidationInfo) -> Self:
        if is_lenient(info):
            return self
        # Amazon answers 400 unless exactly one of the two is given.
        if (self.created_after is None) == (self.last_updated_after is None):
            raise ValueError("give exactly one of createdAfter and lastUpdatedAfter")
        return self


class CancelQuery(WireModel):
    """cancelServiceJobByServiceJobId's reason, a query parameter (not a body field)."""

    required_fields = ("cancellation_reason_code",)
    cancellation_reason_code: (
        Annotated[str, Rule(min_length=1, max_length=100, pattern="^[A-Z0-9_]*$")] | None
    ) = Field(None, alias="cancellationReasonCode")


class SlotsQuery(WireModel):
    """getAppointmentSlots's product and store."""

    required_fields = ("asin", "store_id")
    asin: str | None = Field(None, alias="asin")
    store_id: _Store | None = Field(None, alias="storeId")


class SlotWindow(WireModel):
    """The optional time window of the two appointment-slot reads."""

    start_time: WireDateTime | None = Field(None, alias="startTime")
    end_time: WireDateTime | None = Field(None, alias="endTime")

    @model_validator(mode="after")
    def _window(self, info: ValidationInfo) -> Self:
        if is_lenient(info):
            return self
        start, end = self.start_time, self.end_time
        if (start is None) != (end is None):
            raise ValueError("give startTime and endTime together, or neither")
        if start is not None and end is not None:
            if end <= start:
                raise ValueError("endTime must be after startTime")
            if end - start > MAX_SLOT_RANGE:
                raise ValueError("startTime and endTime may be at most 90 days apart")
        return self


def problems_of(error: ValidationError) -> list[tuple[str, str]]:
    """Pydantic's errors as (wire field, plain message) pairs, never echoing the input value."""
    out = []
    for item in error.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        out.append((field, message))
    return out


def validated(operation_id: str, model: type[WireModel], data: Any) -> dict[str, Any]:
    """``data`` checked against ``model``; the wire form, or RequestValidationError."""
    raw = data.to_wire() if isinstance(data, WireModel) else data
    if raw is None:
        raw = {}
    try:
        return model.model_validate(raw).to_wire()
    except ValidationError as error:
        raise RequestValidationError(operation_id, problems_of(error)) from None


def _unsendable(value: str) -> str | None:
    """A lone surrogate (JSON can carry one) has no UTF-8 form, so no URL can hold it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "holds a character that cannot be sent (half of a surrogate pair)"
    return None


def check_path(operation_id: str, **values: str) -> dict[str, str]:
    problems = []
    for name, value in values.items():
        if isinstance(value, str):
            problem = PATH_ID.problem(value) or _unsendable(value)
        else:
            problem = "must be text"
        if problem:
            problems.append((name, problem))
    if problems:
        raise RequestValidationError(operation_id, problems)
    return values


def encode_query(values: Mapping[str, Any]) -> dict[str, str]:
    """Query values as Amazon takes them: arrays comma-joined (never repeated), times ISO."""
    out: dict[str, str] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            out[name] = ",".join(_scalar(v) for v in value)
        else:
            out[name] = _scalar(value)
    return out


def _scalar(value: Any) -> str:
    if isinstance(value, datetime):
        return format_wire_datetime(value)
    return str(value.value if isinstance(value, OpenStrEnum) else value)
