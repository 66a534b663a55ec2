"""The job store on its own: rows, merging, queries, paging, purging, opening and damage."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sptui.desk.feed import JobFeed, JobFilters
from sptui.desk.store import JobStore, Sort, SortKey, open_store, temporary_store
from sptui.desk.store.location import store_path
from sptui.desk.store.rows import to_ms
from sptui.desk.store.schema import SCHEMA_VERSION
from sptui.desk.summary import summarize
from sptui.simulator.seed import build_world
from sptui.spapi.models import AppointmentStatus, ServiceJob, ServiceJobStatus

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
WORLD = build_world(7, 150, lambda: NOW, ("ATVPDKIKX0DER",))
JOBS = [r.job for r in WORLD.jobs.values()]


def copy(job: ServiceJob) -> ServiceJob:
    return job.model_copy(deep=True)


def filled(zone: ZoneInfo | None = None) -> JobStore:
    store = JobStore.memory(zone=zone)
    store.upsert(JOBS, fetched_at=NOW)
    return store


def ids(rows: list) -> list[str]:  # type: ignore[type-arg]
    """The ids of JobSummary rows or of ServiceJobs, in order."""
    return [str(getattr(r, "job_id", None) or r.service_job_id) for r in rows]


# ---- rows ----------------------------------------------------------------------------------
@pytest.mark.parametrize("zone", [None, ZoneInfo("America/Chicago"), ZoneInfo("Asia/Kolkata")])
def test_a_stored_row_is_the_list_row_summarize_makes(zone: ZoneInfo | None) -> None:
    store = filled(zone)
    for job in JOBS:
        want = summarize(job, zone)
        got = store.summary(str(job.service_job_id))
        assert got is not None
        assert (got.job_id, got.status, got.created, got.cells, got.css, got.signature) == (
            want.job_id,
            want.status,
            want.created,
            want.cells,
            want.css,
            want.signature,
        )
        assert sorted(got.haystack.split()) == sorted(want.haystack.split())


def test_the_stored_job_keeps_what_lists_need_and_no_buyer_data() -> None:
    store = filled()
    job = next(j for j in JOBS if j.appointments and j.appointments[0].assigned_technicians)
    kept = store.get(str(job.service_job_id))
    assert kept is not None
    wire = kept.to_wire()
    assert set(wire) <= {
        "serviceJobId",
        "serviceJobStatus",
        "createTime",
        "scopeOfWork",
        "serviceJobProvider",
        "preferredAppointmentTimes",
        "appointments",
        "serviceOrderId",
        "productOrderIds",
        "trackingIds",
        "marketplaceId",
        "storeId",
        "serviceLocation",
    }
    assert wire["serviceLocation"]["address"] == {"city": job.service_location.address.city}  # type: ignore[union-attr]
    assert kept.appointments == job.appointments
    assert kept.scope_of_work == job.scope_of_work
    assert kept.buyer is None and kept.payments is None and kept.associated_items is None
    assert store.get("nope") is None


# ---- merging -------------------------------------------------------------------------------
def test_upsert_merges_by_id_and_tells_new_from_changed_from_quiet() -> None:
    store = JobStore.memory()
    first = store.upsert(JOBS[:10], fetched_at=NOW)
    assert first.new == ids(JOBS[:10]) and first.changed == []
    again = store.upsert(JOBS[:10], fetched_at=NOW + timedelta(seconds=1))
    assert (again.new, again.changed, again.quiet) == ([], [], 0)
    assert len(store) == 10

    open_job = next(j for j in JOBS[:10] if j.service_job_status == "PENDING_SCHEDULE")
    cancelled = copy(open_job)
    cancelled.service_job_status = ServiceJobStatus.CANCELLED
    tracked = copy(next(j for j in JOBS[:10] if j is not open_job))
    tracked.tracking_ids = ["TBA000000000001"]
    later = store.upsert([cancelled, tracked, JOBS[10]], fetched_at=NOW + timedelta(seconds=2))
    assert later.new == [JOBS[10].service_job_id]
    assert later.changed == [cancelled.service_job_id]
    assert later.quiet == 1
    assert len(store) == 11
    assert store.count(JobFilters(tracking_ids=("TBA000000000001",))) == 1


def test_an_answer_older_than_the_stored_one_never_overwrites_it() -> None:
    store = JobStore.memory()
    job = next(j for j in JOBS if j.service_job_status == "PENDING_SCHEDULE")
    newer = copy(job)
    newer.service_job_status = ServiceJobStatus.CANCELLED
    store.upsert([newer], fetched_at=NOW)
    stale = store.upsert([job], fetched_at=NOW - timedelta(seconds=5))
    assert stale.stale == 1
    assert store.summary(str(job.service_job_id)).status == "CANCELLED"  # type: ignore[union-attr]


def test_changes_since_a_revision_serve_any_number_of_readers() -> None:
    store = JobStore.memory()
    store.upsert(JOBS[:5], fetched_at=NOW)
    cursor = store.changes_since(0)
    assert cursor.new == sorted(ids(JOBS[:5]))
    moved = copy(JOBS[0])
    moved.service_job_status = (
        ServiceJobStatus.HOLD
        if moved.service_job_status != "HOLD"
        else (ServiceJobStatus.CANCELLED)
    )
    store.upsert([moved, JOBS[5]], fetched_at=NOW + timedelta(seconds=1))
    store.remove([str(JOBS[1].service_job_id)])
    after = store.changes_since(cursor.rev)
    assert after.new == [JOBS[5].service_job_id]
    assert after.changed == [JOBS[0].service_job_id]
    assert after.removed == [JOBS[1].service_job_id]
    assert store.changes_since(after.rev) == type(after)([], [], [], after.rev)


def test_purge_drops_jobs_closed_before_the_cutoff_and_upsert_does_not_add_them() -> None:
    store = filled()
    closed = [j for j in JOBS if j.service_job_status in ("CANCELLED", "COMPLETED")]
    assert closed
    purged = store.purge(NOW + timedelta(days=1))
    assert purged == len(closed)
    assert store.count(JobFilters(statuses=("CANCELLED", "COMPLETED"))) == 0
    again = store.upsert(JOBS, fetched_at=NOW, drop_closed_before=NOW + timedelta(days=1))
    assert again.skipped == len(closed) and again.new == []
    # A job seen open and then closed is kept for the whole keep period from when it closed.
    job = copy(next(j for j in JOBS if j.service_job_status == "PENDING_SCHEDULE"))
    job.service_job_status = ServiceJobStatus.CANCELLED
    store.upsert([job], fetched_at=NOW + timedelta(days=2))
    assert store.purge(NOW + timedelta(days=1)) == 0
    assert store.purge(NOW + timedelta(days=3)) == 1


# ---- querying ------------------------------------------------------------------------------
def test_every_filter_narrows_like_getservicejobs() -> None:
    store = filled()
    job = JOBS[3]
    scope = job.scope_of_work
    assert scope is not None and scope.required_skills
    cases = {
        JobFilters(statuses=("HOLD", "CANCELLED")): lambda j: (
            j.service_job_status in ("HOLD", "CANCELLED")
        ),
        JobFilters(asins=(scope.asin,)): lambda j: j.scope_of_work.asin == scope.asin,
        JobFilters(store_ids=(job.store_id,)): lambda j: j.store_id == job.store_id,
        JobFilters(skills=(scope.required_skills[0],)): lambda j: (
            scope.required_skills[0] in j.scope_of_work.required_skills
        ),
        JobFilters(service_order_ids=(job.service_order_id,)): lambda j: j is job,
        JobFilters(product_order_ids=tuple(job.product_order_ids)): lambda j: j is job,
        JobFilters(tracking_ids=tuple(job.tracking_ids)): lambda j: j is job,
        JobFilters(created_after=NOW - timedelta(days=10)): lambda j: (
            j.create_time >= NOW - timedelta(days=10)
        ),
        JobFilters(created_before=NOW - timedelta(days=10)): lambda j: (
            j.create_time <= NOW - timedelta(days=10)
        ),
        JobFilters(statuses=("NOT_SERVICED",), scheduled_after=NOW + timedelta(days=3)): lambda j: (
            j.service_job_status == "NOT_SERVICED"
            and any(
                a.appointment_status == AppointmentStatus.ACTIVE
                and a.appointment_time.start_time >= NOW + timedelta(days=3)
                for a in j.appointments
            )
        ),
    }
    for filters, wanted in cases.items():
        expected = {str(j.service_job_id) for j in JOBS if wanted(j)}
        assert expected, filters
        assert store.ids(filters) == expected, filters
        assert store.count(filters) == len(expected)


def test_updated_filters_read_when_the_store_saw_the_change() -> None:
    store = filled()
    job = copy(next(j for j in JOBS if j.service_job_status == "PENDING_SCHEDULE"))
    job.service_job_status = ServiceJobStatus.CANCELLED
    store.upsert([job], fetched_at=NOW + timedelta(hours=1))
    assert store.ids(JobFilters(updated_after=NOW + timedelta(minutes=30))) == {job.service_job_id}


@pytest.mark.parametrize("key", list(SortKey))
@pytest.mark.parametrize("descending", [True, False])
def test_each_sort_in_either_order_pages_without_repeats(key: SortKey, descending: bool) -> None:
    store = filled()
    sort = Sort(key, descending)
    whole = store.query(sort=sort, limit=None)
    assert len(whole) == len(JOBS) == len(set(ids(whole)))
    pages = [store.query(sort=sort, offset=o, limit=7) for o in range(0, len(JOBS), 7)]
    assert [r for page in pages for r in page] == whole

    def value(job_id: str) -> object:
        row = store.get(job_id)
        assert row is not None
        if key is SortKey.CREATED:
            return row.create_time
        if key is SortKey.STATUS:
            return row.service_job_status
        summary = store.summary(job_id)
        assert summary is not None
        if key is SortKey.APPOINTMENT:
            return summary.cells[1] if summary.cells[1] != "-" else None
        return summary.cells[6].lower() if summary.cells[6] != "-" else None

    values = [value(r.job_id) for r in whole]
    present = [v for v in values if v is not None]
    assert values[: len(present)] == present, "rows without a value go last"
    if key is not SortKey.APPOINTMENT:  # appointment cells are MM-DD HH:MM, sortable as text
        assert present == sorted(present, reverse=descending)  # type: ignore[type-var]


def test_the_sort_follows_the_consoles_filters_when_not_given() -> None:
    store = filled()
    oldest = store.query(JobFilters(sort_order="ASC"), limit=1)[0]
    assert oldest.created == min(j.create_time for j in JOBS)  # type: ignore[type-var]
    by_status = store.query(JobFilters(sort_field="JOB_STATUS", sort_order="ASC"), limit=None)
    assert [r.status for r in by_status] == sorted(r.status for r in by_status)


@pytest.mark.parametrize(
    "text",
    [
        "mount",
        "ount",
        "MOUNT springfield",
        "scheduled",
        "-",
        "a",
        "tba",
        "b0",
        "12:00",
        "nothing-like-this",
    ],
)
def test_slash_narrows_every_stored_job_as_the_console_narrows_loaded_ones(text: str) -> None:
    store = filled()
    feed = JobFeed(client=None)  # type: ignore[arg-type]
    feed._append(JOBS)
    expected = {feed.jobs[i].job_id for i in feed.narrow(text)}
    assert {r.job_id for r in store.query(text=text, limit=None)} == expected
    assert store.count(text=text) == len(expected)


def test_the_scheduled_cell_follows_the_zone_the_store_is_opened_in(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    with open_store(path, zone=ZoneInfo("UTC")) as store:
        store.upsert(JOBS, fetched_at=NOW)
        utc_cells = {r.job_id: r.cells[1] for r in store.query(limit=None)}
    with open_store(path, zone=ZoneInfo("Asia/Kolkata")) as store:
        rows = store.query(limit=None)
        job = next(r for r in rows if r.cells[1] != "-")
        assert job.cells[1] != utc_cells[job.job_id]
        assert store.count(text=job.cells[1].split()[1]) >= 1  # its local hour is searchable
        assert {r.job_id for r in rows} == set(utc_cells)


# ---- the file ------------------------------------------------------------------------------
def test_a_new_store_is_private_versioned_and_in_wal_mode(tmp_path: Path) -> None:
    path = store_path("us-main", "0123456789abcdef", tmp_path)
    with open_store(path) as store:
        store.upsert(JOBS[:3], fetched_at=NOW)
        assert store.notes == []
        mode = store._conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"
        for file in path.parent.iterdir():
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert path.parent == tmp_path / "stores"


@pytest.mark.parametrize(
    "damage", ["garbage", "newer schema", "truncated", "someone else's database"]
)
def test_a_store_that_cannot_be_read_is_moved_aside_and_started_afresh(
    tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "stores" / "p-key.sqlite3"
    with open_store(path) as store:
        store.upsert(JOBS, fetched_at=NOW)
        store.mark_synced(NOW, full=True, window_days=90)
    if damage == "garbage":
        path.write_bytes(b"this is not a database at all " * 500)
    elif damage == "newer schema":
        with sqlite3.connect(path) as conn:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    elif damage == "truncated":
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3] + b"\x00" * 4096 + data[len(data) // 2 :])
    else:
        path.unlink()
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE meta (something TEXT)")
    with open_store(path) as store:
        assert len(store) == 0 and store.state().synced is None
        assert len(store.notes) == 1 and "moved aside" in store.notes[0]
        store.upsert(JOBS[:2], fetched_at=NOW)
        assert len(store) == 2
    aside = [p for p in path.parent.iterdir() if ".damaged-" in p.name]
    assert aside, "the damaged file is kept beside the new one"


def test_a_locked_store_is_not_mistaken_for_a_damaged_one(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    with open_store(path) as store:
        store.upsert(JOBS[:2], fetched_at=NOW)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        from sptui.desk.store import jobs

        old, jobs.BUSY_TIMEOUT_S = jobs.BUSY_TIMEOUT_S, 0.1
        try:
            # Opening only reads (the console's first frame never waits for a writer) ...
            with open_store(path) as store:
                assert len(store) == 2
                # ... and a write that cannot have the lock fails as busy, not as damage.
                with pytest.raises(sqlite3.OperationalError):
                    store.upsert(JOBS[2:3], fetched_at=NOW)
        finally:
            jobs.BUSY_TIMEOUT_S = old
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
    with open_store(path) as store:
        assert len(store) == 2


def test_the_demo_store_vanishes_when_closed_and_with_the_process(tmp_path: Path) -> None:
    store = temporary_store()
    assert store.path is not None and store.path.exists()
    folder = store.path.parent
    store.upsert(JOBS[:2], fetched_at=NOW)
    store.close()
    assert not folder.exists()

    code = (
        "from sptui.desk.demo import demo_session\n"
        "desk, _ = demo_session(jobs=5)\n"
        "store = desk.open_store()\n"
        "print(store.path)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    path = Path(done.stdout.strip())
    assert path.name == "demo.sqlite3" and "sptui-demo-store-" in str(path)
    assert not path.parent.exists()


def test_times_are_kept_to_the_millisecond() -> None:
    job = copy(JOBS[0])
    job.create_time = datetime(2019, 12, 11, 14, 49, 53, 952000, tzinfo=UTC)
    store = JobStore.memory()
    store.upsert([job], fetched_at=NOW)
    assert store.summary(str(job.service_job_id)).created == job.create_time  # type: ignore[union-attr]
    edge = JobFilters(created_after=job.create_time, created_before=job.create_time)
    assert store.count(edge) == 1
    assert to_ms(job.create_time) % 1000 == 952


def test_counting_or_syncing_keeps_the_zone_the_search_text_was_written_in(
    tmp_path: Path,
) -> None:
    path = tmp_path / "jobs.sqlite3"
    kolkata = ZoneInfo("Asia/Kolkata")
    with open_store(path, zone=kolkata) as store:
        store.upsert(JOBS[:50], fetched_at=NOW)
        written = {r.job_id: r.haystack for r in store.query(limit=None)}
    with open_store(path, zone=ZoneInfo("UTC"), adopt_zone=False) as store:
        assert store.zone == kolkata
        assert {r.job_id: r.haystack for r in store.query(limit=None)} == written
        store.upsert(JOBS[50:60], fetched_at=NOW)
    with open_store(path, zone=kolkata) as store:
        for job in JOBS[:60]:
            row = store.summary(str(job.service_job_id))
            assert row is not None and row.cells == summarize(job, kolkata).cells
            assert sorted(row.haystack.split()) == sorted(summarize(job, kolkata).haystack.split())


def test_a_store_opened_while_another_connection_creates_it_waits_for_it(tmp_path: Path) -> None:
    """A console and its demo world open one new store at once. SQLite refuses the switch to
    WAL at once, without its busy timeout, while another connection holds the write lock; the
    store waits for that lock instead of failing ("database is locked" broke a start)."""
    import threading

    path = tmp_path / "new.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE scratch (x)")
    threading.Timer(0.3, other.execute, ("COMMIT",)).start()
    with open_store(path) as store:
        assert store.state().synced is None and len(store) == 0
    other.close()
