"""What the simulator makes of a body: deep nesting is a 400, never a 500."""

from __future__ import annotations

import pytest

from sptui.spapi.errors import parse_messages

from .sim_helpers import raw, simulator, token

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
