"""Refusals worded per operation, as Amazon's sandbox cases word them.

Amazon's operations do not agree on punctuation, and the two capacity operations fold every
400 into one entry that lists the problems; the texts below are copied from the model.
"""

from __future__ import annotations

from .calls import ApiFault

_NOT_YOURS = "Not authorized to access this resource. Please check your input again."
_NOT_YOURS_TERSE = "Not authorized to access this resource.Please check your input again"
_TERSE = frozenset({"cancelServiceJobByServiceJobId", "completeServiceJobByServiceJobId"})

LISTS_PROBLEMS = frozenset({"getRangeSlotCapacity", "getFixedSlotCapacity"})
"""Operations whose 400 is one "This is invalid input" entry listing what was wrong."""


def not_yours(operation_id: str) -> ApiFault:
    """A job that exists but belongs to another service provider."""
    message = _NOT_YOURS_TERSE if operation_id in _TERSE else _NOT_YOURS
    return ApiFault(403, message, code="UnauthorizedAction")


def worded(operation_id: str, fault: ApiFault) -> list[dict[str, str]]:
    """The error entries ``fault`` is answered with by ``operation_id``."""
    if fault.status != 400 or operation_id not in LISTS_PROBLEMS:
        return fault.errors
    if [e["message"] for e in fault.errors] == ["This is invalid input"]:
        return fault.errors
    problems = ", ".join(e["message"] for e in fault.errors)
    return [
        {
            "code": "InvalidInput",
            "message": "This is invalid input",
            "details": f"Received the following errors: [{problems}]",
        }
    ]
