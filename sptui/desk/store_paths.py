"""Where job stores live (store/location.py says why there).

Outside the store package on purpose: naming a store's file (the demo does it before the
console loads anything else) must not load sqlite3 and the store with it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sptui.config.paths import state_dir

SUFFIX = ".sqlite3"
TEMPORARY_PREFIX = "sptui-demo-store-"
SIDECARS = ("-wal", "-shm")
"""The files SQLite keeps beside a database in WAL mode."""


def stores_dir(root: Path | None = None) -> Path:
    return (root or state_dir()) / "stores"


def store_path(profile: str, account: str, root: Path | None = None) -> Path:
    return stores_dir(root) / f"{profile}-{account}{SUFFIX}"


def temporary_store_path() -> Path:
    """Where a temporary store goes: a fresh private folder (mkdtemp makes it 0700)."""
    return Path(tempfile.mkdtemp(prefix=TEMPORARY_PREFIX)) / f"demo{SUFFIX}"
