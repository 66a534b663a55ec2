"""A stateful local Services API: the demo backend, the test bed and the fault injector.

Served in-process through ``Simulator.transport()`` (an httpx transport, no sockets) or on
loopback by ``sptui simulator``.

The names below load on first use: importing a part of the simulator (its seed, its config)
does not load the app, Starlette and the API client with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sptui.lazy import lazy_names

if TYPE_CHECKING:
    from .config import (
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        DEMO_MARKETPLACE,
        DEMO_REFRESH_TOKEN,
        SimConfig,
    )
    from .faults import FaultPlan
    from .instance import IN_PROCESS_URL, Simulator, SimulatorTransport
    from .seed import build_world
    from .world import World

_WHERE = {
    "DEMO_CLIENT_ID": "config",
    "DEMO_CLIENT_SECRET": "config",
    "DEMO_MARKETPLACE": "config",
    "DEMO_REFRESH_TOKEN": "config",
    "SimConfig": "config",
    "FaultPlan": "faults",
    "IN_PROCESS_URL": "instance",
    "Simulator": "instance",
    "SimulatorTransport": "instance",
    "build_world": "seed",
    "World": "world",
}


__getattr__, __dir__ = lazy_names(__name__, _WHERE)


__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_MARKETPLACE",
    "DEMO_REFRESH_TOKEN",
    "FaultPlan",
    "IN_PROCESS_URL",
    "SimConfig",
    "Simulator",
    "SimulatorTransport",
    "World",
    "build_world",
]
