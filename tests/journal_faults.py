"""A disk that fills up, as the journal sees it: for tests of what a write does then."""

from __future__ import annotations

import errno
import os
from typing import Any

import pytest

import sptui.desk.journal


class FullDisk:
    """``os`` for the journal module only: ``writes`` writes succeed whole; then one writes only
    ``partial`` bytes (a short count) if asked, and every later one fails with ENOSPC. With
    ``trickle``, every write succeeds but writes at most that many bytes. With ``fsync_fails``,
    the flush to disk fails once the successful writes are used up."""

    def __init__(
        self, writes: int = 0, *, partial: int = 0, trickle: int = 0, fsync_fails: bool = False
    ) -> None:
        self.writes = writes
        self.partial = partial
        self.trickle = trickle
        self.fsync_fails = fsync_fails

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def write(self, descriptor: int, data: bytes | memoryview) -> int:
        if self.trickle:
            return os.write(descriptor, bytes(data[: self.trickle]))
        if self.writes > 0 or self.fsync_fails:
            self.writes -= 1
            return os.write(descriptor, data)
        if self.partial:
            part, self.partial = self.partial, 0
            return os.write(descriptor, bytes(data[:part]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def fsync(self, descriptor: int) -> None:
        if self.fsync_fails and self.writes < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        os.fsync(descriptor)


def fill_disk(monkeypatch: pytest.MonkeyPatch, disk: FullDisk) -> FullDisk:
    monkeypatch.setattr(sptui.desk.journal, "os", disk)
    return disk
