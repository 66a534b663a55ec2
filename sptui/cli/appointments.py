"""`sptui appointments book | move | assign | fulfil`: one job's appointment, previewed and sent.

Each reads the job first (the preview is built from what Amazon says now), prints the preview,
asks (or takes --yes), and hands the rest to the core's flow, which reads the job once more
just before sending and sends nothing if it changed.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sptui.desk.desk import Desk
from sptui.desk.flows.assign import describe_assign, perform_assign, preview_assign
from sptui.desk.flows.booking import (
    NotPossible,
    describe_booking,
    perform_booking,
    preview_booking,
)
from sptui.desk.flows.fulfilment import Fulfillment, describe_fulfilment, perform_fulfilment
from sptui.desk.flows.guard import Changed, job_state, read_job
from sptui.desk.formatting import active_appointment, status_label
from sptui.desk.local_time import parse_when
from sptui.desk.writes import WriteResult

from .confirm import WriteOptions, confirm_and_send
from .context import Refused, run_command
from .exit import Exit
from .io import IO


@dataclass(frozen=True)
class BookOptions:
    job_id: str
    at: str
    minutes: int | None
    reason: str | None = None
    move: bool = False
    reassign: bool = True
    write: WriteOptions = field(default_factory=WriteOptions)


def changed_note(io: IO, changed: Changed) -> Exit:
    """Nothing was sent because the job changed since the preview: say how it is now."""
    job = changed.job
    active = active_appointment(job)
    time = active.appointment_time if active else None
    io.say(f"sptui: not sent: {changed.why}.")
    io.say(f"  now: {status_label(job.service_job_status)}")
    if active and time:
        io.say(f"  active appointment {active.appointment_id} at {time.start_time}")
    return Exit.NOT_DONE


async def run_book(options: BookOptions, io: IO, desk: Desk) -> Exit:
    try:
        start = parse_when(options.at, desk.zone)
    except ValueError as error:
        raise Refused(f"--at: {error}") from None
    job = await read_job(desk, options.job_id)
    try:
        preview = preview_booking(
            job,
            start,
            options.minutes,
            desk.clock(),
            move=options.move,
            reason=options.reason,
            reassign=options.reassign,
        )
    except NotPossible as why:
        raise Refused(f"job {options.job_id}: {why}") from None
    changed: list[Changed] = []

    async def send() -> Sequence[WriteResult]:
        outcome = await perform_booking(desk, preview)
        if outcome.changed:
            changed.append(outcome.changed)
        return outcome.results

    done = await confirm_and_send(
        io,
        options.write,
        describe_booking(preview, desk.zone, desk.technician_names()),
        send,
        journal=desk.journal,
    )
    return changed_note(io, changed[0]) if changed else done


def _book(args: argparse.Namespace, move: bool) -> int:
    options = BookOptions(
        args.job_id,
        args.at,
        args.duration,
        getattr(args, "reason", None),
        move,
        not getattr(args, "drop_technicians", False),
        WriteOptions(args.yes, args.dry_run, args.output),
    )
    return run_command(args, lambda desk, io: run_book(options, io, desk), writes=True)


def book(args: argparse.Namespace) -> int:
    return _book(args, move=False)


def move(args: argparse.Namespace) -> int:
    return _book(args, move=True)


@dataclass(frozen=True)
class AssignOptions:
    job_id: str
    technicians: list[str]
    write: WriteOptions = field(default_factory=WriteOptions)


async def run_assign(options: AssignOptions, io: IO, desk: Desk) -> Exit:
    job = await read_job(desk, options.job_id)
    try:
        preview = preview_assign(job, options.technicians)
    except NotPossible as why:
        raise Refused(f"job {options.job_id}: {why}") from None
    changed: list[Changed] = []

    async def send() -> Sequence[WriteResult]:
        outcome = await perform_assign(desk, preview)
        changed.extend([outcome.changed] if outcome.changed else [])
        return [outcome.result] if outcome.result else []

    lines = describe_assign(preview, desk.technician_names())
    done = await confirm_and_send(io, options.write, lines, send, journal=desk.journal)
    return changed_note(io, changed[0]) if changed else done


def assign(args: argparse.Namespace) -> int:
    options = AssignOptions(
        args.job_id, list(args.technician), WriteOptions(args.yes, args.dry_run, args.output)
    )
    return run_command(args, lambda desk, io: run_assign(options, io, desk), writes=True)


@dataclass(frozen=True)
class FulfilOptions:
    job_id: str
    arrival: tuple[str, str] | None = None
    started: str | None = None
    finished: str | None = None
    technicians: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    write: WriteOptions = field(default_factory=WriteOptions)


async def fulfilment_plan(options: FulfilOptions, desk: Desk) -> Fulfillment:
    """The data to send, every value checked before anything is sent (Refused says which)."""
    from sptui.spapi.documents import DocumentError, prepare_async

    def when(flag: str, text: str) -> datetime:
        try:
            return parse_when(text, desk.zone)
        except ValueError as error:
            raise Refused(f"{flag}: {error}") from None

    arrival = None
    if options.arrival:
        first, last = (when("--arrival-window", t) for t in options.arrival)
        if last <= first:
            raise Refused("--arrival-window: the end must be after the start")
        arrival = (first, last)
    worked = None
    if options.started or options.finished:
        if not (options.started and options.finished):
            raise Refused("--started and --finished go together (Amazon's fulfillmentTime)")
        begun, ended = when("--started", options.started), when("--finished", options.finished)
        if ended <= begun:
            raise Refused("--finished must be after --started")
        if ended > desk.clock():
            raise Refused("--finished: the work cannot have finished in the future")
        worked = (begun, ended)
    documents = []
    for path in options.documents:
        try:
            documents.append(await prepare_async(path))
        except DocumentError as error:
            raise Refused(f"--document {error.message}") from None
    plan = Fulfillment(arrival, worked, list(options.technicians), documents)
    if plan.is_empty():
        raise Refused(
            "give at least one of --arrival-window, --started/--finished, --technician, --document"
        )
    return plan


async def run_fulfil(options: FulfilOptions, io: IO, desk: Desk) -> Exit:
    plan = await fulfilment_plan(options, desk)
    job = await read_job(desk, options.job_id)
    active = active_appointment(job)
    status = str(getattr(job.service_job_status, "value", job.service_job_status) or "")
    if active is None:
        raise Refused(f"job {options.job_id} has no active appointment to set fulfillment data for")
    if status != "NOT_SERVICED":
        raise Refused(
            f"job {options.job_id} is {status_label(status)}: Amazon takes fulfillment data only "
            f"for {status_label('NOT_SERVICED')} jobs"
        )
    appointment_id = str(active.appointment_id)
    state = job_state(job)
    changed: list[Changed] = []

    async def send() -> Sequence[WriteResult]:
        now = await read_job(desk, options.job_id)
        if job_state(now) != state:
            changed.append(Changed(now, "the job changed since the preview"))
            return []
        outcome = await perform_fulfilment(desk, options.job_id, appointment_id, plan)
        if outcome.why:
            io.say(f"sptui: nothing was attached: {outcome.why}")
        return [*outcome.uploads, *([outcome.result] if outcome.result else [])]

    lines = describe_fulfilment(options.job_id, appointment_id, plan)
    done = await confirm_and_send(io, options.write, lines, send, journal=desk.journal)
    return changed_note(io, changed[0]) if changed else done


def fulfil(args: argparse.Namespace) -> int:
    options = FulfilOptions(
        args.job_id,
        (args.arrival_window[0], args.arrival_window[1]) if args.arrival_window else None,
        args.started,
        args.finished,
        list(args.technician or []),
        list(args.document or []),
        WriteOptions(args.yes, args.dry_run, args.output),
    )
    return run_command(args, lambda desk, io: run_fulfil(options, io, desk), writes=True)
