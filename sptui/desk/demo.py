"""The session a new user gets: the built-in simulator's demo world, in-process.

The demo leaves no trace: its journal (and so the reservations and the "last schedule sent" it
remembers, which are read from the journal) lives in a temporary folder of its own, removed when
the world is reset or the process ends, apart from every real profile's. Each demo world gets a
fresh folder: a world built anew must not remember what was done in the one before it.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

from sptui.config.schema import Resource
from sptui.simulator import SimConfig, Simulator
from sptui.simulator.world import Clock
from sptui.spapi.models.base import utc_now

from .desk import Desk, Mode
from .journal import Journal


def demo_journal_path() -> Path:
    """A journal for one demo world: a fresh private folder, gone when the process ends."""
    folder = Path(tempfile.mkdtemp(prefix="sptui-demo-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder / "journal.jsonl"


def is_builtin_demo(desk: Desk) -> bool:
    """Whether the desk is the built-in demo world (not a profile pointed at a simulator)."""
    return desk.profile is None and desk.mode is Mode.DEMO and desk.rebuild is not None


def forget(desk: Desk) -> None:
    """Remove a built-in demo world's journal now (its world is being replaced)."""
    if is_builtin_demo(desk) and desk.journal.path.parent.name.startswith("sptui-demo-"):
        shutil.rmtree(desk.journal.path.parent, ignore_errors=True)


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
            tid: Resource(name=tech.name, skills=sorted(tech.skills), stores=sorted(tech.store_ids))
            for tid, tech in simulator.world.technicians.items()
        },
    )

    def rebuild() -> Desk:
        fresh, _ = demo_session(
            jobs=jobs, seed=seed, watch_seconds=watch_seconds, clock=clock, **client
        )
        fresh.zone, fresh.mask_pii = session.zone, session.mask_pii
        return fresh

    session.rebuild = rebuild
    return session, simulator
