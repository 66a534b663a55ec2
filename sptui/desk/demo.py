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
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sptui.config.schema import Resource

from .clock import utc_now
from .desk import Desk, Mode
from .journal import Journal
from .opening import demo_label

if TYPE_CHECKING:
    from sptui.simulator import Simulator
    from sptui.simulator.world import Clock, Technician
    from sptui.spapi import ServicesClient

    from .demo_backend import DemoBackend


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
    """The demo world in this process, served through an in-process transport."""
    from sptui.simulator import SimConfig, Simulator

    simulator = Simulator(SimConfig(seed=seed, jobs=jobs), clock=clock)
    session = _demo_desk(
        simulator.client(**client), jobs, simulator.world.technicians, watch_seconds, clock
    )

    def rebuild() -> Desk:
        fresh, _ = demo_session(
            jobs=jobs, seed=seed, watch_seconds=watch_seconds, clock=clock, **client
        )
        return _looking_as(session, fresh)

    session.rebuild = rebuild
    return session, simulator


def served_demo_session(backend: DemoBackend, *, watch_seconds: float | None = None) -> Desk:
    """The demo world in a process of its own (``demo_backend``), reached over loopback; it
    ends with the desk. Its technicians are named from the seed, as ``demo_session`` names them
    from its world."""
    from sptui.simulator.config import (
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        DEMO_MARKETPLACE,
        DEMO_REFRESH_TOKEN,
    )
    from sptui.simulator.seed import demo_technicians
    from sptui.spapi import Endpoint, LwaCredentials, ServicesClient

    client = ServicesClient(
        LwaCredentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REFRESH_TOKEN),
        marketplace_id=DEMO_MARKETPLACE,
        endpoint=Endpoint(backend.url, f"{backend.url}/auth/o2/token"),
    )
    technicians = demo_technicians(backend.seed)
    session = _demo_desk(client, backend.jobs, technicians, watch_seconds, utc_now)
    session.backend = backend

    def rebuild() -> Desk:
        # Afresh in this process: the hurry of a first frame is over.
        fresh, _ = demo_session(jobs=backend.jobs, seed=backend.seed, watch_seconds=watch_seconds)
        return _looking_as(session, fresh)

    session.rebuild = rebuild
    return session


def _demo_desk(
    client: ServicesClient,
    jobs: int,
    technicians: Mapping[str, Technician],
    watch_seconds: float | None,
    clock: Clock,
) -> Desk:
    return Desk(
        client=client,
        mode=Mode.DEMO,
        label=demo_label(jobs),
        watch_seconds=watch_seconds,
        clock=clock,
        journal=Journal(demo_journal_path(), clock=clock),
        # as if the demo provider had named its technicians in a config
        resources={
            tid: Resource(name=tech.name, skills=sorted(tech.skills), stores=sorted(tech.store_ids))
            for tid, tech in technicians.items()
        },
    )


def _looking_as(old: Desk, fresh: Desk) -> Desk:
    """A rebuilt world is shown as the one it replaces was: in its zone, masked or not."""
    fresh.zone, fresh.mask_pii = old.zone, old.mask_pii
    return fresh
