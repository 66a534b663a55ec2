"""`sptui journal`: every write sptui attempted, and what came of it, oldest first.

It reads the desk's journal: the same file the console writes, shared by every profile on this
machine, so an entry of another profile is listed too and its ``profile`` says whose. json and
jsonl give each entry whole, as journalled (ids, parameters, outcome, request id; never PII).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from sptui.config import ConfigError
from sptui.desk.journal import Journal
from sptui.desk.local_time import parse_when

from .context import Refused, local_journal
from .exit import Exit
from .fields import JOURNAL_FIELDS
from .io import IO, terminal_io
from .output import default_format, export


@dataclass(frozen=True)
class JournalOptions:
    since: str | None = None
    """As typed: read in the profile's zone."""
    output: str | None = None


def journal_options(args: argparse.Namespace) -> JournalOptions:
    return JournalOptions(args.since, args.output)


def entry_time(entry: dict[str, Any]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(entry.get("time")))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def since(entries: Iterable[dict[str, Any]], start: datetime | None) -> Iterator[dict[str, Any]]:
    """The entries from ``start`` on (all, when None); one without a readable time is left out
    of a bounded listing, since it cannot be placed."""
    for entry in entries:
        if start is None:
            yield entry
        else:
            moment = entry_time(entry)
            if moment is not None and moment >= start:
                yield entry


def run_journal(options: JournalOptions, io: IO, journal: Journal, zone: tzinfo | None) -> Exit:
    start = None
    if options.since:
        try:
            start = parse_when(options.since, zone)
        except ValueError as error:
            raise Refused(f"--since: {error}") from None
    entries = list(since(journal.entries(), start))
    fmt = options.output or default_format(io.out_is_terminal)
    export(io.out, entries, JOURNAL_FIELDS, fmt, aligned=io.out_is_terminal, documents=lambda e: e)
    if not entries and io.out_is_terminal:
        io.say(f"sptui: no journal entries{' since ' + options.since if options.since else ''}")
    return Exit.OK


def show_journal(args: argparse.Namespace) -> int:
    """Reads a local file: no credentials are looked up (a locked keyring cannot stop it)."""
    io = terminal_io()
    try:
        journal, zone = local_journal(args)
        return run_journal(journal_options(args), io, journal, zone)
    except (ConfigError, Refused) as error:
        io.say(f"sptui: {error}")
        return Exit.REFUSED
