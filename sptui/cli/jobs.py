"""`sptui jobs list | show | cancel | complete`.

Each command is an options dataclass (built from the parsed flags, and nothing else) and a run
function over a desk and an IO: tests call the run functions directly, and the process tests
check that flags reach them.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from sptui.desk.desk import Desk
from sptui.desk.feed import JobFilters
from sptui.desk.flows.close import describe_close, perform_close, preview_close, reason_problem
from sptui.desk.flows.guard import read_job
from sptui.desk.local_time import parse_when
from sptui.desk.reads import list_jobs
from sptui.desk.summary import summarize
from sptui.desk.writes import WriteResult
from sptui.spapi import NotFoundError
from sptui.spapi.models import ServiceJob, ServiceJobStatus

from .confirm import WriteOptions, confirm_and_send
from .context import Refused, run_command, say_error
from .exit import Exit
from .fields import JOB_FIELDS
from .io import IO, terminal_io
from .output import default_format, export

DEFAULT_LIMIT = 100
_DATES = {
    "created_after": "created_after",
    "created_before": "created_before",
    "last_updated_after": "updated_after",
    "last_updated_before": "updated_before",
}
_LISTS = {
    "service_job_status": "statuses",
    "asins": "asins",
    "store_ids": "store_ids",
    "required_skills": "skills",
    "service_order_ids": "service_order_ids",
    "product_order_ids": "product_order_ids",
    "tracking_ids": "tracking_ids",
}


def split(values: list[str] | None) -> tuple[str, ...]:
    """Repeated or comma-separated values, in order, once each."""
    found = [v.strip() for value in values or [] for v in value.split(",") if v.strip()]
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class ListOptions:
    filters: dict[str, object] = field(default_factory=dict)
    """JobFilters fields, times still as typed (they are read in the profile's zone)."""
    schedule: tuple[str | None, str | None] = (None, None)
    limit: int | None = DEFAULT_LIMIT
    output: str | None = None
    reveal: bool = False


def list_options(args: argparse.Namespace) -> ListOptions:
    filters: dict[str, object] = {
        k: v for k, v in ((_DATES[a], getattr(args, a)) for a in _DATES) if v
    }
    for flag, name in _LISTS.items():
        values = split(getattr(args, flag))
        if flag == "service_job_status":
            values = tuple(v.upper() for v in values)
        if values:
            filters[name] = values
    filters["sort_field"], filters["sort_order"] = args.sort_field, args.sort_order
    if args.limit is not None and args.limit < 1:
        raise Refused("--limit takes at least 1")
    limit = None if args.all else (args.limit or DEFAULT_LIMIT)
    return ListOptions(
        filters,
        (args.schedule_start_date, args.schedule_end_date),
        limit,
        args.output,
        args.reveal,
    )


def job_filters(options: ListOptions, desk: Desk) -> JobFilters:
    """The filters with their times read in the desk's zone; Refused names a bad value."""
    values = dict(options.filters)
    for name in ("created_after", "created_before", "updated_after", "updated_before"):
        if name in values:
            try:
                values[name] = parse_when(str(values[name]), desk.zone)
            except ValueError as error:
                raise Refused(f"--{name.replace('_', '-')}: {error}") from None
    known = [s.value for s in ServiceJobStatus]
    statuses = values.get("statuses", ())
    unknown = [s for s in statuses if s not in known] if isinstance(statuses, tuple) else []
    if unknown:
        raise Refused(f"--service-job-status {unknown[0]}: not one of {', '.join(known)}")
    if values.get("created_after") and values.get("updated_after"):
        raise Refused("give --created-after or --last-updated-after, not both (Amazon takes one)")
    for name, text in zip(("scheduled_after", "scheduled_before"), options.schedule, strict=True):
        if text:
            try:
                values[name] = parse_when(text, desk.zone)
            except ValueError as error:
                flag = "schedule-start-date" if name == "scheduled_after" else "schedule-end-date"
                raise Refused(f"--{flag}: {error}") from None
    return JobFilters(**values)  # type: ignore[arg-type]


def document(reveal: bool) -> Callable[[ServiceJob], object]:
    """A job as Amazon shapes it, buyer fields left out unless revealed."""

    def shape(job: ServiceJob) -> object:
        return job.to_wire(pii=reveal)

    return shape


async def run_list(options: ListOptions, io: IO, desk: Desk) -> Exit:
    filters = job_filters(options, desk)
    fmt = options.output or default_format(io.out_is_terminal)
    jobs: list[ServiceJob] = []
    async for job in list_jobs(desk, filters, options.limit):
        if fmt == "jsonl":  # stream: a long walk shows progress and can be cut with head
            io.out.write(_json_line(job, options.reveal))
            io.out.flush()
        else:
            jobs.append(job)
    if fmt != "jsonl":
        export(
            io.out,
            jobs,
            JOB_FIELDS,
            fmt,
            aligned=io.out_is_terminal,
            documents=document(options.reveal),
        )
    return Exit.OK


def _json_line(job: ServiceJob, reveal: bool) -> str:
    return json.dumps(job.to_wire(pii=reveal), ensure_ascii=False) + "\n"


def list_command(args: argparse.Namespace) -> int:
    io = terminal_io()
    try:
        options = list_options(args)
    except Refused as refused:
        io.say(f"sptui: {refused}")
        return Exit.REFUSED
    return run_command(args, lambda desk, io_: run_list(options, io_, desk), io=io)


@dataclass(frozen=True)
class ShowOptions:
    job_ids: list[str]
    output: str | None = None
    reveal: bool = False


async def run_show(options: ShowOptions, io: IO, desk: Desk) -> Exit:
    fmt = options.output or ("json" if not io.out_is_terminal else "table")
    jobs: list[ServiceJob] = []
    missing = 0
    for job_id in options.job_ids:
        try:
            jobs.append(await read_job(desk, job_id))
        except NotFoundError as error:
            missing += 1
            say_error(io, error)
    if not jobs:
        pass
    elif fmt == "json" and len(jobs) == 1:
        text = json.dumps(jobs[0].to_wire(pii=options.reveal), indent=2, ensure_ascii=False)
        io.out.write(text + "\n")
    else:
        shape = document(options.reveal)
        export(io.out, jobs, JOB_FIELDS, fmt, aligned=io.out_is_terminal, documents=shape)
    return Exit.NOT_DONE if missing else Exit.OK


def show_command(args: argparse.Namespace) -> int:
    io = terminal_io()
    options = ShowOptions(io.read_ids(args.job_ids), args.output, args.reveal)
    return run_command(args, lambda desk, io_: run_show(options, io_, desk), io=io)


@dataclass(frozen=True)
class CloseOptions:
    action: str
    job_ids: list[str]
    reason: str | None = None
    write: WriteOptions = field(default_factory=WriteOptions)


async def run_close(options: CloseOptions, io: IO, desk: Desk) -> Exit:
    if options.action == "cancel":
        problem = reason_problem(options.reason)
        if problem:
            raise Refused(f"--reason: {problem}")
    if not options.job_ids:
        raise Refused("no job ids given")
    summaries = []
    missing = []
    for job_id in options.job_ids:
        try:
            summaries.append(summarize(await read_job(desk, job_id), desk.zone))
        except NotFoundError:
            missing.append(job_id)
    preview = preview_close(options.action, summaries, options.reason)
    lines = describe_close(preview, desk.zone) + [f"  skipped {j}: no such job" for j in missing]
    if not preview.send:
        for line in lines:
            io.say(line)
        io.say("sptui: nothing to send")
        return Exit.REFUSED

    async def send() -> list[WriteResult]:
        results = await perform_close(desk, preview)
        return [results[j.job_id] for j in preview.send if j.job_id in results]

    verb = "Cancel" if options.action == "cancel" else "Complete"
    done = await confirm_and_send(
        io,
        options.write,
        lines,
        send,
        question=f"{verb} {len(preview.send)} job(s)?",
        journal=desk.journal,
    )
    return Exit.NOT_DONE if missing and done == Exit.OK else done


def _close(args: argparse.Namespace, action: str) -> int:
    io = terminal_io()
    options = CloseOptions(
        action,
        io.read_ids(args.job_ids),
        getattr(args, "reason", None),
        WriteOptions(args.yes, args.dry_run, args.output),
    )
    return run_command(args, lambda desk, io_: run_close(options, io_, desk), writes=True, io=io)


def cancel_command(args: argparse.Namespace) -> int:
    return _close(args, "cancel")


def complete_command(args: argparse.Namespace) -> int:
    return _close(args, "complete")
