"""What the console's jobs list stands on, without a terminal: the list over the store, the
quick read of the config, the opening, offline and the age in words, and import hygiene."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sptui.config.quick import quick_read
from sptui.desk.desk import Mode
from sptui.desk.feed import JobFilters
from sptui.desk.listing import PAGE, StoredJobs
from sptui.desk.online import Backoff, ago, as_of, unreachable, worth_retrying
from sptui.desk.opening import opening_for
from sptui.desk.store import JobStore, Sort, SortKey, open_store
from sptui.desk.store.account import account_key
from sptui.desk.store.query import SORTS
from sptui.desk.store.rows import storable
from sptui.simulator.seed import build_world
from sptui.spapi.errors import AuthError, ServerError, ThrottledError, TransportError

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
WORLD = build_world(5, 260, lambda: NOW, ("ATVPDKIKX0DER",))
JOBS = [r.job for r in WORLD.jobs.values()]


def filled(tmp_path: Path) -> JobStore:
    store = open_store(tmp_path / "jobs.sqlite3")
    store.upsert(JOBS, fetched_at=NOW)
    return store


# ---- the list over the store -----------------------------------------------------------------


def test_the_list_reads_pages_on_demand_in_the_stores_order(tmp_path: Path) -> None:
    store = filled(tmp_path)
    jobs = StoredJobs(store)
    jobs.select(NOW)
    assert len(store) > 2 * PAGE
    assert jobs.total is None and len(jobs) == PAGE  # the first page, until counted
    assert jobs.counted(jobs.tally())
    assert len(jobs) == len(store)
    everything = store.query(limit=None)
    assert [j.job_id for j in jobs] == [j.job_id for j in everything]
    assert jobs[-1].job_id == everything[-1].job_id
    for sort in SORTS:
        jobs.select(NOW, sort=sort)
        want = store.query(sort=sort, limit=None)
        assert jobs.counted(jobs.tally())
        assert [j.job_id for j in jobs] == [j.job_id for j in want]
        target = want[len(want) // 2].job_id
        assert jobs.find(target) == len(want) // 2  # found by the store, not by a scan


def test_a_count_for_an_older_query_is_not_taken(tmp_path: Path) -> None:
    store = filled(tmp_path)
    jobs = StoredJobs(store)
    jobs.select(NOW)
    stale = jobs.tally()
    jobs.select(NOW, text="mount")
    assert not jobs.counted(stale)
    short = jobs.total  # a first page shorter than a page is its own count
    assert short is not None or jobs.counted(jobs.tally())
    assert all("mount" in j.haystack for j in jobs)


def test_the_list_covers_the_stores_window_and_says_so(tmp_path: Path) -> None:
    store = filled(tmp_path)
    jobs = StoredJobs(store, window_days=30)
    jobs.select(NOW)
    assert jobs.counted(jobs.tally())
    start = NOW - timedelta(days=30)
    assert all(j.created is not None and j.created >= start for j in jobs)
    assert len(jobs) == store.count(JobFilters(created_after=start)) < len(store)
    assert jobs.describe() == f"created ≥ {start:%Y-%m-%d} · by date, newest first"
    mine = JobFilters(created_after=NOW - timedelta(days=300))
    jobs.select(NOW, filters=mine, sort=Sort(SortKey.TECHNICIAN, False))
    assert jobs.counted(jobs.tally()) and len(jobs) == store.count(mine)
    assert jobs.describe().endswith("by technician A-Z")


def test_a_count_is_interrupted_when_the_query_changes(tmp_path: Path) -> None:
    store = filled(tmp_path)
    jobs = StoredJobs(store)
    jobs.select(NOW)
    assert jobs.tally() is not None  # a second connection, opened on first use
    reader = jobs._reader
    assert reader is not None and reader is not store
    reader.interrupt()  # nothing running: no effect on the next count
    assert jobs.tally() is not None
    store.close()  # its reader goes with it
    assert jobs.tally() is None


# ---- storing what JSON can carry -------------------------------------------------------------


def test_a_lone_surrogate_never_stops_a_job_from_being_stored(tmp_path: Path) -> None:
    store = filled(tmp_path)
    job = JOBS[0].model_copy(deep=True)
    job.service_job_id = "odd\ud800id"
    assert job.scope_of_work is not None
    job.scope_of_work.title = "Mount\udfff a TV"
    assert store.upsert([job], fetched_at=NOW).new == ["oddid"]
    row = store.summary("oddid")
    assert row is not None and "Mount a TV" in row.cells
    assert storable("plain \x1b[31m id") == "plain \x1b[31m id"  # only surrogates go


# ---- the quick read and the opening ----------------------------------------------------------


def test_the_quick_read_chooses_as_the_full_read_does(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert quick_read(path, None) == quick_read(path, None, demo=True)  # no file: the demo
    path.write_text(
        '[settings]\ndefault_profile = "eu"\ntheme = "nord"\n[settings.store]\nwindow_days = 30\n'
        '[keys]\n"jobs.refresh" = "f5"\n'
        '[profiles.us]\nmarketplace_id = "ATVPDKIKX0DER"\nclient_id = "a"\n'
        '[profiles.eu]\nmarketplace_id = "A1PA6795UKMFR9"\nsandbox = true\n'
        'client_id_command = "pass show id"\ntime_zone = "Europe/Berlin"\n'
        '[profiles.sim]\nmarketplace_id = "ATVPDKIKX0DER"\nendpoint = "http://127.0.0.1:8765"\n'
        'client_id = "sptui-demo"\nrefresh_seconds = 30\n'
    )
    eu = quick_read(path, None, env={})
    assert eu is not None and eu.profile == "eu" and eu.client_id is None  # a command: later
    assert eu.window_days == 30 and eu.keys == {"jobs.refresh": "f5"} and eu.theme == "nord"
    assert eu.endpoint is not None and eu.endpoint.base_url.startswith("https://sandbox.")
    us = quick_read(path, "us", env={"LWA_APP_ID": "from-env"})
    assert us is not None and us.client_id == "from-env"  # the environment first
    us = quick_read(path, "us", env={"SPTUI_US_CLIENT_ID": "mine", "LWA_APP_ID": "x"})
    assert us is not None and us.client_id == "mine"
    sim = quick_read(path, "sim", env={})
    assert sim is not None and sim.refresh_seconds == 30.0
    opening = opening_for(sim, watch=None)
    assert opening is not None and opening.mode is Mode.DEMO and opening.watch_seconds == 30.0
    assert opening.label == "sim · 127.0.0.1 · United States"
    assert opening.account == account_key("http://127.0.0.1:8765", "ATVPDKIKX0DER", "sptui-demo")
    euo = opening_for(eu)
    assert euo is not None and euo.mode is Mode.SANDBOX and euo.account is None
    assert euo.open_store() is None  # which store: known once the command has run
    assert quick_read(path, "nope") is None  # the full read says what is wrong


@pytest.mark.parametrize(
    "text",
    [
        "not toml [",
        '[profiles.a]\nmarketplace_id = "NOPE"\n',
        '[profiles.a]\nmarketplace_id = "ATVPDKIKX0DER"\n[profiles.b]\nmarketplace_id = "ATVPDKIKX0DER"\n',
        '[settings]\ndefault_profile = "zz"\n[profiles.a]\nmarketplace_id = "ATVPDKIKX0DER"\n',
        '[profiles.a]\nmarketplace_id = "ATVPDKIKX0DER"\nendpoint = "http://example.com"\n',
        '[profiles.a]\nmarketplace_id = "ATVPDKIKX0DER"\nrefresh_seconds = "often"\n',
        "settings = 3\n",
    ],
)
def test_the_quick_read_leaves_every_doubt_to_the_full_read(tmp_path: Path, text: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    assert quick_read(path, None) is None


def test_an_unknown_zone_leaves_the_opening_to_the_full_read(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[profiles.a]\nmarketplace_id = "ATVPDKIKX0DER"\ntime_zone = "Mars/Olympus"\n')
    quick = quick_read(path, None, env={})
    assert quick is not None and opening_for(quick) is None
    assert opening_for(replace(quick, profile=None), demo_jobs=5) is not None


# ---- offline, and the age in words -----------------------------------------------------------


def test_what_counts_as_offline() -> None:
    assert unreachable(TransportError("reset", sent=False))
    assert unreachable(AuthError("could not reach Login with Amazon", final=False))
    assert not unreachable(AuthError("invalid_grant", final=True))
    assert not unreachable(ServerError("InternalFailure", status=500))
    assert worth_retrying(ServerError("InternalFailure", status=500))
    assert worth_retrying(ThrottledError("QuotaExceeded", status=429))
    assert not worth_retrying(AuthError("invalid_grant", final=True))


def test_the_pause_between_tries_doubles_up_to_its_ceiling() -> None:
    backoff = Backoff(5, 60)
    assert [backoff.next() for _ in range(6)] == [5, 10, 20, 40, 60, 60]
    backoff.reset()
    assert backoff.next() == 5


def test_the_age_of_the_stored_jobs_in_words() -> None:
    synced = datetime(2026, 12, 1, 14, 2, tzinfo=UTC)
    assert as_of(synced, synced + timedelta(minutes=12, seconds=59), UTC) == (
        "as of 14:02, 12 min ago"
    )
    assert as_of(synced, synced + timedelta(seconds=20), UTC) == "as of 14:02, just now"
    assert as_of(synced, synced + timedelta(days=2), UTC) == "as of 01 Dec 14:02, 2 days ago"
    assert ago(synced, synced + timedelta(hours=3)) == "3 h ago"


# ---- nothing heavy before the first frame ----------------------------------------------------


def test_what_the_first_frame_needs_loads_no_api_layer_no_pydantic_no_secrets() -> None:
    code = (
        "import json, sys\n"
        "import sptui.console, sptui.cli.parser, sptui.tui.app, sptui.config.quick\n"
        "import sptui.desk.opening, sptui.desk.listing, sptui.desk.store, sptui.desk.online\n"
        "import sptui.tui.screens.jobs\n"
        "heavy = ('pydantic', 'httpx', 'starlette', 'keyring', 'cryptography',\n"
        "         'sptui.spapi.models', 'sptui.simulator', 'sptui.config.schema')\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []
