"""Turn one of Amazon's sandbox cases into the ServicesClient call it describes."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from sptui.spapi import ServicesClient
from sptui.spapi.dispatch import PATH_PARAMETERS, WITH_BODY, call_operation
from sptui.spapi.sandbox import SandboxCase

ANY_ID = "anyIdTheCaseDoesNotName"
DEFAULT_QUERY = {
    "getServiceJobs": {"createdAfter": "2026-01-01T00:00:00Z"},
    "cancelServiceJobByServiceJobId": {"cancellationReasonCode": "V1"},
    "getAppointmentSlots": {"asin": "B000000000", "storeId": ANY_ID},
}


def call_for(client: ServicesClient, case: SandboxCase) -> Awaitable[Any]:
    """The case's call, with stand-ins for what a case leaves out but a call must name."""
    op = case.operation_id
    p = dict(case.parameters)
    body = p.pop("body", {} if op in WITH_BODY else None)
    path = {name: str(p.pop(name, ANY_ID)) for name in PATH_PARAMETERS[op]}
    query = {k: ",".join(v) if isinstance(v, list) else str(v) for k, v in p.items()}
    defaults = DEFAULT_QUERY.get(op, {})
    if op == "getServiceJobs" and "lastUpdatedAfter" in query:
        defaults = {}
    return call_operation(client, op, path, {**defaults, **query}, body)
