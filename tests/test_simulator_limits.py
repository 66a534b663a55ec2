"""Bodies are read only once a request is authorised, and never past a cap: over a real socket.

The socket tests speak HTTP/1.1 by hand, so that they can stop sending mid-body and see whether
the answer came before the body did (an httpx client sends the whole body before it reads).
"""

from __future__ import annotations

import logging
import select
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from sptui.simulator import Simulator
from sptui.spapi import upload_document

from .loopback import served
from .sim_helpers import client_for, raw, simulator, token

JOBS = "/service/v1/serviceJobs?marketplaceIds=ATVPDKIKX0DER&createdAfter=2020-01-01T00:00:00Z"
ADD = "/service/v1/serviceJobs/J1/appointments"
MIB = 1024 * 1024
JSON_CAP = MIB  # the Services API's JSON bodies are a few KiB
UPLOAD_CAP = 5 * MIB + 16  # Amazon's 5 MiB documents, plus one AES block of padding


@pytest.fixture(scope="module")
def sim() -> Simulator:
    return simulator(jobs=5)


@pytest.fixture(scope="module")
def base(sim: Simulator) -> Iterator[str]:
    with served(sim) as url:
        yield url


@pytest.fixture(scope="module")
def access_token(sim: Simulator, base: str) -> str:
    cfg = sim.config
    form = {
        "grant_type": "refresh_token",
        "refresh_token": cfg.refresh_token,
        "client_id": cfg.client_id,
        "client_secret": cfg.client_secret,
    }
    return str(httpx.post(base + "/auth/o2/token", data=form).json()["access_token"])


def _connect(base: str) -> socket.socket:
    parts = urlsplit(base)
    sock = socket.create_connection((parts.hostname or "", parts.port or 80), timeout=10)
    return sock


def _head(method: str, path: str, headers: dict[str, str]) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        "Host: 127.0.0.1",
        *(f"{k}: {v}" for k, v in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _answer(sock: socket.socket, wait: float = 10.0) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of the answer; fails the test if none comes within ``wait``."""
    sock.settimeout(wait)
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            pytest.fail(f"no answer within {wait} s: the server is waiting for the body")
        if not chunk:
            break
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in header_lines)}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(status_line.split()[1]), headers, body


def _announce_then_stall(
    base: str, method: str, path: str, headers: dict[str, str], send: int
) -> tuple[int, dict[str, str], bytes]:
    """Send the head and ``send`` bytes of the body it announces, then only listen."""
    with _connect(base) as sock:
        sock.sendall(_head(method, path, headers) + b"[" * send)
        return _answer(sock)


def test_an_unauthorised_body_is_refused_before_it_is_sent(base: str) -> None:
    # 300 MiB announced, 1 MiB sent: before, the server buffered the body (and waited for all
    # of it) before it looked at the token; now the 403 comes at once.
    started = time.monotonic()
    status, headers, body = _announce_then_stall(
        base,
        "POST",
        ADD,
        {"content-type": "application/json", "content-length": str(300 * MIB)},
        send=MIB,
    )
    assert status == 403 and b"access token" in body
    assert headers.get("connection") == "close"  # no draining of the other 299 MiB
    assert time.monotonic() - started < 5


def test_a_body_announced_too_large_is_refused_up_front(base: str, access_token: str) -> None:
    headers = {
        "x-amz-access-token": access_token,
        "content-type": "application/json",
        "content-length": str(300 * MIB),
    }
    status, answered, body = _announce_then_stall(base, "POST", ADD, headers, send=0)
    assert status == 413 and b"RequestEntityTooLarge" in body
    assert answered["x-amzn-requestid"] and answered.get("connection") == "close"


def test_a_chunked_body_is_cut_off_at_the_cap(base: str, access_token: str) -> None:
    head = _head(
        "POST",
        ADD,
        {
            "x-amz-access-token": access_token,
            "content-type": "application/json",
            "transfer-encoding": "chunked",
        },
    )
    piece = 64 * 1024
    chunk = f"{piece:x}\r\n".encode() + b"[" * piece + b"\r\n"
    sent = 0
    limit = 64 * MIB
    with _connect(base) as sock:
        sock.sendall(head)
        while sent < limit:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break  # the server has answered: stop sending
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += piece
        status, _, body = _answer(sock)
    assert status == 413 and b"RequestEntityTooLarge" in body
    assert sent < limit  # answered long before the whole body was sent


def test_the_token_form_is_capped(base: str) -> None:
    status, _, body = _announce_then_stall(
        base,
        "POST",
        "/auth/o2/token",
        {"content-type": "application/x-www-form-urlencoded", "content-length": str(10 * MIB)},
        send=0,
    )
    assert status == 413 and b"invalid_request" in body


def test_an_upload_to_no_destination_is_refused_before_its_body(base: str) -> None:
    status, _, body = _announce_then_stall(
        base, "PUT", "/_uploads/UPLOAD-nothing", {"content-length": str(300 * MIB)}, send=MIB
    )
    assert status == 404 and b"NoSuchUpload" in body


async def test_uploads_take_a_5_mib_document_and_nothing_larger(
    sim: Simulator, base: str, tmp_path: Path
) -> None:
    file = tmp_path / "proof.pdf"
    file.write_bytes(b"%PDF-" + b"x" * (5 * MIB - 5))  # the largest Amazon takes
    async with client_for(sim) as api:
        document = await upload_document(api, file)
    assert sim.world.uploads[str(document.upload_destination_id)].problem is None
    destination = str(document.upload_destination_id)
    status, _, body = _announce_then_stall(
        base, "PUT", f"/_uploads/{destination}", {"content-length": str(UPLOAD_CAP + 1)}, send=0
    )
    assert status == 413 and b"EntityTooLarge" in body


async def test_a_json_body_past_the_cap_gets_413_in_process_too() -> None:
    sim = simulator(jobs=5)
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim), "content-type": "application/json"}
        too_big = await http.post(ADD, content=b" " * (JSON_CAP - 1) + b"{}", headers=headers)
        at_cap = await http.post(ADD, content=b" " * (JSON_CAP - 2) + b"{}", headers=headers)
    assert too_big.status_code == 413
    assert too_big.json()["errors"][0]["code"] == "RequestEntityTooLarge"
    assert at_cap.status_code == 400  # read, and judged on what it says


def test_the_server_still_answers_after_all_that(base: str, access_token: str) -> None:
    answer = httpx.get(base + JOBS, headers={"x-amz-access-token": access_token})
    assert answer.status_code == 200 and answer.json()["payload"]["jobs"]


def test_a_client_gone_mid_body_leaves_no_trace(base: str, access_token: str) -> None:
    logged: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = logged.append  # type: ignore[method-assign]
    errors = logging.getLogger("uvicorn.error")  # uvicorn's loggers do not reach the root
    errors.addHandler(handler)
    try:
        headers = {"x-amz-access-token": access_token, "content-length": str(MIB)}
        with _connect(base) as sock:
            sock.sendall(_head("POST", ADD, headers) + b"{" * 1000)
        time.sleep(0.3)
    finally:
        errors.removeHandler(handler)
    assert [r.getMessage() for r in logged if r.levelno >= logging.ERROR] == []
    test_the_server_still_answers_after_all_that(base, access_token)
