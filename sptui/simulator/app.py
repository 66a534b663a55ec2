"""The simulator as an ASGI app: Amazon's paths, LWA tokens, usage plans and faults."""

from __future__ import annotations

import asyncio
import json
import random
import secrets
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from sptui.spapi.operations import OPERATIONS, Kind
from sptui.spapi.ratelimit import TokenBucket
from sptui.spapi.sandbox import Incoming, find_case, model_document, parse_incoming, route

from . import (  # noqa: F401 (registers the operations)
    ops_appointments,
    ops_documents,
    ops_jobs,
    ops_slots,
    ops_supply,
)
from .admin import ADMIN_PATH, admin
from .bodies import FORM_CAP, JSON_CAP, UPLOAD_CAP, BodyTooLarge, left_unread, read_body
from .calls import ApiFault, Call
from .config import SimConfig
from .ops_documents import UPLOAD_PATH, receive_upload, upload_refusal
from .refusals import worded
from .registry import HANDLERS, Answer
from .world import World

TOKEN_PATH = "/auth/o2/token"  # noqa: S105 (a path)
_EXPIRED = "The access token you provided has expired."
_INVALID = "The access token you provided is revoked, malformed or invalid."
_DENIED = {"code": "Unauthorized", "message": "Access to requested resource is denied."}
_QUOTA = {"code": "QuotaExceeded", "message": "You exceeded your quota for the requested resource."}
_INTERNAL = {
    "code": "InternalFailure",
    "message": "We encountered an internal error. Please try again.",
}
_TOO_LARGE = {
    "code": "RequestEntityTooLarge",
    "message": "The request size exceeded the maximum accepted size.",
}
_HTML_503 = b"<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1></body></html>"


class DropConnection(Exception):
    """Raised mid-answer to make the server close the connection without a whole response."""


def _bare_error_lists() -> frozenset[str]:
    """Operations whose error answers Amazon's model types as a bare ErrorList."""
    bare = set()
    for methods in model_document()["paths"].values():
        for spec in methods.values():
            if not isinstance(spec, dict) or "responses" not in spec:
                continue
            for status, answer in spec["responses"].items():
                ref = answer.get("schema", {}).get("$ref", "")
                if int(status) >= 400 and ref.endswith("/ErrorList"):
                    bare.add(spec["operationId"])
    return frozenset(bare)


BARE_ERRORS = _bare_error_lists()


def amazon_errors(
    status: int, errors: list[dict[str, str]], headers: dict[str, str], operation_id: str = ""
) -> Response:
    body: Any = errors if operation_id in BARE_ERRORS else {"errors": errors}
    return JSONResponse(body, status_code=status, headers=headers)


def _encoded_path(request: Request) -> str:
    """The path as sent, still percent-encoded: an id holding '/' (sent as %2F) stays one path
    segment; routing decodes each parameter once."""
    raw = request.scope.get("raw_path")
    if isinstance(raw, bytes):
        return raw.decode("latin-1").partition("?")[0]
    return quote(request.url.path)


class SimulatorApp:
    """Holds the world, the tokens it issued and the usage-plan buckets, and answers requests."""

    def __init__(self, config: SimConfig, world: World) -> None:
        self.config = config
        self.world = world
        self.faults = config.faults
        self.tokens: dict[str, float] = {}
        self.buckets = {
            op_id: TokenBucket(
                op.rate * config.plan_scale,
                max(1, round(op.burst * config.plan_scale)),
                clock=time.monotonic,
                sleep=asyncio.sleep,
            )
            for op_id, op in OPERATIONS.items()
        }
        self.requests_served = 0
        # Seeded request ids: the same run of the same world shows the same ids (snapshots).
        self._request_ids = random.Random(config.seed)
        self.asgi = Starlette(
            routes=[
                Route(
                    "/{path:path}",
                    self.dispatch,
                    methods=["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"],
                )
            ]
        )

    def settings(self) -> dict[str, Any]:
        return {
            "page_days": self.config.page_days,
            "upload_ttl_seconds": self.config.upload_ttl_seconds,
        }

    # ---- routing -----------------------------------------------------------------------
    async def dispatch(self, request: Request) -> Response:
        try:
            response = await self._route(request)
        except ClientDisconnect:
            # Gone mid-body: nobody will read an answer, but uvicorn wants one, not a traceback.
            return Response(status_code=400, headers={"connection": "close"})
        if left_unread(request):
            # Refused before its body was read: close rather than drain what is still coming.
            response.headers["connection"] = "close"
        return response

    async def _route(self, request: Request) -> Response:
        path = request.url.path
        if path == TOKEN_PATH and request.method == "POST":
            return await self.token(request)
        if path.startswith(ADMIN_PATH):
            return await admin(request, self.faults, self.health())
        if path.startswith(UPLOAD_PATH) and request.method == "PUT":
            return await self.upload(request, path.removeprefix(UPLOAD_PATH))
        return await self.api(request)

    def health(self) -> dict[str, Any]:
        return {
            "jobs": len(self.world.jobs),
            "technicians": len(self.world.technicians),
            "reservations": len(self.world.reservations),
            "requests": self.requests_served,
            "sandbox": self.config.sandbox,
        }

    # ---- the upload URL (S3's part in Amazon's flow) ---------------------------------
    async def upload(self, request: Request, destination_id: str) -> Response:
        # The destination id is what authorises an upload (S3's pre-signed URL): check it first.
        outcome = upload_refusal(self.world, destination_id)
        if outcome is None:
            try:
                body = await read_body(request, UPLOAD_CAP)
            except BodyTooLarge:
                outcome = (413, "EntityTooLarge: Your proposed upload exceeds the maximum size")
            else:
                outcome = receive_upload(self.world, destination_id, body)
        status, text = outcome
        return Response(text, status_code=status, headers={"ETag": f'"{uuid.uuid4().hex}"'})

    # ---- Login with Amazon ---------------------------------------------------------------
    async def token(self, request: Request) -> Response:
        try:
            raw = await read_body(request, FORM_CAP)
        except BodyTooLarge:
            return JSONResponse(
                {"error": "invalid_request", "error_description": "The request is too large"},
                status_code=413,
            )
        form = dict(parse_qsl(raw.decode("utf-8", "replace")))
        if form.get("grant_type") != "refresh_token":
            return JSONResponse(
                {
                    "error": "unsupported_grant_type",
                    "error_description": "Only refresh_token is supported",
                },
                status_code=400,
            )
        cfg = self.config
        if form.get("client_id") != cfg.client_id or form.get("client_secret") != cfg.client_secret:
            return JSONResponse(
                {"error": "invalid_client", "error_description": "Client authentication failed"},
                status_code=401,
            )
        if form.get("refresh_token") != cfg.refresh_token:
            return JSONResponse(
                {
                    "error": "invalid_grant",
                    "error_description": "The request has an invalid grant parameter : refresh_token",
                },
                status_code=400,
            )
        token = f"Atza|sim-{secrets.token_urlsafe(24)}"
        life = 3600.0
        if self.faults.token_ttl_seconds is not None:
            life = min(life, self.faults.token_ttl_seconds)
        self.tokens[token] = time.monotonic() + life
        return JSONResponse(
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": 3600,
                "refresh_token": cfg.refresh_token,
            }
        )

    def _token_problem(self, request: Request) -> str | None:
        token = request.headers.get("x-amz-access-token")
        expiry = self.tokens.get(token or "")
        if expiry is None:
            return _INVALID
        if time.monotonic() >= expiry:
            return _EXPIRED
        return None

    # ---- the API -----------------------------------------------------------------------
    async def api(self, request: Request) -> Response:
        request_id = str(uuid.UUID(int=self._request_ids.getrandbits(128), version=4))
        headers = {"x-amzn-RequestId": request_id}
        routed = route(request.method, _encoded_path(request))
        if routed is None:
            where = f"{request.method} {request.url.path}"
            missing = {"code": "NotFound", "message": f"No Services API operation at {where}"}
            return amazon_errors(404, [missing], headers)
        op_id = routed[0]
        delay = self.faults.delay()
        if delay:
            await asyncio.sleep(delay)
        # Who is asking comes before what they send: an unauthorised body is never read.
        problem = self._token_problem(request)
        if problem:
            return amazon_errors(403, [{**_DENIED, "details": problem}], headers, op_id)
        if self.config.enforce_usage_plans and not self.buckets[op_id].try_acquire():
            return amazon_errors(429, [_QUOTA], headers, op_id)
        try:
            body = await read_body(request, JSON_CAP)
        except BodyTooLarge:
            return amazon_errors(413, [_TOO_LARGE], headers, op_id)
        parsed = parse_incoming(*routed, request.query_params.multi_items(), body)
        self.requests_served += 1
        injected = await self._fault_before(headers, op_id)
        if injected is not None:
            return injected
        answer = self._sandbox(parsed) if self.config.sandbox else await self._run(parsed, request)
        if 200 <= answer.status < 300 or answer.status in (400, 404):
            headers["x-amzn-RateLimit-Limit"] = f"{self.buckets[op_id].rate:g}"
        writes = OPERATIONS[op_id].kind is Kind.WRITE
        if (
            answer.status < 300
            and writes
            and self.faults.roll(self.faults.applied_then_failed_rate)
        ):
            return amazon_errors(500, [_INTERNAL], headers, op_id)
        if answer.verbatim:
            return _verbatim(answer, headers)
        if answer.status >= 400:
            return amazon_errors(answer.status, answer.body, headers, op_id)
        if answer.body is None:
            return Response(status_code=answer.status, headers=headers)
        content = json.dumps(answer.body).encode()
        if self.faults.roll(self.faults.malformed_rate):
            content = content[: max(1, len(content) // 2)]
        headers["content-type"] = "application/json"
        return Response(content, status_code=answer.status, headers=headers)

    async def _fault_before(self, headers: dict[str, str], op_id: str) -> Response | None:
        faults = self.faults
        if faults.roll(faults.hang_rate):
            await asyncio.sleep(faults.hang_seconds)
        if faults.roll(faults.drop_rate):
            return StreamingResponse(_dropped(), headers={**headers, "content-length": "4096"})
        if faults.roll(faults.error_500_rate):
            return amazon_errors(500, [_INTERNAL], headers, op_id)
        if faults.roll(faults.error_503_rate):
            return Response(
                _HTML_503, status_code=503, headers={**headers, "content-type": "text/html"}
            )
        return None

    async def _run(self, parsed: Incoming, request: Request) -> Answer:
        if isinstance(parsed.body, str):
            return Answer(
                400,
                [
                    {
                        "code": "InvalidInput",
                        "message": "The request body is not valid JSON.",
                        "details": "",
                    }
                ],
            )
        call = Call(
            operation_id=parsed.operation_id,
            path=parsed.path,
            query=parsed.query,
            body=parsed.body,
            world=self.world,
            base_url=str(request.base_url).rstrip("/"),
            settings=self.settings(),
            strict=self.config.strict,
        )
        try:
            call.check_path()
            return await HANDLERS[parsed.operation_id](call)
        except ApiFault as fault:
            return Answer(fault.status, worded(parsed.operation_id, fault))

    def _sandbox(self, parsed: Incoming) -> Answer:
        case = find_case(parsed)
        if case is None:
            return Answer(
                400, [{"code": "InvalidInput", "message": "Could not match input arguments"}]
            )
        if case.status >= 400:
            body = case.response.get("errors") if isinstance(case.response, dict) else case.response
            return Answer(case.status, body if isinstance(body, list) else [])
        return Answer(case.status, None if case.response in ("", None) else case.response)


def _verbatim(answer: Answer, headers: dict[str, str]) -> Response:
    if answer.body in ("", None):
        return Response(status_code=answer.status, headers=headers)
    return JSONResponse(answer.body, status_code=answer.status, headers=headers)


async def _dropped() -> AsyncIterator[bytes]:
    yield b'{"payload": {'
    raise DropConnection("the simulator dropped the connection on purpose")
