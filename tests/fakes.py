"""Test doubles: an LWA token endpoint and helpers for httpx.MockTransport servers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from sptui.spapi import Endpoint, LwaCredentials, RetryPolicy, ServicesClient

CLIENT_ID = "amzn1.application-oa2-client.test"
SECRET = "SENTINEL-client-secret-7f3a"
REFRESH = "Atzr|SENTINEL-refresh-token-91b2"
MARKETPLACE = "ATVPDKIKX0DER"
BASE = "https://sellingpartnerapi-na.amazon.com"
TOKEN_URL = "https://api.amazon.com/auth/o2/token"

Handler = Callable[[httpx.Request], Awaitable[httpx.Response]]


def credentials() -> LwaCredentials:
    return LwaCredentials(CLIENT_ID, SECRET, REFRESH)


@dataclass
class Lwa:
    """A fake Login with Amazon token endpoint."""

    expires_in: int = 3600
    fail_with: list[tuple[int, str]] = field(default_factory=list)
    """Errors to answer first, in order, as (status, LWA error code)."""
    delay: float = 0.0
    issued: int = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        form = dict(x.split("=", 1) for x in request.content.decode().split("&"))
        assert form["grant_type"] == "refresh_token"
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail_with:
            status, code = self.fail_with.pop(0)
            return httpx.Response(status, json={"error": code, "error_description": "nope"})
        self.issued += 1
        return httpx.Response(
            200,
            json={
                "access_token": f"Atza|access-{self.issued}",
                "token_type": "bearer",
                "expires_in": self.expires_in,
            },
        )


def routed(lwa: Lwa, api: Handler) -> httpx.MockTransport:
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/auth/o2/token":
            return await lwa(request)
        return await api(request)

    return httpx.MockTransport(handler)


def make_client(
    api: Handler,
    *,
    lwa: Lwa | None = None,
    retry: RetryPolicy | None = None,
    validate: bool = True,
    **kw: Any,
) -> ServicesClient:
    async def no_sleep(_: float) -> None:
        await asyncio.sleep(0)

    kw.setdefault("sleep", no_sleep)
    return ServicesClient(
        credentials(),
        marketplace_id=MARKETPLACE,
        endpoint=Endpoint(BASE, TOKEN_URL),
        transport=routed(lwa or Lwa(), api),
        retry=retry or RetryPolicy(base=0.01, cap=0.05),
        validate=validate,
        **kw,
    )


def amazon_error(status: int, code: str, message: str, request_id: str = "req-1") -> httpx.Response:
    return httpx.Response(
        status,
        json={"errors": [{"code": code, "message": message, "details": ""}]},
        headers={"x-amzn-RequestId": request_id},
    )


def ok(body: Any, status: int = 200, request_id: str = "req-ok") -> httpx.Response:
    content = b"" if body is None else json.dumps(body).encode()
    return httpx.Response(
        status,
        content=content,
        headers={"x-amzn-RequestId": request_id, "content-type": "application/json"},
    )
