"""Helpers for driving the simulator through the real client."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from jsonschema import Draft4Validator

from sptui.simulator import IN_PROCESS_URL, SimConfig, Simulator
from sptui.spapi import RetryPolicy, ServicesClient
from sptui.spapi.sandbox import model_document, route

from .fakes import MARKETPLACE


class Clock:
    """A world clock that tests can move forward."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def _validators() -> dict[tuple[str, int], Draft4Validator]:
    model = model_document()
    found = {}
    for methods in model["paths"].values():
        for method, spec in methods.items():
            if method == "parameters":
                continue
            for status, answer in spec["responses"].items():
                if "schema" in answer:
                    schema = {**answer["schema"], "definitions": model["definitions"]}
                    found[(spec["operationId"], int(status))] = Draft4Validator(schema)
    return found


VALIDATORS = _validators()
CHECKERS: list[SchemaCheckingTransport] = []


class SchemaCheckingTransport(httpx.AsyncBaseTransport):
    """Validates every Services API answer against the model's schema for its status.

    Every instance registers in ``CHECKERS``; tests/conftest.py fails any test whose answers
    broke a schema, so each simulator test checks schemas without saying so.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.problems: list[str] = []
        self.checked = 0
        CHECKERS.append(self)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        routed = route(request.method, request.url.path)
        if routed is None:
            return response
        await response.aread()
        validator = VALIDATORS.get((routed[0], response.status_code))
        if validator is not None and response.content:
            try:
                body: Any = json.loads(response.content)
            except ValueError:
                return response  # a malformed body is a fault the test asked for
            for error in validator.iter_errors(body):
                self.problems.append(f"{routed[0]} {response.status_code}: {error.message}")
            self.checked += 1
        return response


def simulator(**config: Any) -> Simulator:
    clock = config.pop("clock", None)
    config.setdefault("enforce_usage_plans", False)
    config.setdefault("jobs", 60)
    kwargs = {"clock": clock} if clock else {}
    return Simulator(SimConfig(**config), **kwargs)


def client_for(
    sim: Simulator, checker: SchemaCheckingTransport | None = None, **kw: Any
) -> ServicesClient:
    async def quick(_: float) -> None:
        return None

    kw.setdefault("retry", RetryPolicy(base=0.001, cap=0.002, attempts=5))
    kw.setdefault("sleep", quick)
    return sim.client(
        marketplace_id=MARKETPLACE,
        transport=checker or SchemaCheckingTransport(sim.transport()),
        **kw,
    )


def raw(sim: Simulator) -> httpx.AsyncClient:
    """A plain httpx client on the simulator, for requests the ServicesClient would refuse."""
    return httpx.AsyncClient(transport=sim.transport(), base_url=IN_PROCESS_URL)


async def token(http: httpx.AsyncClient, sim: Simulator) -> str:
    cfg = sim.config
    answer = await http.post(
        "/auth/o2/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": cfg.refresh_token,
            "client_id": cfg.client_id,
            "client_secret": cfg.client_secret,
        },
    )
    return str(answer.json()["access_token"])
