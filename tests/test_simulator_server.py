"""`sptui simulator` on loopback: a real socket, a real server process."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from sptui.main import main
from sptui.simulator.server import free_port, spawn
from sptui.spapi import Endpoint, LwaCredentials, RetryPolicy, ServicesClient, TransportError


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    port = free_port()
    process = spawn(port, "--jobs", "30", "--seed", "5")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def test_the_client_works_over_loopback(served: str) -> None:
    base = served
    creds = LwaCredentials("sptui-demo", "sptui-demo-secret", "sptui-demo-refresh")
    async with ServicesClient(
        creds, marketplace_id="ATVPDKIKX0DER", endpoint=Endpoint(base, base + "/auth/o2/token")
    ) as api:
        listing = await api.get_service_jobs(created_after="2020-01-01T00:00:00Z")
        assert listing.payload and listing.payload.jobs
        answer = await api.get_service_job_by_service_job_id(
            str(listing.payload.jobs[0].service_job_id)
        )
    assert answer.request_id and answer.payload


async def test_a_dropped_connection_over_a_real_socket(served: str) -> None:
    base = served
    async with httpx.AsyncClient() as admin:
        await admin.put(f"{base}/_sim/faults", json={"drop_rate": 1.0})
    try:
        creds = LwaCredentials("sptui-demo", "sptui-demo-secret", "sptui-demo-refresh")
        async with ServicesClient(
            creds,
            marketplace_id="ATVPDKIKX0DER",
            endpoint=Endpoint(base, base + "/auth/o2/token"),
            retry=RetryPolicy(base=0.001, cap=0.001, attempts=1),
        ) as api:
            with pytest.raises(TransportError) as caught:
                await api.get_service_jobs(created_after="2020-01-01T00:00:00Z")
        assert caught.value.sent
    finally:
        async with httpx.AsyncClient() as admin:
            await admin.delete(f"{base}/_sim/faults")


def test_the_command_prints_how_to_connect() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sptui", "simulator", "--port", str(port), "--jobs", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(9)]
    finally:
        process.terminate()
        process.wait(timeout=10)
    text = "".join(lines)
    assert f"http://127.0.0.1:{port}" in text
    assert f"http://127.0.0.1:{port}/auth/o2/token" in text
    assert "sptui-demo-secret" in text and "sptui-demo-refresh" in text and "sptui-demo" in text


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["simulator", "--host", "0.0.0.0"], "refusing to listen"),
        (["simulator", "--jobs", "-1"], "--jobs"),
        (["simulator", "--port", "70000"], "--port"),
    ],
)
def test_bad_arguments_get_a_clear_message(
    argv: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    assert words in capsys.readouterr().err


def test_every_fault_kind_can_be_set_from_the_command_line() -> None:
    from sptui.cli.parser import build_parser
    from sptui.simulator.server import config_from

    args = build_parser().parse_args(
        [
            "simulator",
            "--drop-rate",
            "0.1",
            "--error-503-rate",
            "0.2",
            "--hang-rate",
            "0.05",
            "--malformed-rate",
            "0.01",
            "--applied-then-failed-rate",
            "0.3",
            "--token-ttl-seconds",
            "30",
            "--latency-ms",
            "100",
            "--jitter-ms",
            "20",
            "--sandbox-fixtures",
        ]
    )
    config = config_from(args)
    faults = config.faults
    assert (faults.drop_rate, faults.error_503_rate, faults.hang_rate) == (0.1, 0.2, 0.05)
    assert (faults.malformed_rate, faults.applied_then_failed_rate) == (0.01, 0.3)
    assert (faults.token_ttl_seconds, faults.latency_ms, faults.jitter_ms) == (30, 100, 20)
    assert config.sandbox


def test_a_bad_fault_rate_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulator", "--drop-rate", "1.5"]) == 2
    assert "drop_rate must be between 0 and 1" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("host", "base"),
    [
        ("::1", "http://[::1]:8799"),
        ("[::1]", "http://[::1]:8799"),
        ("127.0.0.1", "http://127.0.0.1:8799"),
        ("localhost", "http://localhost:8799"),
    ],
)
def test_the_printed_urls_bracket_an_ipv6_address(
    host: str, base: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    listened: dict[str, object] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: listened.update(kw))
    assert main(["simulator", "--host", host, "--port", "8799", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert f"base URL        {base}\n" in out
    assert f"token URL       {base}/auth/o2/token\n" in out
    assert f"{base}/_sim/faults" in out
    assert listened["port"] == 8799 and listened["host"] == host.strip("[]")


def test_strict_is_a_command_line_option() -> None:
    from sptui.cli.parser import build_parser
    from sptui.simulator.server import config_from

    assert config_from(build_parser().parse_args(["simulator", "--strict"])).strict
    assert not config_from(build_parser().parse_args(["simulator"])).strict


def test_the_parsers_fault_options_are_the_fault_plans_fields() -> None:
    from dataclasses import fields

    from sptui.cli.parser import FAULT_OPTIONS
    from sptui.simulator.faults import FaultPlan

    planned = {f.name.replace("_", "-") for f in fields(FaultPlan)} - {"rng", "seed"}
    assert {name for name, _ in FAULT_OPTIONS} == planned
