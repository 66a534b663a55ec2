"""The job store's tables, and the migrations that bring an older file up to date.

The schema version lives in ``PRAGMA user_version``. Each migration is the list of statements
that takes the file from the version before it to its own; they run in one write transaction, so
two processes opening an old file at once migrate it once. A file written by a newer sptui is
not guessed at: ``NewerSchema`` tells the opener to move it aside.

Times are integer milliseconds since the epoch, UTC: they sort and compare as numbers, and keep
the milliseconds Amazon's times sometimes carry ("2019-12-11T14:49:53.952Z").
"""

from __future__ import annotations

import sqlite3

SCHEMA_VERSION = 1

_V1 = (
    # Store-wide facts: the sync points, the revision counter, the zone of the search text.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
    # One row per job: what a list shows, filters, sorts and searches. Never buyer PII: no name,
    # phone, address line, postal code or note (the city is not PII and is a column of the list).
    """CREATE TABLE jobs (
        job_id TEXT PRIMARY KEY,
        marketplace TEXT,
        status TEXT NOT NULL,
        created INTEGER,
        updated INTEGER NOT NULL,
        closed INTEGER,
        fetched INTEGER NOT NULL,
        title TEXT,
        asin TEXT,
        store_id TEXT,
        city TEXT,
        service_order_id TEXT,
        appt_start INTEGER,
        technician TEXT,
        provider TEXT,
        cells TEXT NOT NULL,
        haystack TEXT NOT NULL,
        search TEXT NOT NULL,
        signature TEXT NOT NULL,
        document TEXT NOT NULL,
        digest TEXT NOT NULL,
        first_rev INTEGER NOT NULL,
        rev INTEGER NOT NULL
    )""",
    "CREATE INDEX jobs_by_created ON jobs (created, job_id)",
    # `/` reads only this index, not the 2 KB rows: it holds the search text and every sort key,
    # so counting the matches and choosing a page of them never touches a row.
    """CREATE INDEX jobs_by_text ON jobs
        (created, job_id, status, appt_start, technician, search)""",
    "CREATE INDEX jobs_by_status ON jobs (status, created)",
    "CREATE INDEX jobs_by_appointment ON jobs (appt_start)",
    "CREATE INDEX jobs_by_technician ON jobs (technician COLLATE NOCASE)",
    "CREATE INDEX jobs_by_updated ON jobs (updated)",
    "CREATE INDEX jobs_by_rev ON jobs (rev)",
    "CREATE INDEX jobs_by_asin ON jobs (asin)",
    "CREATE INDEX jobs_by_store ON jobs (store_id)",
    "CREATE INDEX jobs_by_order ON jobs (service_order_id)",
    # Values a job has several of: required skills, product order ids, tracking ids.
    """CREATE TABLE job_keys (
        kind TEXT NOT NULL, value TEXT NOT NULL, job_id TEXT NOT NULL,
        PRIMARY KEY (kind, value, job_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX job_keys_by_job ON job_keys (job_id)",
    # Every appointment of every job, and who is on it: what dispatch views ask about.
    """CREATE TABLE appointments (
        job_id TEXT NOT NULL, appointment_id TEXT NOT NULL, status TEXT,
        start INTEGER, minutes INTEGER, rescheduled_id TEXT,
        PRIMARY KEY (job_id, appointment_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX appointments_by_start ON appointments (start)",
    """CREATE TABLE crew (
        job_id TEXT NOT NULL, appointment_id TEXT NOT NULL, technician_id TEXT NOT NULL,
        name TEXT,
        PRIMARY KEY (job_id, appointment_id, technician_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX crew_by_technician ON crew (technician_id)",
    # Jobs a full refresh found gone from the account (and Amazon confirmed, 404).
    "CREATE TABLE removed (job_id TEXT PRIMARY KEY, rev INTEGER NOT NULL) WITHOUT ROWID",
)

MIGRATIONS: dict[int, tuple[str, ...]] = {1: _V1}
"""Version -> the statements that take a file from the version before to this one."""


class NewerSchema(Exception):
    """The file was written by a newer sptui (its schema version is above ours)."""

    def __init__(self, version: int) -> None:
        super().__init__(
            f"its schema version is {version}, newer than this sptui's {SCHEMA_VERSION}"
        )
        self.version = version


def version_of(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the file to SCHEMA_VERSION (in one write transaction); returns the version found.

    A file already at this version is only read: opening it never waits for another process's
    write lock (a cron job's sync), which the console's first frame must not do."""
    found = version_of(conn)
    if found == SCHEMA_VERSION:
        return found
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = version_of(conn)
        if found > SCHEMA_VERSION:
            raise NewerSchema(found)
        for version in range(found + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
        if found != SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found
