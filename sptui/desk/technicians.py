"""Every technician sptui knows of: Amazon has no call that lists a provider's resources.

Three places name them: the profile's config (`resources`), the jobs seen (their assigned
technicians), and sptui's own journal (schedules and reservations it wrote for a resource id).

The same places tell who can do a job (``suited``): the stores and skills of the jobs a
technician was seen assigned on, the skills the config gives them, and Amazon's past answers to
assignments (its RESOURCES_* refusals, per resource, kept in the journal with the job's store).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sptui.spapi.models import ServiceJob

from .journal_memory import done_by

SUPPLY_WRITES = ("updateSchedule", "createReservation", "updateReservation")

Known = tuple[str, str, list[str], str]
"""(resource id, name, skills, where it is known from)."""


def journalled(entries: Iterable[dict[str, Any]], profile: str) -> list[str]:
    """Resource ids sptui wrote a schedule or reservation for, first seen first."""
    found: dict[str, None] = {}
    for entry in done_by(entries, profile):
        if entry.get("operation") in SUPPLY_WRITES:
            rid = (entry.get("ids") or {}).get("resourceId") or (entry.get("parameters") or {}).get(
                "resourceId"
            )
            if isinstance(rid, str) and rid:
                found[rid] = None
    return list(found)


def known_resources(
    configured: dict[str, tuple[str | None, list[str]]],
    seen: dict[str, str],
    journalled: Sequence[str] = (),
) -> list[Known]:
    """Config, jobs and journal merged: the config's name first, then the jobs', then the id."""
    ids = dict.fromkeys([*configured, *seen, *journalled])
    found = []
    for rid in ids:
        name, skills = configured.get(rid, (None, []))
        where = ", ".join(
            label
            for label, has in (
                ("config", rid in configured),
                ("jobs", rid in seen),
                ("journal", rid in journalled),
            )
            if has
        )
        found.append((rid, name or seen.get(rid) or rid, list(skills), where))
    # by name, the ones known only by their id last
    return sorted(found, key=lambda r: (r[1] == r[0], r[1].lower(), r[0]))


# ---- who can do a job ---------------------------------------------------------------------------
LOCATION = "RESOURCES_NOT_AVAILABLE_IN_LOCATION"
SKILLS = "RESOURCES_MISSING_REQUIRED_SKILLS"
ANY_JOB = (
    "RESOURCES_NOT_REGISTERED_UNDER_MERCHANT",
    "RESOURCES_BACKGROUND_CHECK_INCOMPLETE",
    "RESOURCES_MISMATCHED_SERVICE_LOCATION_TYPE",
)
"""Refusals that say nothing about the job: they hold for any job, until Amazon takes them."""


@dataclass
class Sighting:
    """What the jobs read say of a technician: Amazon accepted them on these."""

    stores: set[str] = field(default_factory=set)
    """Stores of the jobs they were assigned on."""
    skills: set[str] = field(default_factory=set)
    """Skills those jobs required."""


def note_job(job: ServiceJob, names: dict[str, str], sightings: dict[str, Sighting]) -> None:
    """Remember the technicians assigned on this job: their names, its store and skills."""
    scope = job.scope_of_work
    skills = set(scope.required_skills or []) if scope else set()
    for appointment in job.appointments or []:
        for tech in appointment.assigned_technicians or []:
            if not tech.technician_id:
                continue
            names[tech.technician_id] = tech.name or tech.technician_id
            seen = sightings.setdefault(tech.technician_id, Sighting())
            if job.store_id:
                seen.stores.add(job.store_id)
            seen.skills |= skills


@dataclass(frozen=True)
class Verdict:
    """One answer Amazon gave about one technician on one assignment, from the journal."""

    resource_id: str
    code: str
    """An error code; "" for an assignment Amazon took."""
    store_id: str
    skills: frozenset[str]
    time: str
    job_id: str


def _named(message: str, sent: list[str]) -> list[str]:
    """The resources an error is about: those it names, or the only one sent."""
    named = message.partition("Applicable resources:")[2]
    ids = [i.strip() for i in named.replace(";", ",").split(",") if i.strip()]
    if ids:
        return ids
    return sent if len(sent) == 1 else []


def verdicts(entries: Iterable[dict[str, Any]], profile: str) -> list[Verdict]:
    """Every assignment this profile's journal holds an answer for, per technician, oldest first."""
    found = []
    for entry in entries:
        if (
            entry.get("profile") != profile
            or entry.get("operation") != "assignAppointmentResources"
        ):
            continue
        about = entry.get("about") or {}
        store = str(about.get("storeId") or "")
        skills = frozenset(str(s) for s in about.get("requiredSkills") or [])
        sent = [str(i) for i in (entry.get("parameters") or {}).get("resourceIds") or []]
        job_id = str((entry.get("ids") or {}).get("serviceJobId") or "")
        time = str(entry.get("time") or "")
        outcome = entry.get("outcome")
        if outcome in ("succeeded", "applied"):
            found += [Verdict(rid, "", store, skills, time, job_id) for rid in sent]
        elif outcome == "failed":
            errors = entry.get("errors") or []
            if not errors:  # an older line: its message holds the first error
                code, _, message = str(entry.get("message") or "").partition(": ")
                errors = [{"code": code, "message": message}]
            for error in errors:
                code = str(error.get("code") or "")
                if code.startswith("RESOURCES_"):
                    found += [
                        Verdict(rid, code, store, skills, time, job_id)
                        for rid in _named(str(error.get("message") or ""), sent)
                    ]
    return found


def skills_known(configured: Iterable[str], seen: Sighting, taken: Iterable[Verdict]) -> set[str]:
    """The skills a technician is known to have: those the config names and those Amazon
    accepted them for (an assignment sptui sent, in the journal). The skills of jobs they were
    merely seen on count only when the config names none: an appointment can outlive a skill
    (a lapsed licence the config now leaves out), and the config is the provider's word."""
    mine = set(configured)
    accepted = {skill for verdict in taken for skill in verdict.skills}
    return mine | accepted if mine else seen.skills | accepted


def judged_skills(known: Sequence[Known], past: Sequence[Verdict]) -> dict[str, set[str]]:
    """Each technician whose skills the config names, with the skills known of them (as the
    assign dialog weighs them): the dispatch board flags an appointment needing another."""
    found = {}
    for rid, _, configured, _ in known:
        if configured:
            taken = [v for v in past if v.resource_id == rid and not v.code]
            found[rid] = skills_known(configured, Sighting(), taken)
    return found


@dataclass(frozen=True)
class Candidate:
    """A known technician, weighed for one job."""

    resource_id: str
    name: str
    rank: int
    """0: serves the job's store and has its skills, as far as Amazon has shown; 1: nothing
    known against, but not all known; 2: something known against (said in ``why``)."""
    why: tuple[str, ...]

    @property
    def suited(self) -> bool:
        return self.rank == 0


def suited(
    known: Sequence[Known],
    sightings: dict[str, Sighting],
    past: Sequence[Verdict],
    store_id: str | None,
    required: Iterable[str],
    configured_stores: dict[str, list[str]] | None = None,
) -> list[Candidate]:
    """The known technicians for a job at ``store_id`` needing ``required``: first those who
    serve that store and have those skills, then those not known either way, then those known
    not to fit; each with why, from the config's skills, the jobs seen and Amazon's past
    answers in the journal. ``configured_stores`` are the stores the config names for each."""
    from .explain import PLAIN

    needed = set(required)
    found = []
    for rid, name, configured, _ in known:
        seen = sightings.get(rid, Sighting())
        mine = [v for v in past if v.resource_id == rid]
        taken = [v for v in mine if not v.code]
        listed = set((configured_stores or {}).get(rid, []))
        stores = seen.stores | {v.store_id for v in taken if v.store_id} | listed
        skills = skills_known(configured, seen, taken)
        against: list[str] = []
        unknown: list[str] = []
        last_taken = max((v.time for v in taken), default="")
        for verdict in mine:
            if verdict.code in ANY_JOB and verdict.time > last_taken:
                against.append(f"{PLAIN[verdict.code]} ({verdict.code})")
        refused_here = any(
            v.code == LOCATION and v.store_id == store_id and v.time > last_taken for v in mine
        )
        if refused_here:
            against.append(f"refused at this store ({LOCATION})")
        elif store_id and listed and store_id not in stores:
            against.append("does not serve this store (config)")
        elif store_id and store_id not in stores:
            unknown.append("not seen at this store")
        missing = sorted(needed - skills)
        refused_skills = any(
            v.code == SKILLS and v.skills and v.skills <= needed and v.time > last_taken
            for v in mine
        )
        if refused_skills:
            against.append(f"refused for a skill this job needs ({SKILLS})")
        elif missing and configured:
            against.append(f"lacks {', '.join(missing)} (config)")
        elif missing:
            unknown.append(f"{', '.join(missing)} not known")
        against = list(dict.fromkeys(against))
        if against:
            found.append(Candidate(rid, name, 2, tuple(against)))
        elif unknown:
            found.append(Candidate(rid, name, 1, tuple(unknown)))
        else:
            why = ["serves this store"] if store_id else []
            if needed:
                why.append(f"has {', '.join(sorted(needed))}")
            found.append(Candidate(rid, name, 0, tuple(why)))
    return sorted(
        found, key=lambda c: (c.rank, c.name == c.resource_id, c.name.lower(), c.resource_id)
    )
