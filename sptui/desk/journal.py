"""The journal: every write attempted, and what came of it, one JSON line each.

Append-only: each entry is written, flushed and fsynced before the write it records goes out or
right after its answer comes back, so a crash loses nothing; the file is never rewritten. It holds
ids, parameters and outcomes, never buyer PII, tokens or secrets. Each line names the operating
system user who wrote it, as several dispatchers may share one server.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sptui.config.paths import state_dir

from .clock import utc_now

SENDING = "sending"
"""The outcome of the line written before a write goes out; its real outcome follows it."""


class JournalError(Exception):
    """An entry could not be written whole; the message says why, in the system's words."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def default_path() -> Path:
    return state_dir() / "journal.jsonl"


def current_user() -> str:
    """Who is writing, by login name; the uid when the system has no name for it."""
    try:
        return getpass.getuser()
    except Exception:  # OSError or KeyError, by Python version, when no name is found
        return f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"


def _write_all(descriptor: int, data: bytes) -> None:
    """os.write may write less than asked (a disk filling up): write the rest, or say why not."""
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        if written <= 0:
            raise OSError("the system wrote nothing of the entry")
        view = view[written:]


@dataclass
class Journal:
    path: Path
    clock: Callable[[], datetime] = utc_now
    user: str = field(default_factory=current_user)

    def append(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Write one entry and fsync it; JournalError if it could not be written whole."""
        record = {"time": self.clock().isoformat(timespec="milliseconds"), "user": self.user}
        record.update(entry)
        line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
        try:
            self._append_line(line)
        except OSError as error:
            raise JournalError(self.path, error.strerror or str(error)) from error
        return record

    def _append_line(self, line: str) -> None:
        folder = self.path.parent
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
        descriptor = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(descriptor).st_size
            # A crash can leave a torn last line; start on a fresh one so this entry survives.
            if size and os.pread(descriptor, 1, size - 1) != b"\n":
                line = "\n" + line
            # A lone surrogate (JSON can carry one) has no UTF-8 form; as a \u escape it is still
            # valid JSON and reads back as it came.
            _write_all(descriptor, line.encode("utf-8", "backslashreplace"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every entry, oldest first; a line torn by a crash (even inside a character) is
        skipped, not fatal."""
        try:
            lines = self.path.open("rb")
        except FileNotFoundError:
            return
        with lines:
            for raw in lines:
                try:
                    entry = json.loads(raw.decode("utf-8"))
                except ValueError:  # UnicodeDecodeError is one
                    continue
                if isinstance(entry, dict):
                    yield entry


def _key(entry: dict[str, Any]) -> str:
    """What ties an outcome line to its sending line: same profile, mode, operation and ids."""
    return json.dumps(
        [entry.get(k) for k in ("profile", "mode", "operation", "ids")], sort_keys=True, default=str
    )


def missing_outcomes(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The "sending" lines no outcome line followed: writes whose outcome the journal lost."""
    open_: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        waiting = open_.setdefault(_key(entry), [])
        if entry.get("outcome") == SENDING:
            waiting.append(entry)
        elif waiting:
            waiting.pop(0)
    return sorted(
        (e for waiting in open_.values() for e in waiting), key=lambda e: str(e.get("time"))
    )


def close_missing(journal: Journal) -> tuple[list[dict[str, Any]], JournalError | None]:
    """Record as "unknown" each write whose outcome never reached the journal (a full disk, a
    killed process), so it is reported once rather than at every start. Returns those writes,
    and the error that stopped recording them, if any."""
    missing = missing_outcomes(journal.entries())
    for entry in missing:
        try:
            journal.append(
                {
                    **{k: entry.get(k) for k in ("profile", "mode", "operation", "ids")},
                    "outcome": "unknown",
                    "message": f"no outcome was recorded for the write sent at {entry.get('time')} "
                    f"by {entry.get('user') or 'an unnamed user'}: read it back",
                    "request_id": None,
                }
            )
        except JournalError as error:
            return missing, error
    return missing, None
