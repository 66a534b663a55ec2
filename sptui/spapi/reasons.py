"""The reason codes Amazon's own model shows being accepted (V1 to cancel, R1 to reschedule).

Amazon documents no list; the static-sandbox cases answered 200 are the only codes known good.
"""

from __future__ import annotations

from functools import cache

from .sandbox import load_cases


@cache
def model_reason_codes() -> dict[str, frozenset[str]]:
    cancel: set[str] = set()
    reschedule: set[str] = set()
    for case in load_cases():
        if case.status != 200:
            continue
        if case.operation_id == "cancelServiceJobByServiceJobId":
            cancel.add(str(case.parameters.get("cancellationReasonCode")))
        if case.operation_id == "rescheduleAppointmentForServiceJobByServiceJobId":
            reschedule.add(str(case.parameters["body"]["rescheduleReasonCode"]))
    return {"cancel": frozenset(cancel), "reschedule": frozenset(reschedule)}
