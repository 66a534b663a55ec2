"""Login with Amazon: access tokens from a refresh token, as an ``httpx.Auth``.

One token serves every request until 60 s before it expires. However many tasks find it stale at
once, exactly one of them asks LWA for a new one; the others wait for it.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass, field

import httpx

from . import redaction
from .errors import AuthError, parse_messages
from .ratelimit import Clock, Sleep
from .retry import RetryPolicy

REFRESH_MARGIN = 60.0

_FINAL = {
    "invalid_grant": (
        "Login with Amazon refused the refresh token (invalid_grant): it was revoked, has "
        "expired, or belongs to another app. Authorise the app again in Seller Central and put "
        "the new refresh token in this profile."
    ),
    "invalid_client": (
        "Login with Amazon refused the client id or secret (invalid_client). Check the client "
        "id, and if the secret was rotated or has expired, put the current one in this profile."
    ),
    "unauthorized_client": (
        "Login with Amazon does not let this client use a refresh token (unauthorized_client). "
        "Check that this seller authorised the app and that the profile uses that app's "
        "client id."
    ),
}
_RETRIABLE = {"server_error", "temporarily_unavailable"}


@dataclass(frozen=True)
class LwaCredentials:
    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)

    def __post_init__(self) -> None:
        missing = [
            name
            for name in ("client_id", "client_secret", "refresh_token")
            if not getattr(self, name)
        ]
        if missing:
            raise AuthError(f"missing LWA credential(s): {', '.join(missing)}")
        redaction.REDACTOR.register([self.client_secret, self.refresh_token])


@dataclass
class _Token:
    value: str = field(repr=False)
    expires_at: float


def token_rejected(response: httpx.Response) -> bool:
    """A 403 because the access token expired or is bad, not because a role is missing."""
    if response.status_code != 403:
        return False
    try:
        errors = parse_messages(json.loads(response.content))
    except (ValueError, RecursionError):
        return False
    for error in errors:
        text = f"{error.code} {error.message} {error.details or ''}".lower()
        if "access token" in text or "accesstoken" in text:
            return True
    return False


class LwaAuth(httpx.Auth):
    def __init__(
        self,
        credentials: LwaCredentials,
        token_url: str,
        http: httpx.AsyncClient,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        retry: RetryPolicy | None = None,
    ) -> None:
        self._credentials = credentials
        self._token_url = token_url
        self._http = http
        self._clock = clock
        self._sleep = sleep
        self._retry = retry or RetryPolicy(base=0.5, cap=4.0, attempts=3)
        self._token: _Token | None = None
        self._lock = asyncio.Lock()
        self.token_requests = 0
        """How many times LWA was asked; tests and diagnostics read it."""

    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response]:
        raise RuntimeError("sptui's LWA auth works with httpx.AsyncClient only")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await self.access_token()
        request.headers["x-amz-access-token"] = token
        response = yield request
        if response.status_code == 403:
            # httpx reads the body for an auth flow only in the base class's flow, which this
            # one replaces; over a real socket the body is still unread here.
            await response.aread()
        if token_rejected(response):
            # Expired early or revoked: one forced refresh and one retry, never a loop.
            request.headers["x-amz-access-token"] = await self.access_token(stale=token)
            yield request

    def _valid(self) -> _Token | None:
        token = self._token
        if token and self._clock() < token.expires_at - REFRESH_MARGIN:
            return token
        return None

    async def access_token(self, *, stale: str | None = None) -> str:
        """A valid access token; ``stale`` names one the server rejected, forcing a new one."""
        token = self._valid()
        if token and token.value != stale:
            return token.value
        async with self._lock:
            token = self._valid()
            if token and token.value != stale:
                return token.value  # another task refreshed while we waited
            self._token = await self._fetch()
            return self._token.value

    async def _fetch(self) -> _Token:
        last: AuthError | None = None
        for attempt in range(self._retry.attempts):
            if attempt:
                await self._sleep(self._retry.delay(attempt - 1))
            try:
                return await self._request_token()
            except AuthError as error:
                if error.final:
                    raise
                last = error
        assert last is not None
        raise last

    async def _request_token(self) -> _Token:
        creds = self._credentials
        self.token_requests += 1
        started = self._clock()
        try:
            response = await self._http.post(
                self._token_url,
                data={
                    "grant_type": "refresh_token",
                    "refresh_token": creds.refresh_token,
                    "client_id": creds.client_id,
                    "client_secret": creds.client_secret,
                },
                headers={"accept": "application/json"},
            )
        except httpx.HTTPError as exc:
            raise AuthError(
                f"could not reach Login with Amazon: {type(exc).__name__}", final=False
            ) from None
        try:
            body = json.loads(response.content)
        except (ValueError, RecursionError):
            body = {}
        if not isinstance(body, dict):
            body = {}
        if response.status_code == 200 and body.get("access_token"):
            value = str(body["access_token"])
            redaction.REDACTOR.register([value, body.get("refresh_token")])
            expires_in = float(body.get("expires_in") or 3600)
            return _Token(value, started + expires_in)
        code = str(body.get("error") or f"HTTP {response.status_code}")
        if code in _FINAL:
            raise AuthError(_FINAL[code], code=code, status=response.status_code, final=True)
        retriable = code in _RETRIABLE or response.status_code >= 500
        description = str(body.get("error_description") or "no description")
        raise AuthError(
            f"Login with Amazon failed ({code}): {redaction.REDACTOR.scrub(description)}",
            code=code,
            status=response.status_code,
            final=not retriable,
        )
