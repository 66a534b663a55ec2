"""A journal line as a person reads it: operations in words, the whole entry as label and value.

Both faces show the journal; the console lists it and opens one line whole (enter), and the
command line could print the same. Values come from the journal file, which anyone with access
to the account can edit: the faces clean them before drawing.
"""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from typing import Any

OPERATION_WORDS = {
    "cancelServiceJobByServiceJobId": "Cancel job",
    "completeServiceJobByServiceJobId": "Complete job",
    "addAppointmentForServiceJobByServiceJobId": "Book appointment",
    "rescheduleAppointmentForServiceJobByServiceJobId": "Move appointment",
    "assignAppointmentResources": "Assign technicians",
    "setAppointmentFulfillmentData": "Set fulfillment data",
    "createServiceDocumentUploadDestination": "Upload a document",
    "updateSchedule": "Set schedule",
    "createReservation": "Create reservation",
    "updateReservation": "Change reservation",
    "cancelReservation": "Cancel reservation",
    "getServiceJobByServiceJobId": "Read job",
    "getServiceJobs": "List jobs",
    "getRangeSlotCapacity": "Read capacity (range)",
    "getFixedSlotCapacity": "Read capacity (fixed)",
    "getAppointmmentSlotsByJobId": "Open slots of a job",
    "getAppointmentSlots": "Open slots of a service",
}


def operation_words(operation: str) -> str:
    """An operation in words ("Cancel job"); the API name itself if sptui has none for it."""
    return OPERATION_WORDS.get(operation, operation)


def entry_time(text: str, zone: tzinfo | None) -> str:
    try:
        return datetime.fromisoformat(text).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S %Z")
    except (TypeError, ValueError):
        return text


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_value(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        if all(isinstance(v, str | int | float) for v in value):
            return ", ".join(str(v) for v in value) or "—"
        return "\n".join(json.dumps(v, ensure_ascii=False, default=str) for v in value)
    return "—" if value is None or value == "" else str(value)


def entry_lines(entry: dict[str, Any], zone: tzinfo | None) -> list[tuple[str, str]]:
    """Every field of a journal line, labelled, in the order a person asks about them."""
    operation = str(entry.get("operation") or "?")
    words = operation_words(operation)
    pairs = [
        ("Time", entry_time(str(entry.get("time") or ""), zone)),
        ("Operation", f"{words} ({operation})" if words != operation else operation),
        ("Outcome", _value(entry.get("outcome"))),
        ("Message", _value(entry.get("message"))),
        ("Request id", _value(entry.get("request_id"))),
        ("Warnings", _value(entry.get("warnings"))),
        (
            "Errors",
            _value([f"{e.get('code')}: {e.get('message')}" for e in entry.get("errors") or []]),
        ),
        ("Ids", _value(entry.get("ids"))),
        ("Created", _value(entry.get("created"))),
        ("Parameters", _value(entry.get("parameters"))),
        ("About", _value(entry.get("about"))),
        ("User", _value(entry.get("user"))),
        ("Profile · mode", f"{_value(entry.get('profile'))} · {_value(entry.get('mode'))}"),
    ]
    if entry.get("reconciled"):
        pairs.insert(3, ("Reconciled", "yes: a later look at the job settled the outcome"))
    known = {
        "time",
        "operation",
        "outcome",
        "message",
        "request_id",
        "warnings",
        "errors",
        "ids",
        "created",
        "parameters",
        "about",
        "user",
        "profile",
        "mode",
        "reconciled",
    }
    pairs += [(str(k), _value(v)) for k, v in entry.items() if k not in known]
    return pairs
