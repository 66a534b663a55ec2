"""The session a new user gets: the built-in simulator's demo world, in-process."""

from __future__ import annotations

from typing import Any

from sptui.config.schema import Resource
from sptui.simulator import SimConfig, Simulator
from sptui.simulator.world import Clock
from sptui.spapi.models.base import utc_now

from .desk import Desk, Mode


def demo_session(
    *,
    jobs: int = 200,
    seed: int = 1,
    watch_seconds: float | None = None,
    clock: Clock = utc_now,
    **client: Any,
) -> tuple[Desk, Simulator]:
    simulator = Simulator(SimConfig(seed=seed, jobs=jobs), clock=clock)
    session = Desk(
        client=simulator.client(**client),
        mode=Mode.DEMO,
        label=f"demo world · {jobs:,} jobs",
        watch_seconds=watch_seconds,
        clock=clock,
        # as if the demo provider had named its technicians in a config
        resources={
            tid: Resource(name=tech.name, skills=sorted(tech.skills))
            for tid, tech in simulator.world.technicians.items()
        },
    )
    return session, simulator
