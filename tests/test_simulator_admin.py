"""/_sim/faults: readable by anyone, changeable only by JSON from no other origin.

A web page can make a browser POST text/plain or a form to 127.0.0.1 without a CORS preflight;
the fault plan must not move for it.
"""

from __future__ import annotations

import httpx
import pytest

from sptui.simulator import Simulator

from .loopback import served
from .sim_helpers import raw, simulator


async def _drop_rate(sim: Simulator) -> float:
    async with raw(sim) as http:
        return float((await http.get("/_sim/faults")).json()["drop_rate"])


@pytest.mark.parametrize(
    ("method", "content_type"),
    [
        ("POST", "text/plain"),  # fetch(..., {mode: "no-cors", body: '{"drop_rate": 1}'})
        ("POST", "application/x-www-form-urlencoded"),  # an HTML form
        ("POST", "multipart/form-data; boundary=x"),
        ("PUT", None),
    ],
)
async def test_a_change_must_be_sent_as_json(method: str, content_type: str | None) -> None:
    sim = simulator(jobs=1)
    headers = {"content-type": content_type} if content_type else {}
    async with raw(sim) as http:
        answer = await http.request(
            method, "/_sim/faults", content=b'{"drop_rate": 1.0}', headers=headers
        )
    assert answer.status_code == 415
    assert await _drop_rate(sim) == 0.0


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://127.0.0.1:1", "https://simulator.localhost"]
)
@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
async def test_a_change_from_another_origin_is_refused(origin: str, method: str) -> None:
    sim = simulator(jobs=1)
    sim.faults.update({"latency_ms": 5.0})
    async with raw(sim) as http:
        answer = await http.request(
            method, "/_sim/faults", json={"drop_rate": 1.0}, headers={"origin": origin}
        )
    assert answer.status_code == 403
    assert sim.faults.drop_rate == 0.0 and sim.faults.latency_ms == 5.0


async def test_json_without_an_origin_or_from_its_own_origin_changes_the_plan() -> None:
    sim = simulator(jobs=1)
    async with raw(sim) as http:
        plain = await http.put("/_sim/faults", json={"drop_rate": 0.5})
        own = await http.post(
            "/_sim/faults",
            content=b'{"error_500_rate": 0.25}',
            headers={
                "content-type": "application/json; charset=utf-8",
                "origin": "http://simulator.localhost",
            },
        )
        read = await http.get("/_sim/faults", headers={"origin": "http://evil.example"})
        cleared = await http.delete("/_sim/faults")
    assert plain.status_code == own.status_code == read.status_code == cleared.status_code == 200
    assert read.json()["drop_rate"] == 0.5 and read.json()["error_500_rate"] == 0.25
    assert cleared.json()["drop_rate"] == 0.0


def test_over_a_socket_a_rebound_host_is_not_its_own_origin() -> None:
    sim = simulator(jobs=1)
    with served(sim) as base:
        port = base.rsplit(":", 1)[1]
        own = httpx.put(f"{base}/_sim/faults", json={"latency_ms": 1.0}, headers={"origin": base})
        # DNS rebinding: the page's origin and the Host header agree, but name no loopback host
        rebound = httpx.put(
            f"{base}/_sim/faults",
            json={"drop_rate": 1.0},
            headers={"origin": f"http://evil.example:{port}", "host": f"evil.example:{port}"},
        )
        form = httpx.post(f"{base}/_sim/faults", data={"drop_rate": "1"})
    assert own.status_code == 200 and sim.faults.latency_ms == 1.0
    assert rebound.status_code == 403 and form.status_code == 415
    assert sim.faults.drop_rate == 0.0
