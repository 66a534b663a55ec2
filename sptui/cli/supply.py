"""`sptui slots | capacity | reservations create|update|cancel | schedule set`.

The supply side of the desk from the command line: what can be booked (open slots), what a
technician can take (capacity), and the writes that change it (reservations and schedules). Each
command is an options dataclass built from the parsed flags and a run function over a desk and an
IO, like ``jobs.py``. Every write is checked before anything is sent (a bad value is exit 2, with
nothing sent or journalled), previewed on stderr in the user's zone, and confirmed through
``confirm_and_send``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from pydantic import ValidationError

from sptui.desk.availability import build_record, describe
from sptui.desk.capacity import TYPES, Cell
from sptui.desk.desk import Desk
from sptui.desk.flows.supply import (
    RecordAnswer,
    cancel_reservation,
    reservation_problems,
    save_reservation,
    schedule_problems,
    schedule_records,
    set_schedule,
)
from sptui.desk.journal_memory import find_reservation
from sptui.desk.local_time import FORMAT_HINT, parse_when, zone_name
from sptui.desk.reads import (
    MAX_SLOT_DAYS,
    job_slots,
    load_capacity,
    service_slots,
    slot_minutes_problem,
    slot_window,
)
from sptui.desk.text import clean
from sptui.desk.writes import WriteResult
from sptui.spapi.models import AvailabilityRecord, CapacityType, Reservation, ReservationType
from sptui.spapi.params import PATH_ID

from .confirm import WriteOptions, confirm_and_send
from .context import Refused, run_command
from .exit import Exit
from .fields import CAPACITY_FIELDS, SLOT_FIELDS, slot_document
from .io import IO, terminal_io
from .output import default_format, export

TIME_FORMS = f"{FORMAT_HINT} (your zone) or ISO 8601 (2026-12-02T15:00:00Z)"
MAX_SCHEDULE_BYTES = 1024 * 1024
"""A schedule file larger than this is not a schedule (and is not read whole into memory)."""


def parse_day(text: str, flag: str) -> date:
    """A day as ``YYYY-MM-DD``; Refused names the flag."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise Refused(f"{flag}: {text!r} is not a day: give YYYY-MM-DD") from None


def check_days(days: int) -> int:
    if not 1 <= days <= MAX_SLOT_DAYS:
        raise Refused(f"--days takes 1 to {MAX_SLOT_DAYS}, not {days}")
    return days


def check_id(value: str, what: str) -> str:
    """An id as a path takes it (1 to 100 characters)."""
    problem = PATH_ID.problem(value)
    if problem or not value.strip():
        raise Refused(f"{what}: {problem or 'must not be blank'}")
    return value


def technician(desk: Desk, resource_id: str) -> str:
    """'Avery Placeholder (A7Z9ZQYHSYU8M)', or the id alone when no name is known."""
    name = desk.technician_names().get(resource_id)
    rid = clean(resource_id)
    return f"{clean(name)} ({rid})" if name and name != resource_id else rid


_O = TypeVar("_O")


def _run(
    args: argparse.Namespace,
    build: Callable[[IO], _O],
    run: Callable[[_O, IO, Desk], Awaitable[Exit]],
    *,
    writes: bool = False,
) -> int:
    """Build the options (Refused is exit 2, before any config, secret or network), then run
    them on the desk."""
    io = terminal_io()
    try:
        options = build(io)
    except Refused as refused:
        io.say(f"sptui: {refused}")
        return Exit.REFUSED
    return run_command(args, lambda desk, io_: run(options, io_, desk), writes=writes, io=io)


# ---- slots -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotsOptions:
    job_id: str | None = None
    """getAppointmmentSlotsByJobId for this job; or, when None, ``asin`` at ``store_id``."""
    asin: str | None = None
    store_id: str | None = None
    start: date | None = None
    """The first local day; None is today in the profile's zone."""
    days: int = 7
    output: str | None = None


def slots_options(args: argparse.Namespace) -> SlotsOptions:
    job_id, asin, store_id = args.job_id, args.asin, args.store_id
    if job_id and (asin or store_id):
        raise Refused("give JOB_ID, or --asin with --store-id, not both")
    if not job_id and not (asin and store_id):
        raise Refused("give JOB_ID, or both --asin and --store-id (open slots for a service)")
    return SlotsOptions(
        check_id(job_id, "JOB_ID") if job_id else None,
        asin,
        store_id,
        parse_day(args.start, "--start") if args.start else None,
        check_days(args.days),
        args.output,
    )


async def run_slots(options: SlotsOptions, io: IO, desk: Desk) -> Exit:
    start, end = slot_window(desk, options.start, options.days)
    if end <= start:
        raise Refused(
            f"--start {options.start} with --days {options.days} is over: slots are offered "
            "from now on"
        )
    if options.job_id:
        found = await job_slots(desk, options.job_id, options.start, options.days)
    else:  # slots_options made sure both are given
        asin, store_id = options.asin or "", options.store_id or ""
        found = await service_slots(desk, asin, store_id, options.start, options.days)
    slots = found.open()
    fmt = options.output or default_format(io.out_is_terminal)
    export(io.out, slots, SLOT_FIELDS, fmt, aligned=io.out_is_terminal, documents=slot_document)
    if not slots:
        local = start.astimezone(desk.zone), end.astimezone(desk.zone)
        io.say(
            f"sptui: no open slots from {local[0]:%Y-%m-%d %H:%M} to {local[1]:%Y-%m-%d %H:%M} "
            f"({zone_name(desk.zone)})"
        )
    return Exit.OK


def slots(args: argparse.Namespace) -> int:
    return _run(args, lambda _: slots_options(args), run_slots)


# ---- capacity ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CapacityOptions:
    resource_id: str
    start: date | None = None
    """The first local day; None is today in the profile's zone."""
    days: int = 7
    minutes: int = 60
    types: tuple[CapacityType, ...] = TYPES
    ranged: bool = False
    output: str | None = None


def capacity_options(args: argparse.Namespace) -> CapacityOptions:
    problem = slot_minutes_problem(args.slot_minutes)
    if problem:
        raise Refused(f"--slot-minutes {args.slot_minutes}: {problem}")
    chosen = {CapacityType(t) for t in args.type or ()}
    return CapacityOptions(
        check_id(args.resource_id, "RESOURCE_ID"),
        parse_day(args.start, "--start") if args.start else None,
        check_days(args.days),
        args.slot_minutes,
        tuple(t for t in TYPES if t in chosen) if chosen else TYPES,
        args.range,
        args.output,
    )


def capacity_records(
    cells: Sequence[Cell], types: Sequence[CapacityType]
) -> list[tuple[Cell, CapacityType, int]]:
    """One record per (cell, capacity type), in time order, types in a fixed order."""
    return [
        (cell, kind, cell.values[kind])
        for cell in sorted(cells, key=lambda c: c.start)
        for kind in types
        if kind in cell.values
    ]


async def run_capacity(options: CapacityOptions, io: IO, desk: Desk) -> Exit:
    first = options.start or desk.clock().astimezone(desk.zone).date()
    table = await load_capacity(
        desk, options.resource_id, first, options.days, options.minutes, ranged=options.ranged
    )
    records = capacity_records(list(table.cells.values()), options.types)
    fmt = options.output or default_format(io.out_is_terminal)
    export(io.out, records, CAPACITY_FIELDS, fmt, aligned=io.out_is_terminal)
    return Exit.OK


def capacity(args: argparse.Namespace) -> int:
    return _run(args, lambda _: capacity_options(args), run_capacity)


# ---- reservations ------------------------------------------------------------------------

_FLAGS = {
    "start": "--start",
    "end": "--end",
    "repeat": "--repeat",
    "until": "--until",
    "capacity": "--capacity",
}


@dataclass(frozen=True)
class ReservationOptions:
    resource_id: str
    kind: ReservationType
    typed: dict[str, str]
    """start, end, repeat, until and capacity as given; times are read in the profile's zone."""
    reservation_id: str | None = None
    """None makes a reservation (createReservation); an id changes it (updateReservation)."""
    write: WriteOptions = field(default_factory=WriteOptions)


def reservation_options(args: argparse.Namespace) -> ReservationOptions:
    rid = getattr(args, "reservation_id", None)
    typed = {
        "start": args.start,
        "end": args.end,
        "repeat": args.repeat or "",
        "until": args.until or "",
        "capacity": str(args.capacity),
    }
    return ReservationOptions(
        check_id(args.resource, "--resource"),
        ReservationType(args.type),
        typed,
        check_id(rid, "RESERVATION_ID") if rid is not None else None,
        WriteOptions(args.yes, args.dry_run, args.output),
    )


def build_reservation(options: ReservationOptions, desk: Desk) -> Reservation:
    """The reservation the options describe, checked as Amazon would; Refused lists each problem
    by its flag."""
    now = desk.clock()
    record, problems = build_record(
        options.typed, desk.zone, now, parse=parse_when, forms=TIME_FORMS
    )
    if record is None:
        said = "; ".join(f"{_FLAGS.get(k, k)}: {v}" for k, v in problems.items())
        raise Refused(f"invalid reservation, nothing sent: {said}")
    try:
        reservation = Reservation(type=options.kind, availability=record)
    except ValidationError as error:
        raise Refused(f"invalid reservation, nothing sent: {error.errors()[0]['msg']}") from None
    found = reservation_problems(options.resource_id, reservation, now, options.reservation_id)
    if found:
        raise Refused(f"invalid reservation, nothing sent: {'; '.join(found)}")
    return reservation


def _reservation_line(reservation: Reservation, desk: Desk) -> str:
    kind = str(getattr(reservation.type, "value", reservation.type) or "").title()
    when = describe(reservation.availability, desk.zone) if reservation.availability else "?"
    return f"{kind} · {when}"


async def run_reservation(options: ReservationOptions, io: IO, desk: Desk) -> Exit:
    reservation = build_reservation(options, desk)
    rid = options.reservation_id
    operation = f"updateReservation {clean(rid)}" if rid else "createReservation"
    lines = [
        f"{operation} for technician {technician(desk, options.resource_id)}",
        f"  {_reservation_line(reservation, desk)}   (times in {zone_name(desk.zone)})",
    ]
    if rid:
        before = find_reservation(desk.journal.entries(), desk.context()["profile"], rid)
        lines.append(
            f"  was: {_reservation_line(before.reservation, desk)}"
            if before
            else "  was: not made from sptui here (Amazon cannot read a reservation back)"
        )
    lines.append("Capacity held by the reservation is no longer offered to buyers.")

    async def send() -> list[WriteResult]:
        return [await save_reservation(desk, options.resource_id, reservation, rid)]

    question = f"{'Change' if rid else 'Create'} this reservation?"
    return await confirm_and_send(io, options.write, lines, send, question=question)


def reservation_create(args: argparse.Namespace) -> int:
    return _run(args, lambda _: reservation_options(args), run_reservation, writes=True)


def reservation_update(args: argparse.Namespace) -> int:
    return _run(args, lambda _: reservation_options(args), run_reservation, writes=True)


@dataclass(frozen=True)
class CancelReservationOptions:
    reservation_id: str
    write: WriteOptions = field(default_factory=WriteOptions)


def cancel_reservation_options(args: argparse.Namespace) -> CancelReservationOptions:
    return CancelReservationOptions(
        check_id(args.reservation_id, "RESERVATION_ID"),
        WriteOptions(args.yes, args.dry_run, args.output),
    )


async def run_cancel_reservation(options: CancelReservationOptions, io: IO, desk: Desk) -> Exit:
    rid = options.reservation_id
    known = find_reservation(desk.journal.entries(), desk.context()["profile"], rid)
    lines = [f"cancelReservation {clean(rid)}"]
    if known:
        lines.append(
            f"  technician {technician(desk, known.resource_id)} · "
            f"{_reservation_line(known.reservation, desk)}   (times in {zone_name(desk.zone)})"
        )
        if known.cancelled:
            lines.append("  the journal says it was cancelled already")
    else:
        lines.append("  not made from sptui here: its details are unknown")
    lines.append("Its capacity becomes available to buyers again.")

    async def send() -> list[WriteResult]:
        return [await cancel_reservation(desk, rid)]

    return await confirm_and_send(
        io, options.write, lines, send, question="Cancel this reservation?"
    )


def reservation_cancel(args: argparse.Namespace) -> int:
    return _run(
        args, lambda _: cancel_reservation_options(args), run_cancel_reservation, writes=True
    )


# ---- schedule ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleOptions:
    resource_id: str
    records: tuple[AvailabilityRecord, ...]
    source: str = "standard input"
    write: WriteOptions = field(default_factory=WriteOptions)


def read_schedule(path: str, io: IO) -> tuple[list[AvailabilityRecord], str]:
    """The records in FILE (``-``: standard input), checked against Amazon's model."""
    source = "standard input" if path == "-" else path
    try:
        if path == "-":
            text = io.inp.read(MAX_SCHEDULE_BYTES + 1)
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read(MAX_SCHEDULE_BYTES + 1)
    except (OSError, UnicodeDecodeError) as error:
        why = getattr(error, "strerror", None) or error.__class__.__name__
        raise Refused(f"--file {path}: cannot read it ({why})") from None
    if len(text) > MAX_SCHEDULE_BYTES:
        raise Refused(f"--file {source}: larger than {MAX_SCHEDULE_BYTES // 1024} KiB")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno} column {error.colno}"
        raise Refused(f"--file {source}: not JSON ({error.msg} at {where})") from None
    except RecursionError:
        raise Refused(f"--file {source}: not a schedule (nested too deep)") from None
    try:
        return schedule_records(data), source
    except ValueError as error:
        raise Refused(f"--file {source}: not a schedule, nothing sent: {error}") from None


def schedule_options(args: argparse.Namespace, io: IO) -> ScheduleOptions:
    resource_id = check_id(args.resource_id, "RESOURCE_ID")
    records, source = read_schedule(args.file, io)
    return ScheduleOptions(
        resource_id, tuple(records), source, WriteOptions(args.yes, args.dry_run, args.output)
    )


def say_answers(
    io: IO, records: Sequence[AvailabilityRecord], answers: Sequence[RecordAnswer], desk: Desk
) -> None:
    """Amazon's word on each record, on stderr."""
    for number, answer in enumerate(answers, 1):
        what = describe(records[number - 1], desk.zone) if number <= len(records) else "?"
        said = f": {answer.said}" if answer.said else ""
        io.say(f"  record {number} {answer.status}{said} · {what}")


async def run_schedule_set(options: ScheduleOptions, io: IO, desk: Desk) -> Exit:
    records = list(options.records)
    problems = schedule_problems(options.resource_id, records, desk.clock())
    if problems:
        raise Refused(f"--file {options.source}: nothing sent: {'; '.join(problems)}")
    lines = [
        f"updateSchedule for technician {technician(desk, options.resource_id)}: REPLACES the "
        f"whole schedule with these {len(records)} record(s)   (times in {zone_name(desk.zone)})",
        *(f"  {n}. {describe(r, desk.zone)}" for n, r in enumerate(records, 1)),
        "Whatever the technician's schedule holds now is replaced; Amazon has no call to read "
        "it back.",
    ]
    answers: list[RecordAnswer] = []

    async def send() -> list[WriteResult]:
        result, said = await set_schedule(desk, options.resource_id, records)
        answers.extend(said)
        return [result]

    done = await confirm_and_send(
        io,
        options.write,
        lines,
        send,
        question=f"Replace the schedule with {len(records)} record(s)?",
    )
    if answers:
        say_answers(io, records, answers, desk)
        refused = sum(a.status == "refused" for a in answers)
        if refused:
            io.say(f"sptui: {refused} of {len(answers)} record(s) refused")
            if done == Exit.OK:
                return Exit.NOT_DONE
    return done


def schedule_set(args: argparse.Namespace) -> int:
    return _run(args, lambda io: schedule_options(args, io), run_schedule_set, writes=True)
