"""The journal: every write attempted, and what came of it, one JSON line each.

Append-only: each entry is written, flushed and fsynced before the write it records goes out or
right after its answer comes back, so a crash loses nothing; the file is never rewritten. It holds
ids, parameters and outcomes, never buyer PII, tokens or secrets.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sptui.config.paths import state_dir
from sptui.spapi.models.base import utc_now


def default_path() -> Path:
    return state_dir() / "journal.jsonl"


@dataclass
class Journal:
    path: Path
    clock: Callable[[], datetime] = utc_now

    def append(self, entry: dict[str, Any]) -> dict[str, Any]:
        record = {"time": self.clock().isoformat(timespec="milliseconds"), **entry}
        line = json.dumps(record, ensure_ascii=False, default=str) + "\n"
        folder = self.path.parent
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
        descriptor = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(descriptor).st_size
            # A crash can leave a torn last line; start on a fresh one so this entry survives.
            if size and os.pread(descriptor, 1, size - 1) != b"\n":
                line = "\n" + line
            os.write(descriptor, line.encode("utf-8"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        return record

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every entry, oldest first; a line torn by a crash is skipped, not fatal."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if isinstance(entry, dict):
                    yield entry
