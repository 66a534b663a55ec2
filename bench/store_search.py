"""The `/` narrowing over 100,000 stored jobs, a keystroke at a time: instr against FTS5.

Each keystroke of a few typed searches runs what the console will run: the count of matches and
the first page (50 rows, newest first). Prints the median and the worst keystroke for the
store's query (``instr`` over the lowered row text) and for the same narrowing through an FTS5
trigram index (words of three letters or more through the index, shorter ones by ``instr``),
and the file size each needs.

The 100,000 rows are 10,000 demo jobs built once through the store's own row builder, each
copied ten times under new ids.

Run: python bench/store_search.py   (SPTUI_BENCH_SMALL=1: 10,000 jobs)
"""

from __future__ import annotations

import dataclasses
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sptui.desk.store import JobStore, Sort, SortKey, open_store
from sptui.desk.store.query import where
from sptui.desk.store.rows import SUMMARY_COLUMNS, JobRow, row_of, summary_of
from sptui.simulator.seed import build_world

SMALL = bool(os.environ.get("SPTUI_BENCH_SMALL"))
BASE_JOBS = 1_000 if SMALL else 10_000
COPIES = 10
PAGE = 50
TYPED = ["mount", "springfield", "tech 7", "b0", "41876", "scheduled tv", "zzq"]
"""What a dispatcher types: a service, a city, a technician, an ASIN start, part of an id, two
words, and something that matches nothing. Every prefix of each is one keystroke."""


def copies(rows: list[JobRow]) -> list[JobRow]:
    out = []
    for n in range(COPIES):
        for row in rows:
            new_id = f"{row.job_id}{n}" if n else row.job_id
            out.append(
                dataclasses.replace(
                    row,
                    job_id=new_id,
                    cells=row.cells.replace(row.job_id, new_id),
                    haystack=row.haystack.replace(row.job_id, new_id),
                    document=row.document.replace(row.job_id, new_id),
                    digest=f"{row.digest[:24]}{n:08d}",
                )
            )
    return out


def keystrokes() -> list[str]:
    return [text[:i] for text in TYPED for i in range(1, len(text) + 1)]


def timed(run: object) -> tuple[float, object]:
    began = time.perf_counter()
    value = run()  # type: ignore[operator]
    return time.perf_counter() - began, value


def with_instr(store: JobStore, text: str, sort: Sort | None = None) -> tuple[int, int]:
    count = store.count(text=text)
    return count, len(store.query(sort=sort, text=text, limit=PAGE))


def add_fts(store: JobStore) -> None:
    conn = store._conn
    conn.execute("CREATE VIRTUAL TABLE jobs_fts USING fts5(text, content='', tokenize='trigram')")
    conn.execute("INSERT INTO jobs_fts (rowid, text) SELECT rowid, search FROM jobs")


def with_fts(store: JobStore, text: str) -> tuple[int, int]:
    conn = store._conn
    words = text.lower().split()
    long = [w for w in words if len(w) >= 3]
    short = " ".join(w for w in words if len(w) < 3)
    clause, params = where(None, short)
    if long:
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in long)
        indexed = "rowid IN (SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH ?)"
        clause = f"{clause} AND {indexed}" if clause else f" WHERE {indexed}"
        params = [*params, match]
    count = conn.execute(f"SELECT count(*) FROM jobs{clause}", params).fetchone()[0]  # noqa: S608
    rows = conn.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM jobs{clause} ORDER BY created DESC, job_id DESC LIMIT ?",  # noqa: S608
        [*params, PAGE],
    ).fetchall()
    return count, len([summary_of(r, None) for r in rows])


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.iterdir())


def main() -> None:
    now = datetime.now(UTC)
    began = time.perf_counter()
    world = build_world(1, BASE_JOBS, marketplaces=("ATVPDKIKX0DER",))
    rows = copies([row_of(r.job, now) for r in world.jobs.values()])
    folder = Path(tempfile.mkdtemp(prefix="sptui-bench-"))
    path = folder / "jobs.sqlite3"
    store = open_store(path)
    for start in range(0, len(rows), 5000):
        store.upsert_rows(rows[start : start + 5000], fetched_at=now)
    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    built = time.perf_counter() - began
    plain_size = size(path)
    print(f"job store search: {len(store):,} jobs (built and stored in {built:.1f} s)")
    print(
        f"  {len(keystrokes())} keystrokes: {', '.join(repr(t) for t in TYPED)}, a letter at a time"
    )
    print("  each keystroke = count of matches + first page of 50, newest first")

    results = {}
    runs = [
        ("instr (chosen)", with_instr),
        ("  by appointment", lambda s, t: with_instr(s, t, Sort(SortKey.APPOINTMENT, False))),
        ("  by technician", lambda s, t: with_instr(s, t, Sort(SortKey.TECHNICIAN, False))),
        ("FTS5 trigram", with_fts),
    ]
    for name, run in runs:
        if name.startswith("FTS5"):
            add_fts(store)
            store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        run(store, "warm")  # type: ignore[operator]
        times = []
        answers = {}
        for text in keystrokes():
            took, answer = timed(lambda t=text, r=run: r(store, t))  # type: ignore[misc]
            times.append(took)
            answers[text] = answer
        results[name] = answers
        worst = max(range(len(times)), key=times.__getitem__)
        print(
            f"  {name:<17} median {statistics.median(times) * 1000:6.1f} ms   "
            f"worst {times[worst] * 1000:7.1f} ms ({keystrokes()[worst]!r})"
        )
    assert results["instr (chosen)"] == results["FTS5 trigram"], "both narrow alike"
    print(
        f"  file size: {plain_size / 2**20:.0f} MB, with the FTS5 index {size(path) / 2**20:.0f} MB"
    )
    store.close()
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()


if __name__ == "__main__":
    main()
