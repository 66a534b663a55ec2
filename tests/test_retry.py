"""Retries: the backoff schedule, what is retried, and what never is."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from sptui.spapi import (
    AuthError,
    InvalidInputError,
    NotFoundError,
    RetryPolicy,
    ServerError,
    ThrottledError,
    TransportError,
    UnprocessableError,
)

from .fakes import amazon_error, make_client, ok

JOB = {"payload": {"serviceJobId": "job-1"}}
HTML_503 = httpx.Response(
    503,
    content=b"<html><body>Service Unavailable</body></html>",
    headers={"content-type": "text/html"},
)


def test_full_jitter_delays_stay_under_the_exponential_ceiling() -> None:
    policy = RetryPolicy(rng=random.Random(7))
    assert [policy.ceiling(n) for n in range(7)] == [1, 2, 4, 8, 16, 30, 30]
    for n in range(7):
        samples = [policy.delay(n) for _ in range(500)]
        assert all(0 <= s <= policy.ceiling(n) for s in samples)
        assert max(samples) > 0.8 * policy.ceiling(n)  # jitter spans the whole range


async def test_reads_retry_transient_answers_with_backoff() -> None:
    sleeps: list[float] = []
    answers = [
        HTML_503,
        amazon_error(500, "InternalFailure", "x"),
        amazon_error(429, "QuotaExceeded", "x"),
    ]

    async def api(request: httpx.Request) -> httpx.Response:
        return answers.pop(0) if answers else ok(JOB)

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    policy = RetryPolicy(base=1, cap=30, rng=random.Random(1))
    async with make_client(api, retry=policy, sleep=sleep) as client:
        answer = await client.get_service_job_by_service_job_id("job-1")
    assert answer.payload is not None
    # One sleep per retry, each drawn from U(0, min(cap, base * 2**n)) by the policy's own
    # random source; then the 429 emptied the bucket, so the last try waits one interval
    # of the plan (1/20 s) on top.
    same_draws = RetryPolicy(base=1, cap=30, rng=random.Random(1))
    assert sleeps[:3] == [same_draws.delay(n) for n in range(3)]
    assert sleeps[3:] == [pytest.approx(1 / 20, abs=1e-3)]


async def test_reads_give_up_after_the_configured_attempts() -> None:
    calls = 0

    async def api(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return HTML_503

    async with make_client(api, retry=RetryPolicy(base=0.01, cap=0.01, attempts=5)) as client:
        with pytest.raises(ServerError) as caught:
            await client.get_service_job_by_service_job_id("job-1")
    assert calls == 5
    assert caught.value.status == 503 and "text/html" in caught.value.message


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, InvalidInputError),
        (403, AuthError),
        (404, NotFoundError),
        (413, InvalidInputError),
        (415, InvalidInputError),
        (422, UnprocessableError),
    ],
)
async def test_final_statuses_are_never_retried(status: int, kind: type[Exception]) -> None:
    calls = 0

    async def api(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return amazon_error(status, "InvalidInput", "no", request_id=f"rid-{status}")

    async with make_client(api) as client:
        with pytest.raises(kind) as caught:
            await client.get_service_job_by_service_job_id("job-1")
        assert calls == 1
        with pytest.raises(kind):
            await client.complete_service_job_by_service_job_id("job-1")
        assert calls == 2
    assert caught.value.request_id == f"rid-{status}"  # type: ignore[attr-defined]


async def test_a_429_on_a_write_is_retried_because_it_was_not_applied() -> None:
    answers = [amazon_error(429, "QuotaExceeded", "slow down"), ok({})]
    methods: list[str] = []

    async def api(request: httpx.Request) -> httpx.Response:
        methods.append(request.method)
        return answers.pop(0)

    async with make_client(api) as client:
        await client.complete_service_job_by_service_job_id("job-1")
    assert methods == ["PUT", "PUT"]


async def test_a_write_that_never_connected_is_retried() -> None:
    attempts = 0

    async def api(request: httpx.Request) -> httpx.Response:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise httpx.ConnectError("refused", request=request)
        return ok({})

    async with make_client(api) as client:
        await client.complete_service_job_by_service_job_id("job-1")
    assert attempts == 2


async def test_throttled_past_every_attempt_raises_throttled() -> None:
    async def api(request: httpx.Request) -> httpx.Response:
        return amazon_error(429, "QuotaExceeded", "You exceeded your quota")

    async with make_client(api, retry=RetryPolicy(base=0.01, cap=0.01, attempts=3)) as client:
        with pytest.raises(ThrottledError) as caught:
            await client.get_service_jobs(created_after="2026-01-01T00:00:00Z")
    assert caught.value.code == "QuotaExceeded"


async def test_reads_retry_dropped_connections() -> None:
    attempts = 0

    async def api(request: httpx.Request) -> httpx.Response:
        nonlocal attempts
        attempts += 1
        if attempts < 3:
            raise httpx.RemoteProtocolError("Server disconnected", request=request)
        return ok(JOB)

    async with make_client(api) as client:
        await client.get_service_job_by_service_job_id("job-1")
    assert attempts == 3


async def test_a_backoff_can_be_cancelled() -> None:
    calls = 0

    async def api(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        return HTML_503

    client = make_client(api, retry=RetryPolicy(base=60, cap=60), sleep=asyncio.sleep)
    task = asyncio.ensure_future(client.get_service_job_by_service_job_id("job-1"))
    for _ in range(50):
        await asyncio.sleep(0.01)
        if calls:
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await client.aclose()
    assert calls == 1


async def test_transport_error_says_whether_anything_was_sent() -> None:
    async def api(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("slow", request=request)

    async with make_client(api, retry=RetryPolicy(base=0.01, cap=0.01, attempts=2)) as client:
        with pytest.raises(TransportError) as caught:
            await client.complete_service_job_by_service_job_id("job-1")
    assert caught.value.sent is False


async def test_a_garbled_success_body_is_retried_for_reads() -> None:
    answers = [httpx.Response(200, content=b'{"payload": {"serviceJo'), ok(JOB)]

    async def api(request: httpx.Request) -> httpx.Response:
        return answers.pop(0)

    async with make_client(api) as client:
        answer = await client.get_service_job_by_service_job_id("job-1")
    assert answer.payload is not None and answers == []


async def test_a_garbled_success_body_on_a_write_is_reconciled_not_resent() -> None:
    from sptui.spapi import Outcome, WriteOutcomeError

    writes = 0

    async def api(request: httpx.Request) -> httpx.Response:
        nonlocal writes
        if request.method == "GET":
            return ok({"payload": {"serviceJobId": "job-1", "serviceJobStatus": "COMPLETED"}})
        writes += 1
        return httpx.Response(200, content=b"{not json")

    async with make_client(api) as client:
        with pytest.raises(WriteOutcomeError) as caught:
            await client.complete_service_job_by_service_job_id("job-1")
    assert writes == 1
    assert caught.value.outcome is Outcome.APPLIED
    assert "malformed" in caught.value.message
