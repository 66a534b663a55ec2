"""Login with Amazon: one refresh for many callers, final vs retriable errors, headers."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from sptui.spapi import AuthError
from sptui.spapi.session import USER_AGENT

from .fakes import Lwa, amazon_error, make_client, ok

JOB = {"payload": {"serviceJobId": "job-1", "serviceJobStatus": "NOT_SERVICED"}}


async def test_concurrent_calls_share_one_token_request() -> None:
    lwa = Lwa(delay=0.05)

    async def api(request: httpx.Request) -> httpx.Response:
        return ok(JOB)

    async with make_client(api, lwa=lwa) as client:
        await asyncio.gather(
            *(client.get_service_job_by_service_job_id("job-1") for _ in range(25))
        )
        assert lwa.issued == 1
        assert client.auth.token_requests == 1


async def test_token_is_refreshed_60_seconds_before_expiry() -> None:
    now = [1000.0]
    lwa = Lwa(expires_in=3600)

    async def api(request: httpx.Request) -> httpx.Response:
        return ok(JOB)

    async with make_client(api, lwa=lwa, clock=lambda: now[0]) as client:
        await client.get_service_job_by_service_job_id("job-1")
        now[0] += 3600 - 61
        await client.get_service_job_by_service_job_id("job-1")
        assert lwa.issued == 1
        now[0] += 2  # now inside the 60 s margin
        await client.get_service_job_by_service_job_id("job-1")
        assert lwa.issued == 2


async def test_every_call_carries_token_date_and_user_agent() -> None:
    seen: list[httpx.Request] = []

    async def api(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok(JOB)

    async with make_client(api) as client:
        await client.get_service_job_by_service_job_id("job-1")
    headers = seen[0].headers
    assert headers["x-amz-access-token"] == "Atza|access-1"
    assert len(headers["x-amz-date"]) == 16 and headers["x-amz-date"].endswith("Z")
    assert headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("sptui/") and "(Language=Python/3." in USER_AGENT
    assert "authorization" not in headers  # no SigV4


@pytest.mark.parametrize("code", ["invalid_grant", "invalid_client", "unauthorized_client"])
async def test_final_lwa_errors_are_not_retried_and_say_what_to_do(code: str) -> None:
    lwa = Lwa(fail_with=[(400, code)])
    calls = 0

    async def api(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return ok(JOB)

    async with make_client(api, lwa=lwa) as client:
        with pytest.raises(AuthError) as caught:
            await client.get_service_job_by_service_job_id("job-1")
        assert client.auth.token_requests == 1
    assert caught.value.final and caught.value.code == code
    assert "profile" in str(caught.value)
    assert calls == 0


@pytest.mark.parametrize("code", ["server_error", "temporarily_unavailable"])
async def test_transient_lwa_errors_are_retried(code: str) -> None:
    lwa = Lwa(fail_with=[(500, code), (503, code)])

    async def api(request: httpx.Request) -> httpx.Response:
        return ok(JOB)

    async with make_client(api, lwa=lwa) as client:
        answer = await client.get_service_job_by_service_job_id("job-1")
        assert client.auth.token_requests == 3
    assert answer.payload and answer.payload.service_job_id == "job-1"


async def test_lwa_that_keeps_failing_gives_up_with_a_retriable_error() -> None:
    lwa = Lwa(fail_with=[(503, "temporarily_unavailable")] * 5)

    async def api(request: httpx.Request) -> httpx.Response:
        return ok(JOB)

    async with make_client(api, lwa=lwa) as client:
        with pytest.raises(AuthError) as caught:
            await client.get_service_job_by_service_job_id("job-1")
    assert not caught.value.final


async def test_expired_token_403_forces_one_refresh_and_one_retry() -> None:
    tokens: list[str] = []

    async def api(request: httpx.Request) -> httpx.Response:
        tokens.append(request.headers["x-amz-access-token"])
        if request.headers["x-amz-access-token"] == "Atza|access-1":
            return httpx.Response(
                403,
                json={
                    "errors": [
                        {
                            "code": "Unauthorized",
                            "message": "Access to requested resource is denied.",
                            "details": "The access token you provided has expired.",
                        }
                    ]
                },
            )
        return ok(JOB)

    async with make_client(api) as client:
        answer = await client.get_service_job_by_service_job_id("job-1")
    assert tokens == ["Atza|access-1", "Atza|access-2"]
    assert answer.payload is not None


async def test_missing_role_403_is_not_refreshed() -> None:
    calls = 0

    async def api(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return amazon_error(403, "Unauthorized", "Access to requested resource is denied.")

    async with make_client(api) as client:
        with pytest.raises(AuthError) as caught:
            await client.get_service_job_by_service_job_id("job-1")
        assert client.auth.token_requests == 1
    assert calls == 1
    assert caught.value.status == 403 and caught.value.request_id == "req-1"
