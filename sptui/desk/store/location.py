"""Where a profile's job store lives, and opening it safely.

One store per account a profile reaches: the file name carries a key made of the API endpoint,
the marketplace and the client id (account.py), so a profile edited to reach another account
starts a fresh store instead of mixing two accounts' jobs. Stores live under the platform's
*state* directory (they can be rebuilt from Amazon, but they are not a cache to be swept: a sync
point lives in them), in a 0700 folder, each file 0600 (SQLite gives its -wal and -shm files the
database's mode).

A file that cannot be read as a store (not SQLite, damaged, or written by a newer sptui) is moved
aside next to itself, with a note saying so, and a new store is started: never a crash.

The built-in demo world keeps its store in a temporary folder that is removed when the store is
closed, or when the process ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import weakref
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from ..store_paths import SIDECARS, store_path, temporary_store_path
from .jobs import BUSY_TIMEOUT_S, JobStore, connect
from .schema import NewerSchema


def files_of(path: Path) -> list[Path]:
    """The database and whichever of its sidecar files exist."""
    return [p for p in (path, *(Path(f"{path}{s}") for s in SIDECARS)) if p.exists()]


def _private_folder(folder: Path) -> None:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.stat().st_mode & 0o077:
        folder.chmod(0o700)


def _private_file(path: Path) -> None:
    """Create the database file 0600 before SQLite does (it would use the umask)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    for file in files_of(path):
        if file.stat().st_mode & 0o077:
            file.chmod(0o600)


_NOT_DAMAGE = ("BUSY", "LOCKED", "CANTOPEN", "FULL", "READONLY", "PERM", "IOERR", "NOMEM", "AUTH")
"""Errors that say the file could not be used now (locked, disk full, no permission), not that
it is damaged: moving such a file aside would throw a good store away."""


def _is_damage(error: sqlite3.DatabaseError) -> bool:
    """Not SQLite, damaged, or not a store of ours (a table of that name that is not ours)."""
    name = str(getattr(error, "sqlite_errorname", "") or "")
    return name.removeprefix("SQLITE_").split("_")[0] not in _NOT_DAMAGE


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename the store and its sidecars to ``NAME.damaged-STAMP``; returns the new name."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    for file in files_of(path):
        if file.name.endswith("-shm"):
            file.unlink(missing_ok=True)  # an index into the -wal, useless without its database
        else:
            file.rename(aside.with_name(aside.name + file.name.removeprefix(path.name)))
    return aside


def problem_in(conn: sqlite3.Connection) -> str | None:
    """What SQLite's quick check finds wrong with the file, or None. It reads the whole file
    (some 35 ms per 10,000 jobs), so the console runs it after its first frame (``check``)."""
    problem = str(conn.execute("PRAGMA quick_check(1)").fetchone()[0])
    return None if problem == "ok" else problem


def check(path: Path) -> str | None:
    """``problem_in`` on a connection of its own (from any thread, beside an open store)."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    try:
        return problem_in(conn)
    except sqlite3.DatabaseError as error:
        if not _is_damage(error):
            raise
        return str(error)
    finally:
        conn.close()


def _open(path: Path, zone: tzinfo | None, adopt_zone: bool, checked: bool) -> JobStore:
    conn: sqlite3.Connection | None = None
    try:
        conn = connect(path)
        problem = problem_in(conn) if checked else None
        if problem is not None:
            raise sqlite3.DatabaseError(f"the integrity check found: {problem}")
        store = JobStore(conn, zone=zone, adopt_zone=adopt_zone)
    except BaseException:
        if conn is not None:
            conn.close()
        raise
    store.path = path
    return store


def open_store(
    path: Path, *, zone: tzinfo | None = None, adopt_zone: bool = True, checked: bool = True
) -> JobStore:
    """Open (or create) the store at ``path``; a file that is not a usable store is moved
    aside and replaced by a new one, and ``store.notes`` says so.

    ``zone`` is the one list rows are shown in; ``adopt_zone=False`` (what only counts or
    syncs) keeps the zone the store's search text was written in instead of rewriting it.
    ``checked=False`` skips the integrity check, whose cost grows with the file: the caller
    runs ``check`` later, and opens the store again (which moves a damaged file aside) if it
    finds a problem."""
    _private_folder(path.parent)
    _private_file(path)
    try:
        return _open(path, zone, adopt_zone, checked)
    except (sqlite3.DatabaseError, NewerSchema) as error:
        if isinstance(error, sqlite3.DatabaseError) and not _is_damage(error):
            raise
        aside = move_aside(path)
        why = str(error) if isinstance(error, NewerSchema) else f"it could not be read ({error})"
        note = (
            f"the job store {path} was moved aside to {aside.name}: {why}. A new one was "
            "started; the next sync fills it again."
        )
    _private_file(path)
    store = _open(path, zone, adopt_zone, True)
    store.notes.append(note)
    return store


def temporary_store(*, zone: tzinfo | None = None, path: Path | None = None) -> JobStore:
    """A store in a private temporary folder, removed on close or when the process ends.
    ``path``: one from ``temporary_store_path`` (another process may be filling it)."""
    path = path or temporary_store_path()
    folder = path.parent
    store = open_store(path, zone=zone)
    remove = weakref.finalize(store, shutil.rmtree, folder, ignore_errors=True)
    store.on_close(remove)
    return store


def open_for(
    profile: str | None,
    account: str | None,
    *,
    zone: tzinfo | None = None,
    adopt_zone: bool = True,
    root: Path | None = None,
    checked: bool = True,
) -> JobStore:
    """The store of a profile, or for the built-in demo (no profile) a temporary one."""
    if profile is None or account is None:
        return temporary_store(zone=zone)
    path = store_path(profile, account, root)
    return open_store(path, zone=zone, adopt_zone=adopt_zone, checked=checked)


def delete_damaged(path: Path) -> list[Path]:
    """Remove the copies of a store that were moved aside as damaged; returns them."""
    gone = sorted(path.parent.glob(f"{path.name}.damaged-*"))
    for file in gone:
        with contextlib.suppress(FileNotFoundError):
            file.unlink()
    return gone
