"""The session a new user gets: the built-in simulator's demo world, in-process.

The demo leaves no trace: its journal (and so the reservations and schedules it remembers) lives
in a temporary folder removed when the process ends, apart from every real profile's.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from sptui.config.schema import Resource
from sptui.simulator import SimConfig, Simulator
from sptui.simulator.world import Clock
from sptui.spapi.models.base import utc_now

from .desk import Desk, Mode
from .journal import Journal


@cache
def demo_journal_path() -> Path:
    """This process's demo journal: a fresh private folder, gone when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="sptui-demo-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder / "journal.jsonl"


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
        journal=Journal(demo_journal_path(), clock=clock),
        # as if the demo provider had named its technicians in a config
        resources={
            tid: Resource(name=tech.name, skills=sorted(tech.skills))
            for tid, tech in simulator.world.technicians.items()
        },
    )
    return session, simulator
