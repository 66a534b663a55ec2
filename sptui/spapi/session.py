"""Sending one operation: pacing, headers, retries and error mapping.

Everything an operation call has in common lives here, so that the 17 methods of the client
only say what to send and how to read the answer.
"""

from __future__ import annotations

import asyncio
import logging
import platform
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from .. import __version__
from .errors import ServerError, SpApiError, TransportError, error_from_response
from .operations import BASE_PATH, OPERATIONS, Operation
from .ratelimit import RateLimiter, Sleep
from .retry import TRANSIENT_STATUSES, RetryPolicy

log = logging.getLogger("sptui.spapi")

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
_PY = ".".join(platform.python_version_tuple()[:2])
USER_AGENT = f"sptui/{__version__} (Language=Python/{_PY})"

# Failing to connect means nothing reached the server: even a write may be sent again.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def amz_date(now: datetime | None = None) -> str:
    return (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")


def build_path(operation: Operation, path_params: Mapping[str, str]) -> str:
    # quote(safe="") so that an id holding "/" or ".." can never address another resource.
    encoded = {name: quote(str(value), safe="") for name, value in path_params.items()}
    return BASE_PATH + operation.path.format(**encoded)


class _Failed(Exception):
    """One attempt's failure, and whether the operation may be tried again after it."""

    def __init__(self, error: SpApiError, retriable: bool) -> None:
        self.error = error
        self.retriable = retriable


class Session:
    """An ``httpx.AsyncClient`` wrapped in the usage plans and the retry policy."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        limiter: RateLimiter,
        retry: RetryPolicy,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.http = http
        self.limiter = limiter
        self.retry = retry
        self._sleep = sleep

    async def call(
        self,
        operation_id: str,
        *,
        path: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        body: Any = None,
        parse: Callable[[httpx.Response], T],
    ) -> T:
        """Send until a parsed 2xx answer, a final error, or the attempts run out.

        Reads are retried on any transient failure, a garbled success body included. Writes are
        retried only after a 429 or a failure to connect, which prove the server did not apply
        them; after any other failure a write raises at once so that the caller can reconcile.
        """
        operation = OPERATIONS[operation_id]
        url = build_path(operation, path or {})
        params = {k: v for k, v in (query or {}).items() if v is not None}
        bucket = self.limiter.bucket(operation_id)
        for attempt in range(self.retry.attempts):
            last = attempt == self.retry.attempts - 1
            await bucket.acquire()
            started = time.perf_counter()
            try:
                response = await self.http.send(
                    self.http.build_request(
                        operation.method,
                        url,
                        params=params,
                        json=body,
                        headers={"x-amz-date": amz_date()},
                    ),
                    stream=True,
                )
            except httpx.HTTPError as exc:
                not_sent = isinstance(exc, _NOT_SENT)
                error: SpApiError = TransportError(
                    f"no answer from the server ({type(exc).__name__})",
                    operation=operation_id,
                    sent=not not_sent,
                )
                retriable = operation.is_read or not_sent
                log.debug("%s %s: %s (attempt %d)", operation.method, url, exc, attempt + 1)
            else:
                try:
                    return await self._answer(operation, url, response, parse, attempt, started)
                except _Failed as failed:
                    error, retriable = failed.error, failed.retriable
            if last or not retriable:
                raise error
            await self._sleep(self.retry.delay(attempt))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _answer(
        self,
        operation: Operation,
        url: str,
        response: httpx.Response,
        parse: Callable[[httpx.Response], T],
        attempt: int,
        started: float,
    ) -> T:
        """Read one answer and parse it, or raise ``_Failed`` saying whether to try again."""
        operation_id = operation.operation_id
        request_id = response.headers.get("x-amzn-RequestId")
        try:
            # Headers are in; the body may still break off, or fail to decode.
            await response.aread()
        except httpx.HTTPError as exc:
            broken = TransportError(
                f"the server's answer broke off or could not be decoded ({type(exc).__name__})",
                operation=operation_id,
                status=response.status_code,
                request_id=request_id,
                sent=True,
            )
            raise _Failed(broken, operation.is_read) from None
        finally:
            await response.aclose()
        log.debug(
            "%s %s -> %d in %.0f ms (request id %s, attempt %d)",
            operation.method,
            url,
            response.status_code,
            (time.perf_counter() - started) * 1000,
            request_id,
            attempt + 1,
        )
        self.limiter.observe_limit_header(
            operation_id, response.headers.get("x-amzn-RateLimit-Limit")
        )
        if response.is_success:
            try:
                return parse(response)
            except (ValueError, RecursionError):  # JSON, schema (pydantic's), or too deep
                garbled = ServerError(
                    "the server's answer could not be read (malformed JSON)",
                    operation=operation_id,
                    status=response.status_code,
                    request_id=request_id,
                )
                raise _Failed(garbled, operation.is_read) from None
        if response.status_code == 429:
            self.limiter.bucket(operation_id).drain()
        raise _Failed(
            error_from_response(operation_id, response),
            self._retriable(operation, response.status_code),
        )

    @staticmethod
    def _retriable(operation: Operation, status: int) -> bool:
        if status == 429:
            return True  # a throttled request was not applied, whatever its kind
        return operation.is_read and status in TRANSIENT_STATUSES
