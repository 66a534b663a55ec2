"""A simulator instance: a seeded world, the app that serves it, and in-process clients."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from sptui.spapi import Endpoint, LwaCredentials, ServicesClient
from sptui.spapi.models.base import utc_now

from .app import DropConnection, SimulatorApp
from .config import DEMO_MARKETPLACE, SimConfig
from .faults import FaultPlan
from .seed import build_world
from .world import Clock, World

IN_PROCESS_URL = "http://simulator.localhost"
"""The base URL in-process clients use; *.localhost never leaves the machine (RFC 6761)."""


class SimulatorTransport(httpx.AsyncBaseTransport):
    """httpx.ASGITransport plus what a network would add: read timeouts and dropped connections."""

    def __init__(self, app: SimulatorApp) -> None:
        self._inner = httpx.ASGITransport(app=app.asgi)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        timeout = (request.extensions.get("timeout") or {}).get("read")
        try:
            return await asyncio.wait_for(self._inner.handle_async_request(request), timeout)
        except TimeoutError:
            raise httpx.ReadTimeout(
                "the simulator did not answer in time", request=request
            ) from None
        except DropConnection:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a complete response", request=request
            ) from None


class Simulator:
    """A seeded world and the app that serves it; ``faults`` is the live fault plan."""

    def __init__(
        self, config: SimConfig | None = None, *, clock: Clock = utc_now, world: World | None = None
    ) -> None:
        self.config = config or SimConfig()
        self.world = world or build_world(
            self.config.seed, self.config.jobs, clock, self.config.marketplaces
        )
        self.app = SimulatorApp(self.config, self.world)

    @property
    def faults(self) -> FaultPlan:
        return self.config.faults

    def transport(self) -> SimulatorTransport:
        return SimulatorTransport(self.app)

    def credentials(self) -> LwaCredentials:
        cfg = self.config
        return LwaCredentials(cfg.client_id, cfg.client_secret, cfg.refresh_token)

    def client(
        self,
        *,
        marketplace_id: str = DEMO_MARKETPLACE,
        credentials: LwaCredentials | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        **kw: Any,
    ) -> ServicesClient:
        """A ServicesClient talking to this simulator in-process (its demo login by default)."""
        return ServicesClient(
            credentials or self.credentials(),
            marketplace_id=marketplace_id,
            endpoint=Endpoint(IN_PROCESS_URL, IN_PROCESS_URL + "/auth/o2/token"),
            transport=transport or self.transport(),
            **kw,
        )
