"""What the simulator makes of a body: deep nesting is a 400, and unknown names are ignored as
Amazon ignores them, unless the simulator runs strict."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from sptui.simulator import Simulator
from sptui.spapi.errors import parse_messages

from .sim_helpers import raw, simulator, token
from .test_simulator_rules import pick, start_of

DEEP = b"[" * 100_000 + b"]" * 100_000
ON_A_JOB = [
    ("POST", "/service/v1/serviceJobs/J/appointments"),
    ("PUT", "/service/v1/serviceJobs/J/appointments/A/fulfillment"),
    ("POST", "/service/v1/serviceResources/R/capacity/range?marketplaceIds=ATVPDKIKX0DER"),
    ("POST", "/service/v1/documents"),
]


@pytest.mark.parametrize(("method", "path"), ON_A_JOB)
@pytest.mark.parametrize("sandbox", [False, True])
async def test_json_nested_100000_deep_is_a_400(method: str, path: str, sandbox: bool) -> None:
    sim = simulator(jobs=1, sandbox=sandbox)
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim), "content-type": "application/json"}
        answer = await http.request(method, path, content=DEEP, headers=headers)
        inner = await http.request(
            method, path, content=b'{"appointmentTime": ' + DEEP + b"}", headers=headers
        )
    for response in (answer, inner):
        assert response.status_code == 400, response.text
        entry = parse_messages(response.json())[0]
        assert entry.code == "InvalidInput" and entry.message
        assert response.headers["x-amzn-RequestId"]


def _booking(sim: Simulator) -> tuple[str, dict[str, Any]]:
    record = pick(sim, "PENDING_SCHEDULE")
    start = (sim.world.clock() + timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    body = {
        "appointmentTime": {"startTime": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "extra": 1},
        "marketplaceIds": ["ATVPDKIKX0DER"],  # where python-amazon-sp-api puts it on a POST
        "MarketplaceIds": ["ATVPDKIKX0DER"],
    }
    return record.job_id, body


@pytest.mark.parametrize("strict", [False, True])
async def test_unknown_body_fields_are_ignored_unless_strict(strict: bool) -> None:
    sim = simulator(jobs=60, **({"strict": True} if strict else {}))
    job_id, body = _booking(sim)
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim)}
        answer = await http.post(
            f"/service/v1/serviceJobs/{job_id}/appointments", json=body, headers=headers
        )
    if strict:
        assert answer.status_code == 400
        error = answer.json()["errors"][0]
        assert error["message"].startswith("Missing or invalid request parameters: [")
        assert "unknown field" in error["details"]
        assert sim.world.jobs[job_id].active() is None
    else:
        assert answer.status_code == 200, answer.text
        active = sim.world.jobs[job_id].active()
        assert active is not None and active.appointment_id == answer.json()["appointmentId"]
        assert "extra" not in (active.appointment_time.model_extra or {})  # type: ignore[union-attr]


@pytest.mark.parametrize("strict", [False, True])
async def test_unknown_query_parameters_are_ignored_unless_strict(strict: bool) -> None:
    sim = simulator(jobs=20, **({"strict": True} if strict else {}))
    query = {
        "marketplaceIds": "ATVPDKIKX0DER",
        "createdAfter": "2020-01-01T00:00:00Z",
        "MarketplaceId": "ATVPDKIKX0DER",  # python-amazon-sp-api adds these to a GET
        "marketplace_ids": "ATVPDKIKX0DER",
    }
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim)}
        answer = await http.get("/service/v1/serviceJobs", params=query, headers=headers)
    if strict:
        assert answer.status_code == 400
        assert "MarketplaceId" in answer.json()["errors"][0]["details"]
    else:
        assert answer.status_code == 200 and answer.json()["payload"]["jobs"]


async def test_strict_mode_still_lets_every_known_field_through() -> None:
    sim = simulator(jobs=60, strict=True)
    record = pick(sim, "NOT_SERVICED", active=True)
    appointment = record.active()
    assert appointment is not None
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim)}
        answer = await http.post(
            f"/service/v1/serviceJobs/{record.job_id}/appointments/{appointment.appointment_id}",
            json={
                "appointmentTime": {
                    "startTime": (start_of(record) + timedelta(days=1)).strftime(
                        "%Y-%m-%dT%H:%M:%SZ"
                    ),
                    "durationInMinutes": 60,
                },
                "rescheduleReasonCode": "R1",
            },
            headers=headers,
        )
    assert answer.status_code in (200, 422), answer.text  # judged on the slot, not refused
    if answer.status_code == 422:
        assert "slot" in answer.json()["errors"][0]["message"]
