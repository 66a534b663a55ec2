"""The building blocks every generated model uses.

One set of models serves both directions. Requests must honour every constraint in Amazon's
model, so that a bad value is refused before anything is sent. Responses must never break on data
Amazon sends that the model does not promise (a longer id, a new enum value, a new field), so
response parsing passes the ``LENIENT`` context, which turns the constraint checks off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    PlainSerializer,
    PrivateAttr,
    TypeAdapter,
    ValidationInfo,
    model_validator,
)
from pydantic_core import core_schema

LENIENT: dict[str, bool] = {"sptui.lenient": True}
"""Validation context for data that came from the server."""


DROP_UNKNOWN: dict[str, bool] = {"sptui.drop_unknown": True}
"""Validation context for a request taken as Amazon's servers take it: unknown fields are
dropped, not refused (Amazon's model never says ``additionalProperties: false``)."""


def is_lenient(info: ValidationInfo) -> bool:
    return _flag(info, "sptui.lenient")


def _flag(info: ValidationInfo, name: str) -> bool:
    context = info.context
    return isinstance(context, dict) and bool(context.get(name))


class MissingFieldsError(ValueError):
    """Required fields absent from a request; ``names`` are their wire names, in model order,
    so that a server can name them the way Amazon does."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(f"missing required field(s): {', '.join(names)}")
        self.names = names


class UnknownFieldsError(ValueError):
    """Fields a request has that the model does not (usually a typo)."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(f"unknown field(s): {', '.join(names)}")
        self.names = names


class OpenStrEnum(StrEnum):
    """A string enum that accepts values Amazon adds after this model was written.

    An unknown value becomes a pseudo-member (not listed in iteration) instead of an error, so a
    new job status never stops a listing from loading. ``known`` tells the two apart.
    """

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member

    @property
    def known(self) -> bool:
        return self._name_ in type(self).__members__

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # pydantic's own enum check refuses text holding a lone surrogate (JSON can carry one,
        # and a plain str field takes it), which would make a whole page of jobs unreadable
        # for one odd status. Any text is a member here, as _missing_ promises.
        return core_schema.no_info_plain_validator_function(cls._from_text)

    @classmethod
    def _from_text(cls, value: Any) -> Self:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            return cls(value)
        raise ValueError(f"must be text, one of {', '.join(m.value for m in cls)}")


@dataclass(frozen=True, slots=True)
class Rule:
    """Constraints from Amazon's model, enforced on requests and skipped on responses."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    ge: float | None = None
    le: float | None = None
    multiple_of: int | None = None
    min_items: int | None = None
    max_items: int | None = None
    utc: bool = False

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self._check, handler(source))

    def _check(self, value: Any, info: ValidationInfo) -> Any:
        if is_lenient(info):
            return value
        problem = self.problem(value)
        if problem:
            raise ValueError(problem)
        return value

    def problem(self, value: Any) -> str | None:
        """What is wrong with ``value``, in words a user can act on; None when it is fine."""
        if isinstance(value, OpenStrEnum) and not value.known:
            allowed = ", ".join(m.value for m in type(value))
            return f"{value.value!r} is not one of {allowed}"
        if isinstance(value, list):
            return self._items_problem(len(value))
        if isinstance(value, str):
            return self._text_problem(value)
        if isinstance(value, datetime):
            if self.utc and value.utcoffset() != timedelta(0):
                return "must be a UTC time (for example 2026-12-01T09:00:00Z)"
            return None
        if isinstance(value, int | float | Decimal):
            return self._number_problem(value)
        return None

    def _items_problem(self, count: int) -> str | None:
        if self.min_items is not None and count < self.min_items:
            return f"needs at least {self.min_items} item(s)"
        if self.max_items is not None and count > self.max_items:
            return f"takes at most {self.max_items} item(s), got {count}"
        return None

    def _text_problem(self, text: str) -> str | None:
        if self.min_length is not None and len(text) < self.min_length:
            return f"must be at least {self.min_length} character(s) long"
        if self.max_length is not None and len(text) > self.max_length:
            return f"must be at most {self.max_length} characters long, got {len(text)}"
        if self.pattern is not None and not re.search(self.pattern, text):
            words = PATTERN_WORDS.get(self.pattern)
            return (
                f"{words} (Amazon's pattern {self.pattern})"
                if words
                else (f"must match the pattern {self.pattern}")
            )
        return None

    def _number_problem(self, number: float | Decimal) -> str | None:
        if self.ge is not None and number < self.ge:
            return f"must be at least {_plain(self.ge)}"
        if self.le is not None and number > self.le:
            return f"must be at most {_plain(self.le)}"
        if self.multiple_of is not None and number % self.multiple_of != 0:
            return f"must be a multiple of {self.multiple_of}"
        return None


PATTERN_WORDS = {
    r"^[0-9\-]+$": "digits and - only",
    r"^[A-Za-z0-9\-]+$": "letters, digits and - only",
    r"^[A-Z0-9]*$": "capital letters and digits only",
}
"""Amazon's patterns in words, for the ones a person types."""


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


_SHORT_OFFSET = re.compile(r"([+-]\d{2})$")


def _normalise_datetime(value: Any) -> Any:
    # Amazon's own examples write offsets as "-07"; Python and pydantic want "-07:00".
    if isinstance(value, str):
        return _SHORT_OFFSET.sub(r"\1:00", value.strip())
    return value


def format_wire_datetime(value: datetime) -> str:
    """ISO 8601 as Amazon writes it: milliseconds only when present, UTC as ``Z``."""
    timespec = "milliseconds" if value.microsecond else "seconds"
    text = value.isoformat(timespec=timespec)
    if value.tzinfo is not None and value.utcoffset() == timedelta(0):
        text = text.removesuffix("+00:00") + "Z"
    return text


def require_aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("needs a time zone; times are sent in UTC (for example ...T09:00:00Z)")
    return value


def _check_aware(value: datetime, info: ValidationInfo) -> datetime:
    return value if is_lenient(info) else require_aware(value)


def _aware_schema(source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
    return core_schema.with_info_after_validator_function(_check_aware, handler(source))


class _Aware:
    __get_pydantic_core_schema__ = staticmethod(_aware_schema)


WireDateTime = Annotated[
    datetime,
    BeforeValidator(_normalise_datetime),
    _Aware(),
    PlainSerializer(format_wire_datetime, when_used="json"),
]
"""An ISO 8601 date-time with an explicit offset, written the way Amazon writes them."""

_DATETIME: TypeAdapter[datetime] = TypeAdapter(WireDateTime)


def parse_wire_datetime(text: str) -> datetime:
    """Parse a date-time as Amazon writes them (``Z``, ``+05:30`` or ``-07`` offsets)."""
    return _DATETIME.validate_python(text)


Money = Annotated[Decimal, PlainSerializer(float, when_used="json")]


def utc_now() -> datetime:
    return datetime.now(UTC)


class WireModel(BaseModel):
    """camelCase on the wire, snake_case in Python, unknown fields kept."""

    # defer_build: a model's validator is built on first use, so start-up does not pay for the
    # ~80 models of operations the session never calls.
    model_config = ConfigDict(populate_by_name=True, extra="allow", defer_build=True)

    required_fields: ClassVar[tuple[str, ...]] = ()
    """Fields Amazon's model requires. Every field is optional in Python so that a response
    missing one still parses; requests are checked against this list instead."""

    @model_validator(mode="after")
    def _complete_request(self, info: ValidationInfo) -> Self:
        if is_lenient(info):
            return self
        # In the order the model declares them, which is the order Amazon names them in.
        missing = [
            field.alias or name
            for name, field in type(self).model_fields.items()
            if name in self.required_fields and getattr(self, name) is None
        ]
        if missing:
            raise MissingFieldsError(missing)
        if self.model_extra and _flag(info, "sptui.drop_unknown"):
            self.model_extra.clear()
        # On a request an unknown field is almost always a typo ("startTim"); Amazon would
        # ignore it silently, so refuse it here instead.
        if self.model_extra:
            raise UnknownFieldsError(sorted(self.model_extra))
        return self

    def to_wire(self, *, pii: bool = True) -> dict[str, Any]:
        """The JSON body Amazon expects: camelCase keys, no nulls.

        ``pii=False`` leaves out every buyer field (``PiiModel.pii_fields``, at any depth), or
        where the model requires one, holds ``HIDDEN`` in its place: what the command line
        prints unless asked to reveal it.
        """
        data = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        if not pii:
            _hide_pii(self, data)
        return data

    @classmethod
    def from_wire(cls, data: Any) -> Self:
        """Parse a server response, tolerating anything Amazon adds later."""
        return cls.model_validate(data, context=LENIENT)


HIDDEN = "(hidden)"
"""What a buyer field Amazon's model requires holds when PII is left out: the document still
validates against the model, and no one can mistake it for data."""


def _hide_pii(model: WireModel, data: dict[str, Any]) -> None:
    """Remove every PII field under ``model`` from its dump ``data``, in place."""
    fields = type(model).model_fields
    required = getattr(model, "required_fields", ())
    for name in getattr(model, "pii_fields", ()):
        key = fields[name].alias or name
        if name in required and key in data:
            data[key] = HIDDEN
        else:
            data.pop(key, None)
    for name, info in fields.items():
        value, key = getattr(model, name), info.alias or name
        if isinstance(value, WireModel) and isinstance(data.get(key), dict):
            _hide_pii(value, data[key])
        elif isinstance(value, list) and isinstance(data.get(key), list):
            for item, dumped in zip(value, data[key], strict=False):
                if isinstance(item, WireModel) and isinstance(dumped, dict):
                    _hide_pii(item, dumped)


class PiiModel(WireModel):
    """A model holding buyer PII in ``pii_fields``.

    Those fields are left out of ``repr`` and sptui logs ids only, so buyer data stays out of
    logs by construction. They are not handed to the log redactor: a matcher cannot tell a
    postal code from the same digits in "retry 98101 ms", and holding every buyer of every page
    would make each log record slower to scrub.
    """

    pii_fields: ClassVar[tuple[str, ...]] = ()


class AnswerModel(WireModel):
    """A whole answer to an operation: it remembers the ``x-amzn-RequestId`` it came with.

    Only top-level answers carry it; a private attribute on every nested model would cost a
    pydantic initialisation per object, thousands per page of jobs.
    """

    _request_id: str | None = PrivateAttr(default=None)
    _rate_limit: str | None = PrivateAttr(default=None)

    @property
    def request_id(self) -> str | None:
        """Amazon's ``x-amzn-RequestId`` of the answer this was parsed from, if any."""
        return self._request_id

    @property
    def rate_limit(self) -> str | None:
        """The ``x-amzn-RateLimit-Limit`` Amazon sent with this answer, if it sent one."""
        return self._rate_limit
