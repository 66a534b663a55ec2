"""Replays all of Amazon's static-sandbox cases through the client.

For each case the client is called with the case's parameters; the transport checks that the
request it sends matches the case (method, path, query, body) and answers with the case's
status and body; the client must return the typed payload or raise the typed error carrying the
case's code.
"""

from __future__ import annotations

import json

import httpx
import pytest

from sptui.spapi import RequestValidationError, SpApiError
from sptui.spapi.errors import parse_messages
from sptui.spapi.models import WireModel
from sptui.spapi.sandbox import SandboxCase, incoming, load_cases, match_score

from .fakes import make_client
from .sandbox_calls import call_for

CASES = load_cases()


def test_the_model_holds_147_cases() -> None:
    assert len(CASES) == 147


def answering(case: SandboxCase, seen: list[httpx.Request]):  # type: ignore[no-untyped-def]
    async def api(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        parsed = incoming(
            request.method, request.url.path, request.url.params.multi_items(), request.content
        )
        assert parsed is not None, f"{request.method} {request.url.path} is no Services route"
        assert match_score(case, parsed) is not None, (
            f"request does not match case {case.label}: path={parsed.path} "
            f"query={parsed.query} body={json.dumps(parsed.body)[:300]}"
        )
        content = b"" if case.response in ("", None) else json.dumps(case.response).encode()
        return httpx.Response(
            case.status,
            content=content,
            headers={"x-amzn-RequestId": f"req-{case.index}", "content-type": "application/json"},
        )

    return api


def expected_code(case: SandboxCase) -> str | None:
    messages = parse_messages(case.response)
    return messages[0].code if messages else None


async def replay(case: SandboxCase, *, validate: bool) -> tuple[object, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    async with make_client(answering(case, seen), validate=validate) as client:
        try:
            result: object = await call_for(client, case)
        except SpApiError as error:
            result = error
    return result, seen


def check_answer(case: SandboxCase, result: object) -> None:
    if case.status < 300:
        assert isinstance(result, WireModel), f"{case.label}: {result!r}"
        assert result.request_id == f"req-{case.index}"
        errors = getattr(result, "errors", None)
        if expected_code(case):  # a 200 that carries errors hands them back on the result
            assert errors and errors[0].code == expected_code(case)
    else:
        assert isinstance(result, SpApiError), f"{case.label}: {result!r}"
        assert result.status == case.status
        assert result.code == expected_code(case)
        assert result.request_id == f"req-{case.index}"


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
async def test_raw_client_replays_case(case: SandboxCase) -> None:
    """With validation off every case is sent, matches, and is answered in types."""
    result, seen = await replay(case, validate=False)
    assert len(seen) == 1
    check_answer(case, result)


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
async def test_validating_client_sends_or_refuses_case(case: SandboxCase) -> None:
    """The default client sends every valid case; an invalid one is refused before sending.

    A case Amazon answers with success must never be refused locally.
    """
    result, seen = await replay(case, validate=True)
    if isinstance(result, RequestValidationError):
        assert case.status >= 400, f"{case.label} refused locally: {result}"
        assert seen == []
        assert result.problems
    else:
        assert len(seen) == 1
        check_answer(case, result)
