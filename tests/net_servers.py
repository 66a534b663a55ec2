"""Servers on 127.0.0.1 for the real-socket test tier.

In-process transports hand the client a body already read; a socket streams it, can break it off
half-way, or never answer. These servers give the client the real thing: the simulator under
uvicorn, and a scripted ``http.server`` for answers the simulator cannot give.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sptui.spapi import Endpoint

from .loopback import served as serve_simulator

__all__ = ["serve_simulator"]

TOKEN_PATH = "/auth/o2/token"


def endpoint(base: str) -> Endpoint:
    return Endpoint(base, base + TOKEN_PATH)


@dataclass
class Reply:
    """One scripted answer. ``breaks`` decides how the socket behaves after the headers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    breaks: str = ""
    """'' answers whole; 'reset' sends half the body then resets the connection; 'hang' sends
    nothing at all and holds the connection open."""


def json_reply(status: int, body: Any, request_id: str | None = "rid-net", **headers: str) -> Reply:
    extra = {"content-type": "application/json", **headers}
    if request_id:
        extra["x-amzn-RequestId"] = request_id
    return Reply(status, json.dumps(body).encode(), extra)


def token_reply(access_token: str = "Atza|net-access") -> Reply:  # noqa: S107 (a fake)
    return json_reply(200, {"access_token": access_token, "expires_in": 3600}, request_id=None)


def nested_json(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


Script = Callable[[Seen], Reply]


class ScriptedServer:
    """An HTTP/1.1 server on 127.0.0.1 that answers each request as ``script`` says."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.seen: list[Seen] = []
        self._stop = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                return None

            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                seen = Seen(self.command, self.path, dict(self.headers.items()), body)
                owner.seen.append(seen)
                owner._answer(self, owner.script(seen))

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _answer(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.breaks == "hang":
            self._stop.wait(30)
            handler.close_connection = True
            return
        handler.send_response(reply.status)
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        handler.send_header("content-length", str(len(reply.body)))
        handler.end_headers()
        if reply.breaks == "reset":
            handler.wfile.write(reply.body[: len(reply.body) // 2])
            handler.wfile.flush()
            # SO_LINGER 0: close with a RST, as a crashed proxy or a dropped route does.
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            handler.connection.close()
            handler.close_connection = True
            return
        handler.wfile.write(reply.body)

    def paths(self, prefix: str = "/") -> list[str]:
        return [s.path for s in self.seen if s.path.startswith(prefix)]

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()


def api_script(
    api: Callable[[Seen], Reply], token: Callable[[Seen], Reply] | None = None
) -> Script:
    """Token requests to ``token`` (a valid token by default), everything else to ``api``."""

    def script(seen: Seen) -> Reply:
        if seen.path.startswith(TOKEN_PATH):
            return token(seen) if token else token_reply()
        return api(seen)

    return script
