"""The client over real sockets on 127.0.0.1: every failure reaches the caller typed.

In-process transports hand over bodies already read. Here each answer is streamed by a real
server, so a body that breaks off, fails to decode, is nested too deep, or never comes is met as
it would be in production.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from sptui.simulator import SimConfig, Simulator
from sptui.spapi import (
    AuthError,
    InvalidInputError,
    LwaCredentials,
    RetryPolicy,
    ServerError,
    ServicesClient,
    SpApiError,
    TransportError,
    WriteOutcomeError,
)
from sptui.spapi.errors import Outcome

from .net_servers import (
    Reply,
    ScriptedServer,
    Seen,
    api_script,
    endpoint,
    json_reply,
    nested_json,
    serve_simulator,
)

MARKET = "ATVPDKIKX0DER"
JOB = {"payload": {"serviceJobId": "JOB-1", "serviceJobStatus": "NOT_SERVICED"}}
EXPIRED = {
    "errors": [
        {
            "code": "Unauthorized",
            "message": "Access to requested resource is denied.",
            "details": "The access token you provided has expired.",
        }
    ]
}
NO_ROLE = {
    "errors": [
        {
            "code": "Unauthorized",
            "message": "Access to requested resource is denied.",
            "details": "",
        }
    ]
}
HTML = b"<html><body><h1>502 Bad Gateway</h1></body></html>"


def client(base: str, **kw: Any) -> ServicesClient:
    async def quick(_: float) -> None:
        await asyncio.sleep(0)

    kw.setdefault("retry", RetryPolicy(base=0.001, cap=0.002, attempts=3))
    kw.setdefault("sleep", quick)
    return ServicesClient(
        LwaCredentials("amzn1.application-oa2-client.net", "net-secret-1234", "Atzr|net-refresh"),
        marketplace_id=MARKET,
        endpoint=endpoint(base),
        **kw,
    )


def api_calls(server: ScriptedServer) -> list[str]:
    return server.paths("/service/")


@pytest.fixture
def served_sim() -> Iterator[tuple[Simulator, str]]:
    sim = Simulator(SimConfig(jobs=20, enforce_usage_plans=False))
    with serve_simulator(sim) as base:
        yield sim, base


# ---- 403: an expired token is refreshed once; a missing role is reported -------------------


async def test_an_expired_token_403_is_refreshed_once_and_retried() -> None:
    answers = iter([json_reply(403, EXPIRED), json_reply(200, JOB)])
    with ScriptedServer(api_script(lambda _: next(answers))) as server:
        async with client(server.base) as api:
            job = await api.get_service_job_by_service_job_id("JOB-1")
    assert job.payload and job.payload.service_job_id == "JOB-1"
    assert api.auth.token_requests == 2
    assert len(api_calls(server)) == 2


async def test_an_expired_token_refused_again_is_an_auth_error_with_request_id() -> None:
    with ScriptedServer(api_script(lambda _: json_reply(403, EXPIRED, "rid-403"))) as server:
        async with client(server.base) as api:
            with pytest.raises(AuthError) as caught:
                await api.get_service_job_by_service_job_id("JOB-1")
    assert caught.value.status == 403 and caught.value.request_id == "rid-403"
    assert api.auth.token_requests == 2  # one forced refresh, never a loop
    assert len(api_calls(server)) == 2


async def test_a_403_for_a_missing_role_is_an_auth_error_without_a_refresh() -> None:
    with ScriptedServer(api_script(lambda _: json_reply(403, NO_ROLE, "rid-role"))) as server:
        async with client(server.base) as api:
            with pytest.raises(AuthError) as caught:
                await api.get_service_jobs(created_after="2026-01-01T00:00:00Z")
    assert caught.value.request_id == "rid-role" and caught.value.code == "Unauthorized"
    assert api.auth.token_requests == 1
    assert len(api_calls(server)) == 1  # a 403 is never retried


async def test_a_403_that_breaks_off_is_a_transport_error() -> None:
    broken = Reply(403, b'{"errors": [{"code": "Unauthorized", "message": "x"}]}', breaks="reset")
    with ScriptedServer(api_script(lambda _: broken)) as server:
        async with client(server.base, retry=RetryPolicy(attempts=1)) as api:
            with pytest.raises(TransportError):
                await api.get_service_job_by_service_job_id("JOB-1")


# ---- Login with Amazon ---------------------------------------------------------------------


async def test_lwa_401_invalid_client_is_a_final_auth_error_and_no_call_is_made() -> None:
    refused = json_reply(401, {"error": "invalid_client", "error_description": "bad"}, None)
    with ScriptedServer(api_script(lambda _: json_reply(200, JOB), lambda _: refused)) as server:
        async with client(server.base) as api:
            with pytest.raises(AuthError) as caught:
                await api.get_service_job_by_service_job_id("JOB-1")
    assert caught.value.final and caught.value.code == "invalid_client"
    assert "client id" in caught.value.message
    assert api_calls(server) == []


@pytest.mark.parametrize(
    "answer",
    [
        Reply(200, nested_json(100_000), {"content-type": "application/json"}),
        Reply(502, HTML, {"content-type": "text/html"}),
        Reply(200, b'{"access_token": "Atza|x"', {"content-encoding": "gzip"}),
        Reply(200, b'{"access_token": "Atza|x", "expires_in": 3600}', breaks="reset"),
    ],
    ids=["nested", "html-502", "bad-encoding", "reset"],
)
async def test_a_broken_lwa_answer_is_an_auth_error(answer: Reply) -> None:
    with ScriptedServer(api_script(lambda _: json_reply(200, JOB), lambda _: answer)) as server:
        async with client(server.base) as api:
            with pytest.raises(AuthError):
                await api.get_service_job_by_service_job_id("JOB-1")
    assert api_calls(server) == []


# ---- answers that break in transit ---------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "kind", "status"),
    [
        (
            Reply(502, HTML, {"content-type": "text/html", "x-amzn-RequestId": "rid-x"}),
            ServerError,
            502,
        ),
        (
            Reply(503, HTML, {"content-type": "text/html", "x-amzn-RequestId": "rid-x"}),
            ServerError,
            503,
        ),
        (
            Reply(
                200, b"not gzip at all", {"content-encoding": "gzip", "x-amzn-RequestId": "rid-x"}
            ),
            TransportError,
            200,
        ),
        (
            Reply(
                200,
                b'{"payload": {"serviceJobId": "JOB-1"}}',
                {"x-amzn-RequestId": "rid-x"},
                "reset",
            ),
            TransportError,
            200,
        ),
        (
            Reply(
                200,
                nested_json(100_000),
                {"content-type": "application/json", "x-amzn-RequestId": "rid-x"},
            ),
            ServerError,
            200,
        ),
        (
            Reply(
                400,
                nested_json(100_000),
                {"content-type": "application/json", "x-amzn-RequestId": "rid-x"},
            ),
            InvalidInputError,
            400,
        ),
    ],
    ids=["html-502", "html-503", "bad-encoding", "reset-mid-body", "nested-200", "nested-400"],
)
async def test_a_read_that_breaks_is_typed_with_its_request_id(
    answer: Reply, kind: type[SpApiError], status: int
) -> None:
    with ScriptedServer(api_script(lambda _: answer)) as server:
        async with client(server.base) as api:
            with pytest.raises(SpApiError) as caught:
                await api.get_service_job_by_service_job_id("JOB-1")
    assert type(caught.value) is kind
    assert caught.value.request_id == "rid-x" and caught.value.status == status
    transient = kind is not InvalidInputError
    assert len(api_calls(server)) == (3 if transient else 1)  # reads retry what is transient


async def test_a_hung_server_is_a_transport_error() -> None:
    with ScriptedServer(api_script(lambda _: Reply(breaks="hang"))) as server:
        async with client(
            server.base, timeout=httpx.Timeout(0.3, connect=2.0), retry=RetryPolicy(attempts=2)
        ) as api:
            with pytest.raises(TransportError) as caught:
                await api.get_service_job_by_service_job_id("JOB-1")
    assert caught.value.sent and "ReadTimeout" in caught.value.message
    assert len(api_calls(server)) == 2


async def test_a_refused_connection_is_a_transport_error_that_was_not_sent() -> None:
    with ScriptedServer(api_script(lambda _: json_reply(200, JOB))) as server:
        base = server.base
    async with client(base, retry=RetryPolicy(attempts=1)) as api:
        with pytest.raises(SpApiError) as caught:
            await api.get_service_job_by_service_job_id("JOB-1")
    assert isinstance(caught.value, AuthError)  # the token endpoint is the first thing reached


# ---- writes: an answer that breaks is reconciled, never resent -----------------------------


@pytest.mark.parametrize(
    "broken",
    [
        Reply(200, b"{}", {"x-amzn-RequestId": "rid-w"}, "reset"),
        Reply(200, b"garbage", {"content-encoding": "gzip", "x-amzn-RequestId": "rid-w"}),
        Reply(502, HTML, {"content-type": "text/html", "x-amzn-RequestId": "rid-w"}),
        Reply(
            200,
            nested_json(100_000),
            {"content-type": "application/json", "x-amzn-RequestId": "rid-w"},
        ),
    ],
    ids=["reset", "bad-encoding", "html-502", "nested"],
)
async def test_a_write_whose_answer_breaks_is_read_back(broken: Reply) -> None:
    completed = {"payload": {"serviceJobId": "JOB-1", "serviceJobStatus": "COMPLETED"}}

    def api(seen: Seen) -> Reply:
        return broken if seen.method == "PUT" else json_reply(200, completed)

    with ScriptedServer(api_script(api)) as server:
        async with client(server.base) as api_client:
            with pytest.raises(WriteOutcomeError) as caught:
                await api_client.complete_service_job_by_service_job_id("JOB-1")
    assert caught.value.outcome is Outcome.APPLIED
    assert caught.value.request_id == "rid-w"
    methods = [s.method for s in server.seen if s.path.startswith("/service/")]
    assert methods == ["PUT", "GET"]  # sent once, read back once


# ---- the simulator under uvicorn -----------------------------------------------------------


async def test_a_token_the_simulator_revoked_is_refreshed_over_a_socket(
    served_sim: tuple[Simulator, str],
) -> None:
    sim, base = served_sim
    async with ServicesClient(
        sim.credentials(), marketplace_id=MARKET, endpoint=endpoint(base)
    ) as api:
        first = await api.get_service_jobs(created_after="2020-01-01T00:00:00Z")
        sim.app.tokens.clear()  # every token it issued is now unknown: revoked
        again = await api.get_service_jobs(created_after="2020-01-01T00:00:00Z")
    assert first.payload and again.payload and again.payload.jobs
    assert api.auth.token_requests == 2


async def test_a_write_flow_over_a_socket(served_sim: tuple[Simulator, str]) -> None:
    sim, base = served_sim
    ready = next(r.job_id for r in sim.world.jobs.values() if r.status == "NOT_SERVICED")
    async with ServicesClient(
        sim.credentials(), marketplace_id=MARKET, endpoint=endpoint(base)
    ) as api:
        await api.cancel_service_job_by_service_job_id(ready, "V1")
        job = await api.get_service_job_by_service_job_id(ready)
    assert job.payload and job.payload.service_job_status == "CANCELLED"
