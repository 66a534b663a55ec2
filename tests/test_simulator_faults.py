"""Usage plans, each fault kind, the fault admin route, and the static-sandbox mode."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from sptui.simulator import FaultPlan
from sptui.spapi import (
    AuthError,
    LwaCredentials,
    RetryPolicy,
    ServerError,
    SpApiError,
    ThrottledError,
    TransportError,
)
from sptui.spapi.errors import parse_messages
from sptui.spapi.sandbox import load_cases

from .sandbox_calls import call_for
from .sim_helpers import client_for, raw, simulator, token

ONE_TRY = RetryPolicy(base=0.001, cap=0.001, attempts=1)


async def test_usage_plans_answer_429_past_the_burst() -> None:
    sim = simulator(jobs=5, enforce_usage_plans=True)
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim)}
        url = "/service/v1/serviceJobs/x"
        answers = [await http.get(url, headers=headers) for _ in range(45)]
    statuses = [a.status_code for a in answers]
    assert statuses[:40] == [404] * 40  # burst 40 for getServiceJobByServiceJobId
    assert 429 in statuses[40:]
    throttled = next(a for a in answers if a.status_code == 429)
    assert throttled.json()["errors"][0]["code"] == "QuotaExceeded"
    assert "x-amzn-RateLimit-Limit" not in throttled.headers  # never on a 429
    assert answers[0].headers["x-amzn-RateLimit-Limit"] == "20"  # present on a 404


async def test_client_gets_throttled_error_when_it_gives_up() -> None:
    sim = simulator(jobs=5, enforce_usage_plans=True)
    sim.app.buckets["getServiceJobs"].burst = 1
    sim.app.buckets["getServiceJobs"].rate = 0.001
    sim.app.buckets["getServiceJobs"].drain()
    async with client_for(sim, retry=RetryPolicy(base=0.001, cap=0.001, attempts=2)) as api:
        with pytest.raises(ThrottledError):
            await api.get_service_jobs(created_after="2020-01-01T00:00:00Z")


async def test_latency_is_added() -> None:
    sim = simulator(jobs=5, faults=FaultPlan(latency_ms=120))
    async with client_for(sim) as api:
        await api.auth.access_token()
        started = asyncio.get_running_loop().time()
        with pytest.raises(SpApiError):
            await api.get_service_job_by_service_job_id("missing")
        assert asyncio.get_running_loop().time() - started >= 0.12


@pytest.mark.parametrize(
    ("setting", "kind", "detail"),
    [
        ({"error_500_rate": 1.0}, ServerError, "InternalFailure"),
        ({"error_503_rate": 1.0}, ServerError, "text/html"),
        ({"drop_rate": 1.0}, TransportError, "RemoteProtocolError"),
        ({"malformed_rate": 1.0}, ServerError, "malformed"),
    ],
)
async def test_each_fault_reaches_the_client_as_a_typed_error(
    setting: dict[str, float], kind: type[Exception], detail: str
) -> None:
    sim = simulator(jobs=5)
    job_id = next(iter(sim.world.jobs))
    async with client_for(sim, retry=ONE_TRY) as api:
        await api.auth.access_token()
        sim.faults.update(setting)
        with pytest.raises(kind) as caught:
            await api.get_service_job_by_service_job_id(job_id)
    assert detail in f"{caught.value} {getattr(caught.value, 'code', '')}"


async def test_a_hung_request_times_out_on_the_client() -> None:
    sim = simulator(jobs=5, faults=FaultPlan(hang_rate=1.0, hang_seconds=30))
    async with client_for(sim, retry=ONE_TRY, timeout=httpx.Timeout(0.2, connect=0.2)) as api:
        with pytest.raises(TransportError) as caught:
            await api.get_service_job_by_service_job_id(next(iter(sim.world.jobs)))
    assert "ReadTimeout" in str(caught.value) and caught.value.sent


async def test_early_token_expiry_is_healed_by_one_refresh() -> None:
    sim = simulator(jobs=5, faults=FaultPlan(token_ttl_seconds=0.05))
    async with client_for(sim) as api:
        await api.get_service_job_by_service_job_id(next(iter(sim.world.jobs)))
        await asyncio.sleep(0.1)
        await api.get_service_job_by_service_job_id(next(iter(sim.world.jobs)))
        assert api.auth.token_requests == 2


async def test_applied_then_failed_writes_change_state_and_answer_500() -> None:
    sim = simulator(jobs=40)
    record = next(
        r
        for r in sim.world.jobs.values()
        if r.status.value == "PENDING_SCHEDULE" and r.job.marketplace_id == "ATVPDKIKX0DER"
    )
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim)}
        sim.faults.update({"applied_then_failed_rate": 1.0})
        answer = await http.put(
            f"/service/v1/serviceJobs/{record.job_id}/cancellations",
            params={"cancellationReasonCode": "V1"},
            headers=headers,
        )
    assert answer.status_code == 500
    assert record.status.value == "CANCELLED"


async def test_faults_change_at_run_time_through_the_admin_route() -> None:
    sim = simulator(jobs=5)
    async with raw(sim) as http:
        assert (await http.get("/_sim/faults")).json()["error_500_rate"] == 0
        changed = await http.put("/_sim/faults", json={"error_500_rate": 0.25, "latency_ms": 5})
        assert changed.status_code == 200 and sim.faults.error_500_rate == 0.25
        refused = await http.put("/_sim/faults", json={"error_500_rate": 3})
        assert refused.status_code == 400 and "between 0 and 1" in refused.json()["error"]
        refused = await http.put("/_sim/faults", json={"no_such_fault": 1})
        assert refused.status_code == 400 and "no_such_fault" in refused.json()["error"]
        assert sim.faults.error_500_rate == 0.25  # a refused change changed nothing
        await http.delete("/_sim/faults")
        assert sim.faults.error_500_rate == 0 and sim.faults.latency_ms == 0
        health = (await http.get("/_sim/health")).json()
    assert health["jobs"] == 5


def test_fault_plan_refuses_bad_values_in_python_too() -> None:
    plan = FaultPlan()
    with pytest.raises(ValueError, match="drop_rate"):
        plan.update({"drop_rate": -0.1})
    assert plan.drop_rate == 0


CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
async def test_sandbox_mode_answers_every_case(case: object) -> None:
    sim = simulator(jobs=0, sandbox=True)
    async with client_for(sim, validate=False, retry=ONE_TRY) as api:
        try:
            result: object = await call_for(api, case)  # type: ignore[arg-type]
        except SpApiError as error:
            result = error
    status = case.status  # type: ignore[attr-defined]
    expected = parse_messages(case.response)  # type: ignore[attr-defined]
    if status < 300:
        assert not isinstance(result, SpApiError), result
    else:
        assert isinstance(result, SpApiError) and result.status == status
        assert result.code == (expected[0].code if expected else None)


async def test_sandbox_mode_refuses_what_no_case_matches() -> None:
    sim = simulator(jobs=0, sandbox=True)
    async with client_for(sim, retry=ONE_TRY) as api:
        with pytest.raises(SpApiError) as caught:
            await api.get_appointment_slots("B00NOMATCH0", "store")
    assert caught.value.status == 400 and caught.value.message == "Could not match input arguments"


async def test_sandbox_still_needs_login() -> None:
    sim = simulator(jobs=0, sandbox=True)
    creds = LwaCredentials("sptui-demo", "bad", "sptui-demo-refresh")
    async with sim.client(credentials=creds) as api:
        with pytest.raises(AuthError):
            await api.get_service_job_by_service_job_id("x")
    assert json.dumps(sim.faults.as_dict())
