"""The operation table, endpoints and query encoding agree with Amazon's model and DESIGN.md."""

from __future__ import annotations

import re

import httpx
import pytest

from sptui.spapi import (
    Endpoint,
    EndpointError,
    Region,
    RequestValidationError,
    region_for_marketplace,
)
from sptui.spapi.operations import BASE_PATH, OPERATIONS
from sptui.spapi.sandbox import (
    Incoming,
    SandboxCase,
    find_case,
    incoming,
    match_score,
    model_document,
)

from .fakes import make_client, ok


def test_operations_match_the_model_paths_methods_and_usage_plans() -> None:
    seen = set()
    for path, methods in model_document()["paths"].items():
        for method, spec in methods.items():
            if method == "parameters":
                continue
            op = OPERATIONS[spec["operationId"]]
            seen.add(op.operation_id)
            assert (op.method, BASE_PATH + op.path) == (method.upper(), path)
            plan = re.search(r"\|\s*([\d.]+)\s*\|\s*(\d+)\s*\|", spec["description"])
            assert plan, op.operation_id
            assert (op.rate, op.burst) == (float(plan.group(1)), int(plan.group(2)))
    assert seen == set(OPERATIONS) and len(seen) == 17


def test_client_has_one_method_per_operation() -> None:
    from sptui.spapi import ServicesClient

    for op_id in OPERATIONS:
        name = (
            re.sub(r"([a-z])([A-Z])", r"\1_\2", op_id)
            .lower()
            .replace("appointmment", "appointment")
        )
        assert callable(getattr(ServicesClient, name)), name


def test_regions_and_marketplaces() -> None:
    assert (
        Endpoint.for_marketplace("ATVPDKIKX0DER").base_url
        == "https://sellingpartnerapi-na.amazon.com"
    )
    assert Endpoint.for_marketplace("A1PA6795UKMFR9", sandbox=True).base_url == (
        "https://sandbox.sellingpartnerapi-eu.amazon.com"
    )
    assert region_for_marketplace("A1VC38T7YXB528") is Region.FE
    assert Endpoint.for_region(Region.NA).is_live
    assert not Endpoint.for_region(Region.NA, sandbox=True).is_live
    with pytest.raises(EndpointError, match="unknown marketplace"):
        region_for_marketplace("NOPE")


@pytest.mark.parametrize("url", ["http://example.com", "http://10.0.0.5:8765", "ftp://127.0.0.1"])
def test_plain_http_is_refused_except_to_loopback(url: str) -> None:
    with pytest.raises(EndpointError, match="https"):
        Endpoint(url, "https://api.amazon.com/auth/o2/token")


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765", "http://localhost:1", "http://[::1]:80"])
def test_plain_http_to_loopback_is_allowed(url: str) -> None:
    assert Endpoint(url, url + "/auth/o2/token").base_url == url


async def test_query_parameters_go_where_amazon_wants_them() -> None:
    seen: list[httpx.Request] = []

    async def api(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok({})

    async with make_client(api) as client:
        await client.get_service_jobs(
            created_after="2026-11-01T00:00:00Z",
            service_job_status=["HOLD", "CANCELLED"],
            asins=["B00EXAMPLE", "B01EXAMPLE"],
            page_size=20,
        )
        await client.cancel_service_job_by_service_job_id("job/../1", "V1")
        await client.get_range_slot_capacity(
            "tech-1",
            {"startDateTime": "2026-12-01T00:00:00Z", "endDateTime": "2026-12-02T00:00:00Z"},
            next_page_token="abc==",
        )
    listing, cancel, capacity = seen
    assert listing.url.params["serviceJobStatus"] == "HOLD,CANCELLED"  # joined, not repeated
    assert listing.url.params.get_list("serviceJobStatus") == ["HOLD,CANCELLED"]
    assert listing.url.params["marketplaceIds"] == "ATVPDKIKX0DER"
    assert listing.url.params["createdAfter"] == "2026-11-01T00:00:00Z"
    assert (
        cancel.url.raw_path
        == b"/service/v1/serviceJobs/job%2F..%2F1/cancellations?cancellationReasonCode=V1"
    )
    assert cancel.content == b""  # the reason travels in the query, never the body
    assert capacity.method == "POST"
    assert capacity.url.params["nextPageToken"] == "abc=="
    assert capacity.url.params["marketplaceIds"] == "ATVPDKIKX0DER"


async def test_invalid_input_is_refused_before_anything_is_sent() -> None:
    sent: list[httpx.Request] = []

    async def api(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return ok({})

    async with make_client(api) as client:
        for call in (
            client.get_service_jobs(),  # neither createdAfter nor lastUpdatedAfter
            client.get_service_jobs(
                created_after="2026-01-01T00:00:00Z", last_updated_after="2026-01-01T00:00:00Z"
            ),
            client.get_service_jobs(created_after="2026-01-01T00:00:00Z", page_size=21),
            client.get_service_jobs(
                created_after="2026-01-01T00:00:00Z", service_job_status=["DONE"]
            ),
            client.cancel_service_job_by_service_job_id("job-1", "lower case"),
            client.get_service_job_by_service_job_id(""),
            client.get_appointment_slots(
                "B00EXAMPLE",
                "store",
                start_time="2027-01-01T00:00:00Z",
                end_time="2027-05-01T00:00:00Z",
            ),
            client.get_appointment_slots_by_job_id("job-1", start_time="2027-01-01T00:00:00Z"),
        ):
            with pytest.raises(RequestValidationError):
                await call
    assert sent == []


async def test_paging_walks_every_page_once() -> None:
    pages = {None: ("t1", ["a", "b"]), "t1": ("t2", ["c"]), "t2": (None, ["d"])}
    tokens: list[str | None] = []

    async def api(request: httpx.Request) -> httpx.Response:
        token = request.url.params.get("pageToken")
        tokens.append(token)
        nxt, ids = pages[token]
        payload = {
            "jobs": [{"serviceJobId": i} for i in ids],
            **({"nextPageToken": nxt} if nxt else {}),
        }
        return ok({"payload": payload})

    async with make_client(api) as client:
        ids = [
            job.service_job_id
            async for job in client.iter_service_jobs(created_after="2026-01-01T00:00:00Z")
        ]
    assert ids == ["a", "b", "c", "d"]
    assert tokens == [None, "t1", "t2"]


def _case(**parameters: object) -> SandboxCase:
    return SandboxCase("getServiceJobs", 200, dict(parameters), {}, 0)


def test_matcher_compares_what_a_case_names_and_nothing_else() -> None:
    request = incoming(
        "GET",
        "/service/v1/serviceJobs",
        [
            ("serviceJobStatus", "HOLD"),
            ("serviceJobStatus", "CANCELLED"),
            ("createdAfter", "2021-01-01T10:00:00Z"),
        ],
        b"",
    )
    assert request is not None
    assert match_score(_case(), request) == 0
    assert match_score(_case(serviceJobStatus=["HOLD", "CANCELLED"]), request) == 1
    assert match_score(_case(serviceJobStatus=["HOLD"]), request) is None
    assert match_score(_case(createdAfter="2021-01-01T10:00:00.000Z"), request) == 1  # same instant
    assert match_score(_case(createdAfter="2021-01-01T10:00:01Z"), request) is None
    best = find_case(request, [_case(), _case(createdAfter="2021-01-01T10:00:00Z")])
    assert best is not None and best.parameters


def test_matcher_compares_bodies_deeply() -> None:
    case = SandboxCase(
        "createReservation",
        200,
        {"body": {"resourceId": "r", "reservation": {"type": "BREAK"}}},
        {},
        0,
    )
    same = Incoming(
        "createReservation", {}, {}, {"resourceId": "r", "reservation": {"type": "BREAK"}}
    )
    other = Incoming(
        "createReservation", {}, {}, {"resourceId": "r", "reservation": {"type": "TRAVEL"}}
    )
    extra = Incoming(
        "createReservation", {}, {}, {"resourceId": "r", "reservation": {"type": "BREAK"}, "x": 1}
    )
    assert match_score(case, same) == 1
    assert match_score(case, other) is None
    assert match_score(case, extra) is None


async def test_default_timeouts_are_5s_connect_and_30s_read() -> None:
    seen: list[dict[str, float]] = []

    async def spy(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return ok({"payload": {}})

    async with make_client(spy) as client:
        await client.get_service_job_by_service_job_id("job-1")
    assert seen[0]["connect"] == 5.0 and seen[0]["read"] == 30.0


async def test_a_pattern_refusal_says_in_words_what_is_allowed() -> None:
    sent: list[httpx.Request] = []

    async def api(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return ok({})

    async with make_client(api) as client:
        with pytest.raises(RequestValidationError) as refused:
            await client.get_service_jobs(
                created_after="2026-01-01T00:00:00Z", service_order_ids=["12a-3"]
            )
    said = str(refused.value)
    assert "digits and - only" in said and "^[0-9\\-]+$" in said  # words first, the rule after
    assert sent == []
