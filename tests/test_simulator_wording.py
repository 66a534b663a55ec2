"""Refusals in the words of Amazon's static-sandbox cases, and another provider's jobs.

Where a refusal has no job or appointment id in it, its text must be one the model's sandbox
cases use, character for character (Amazon's punctuation differs between operations).
"""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from typing import Any

import httpx
import pytest

from sptui.simulator import Simulator
from sptui.simulator.seed import PROVIDER_ID
from sptui.spapi.sandbox import load_cases

from .sim_helpers import raw, simulator, token
from .test_simulator_rules import pick

MARKET = "marketplaceIds=ATVPDKIKX0DER"
LONG = "J" * 101  # the model's path ids are 1 to 100 characters


@cache
def sandbox_texts() -> frozenset[str]:
    """Every error message and details text of the model's sandbox cases."""
    texts: set[str] = set()
    for case in load_cases():
        response = case.response
        entries = response.get("errors") if isinstance(response, dict) else response
        if isinstance(response, dict) and isinstance(response.get("payload"), dict):
            entries = [*(entries or []), *(response["payload"].get("errors") or [])]
        for entry in entries if isinstance(entries, list) else []:
            texts.update(v for k, v in entry.items() if k in ("message", "details") and v)
    return frozenset(texts)


async def _ask(
    sim: Simulator, method: str, path: str, body: Any = None, query: str = ""
) -> httpx.Response:
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim)}
        url = f"/service/v1{path}" + (f"?{query}" if query else "")
        return await http.request(method, url, json=body, headers=headers)


def _error(answer: httpx.Response) -> dict[str, str]:
    body = answer.json()
    entries = body if isinstance(body, list) else body["errors"]
    return dict(entries[0])


def _amazons(text: str) -> str:
    assert text in sandbox_texts(), f"not in any sandbox case of the model: {text!r}"
    return text


# ---- missing body fields say what a missing query parameter says ---------------------------
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Missing or invalid request parameters: [contentType, contentLength]."),
        ({"contentType": "PNG"}, "Missing or invalid request parameters: [contentLength]."),
        ({"contentLength": 123}, "Missing or invalid request parameters: [contentType]."),
    ],
)
async def test_missing_document_fields_are_named_as_amazon_names_them(
    body: dict[str, Any], message: str
) -> None:
    answer = await _ask(simulator(jobs=1), "POST", "/documents", body)
    assert answer.status_code == 400 and _error(answer)["message"] == _amazons(message)


async def test_a_missing_body_field_is_named_like_a_missing_query_parameter() -> None:
    sim = simulator(jobs=60)
    record = pick(sim, "NOT_SERVICED", active=True)
    active = record.active()
    assert active is not None
    start = (sim.world.clock() + timedelta(days=3)).strftime("%Y-%m-%dT10:00:00Z")
    answer = await _ask(
        sim,
        "POST",
        f"/serviceJobs/{record.job_id}/appointments/{active.appointment_id}",
        {"appointmentTime": {"startTime": start}},
    )
    assert answer.status_code == 400
    assert _error(answer)["message"] == (
        "Missing or invalid request parameters: [rescheduleReasonCode]"
    )
    assert "missing required field" not in _error(answer)["message"]


# ---- slots ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("window", "by_job", "for_product"),
    [
        (
            "startTime=2031-04-04T05:00:00Z&endTime=2031-04-04T02:00:00Z",
            "End Time should be after Start Time",
            "Range End Time should be after Range Start Time",
        ),
        (
            "startTime=2031-04-04T05:00:00Z&endTime=20-21-04-04T01:00:00Z",
            "End Time is not a valid ISO date/time object",
            "Range End Time is not a valid ISO date/time object",
        ),
    ],
)
async def test_slot_windows_are_refused_in_amazons_words(
    window: str, by_job: str, for_product: str
) -> None:
    sim = simulator(jobs=20)
    record = next(iter(sim.world.jobs.values()))
    scope = record.job.scope_of_work
    assert scope is not None
    job = await _ask(
        sim, "GET", f"/serviceJobs/{record.job_id}/appointmentSlots", query=f"{MARKET}&{window}"
    )
    product = await _ask(
        sim,
        "GET",
        "/appointmentSlots",
        query=f"{MARKET}&asin={scope.asin}&storeId={record.job.store_id}&{window}",
    )
    assert job.status_code == product.status_code == 400
    assert _error(job)["message"] == _amazons(by_job)
    assert _error(product)["message"] == _amazons(for_product)


# ---- capacity ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            {"startDateTime": "2031-04-04T02:00:00Z", "endDateTime": "2031-04-04T00:00:00Z"},
            "endDateTime should be after Start Time",
        ),
        ({"startDateTime": "2031-04-04T00:00:00Z"}, "startDateTime or endDateTime are not present"),
        (
            {"startDateTime": "2021-0", "endDateTime": "2031-04-04T00:00:00Z"},
            "startDateTime is not a valid ISO date/time object",
        ),
        (
            {
                "startDateTime": "2031-04-04T00:00:00Z",
                "endDateTime": "2031-04-04T02:00:00Z",
                "slotDuration": 400,
            },
            "Slot duration is not valid, it should be a multiple of 5 and within allowed range.",
        ),
    ],
)
async def test_capacity_refusals_list_the_problems(body: dict[str, Any], problem: str) -> None:
    sim = simulator(jobs=1)
    tech = next(iter(sim.world.technicians))
    answer = await _ask(sim, "POST", f"/serviceResources/{tech}/capacity/fixed", body, MARKET)
    assert answer.status_code == 400
    error = _error(answer)
    assert error["code"] == "InvalidInput"
    assert error["message"] == _amazons("This is invalid input")
    assert error["details"] == _amazons(f"Received the following errors: [{problem}]")


async def test_an_unknown_resource_is_a_bad_resource_id_in_the_capacity_list() -> None:
    sim = simulator(jobs=1)
    body = {"startDateTime": "2031-04-04T00:00:00Z", "endDateTime": "2031-04-04T02:00:00Z"}
    for kind in ("range", "fixed"):
        answer = await _ask(sim, "POST", f"/serviceResources/NOBODY/capacity/{kind}", body, MARKET)
        assert answer.status_code == 400
        assert _error(answer)["details"] == _amazons(
            "Received the following errors: [Missing or invalid request parameters: [resourceId]]"
        )


# ---- path ids longer than the model allows -------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "query", "named"),
    [
        ("GET", f"/serviceJobs/{LONG}", "", "serviceJobId"),
        ("PUT", f"/serviceJobs/{LONG}/cancellations", "cancellationReasonCode=V1", "serviceJobId"),
        ("PUT", f"/serviceJobs/{LONG}/completions", "", "serviceJobId"),
        ("POST", f"/serviceJobs/{LONG}/appointments", "", "serviceJobId"),
        ("POST", f"/serviceJobs/J1/appointments/{LONG}", "", "appointmentId"),
        (
            "PUT",
            f"/serviceJobs/{LONG}/appointments/{LONG}/resources",
            "",
            "appointmentId, serviceJobId",
        ),
        ("PUT", f"/serviceJobs/J1/appointments/{LONG}/fulfillment", "", "appointmentId"),
        ("GET", f"/serviceJobs/{LONG}/appointmentSlots", MARKET, "serviceJobId"),
        ("PUT", f"/serviceResources/{LONG}/schedules", MARKET, "resourceId"),
        ("PUT", f"/reservation/{LONG}", MARKET, "reservationId"),
        ("DELETE", f"/reservation/{LONG}", MARKET, "reservationId"),
    ],
)
async def test_an_over_long_path_id_is_a_400(
    method: str, path: str, query: str, named: str
) -> None:
    answer = await _ask(simulator(jobs=1), method, path, {}, query)
    assert answer.status_code == 400, answer.text
    assert _error(answer)["message"] == _amazons(
        f"Missing or invalid request parameters: [{named}]"
    )


async def test_an_over_long_resource_id_is_listed_by_the_capacity_operations() -> None:
    body = {"startDateTime": "2031-04-04T00:00:00Z", "endDateTime": "2031-04-04T02:00:00Z"}
    answer = await _ask(
        simulator(jobs=1), "POST", f"/serviceResources/{LONG}/capacity/range", body, MARKET
    )
    assert answer.status_code == 400
    assert "[Missing or invalid request parameters: [resourceId]]" in _error(answer)["details"]


async def test_an_id_of_exactly_100_characters_is_looked_up() -> None:
    answer = await _ask(simulator(jobs=1), "GET", f"/serviceJobs/{'J' * 100}")
    assert answer.status_code == 404


# ---- another provider's jobs ---------------------------------------------------------------
def test_the_world_has_another_providers_jobs_apart_from_ours() -> None:
    sim = simulator(jobs=60)
    others = sim.world.other_provider_jobs
    assert len(others) >= 3 and not set(others) & set(sim.world.jobs)
    for record in others.values():
        provider = record.job.service_job_provider
        assert provider is not None and provider.service_job_provider_id != PROVIDER_ID
    again = simulator(jobs=60)
    assert list(again.world.other_provider_jobs) == list(others)  # as deterministic as ours


async def test_another_providers_jobs_are_not_listed() -> None:
    sim = simulator(jobs=60)
    listed: set[str] = set()
    query = f"{MARKET}&createdAfter=2000-01-01T00:00:00Z&pageSize=20"
    token_ = ""
    while True:
        answer = await _ask(sim, "GET", "/serviceJobs", query=query + token_)
        payload = answer.json()["payload"]
        listed |= {job["serviceJobId"] for job in payload["jobs"]}
        if "nextPageToken" not in payload:
            break
        token_ = f"&pageToken={payload['nextPageToken']}"
    ours = {r.job_id for r in sim.world.jobs.values() if r.job.marketplace_id == "ATVPDKIKX0DER"}
    assert listed == ours and not listed & set(sim.world.other_provider_jobs)


SPACED = "Not authorized to access this resource. Please check your input again."
TERSE = "Not authorized to access this resource.Please check your input again"


async def test_another_providers_job_is_403_to_every_operation_on_it() -> None:
    sim = simulator(jobs=60)
    record = next(r for r in sim.world.other_provider_jobs.values() if r.active() is not None)
    job = record.job_id
    appointment = record.active().appointment_id  # type: ignore[union-attr]
    before = record.job.to_wire()
    start = (sim.world.clock() + timedelta(days=3)).strftime("%Y-%m-%dT10:00:00Z")
    calls = [
        ("GET", f"/serviceJobs/{job}", None, "", SPACED),
        ("PUT", f"/serviceJobs/{job}/cancellations", None, "cancellationReasonCode=V1", TERSE),
        ("PUT", f"/serviceJobs/{job}/completions", None, "", TERSE),
        (
            "POST",
            f"/serviceJobs/{job}/appointments",
            {"appointmentTime": {"startTime": start}},
            "",
            SPACED,
        ),
        (
            "POST",
            f"/serviceJobs/{job}/appointments/{appointment}",
            {"appointmentTime": {"startTime": start}, "rescheduleReasonCode": "R1"},
            "",
            SPACED,
        ),
        (
            "PUT",
            f"/serviceJobs/{job}/appointments/{appointment}/resources",
            {"resources": [{"resourceId": next(iter(sim.world.technicians))}]},
            "",
            SPACED,
        ),
        (
            "PUT",
            f"/serviceJobs/{job}/appointments/{appointment}/fulfillment",
            {
                "fulfillmentTime": {
                    "startTime": "2021-01-01T10:00:00Z",
                    "endTime": "2021-01-01T11:00:00Z",
                }
            },
            "",
            SPACED,
        ),
        ("GET", f"/serviceJobs/{job}/appointmentSlots", None, MARKET, SPACED),
    ]
    for method, path, body, query, message in calls:
        answer = await _ask(sim, method, path, body, query)
        assert answer.status_code == 403, (path, answer.text)
        error = _error(answer)
        assert error["code"] == "UnauthorizedAction", path
        assert error["message"] == _amazons(message), path
    assert record.job.to_wire() == before
