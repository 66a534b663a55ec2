"""Usage plans on a fake clock: exactly what the plan allows, no more, no less."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from sptui.spapi import RateLimiter, TokenBucket
from sptui.spapi.operations import OPERATIONS
from sptui.spapi.ratelimit import RATE_FLOOR, RECOVERY_SECONDS

from .fakes import make_client, ok


class FakeTime:
    """A clock that only moves when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        # Each sleeper wakes at its own deadline; advance to it and let others run.
        deadline = self.now + seconds
        while self.now < deadline:
            self.now = deadline
            await asyncio.sleep(0)


async def test_burst_is_free_then_each_call_waits_one_interval() -> None:
    t = FakeTime()
    bucket = TokenBucket(20, 40, clock=t.clock, sleep=t.sleep)
    waits = [await bucket.acquire() for _ in range(60)]
    assert waits[:40] == [0.0] * 40
    assert t.now == 20 / 20  # 20 calls past the burst at 20/s take exactly 1 s


async def test_concurrent_callers_spend_exactly_the_plan() -> None:
    """100 tasks asking at once are each given the start time the plan allows them."""
    t = FakeTime()
    bucket = TokenBucket(5, 20, clock=t.clock, sleep=lambda _: asyncio.sleep(0))
    starts = sorted(await asyncio.gather(*(bucket.acquire() for _ in range(100))))
    assert starts[:20] == [0.0] * 20
    expected = [(n + 1) / 5 for n in range(80)]
    assert starts[20:] == pytest.approx(expected)
    assert starts[-1] == pytest.approx((100 - 20) / 5)  # 16 s: the plan's bound


async def test_cancelled_waiter_gives_its_place_back() -> None:
    t = FakeTime()
    bucket = TokenBucket(1, 1, clock=t.clock, sleep=t.sleep)
    await bucket.acquire()
    waiter = asyncio.ensure_future(bucket.acquire())
    await asyncio.sleep(0)
    waiter.cancel()
    await asyncio.gather(waiter, return_exceptions=True)
    assert bucket.tokens >= -1e-9  # the cancelled reservation was returned


async def test_client_buckets_follow_the_plans_and_adapt_down() -> None:
    t = FakeTime()
    limits = {"value": "20.0"}

    async def api(request: httpx.Request) -> httpx.Response:
        response = ok({"payload": {}})
        response.headers["x-amzn-RateLimit-Limit"] = limits["value"]
        return response

    async with make_client(api, clock=t.clock, sleep=t.sleep) as client:
        for op_id, op in OPERATIONS.items():
            bucket = client.limiter.bucket(op_id)
            assert (bucket.rate, bucket.burst) == (op.rate, op.burst)
        limits["value"] = "2.5"
        await client.get_service_job_by_service_job_id("job-1")
        assert client.limiter.bucket("getServiceJobByServiceJobId").rate == 2.5
        limits["value"] = "50"  # a higher figure is followed, but never past the model's plan
        await client.get_service_job_by_service_job_id("job-1")
        assert client.limiter.bucket("getServiceJobByServiceJobId").rate == 20


async def test_429_drains_the_bucket() -> None:
    t = FakeTime()
    answers = [429, 200]

    async def api(request: httpx.Request) -> httpx.Response:
        status = answers.pop(0)
        if status == 429:
            return httpx.Response(429, json={"errors": [{"code": "QuotaExceeded", "message": "x"}]})
        return ok({"payload": {}})

    async with make_client(api, clock=t.clock, sleep=t.sleep) as client:
        await client.get_service_job_by_service_job_id("job-1")
        assert client.limiter.bucket("getServiceJobByServiceJobId").tokens < 40


@pytest.mark.parametrize("header", ["0.001", "1e-9", "1e-300"])
async def test_a_tiny_rate_header_cannot_stall_the_client(header: str) -> None:
    t = FakeTime()

    async def api(request: httpx.Request) -> httpx.Response:
        response = ok({"payload": {}})
        response.headers["x-amzn-RateLimit-Limit"] = header
        return response

    async with make_client(api, clock=t.clock, sleep=t.sleep) as client:
        bucket = client.limiter.bucket("getServiceJobByServiceJobId")
        for _ in range(bucket.burst + 3):
            await client.get_service_job_by_service_job_id("job-1")
        assert bucket.rate == RATE_FLOOR
        assert t.now <= 3 / RATE_FLOOR  # three calls past the burst: 60 s, not 3,000 s or forever


@pytest.mark.parametrize("header", ["0", "-5", "nan", "inf", "fast"])
def test_a_meaningless_rate_header_is_ignored(header: str) -> None:
    t = FakeTime()
    limiter = RateLimiter(clock=t.clock, sleep=t.sleep)
    limiter.observe_limit_header("getServiceJobs", header)
    assert limiter.bucket("getServiceJobs").rate == OPERATIONS["getServiceJobs"].rate


async def test_a_lowered_rate_rises_back_to_the_plan() -> None:
    t = FakeTime()
    bucket = TokenBucket(5, 20, clock=t.clock, sleep=t.sleep)
    bucket.adopt_rate(0.001)
    assert bucket.rate == RATE_FLOOR
    t.now += RECOVERY_SECONDS - 1
    assert bucket.tokens >= 0 and bucket.rate == RATE_FLOOR
    t.now += 1
    assert bucket.tokens >= 0 and bucket.rate == 5  # no lower figure since: back to the plan
    bucket.adopt_rate(2)
    t.now += RECOVERY_SECONDS / 2
    bucket.adopt_rate(2)  # said again: the recovery waits from the last time
    t.now += RECOVERY_SECONDS / 2
    assert bucket.tokens >= 0 and bucket.rate == 2
