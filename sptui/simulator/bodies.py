"""Request bodies read with a cap: a client gets no further than the cap before it is refused.

Starlette's ``request.body()`` buffers whatever arrives; a loopback port is still reachable by
every process (and, through a browser, every web page) on the machine, so the simulator reads a
body only after the request has been authorised, and only up to the size its route can need.
"""

from __future__ import annotations

from starlette.requests import Request

KIB = 1024
MIB = 1024 * KIB

JSON_CAP = 1 * MIB
"""The largest Services API JSON body is a few KiB (a week of schedules); 1 MiB is generous."""
UPLOAD_CAP = 5 * MIB + 16
"""Amazon takes documents up to 5 MiB; AES-CBC with PKCS#7 adds at most one 16-byte block."""
FORM_CAP = 16 * KIB
"""Login with Amazon's form: four short fields."""
ADMIN_CAP = 64 * KIB
"""A JSON object of fault settings."""


class BodyTooLarge(Exception):
    """The body passed its cap (or said up front that it would)."""


def has_body(request: Request) -> bool:
    """Whether the client announced a body (a length above zero, or chunks)."""
    length = request.headers.get("content-length", "0").strip()
    chunked = "chunked" in request.headers.get("transfer-encoding", "").lower()
    return chunked or length not in ("", "0")


def declared_length(request: Request) -> int | None:
    raw = request.headers.get("content-length")
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw)


async def read_body(request: Request, cap: int) -> bytes:
    """The whole body, read chunk by chunk; BodyTooLarge once it passes ``cap`` bytes."""
    declared = declared_length(request)
    if declared is not None and declared > cap:
        raise BodyTooLarge(f"the body would be {declared} bytes; the limit is {cap}")
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > cap:
            raise BodyTooLarge(f"the body passed the limit of {cap} bytes")
    request.state.body_read = True
    return bytes(received)


def left_unread(request: Request) -> bool:
    """A body the client is still sending that nobody read: the connection must close after the
    answer, or the server would go on draining (and the client on sending) all of it."""
    return has_body(request) and not getattr(request.state, "body_read", False)
