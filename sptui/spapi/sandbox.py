"""Amazon's static-sandbox cases, and the rule for whether a request matches one.

Amazon's model lists, per operation and status, request parameters and the canned answer its
static sandbox gives for them. A case names only the parameters it cares about; any value of the
others matches. Where several cases match, the one naming the most parameters wins, as a more
specific case is plainly meant to override a catch-all one. Date-times compare as instants, so
``2021-01-01T10:00:00Z`` matches ``2021-01-01T10:00:00.000Z``; everything else compares exactly.

The client's conformance test and the simulator's sandbox mode both use this module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any
from urllib.parse import unquote

from .models.base import parse_wire_datetime
from .operations import BASE_PATH, OPERATIONS


@cache
def model_document() -> dict[str, Any]:
    """Amazon's Services API model, as shipped inside the package."""
    text = resources.files("sptui.spapi").joinpath("data/services.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@dataclass(frozen=True)
class SandboxCase:
    operation_id: str
    status: int
    parameters: dict[str, Any]
    response: Any
    index: int
    """Position among all cases in the model file, for naming a case in test output."""

    @property
    def label(self) -> str:
        return f"{self.index:03d}-{self.operation_id}-{self.status}"


@dataclass(frozen=True)
class Incoming:
    """A request reduced to what cases are matched on."""

    operation_id: str
    path: dict[str, str]
    query: dict[str, list[str]]
    body: Any = field(default=None)


def parameter_locations(operation_id: str) -> dict[str, str]:
    """Each parameter of an operation and where it travels: path, query or body."""
    op = OPERATIONS[operation_id]
    spec = model_document()["paths"][BASE_PATH + op.path][op.method.lower()]
    return {p["name"]: p["in"] for p in spec.get("parameters", [])}


def _unwrap(operation_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    names = parameter_locations(operation_id)
    values: dict[str, Any] = {}
    for name, entry in raw.items():
        if not isinstance(entry, dict):
            continue
        if "value" in entry:
            values[name] = entry["value"]
        # One of Amazon's cases nests a path parameter inside "body"; lift it out.
        for inner, inner_entry in entry.items():
            if inner in names and isinstance(inner_entry, dict) and "value" in inner_entry:
                values[inner] = inner_entry["value"]
    return values


@cache
def load_cases() -> tuple[SandboxCase, ...]:
    cases: list[SandboxCase] = []
    by_route = {(op.method.lower(), BASE_PATH + op.path): op for op in OPERATIONS.values()}
    for path, methods in model_document()["paths"].items():
        for method, spec in methods.items():
            if method == "parameters":
                continue
            operation_id = by_route[(method, path)].operation_id
            for status, answer in spec["responses"].items():
                for pair in answer.get("x-amzn-api-sandbox", {}).get("static", []):
                    cases.append(
                        SandboxCase(
                            operation_id=operation_id,
                            status=int(status),
                            parameters=_unwrap(operation_id, pair["request"]["parameters"]),
                            response=pair["response"],
                            index=len(cases),
                        )
                    )
    return tuple(cases)


# ---- routing a raw request to an operation --------------------------------------------
def _route_pattern(template: str) -> re.Pattern[str]:
    regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]*)", re.escape(BASE_PATH + template))
    return re.compile(f"^{regex}$")


_ROUTES = [(op, _route_pattern(op.path)) for op in OPERATIONS.values()]


def route(method: str, path: str) -> tuple[str, dict[str, str]] | None:
    """The operation a method and path address, with its decoded path parameters."""
    for op, pattern in _ROUTES:
        if op.method == method.upper():
            found = pattern.match(path)
            if found:
                return op.operation_id, {k: unquote(v) for k, v in found.groupdict().items()}
    return None


def incoming(
    method: str, path: str, query: Iterable[tuple[str, str]], body: bytes
) -> Incoming | None:
    routed = route(method, path)
    if routed is None:
        return None
    return parse_incoming(*routed, query, body)


def parse_incoming(
    operation_id: str, path_params: dict[str, str], query: Iterable[tuple[str, str]], body: bytes
) -> Incoming:
    """A routed request's query and body as cases are matched on; a body that is not JSON stays
    text (its receiver answers 400 for it)."""
    values: dict[str, list[str]] = {}
    for name, value in query:
        # Real clients send arrays both comma-joined and repeated; treat them alike.
        values.setdefault(name, []).extend(value.split(","))
    parsed: Any = None
    if body:
        try:
            parsed = json.loads(body)
        except (ValueError, RecursionError):
            # ValueError covers bad JSON, bad UTF-8 and over-long integers; RecursionError a
            # body nested deeper than the interpreter's stack ([[[[...]]]] 100,000 deep).
            parsed = body.decode("utf-8", "replace")
    return Incoming(operation_id, path_params, values, parsed)


# ---- matching ----------------------------------------------------------------------
def _as_instant(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-":
        try:
            return parse_wire_datetime(value)
        except ValueError:
            return None
    return None


def same(expected: Any, actual: Any) -> bool:
    """Deep equality in which date-time strings compare as instants."""
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(same(expected[k], actual[k]) for k in expected)
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(same(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, str) and isinstance(actual, str) and expected != actual:
        instant = _as_instant(expected)
        return instant is not None and instant == _as_instant(actual)
    return bool(expected == actual) and type(expected) is type(actual)


def _query_matches(expected: Any, actual: Sequence[str] | None) -> bool:
    if actual is None:
        return False
    wanted = [str(v) for v in expected] if isinstance(expected, list) else [str(expected)]
    return same(wanted, list(actual))


def match_score(case: SandboxCase, request: Incoming) -> int | None:
    """How specifically ``case`` matches ``request`` (parameters it names), or None."""
    if case.operation_id != request.operation_id:
        return None
    locations = parameter_locations(case.operation_id)
    for name, expected in case.parameters.items():
        where = locations.get(name)
        if where == "path":
            if request.path.get(name) != expected:
                return None
        elif where == "query":
            if not _query_matches(expected, request.query.get(name)):
                return None
        elif where == "body":
            if not same(expected, request.body if request.body is not None else {}):
                return None
        else:
            return None
    return len(case.parameters)


def find_case(request: Incoming, cases: Sequence[SandboxCase] | None = None) -> SandboxCase | None:
    """The most specific case matching ``request``; the earliest wins a tie."""
    best: SandboxCase | None = None
    best_score = -1
    for case in cases if cases is not None else load_cases():
        score = match_score(case, request)
        if score is not None and score > best_score:
            best, best_score = case, score
    return best
