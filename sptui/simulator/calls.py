"""One API request as the simulator's operations see it, and the refusals they can raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from pydantic import ValidationError

from sptui.spapi.models import WireModel
from sptui.spapi.models.base import DROP_UNKNOWN, MissingFieldsError, Rule, UnknownFieldsError
from sptui.spapi.operations import BASE_PATH, OPERATIONS
from sptui.spapi.params import problems_of
from sptui.spapi.sandbox import model_document, parameter_locations

from .world import World

M = TypeVar("M", bound=WireModel)


class ApiFault(Exception):
    """An answer other than success: status plus Amazon's error entries."""

    def __init__(
        self, status: int, message: str, code: str = "InvalidInput", details: str = ""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.errors = [{"code": code, "message": message, "details": details}]

    @classmethod
    def many(cls, status: int, errors: list[dict[str, str]]) -> ApiFault:
        fault = cls(status, errors[0]["message"], errors[0]["code"])
        fault.errors = errors
        return fault


def bad_parameters(*names: str, details: str = "", end: str = "") -> ApiFault:
    """Amazon's words for a missing or bad parameter, wherever it travels (path, query, body);
    ``end`` is the full stop one operation (createServiceDocumentUploadDestination) adds."""
    return ApiFault(
        400, f"Missing or invalid request parameters: [{', '.join(names)}]{end}", details=details
    )


@dataclass
class Call:
    operation_id: str
    path: dict[str, str]
    query: dict[str, list[str]]
    body: Any
    world: World
    base_url: str
    settings: dict[str, Any] = field(default_factory=dict)
    strict: bool = False
    """Refuse unknown query parameters and body fields; Amazon ignores them."""

    def scalar(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None

    def marketplace(self) -> str:
        values = self.query.get("marketplaceIds") or []
        if len(values) != 1 or not values[0]:
            raise bad_parameters("marketplaceIds", details="exactly one marketplace id is required")
        return values[0]

    def query_input(self) -> dict[str, Any]:
        """The query as the client's parameter models take it: arrays as lists."""
        arrays = _array_parameters(self.operation_id)
        return {
            k: (v if k in arrays else v[0])
            for k, v in self.query.items()
            if v and k != "marketplaceIds"  # checked on its own by marketplace()
        }

    def parse(self, model: type[M], data: Any, *, end: str = "") -> M:
        """Validate against the model's constraints; refuse as Amazon does, naming the fields."""
        context = None if self.strict else DROP_UNKNOWN
        try:
            return model.model_validate(data if data is not None else {}, context=context)
        except ValidationError as error:
            problems = problems_of(error)
            details = "; ".join(f"{f}: {p}" if f else p for f, p in problems)
            names = _named(error)
            if names:
                raise bad_parameters(*names, details=details, end=end) from None
            raise ApiFault(400, details) from None

    def check_path(self) -> None:
        """Path ids within the model's lengths (1 to 100 characters), else a 400 naming them."""
        rules = _path_rules(self.operation_id)
        bad = sorted(n for n, v in self.path.items() if n in rules and rules[n].problem(v))
        if bad:
            raise bad_parameters(*bad)


def _named(error: ValidationError) -> list[str]:
    """The top-level fields a validation error is about, missing ones included, in order."""
    names: dict[str, None] = {}
    for item in error.errors(include_url=False, include_input=False):
        cause = (item.get("ctx") or {}).get("error")
        if item["loc"]:
            names[str(item["loc"][0])] = None
        elif isinstance(cause, MissingFieldsError | UnknownFieldsError):
            names.update(dict.fromkeys(cause.names))
    return list(names)


@cache
def _path_rules(operation_id: str) -> dict[str, Rule]:
    op = OPERATIONS[operation_id]
    spec = model_document()["paths"][BASE_PATH + op.path][op.method.lower()]
    return {
        p["name"]: Rule(min_length=p.get("minLength"), max_length=p.get("maxLength"))
        for p in spec.get("parameters", [])
        if p["in"] == "path"
    }


def _array_parameters(operation_id: str) -> set[str]:
    op_params = parameter_locations(operation_id)
    paths = model_document()["paths"]
    found: set[str] = set()
    for methods in paths.values():
        for spec in methods.values():
            if isinstance(spec, dict) and spec.get("operationId") == operation_id:
                found = {p["name"] for p in spec.get("parameters", []) if p.get("type") == "array"}
    return found & set(op_params)
