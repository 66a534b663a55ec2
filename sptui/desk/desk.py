"""The desk: what a face (the console or the command line) is connected to, and how to show it.

One ``Desk`` per profile in use: the API client, the mode (DEMO, SANDBOX, LIVE), the journal,
the user's zone, and what has been learnt of technicians along the way (Amazon cannot list
them).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import Enum
from typing import TYPE_CHECKING

from .clock import utc_now
from .journal import Journal, default_path

if TYPE_CHECKING:  # Mode and this module are read before the API layer and pydantic load
    from sptui.config.schema import Resource, StoreSettings
    from sptui.spapi import ServicesClient
    from sptui.spapi.models import ServiceJob

    from .demo_backend import DemoBackend
    from .store import JobStore
    from .technicians import Candidate, Known, Sighting


def _store_settings() -> StoreSettings:
    from sptui.config.schema import StoreSettings

    return StoreSettings()


class Mode(Enum):
    DEMO = "DEMO"
    """The built-in simulator: made-up jobs, nothing reaches Amazon."""
    SANDBOX = "SANDBOX"
    """Amazon's sandbox hosts: canned answers, no real jobs."""
    LIVE = "LIVE"
    """Amazon production: real jobs and real buyers."""


@dataclass
class Desk:
    client: ServicesClient
    mode: Mode
    label: str
    """Who and where, for the top bar: 'demo world', 'us-main · NA · ATVPDKIKX0DER'."""
    zone: tzinfo | None = None
    """The time zone times are shown in; None means this machine's."""
    watch_seconds: float | None = None
    """Refresh the jobs list this often; None leaves watching off."""
    clock: Callable[[], datetime] = field(default=utc_now)
    mask_pii: bool = True
    """Buyer name, phone and address start masked; a key reveals them."""
    profile: str | None = None
    """The config profile this session came from; None for the built-in demo."""
    journal: Journal = field(default_factory=lambda: Journal(default_path()))
    resources: dict[str, Resource] = field(default_factory=dict)
    """Technicians named in the profile (or, in the demo, the demo world's), by resource id."""
    seen_technicians: dict[str, str] = field(default_factory=dict)
    """Technician id -> name, from every job read so far."""
    account: str | None = None
    """Who the credentials reach (endpoint, marketplace, client id) as a key; it names the job
    store. None for the built-in demo, whose store is temporary."""
    store_settings: StoreSettings = field(default_factory=_store_settings)
    sightings: dict[str, Sighting] = field(default_factory=dict)
    """Technician id -> the stores and skills of the jobs read that had them assigned."""
    read_only: bool = False
    """The profile refuses every write (read_only = true): both faces refuse before sending."""
    rebuild: Callable[[], Desk] | None = field(default=None, repr=False)
    """Builds this world afresh, in the zone shown now: the built-in demo has one, and only it."""
    backend: DemoBackend | None = field(default=None, repr=False)
    """The built-in demo world's own process, when it has one: it ends with this desk."""
    keeper: Callable[[ServiceJob, datetime], None] | None = field(default=None, repr=False)
    """Where a job read whole goes besides the screen that asked (the console's job store), so
    that every list shows the job as it was last read (a write's read back included)."""
    reads: dict[str, int] = field(default_factory=dict, repr=False)
    """Job id -> how many times it was read whole: a screen that showed an older read of it
    reads it again when it comes back into view."""

    async def aclose(self) -> None:
        """Close the client, and end what else belongs to this desk."""
        try:
            await self.client.aclose()
        finally:
            if self.backend is not None:
                await asyncio.to_thread(self.backend.stop)  # it may wait a moment for it

    def context(self) -> dict[str, str]:
        """Who and where, for the journal."""
        return {"profile": self.profile or "demo", "mode": self.mode.value}

    @property
    def window_days(self) -> int:
        return self.store_settings.window_days

    def open_store(self, *, adopt_zone: bool = True, checked: bool = True) -> JobStore:
        """This desk's job store: the profile's own, or for the built-in demo a temporary one
        that is removed when it is closed or the process ends. ``adopt_zone=False``: for work
        that shows no rows (a sync from cron), keep the zone the store's search text is in.
        ``checked=False``: skip the integrity check now (the console runs it after its first
        frame, see ``store.location.check``)."""
        from .store import open_for  # sqlite3 and the store load only for those who use them

        return open_for(
            self.profile, self.account, zone=self.zone, adopt_zone=adopt_zone, checked=checked
        )

    def known_technicians(self) -> list[Known]:
        """Every technician known: from the config, the jobs read, and the journal."""
        from .technicians import journalled, known_resources

        configured = {rid: (r.name, r.skills) for rid, r in self.resources.items()}
        logged = journalled(self.journal.entries(), self.context()["profile"])
        return known_resources(configured, self.seen_technicians, logged)

    def note_job(self, job: ServiceJob) -> None:
        """Learn from a job read: who was assigned on it, at which store, for which skills."""
        from .technicians import note_job

        note_job(job, self.seen_technicians, self.sightings)

    def keep(self, job: ServiceJob, asked: datetime) -> None:
        """A job was read whole (answered to a request sent at ``asked``): learn from it, count
        the read, and keep it where the face keeps jobs."""
        self.note_job(job)
        if job.service_job_id:
            self.reads[job.service_job_id] = self.reads.get(job.service_job_id, 0) + 1
        if self.keeper is not None:
            self.keeper(job, asked)

    def note_sightings(self, found: dict[str, tuple[str, set[str], set[str]]]) -> None:
        """Learn from the job store what ``note_job`` learns from one job, for every job in it
        (``JobStore.sightings``): the list shows stored jobs, it does not read them whole."""
        from .technicians import Sighting

        for tid, (name, stores, skills) in found.items():
            self.seen_technicians[tid] = name
            seen = self.sightings.setdefault(tid, Sighting())
            seen.stores |= stores
            seen.skills |= skills

    def candidates(self, job: ServiceJob) -> list[Candidate]:
        """The known technicians for this job, those who serve its store and have its skills
        first, the others with why (see ``technicians.suited``)."""
        from .technicians import suited, verdicts

        self.note_job(job)
        scope = job.scope_of_work
        past = verdicts(self.journal.entries(), self.context()["profile"])
        return suited(
            self.known_technicians(),
            self.sightings,
            past,
            job.store_id,
            scope.required_skills or [] if scope else [],
            {rid: r.stores for rid, r in self.resources.items()},
        )

    def technician_skills(self) -> dict[str, set[str]]:
        """The technicians whose skills are known (named in the config), with those skills as
        the assign dialog weighs them: what the dispatch board judges appointments by."""
        from .technicians import judged_skills, verdicts

        past = verdicts(self.journal.entries(), self.context()["profile"])
        return judged_skills(self.known_technicians(), past)

    def technician_names(self) -> dict[str, str]:
        """Resource id → the best name known, for every technician known."""
        return {rid: name for rid, name, *_ in self.known_technicians()}
