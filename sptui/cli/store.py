"""`sptui store info | sync | clear`: the local job store from the command line.

``info`` and ``clear`` need no network and no secret: the store is found from the profile's
endpoint, marketplace and client id. ``sync`` is the cron job: it brings the store up to date
and prints the ids of new, changed and removed jobs (data on stdout, the summary on stderr).
The built-in demo world keeps its store only while a process runs: ``info`` and ``clear`` say
so, and ``sync`` fills a temporary one (to see what a sync does).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sptui.config import ConfigError
from sptui.config.schema import StoreSettings
from sptui.config.secrets import resolve_client_id
from sptui.desk.desk import Desk
from sptui.desk.store import JobStore, SyncResult, account_key, open_store, store_path, sync
from sptui.desk.store.location import delete_damaged, files_of
from sptui.desk.store.slices import Progress
from sptui.spapi.models.base import format_wire_datetime

from .context import chosen_profile, run_command
from .exit import Exit
from .io import IO, terminal_io
from .output import Field, default_format, export

DEMO = (
    "the demo world keeps its job store in a temporary folder for as long as a process runs: "
    "nothing is kept between commands. Point a profile at `sptui simulator` for a lasting one"
)
DEMO_SYNC = "the demo world: this sync fills a temporary store, removed when the command ends"
NEEDS_YES = "not cleared: --yes is needed when sptui cannot ask (stdin or stderr is not a terminal)"


@dataclass(frozen=True)
class Located:
    profile: str | None
    """None: the built-in demo."""
    path: Path | None
    settings: StoreSettings


def locate(args: argparse.Namespace) -> Located:
    """Which store the arguments mean, without opening it or resolving any secret."""
    loaded, name = chosen_profile(args)
    settings = loaded.config.settings.store
    if name is None:
        return Located(None, None, settings)
    profile = loaded.config.profiles[name]
    account = account_key(
        profile.api_endpoint().base_url, profile.marketplace_id, resolve_client_id(name, profile)
    )
    return Located(name, store_path(name, account), settings)


def _ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never"
    seconds = max(0, int((now - moment).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return f"{seconds} s ago"


def _size(count: int) -> str:
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{count} B"


def describe(located: Located, store: JobStore | None, now: datetime) -> dict[str, Any]:
    """What `store info` reports, in API-like values (json) — the table words it for people."""
    assert located.path is not None
    state = store.state() if store is not None else None
    return {
        "profile": located.profile,
        "path": str(located.path),
        "exists": store is not None,
        "size_bytes": sum(f.stat().st_size for f in files_of(located.path)),
        "jobs": len(store) if store is not None else 0,
        "window_days": (state.window_days if state else None) or located.settings.window_days,
        "keep_closed_days": located.settings.keep_closed_days,
        "last_sync": _iso(state.synced if state else None),
        "last_sync_age_seconds": _seconds(state.synced if state else None, now),
        "last_full_refresh": _iso(state.full if state else None),
        "last_full_refresh_age_seconds": _seconds(state.full if state else None, now),
    }


def _iso(moment: datetime | None) -> str | None:
    return format_wire_datetime(moment) if moment is not None else None


def _seconds(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds()))


def _table(info: dict[str, Any], now: datetime) -> list[tuple[str, str]]:
    def when(key: str) -> str:
        value = info[key]
        return "never" if value is None else f"{_ago(datetime.fromisoformat(value), now)} ({value})"

    return [
        ("profile", str(info["profile"])),
        ("path", info["path"] + ("" if info["exists"] else "  (no store yet: `sptui store sync`)")),
        ("size", _size(info["size_bytes"])),
        ("jobs", f"{info['jobs']:,}"),
        ("window", f"jobs created in the last {info['window_days']} days"),
        ("closed jobs", f"dropped {info['keep_closed_days']} days after they closed"),
        ("last sync", when("last_sync")),
        ("last full refresh", when("last_full_refresh")),
    ]


def run_info(located: Located, output: str | None, io: IO, now: datetime) -> Exit:
    if located.path is None:
        io.say(f"sptui: {DEMO}")
        return Exit.OK
    store = open_store(located.path, adopt_zone=False) if located.path.exists() else None
    try:
        if store is not None:
            for note in store.notes:
                io.say(f"sptui: {note}")
        info = describe(located, store, now)
    finally:
        if store is not None:
            store.close()
    if output == "json":
        io.out.write(json.dumps(info, indent=2) + "\n")
    else:
        width = max(len(k) for k, _ in _table(info, now))
        for key, value in _table(info, now):
            io.out.write(f"{key:<{width}}  {value}\n")
    return Exit.OK


def _local(handler: Callable[[IO], Exit]) -> int:
    io = terminal_io()
    try:
        return int(handler(io))
    except ConfigError as error:
        io.say(f"sptui: {error}")
        return Exit.REFUSED
    except sqlite3.Error as error:
        io.say(f"sptui: the job store could not be used: {error}")
        return Exit.NOT_DONE


def info(args: argparse.Namespace) -> int:
    return _local(lambda io: run_info(locate(args), args.output, io, datetime.now(UTC)))


def run_clear(located: Located, yes: bool, io: IO) -> Exit:
    if located.path is None:
        io.say(f"sptui: nothing to clear: {DEMO}")
        return Exit.OK
    if not located.path.exists():
        io.say(f"sptui: profile {located.profile} has no job store yet: nothing to clear")
        return Exit.OK
    with open_store(located.path, adopt_zone=False) as store:
        for note in store.notes:
            io.say(f"sptui: {note}")
        jobs = len(store)
        if not yes:
            if not io.can_prompt:
                io.say(f"sptui: {NEEDS_YES}")
                return Exit.REFUSED
            question = f"Forget the {jobs:,} jobs stored for profile {located.profile}?"
            if not io.confirm(question):
                io.say("not cleared")
                return Exit.REFUSED
        store.clear()
        store.compact()
    delete_damaged(located.path)
    io.say(
        f"cleared the job store of profile {located.profile} ({jobs:,} jobs); "
        "the next sync fills it again"
    )
    return Exit.OK


def clear(args: argparse.Namespace) -> int:
    return _local(lambda io: run_clear(locate(args), args.yes, io))


CHANGE_FIELDS: tuple[Field, ...] = (
    ("serviceJobId", lambda r: r[0]),
    ("change", lambda r: r[1]),
)


@dataclass(frozen=True)
class SyncOptions:
    full: bool = False
    output: str | None = None


def _progress(io: IO) -> Callable[[Progress], None] | None:
    if not getattr(io.err, "isatty", lambda: False)():
        return None

    def show(p: Progress) -> None:
        of = f" of {p.expected:,}" if p.expected is not None else ""
        io.err.write(f"\rfilling the job store: {p.fetched:,}{of} jobs, {p.calls:,} calls ")
        io.err.flush()

    return show


def summary_line(result: SyncResult, jobs: int, seconds: float) -> str:
    what = "full refresh" if result.full and not result.first else "sync"
    if result.first:
        what = "first fill"
    parts = [
        f"{what}: {jobs:,} jobs stored",
        f"{len(result.new)} new, {len(result.changed)} changed, {len(result.removed)} removed",
    ]
    if result.purged:
        parts.append(f"{result.purged} closed jobs dropped")
    parts.append(f"{result.calls} call{'' if result.calls == 1 else 's'}, {seconds:.1f} s")
    return "; ".join(parts)


async def run_sync(options: SyncOptions, io: IO, desk: Desk) -> Exit:
    import time

    started = time.perf_counter()
    store = desk.open_store(adopt_zone=False)
    try:
        for note in store.notes:
            io.say(f"sptui: {note}")
        if desk.profile is None:
            io.say(f"sptui: {DEMO_SYNC}")
        progress = _progress(io)
        result = await sync(
            store,
            desk.client,
            window_days=desk.store_settings.window_days,
            keep_closed_days=desk.store_settings.keep_closed_days,
            full=options.full,
            progress=progress,
            clock=desk.clock,
        )
        if progress is not None:
            io.err.write("\n")
        jobs = len(store)
    finally:
        store.close()
    for note in result.notes:
        io.say(f"sptui: {note}")
    records = [(j, "new") for j in result.new]
    records += [(j, "changed") for j in result.changed]
    records += [(j, "removed") for j in result.removed]
    fmt = options.output or default_format(io.out_is_terminal)
    export(io.out, records, CHANGE_FIELDS, fmt, aligned=io.out_is_terminal)
    io.say(summary_line(result, jobs, time.perf_counter() - started))
    return Exit.OK


def sync_command(args: argparse.Namespace) -> int:
    io = terminal_io()
    options = SyncOptions(full=args.full, output=args.output)

    async def body(desk: Desk, io_: IO) -> Exit:
        try:
            return await run_sync(options, io_, desk)
        except sqlite3.Error as error:
            io_.say(f"sptui: the job store could not be used: {error}")
            return Exit.NOT_DONE

    return run_command(args, body, io=io)
