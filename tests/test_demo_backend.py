"""The built-in demo world in a process of its own (issue 14, a cold start's first rows): the
child fills the console's temporary store, serves the same world over loopback, and ends with
the console; when it cannot, the demo runs in the console's process as before."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sptui import console
from sptui.cli.parser import build_parser
from sptui.desk import demo_backend
from sptui.desk.demo_backend import DemoBackend, start_backend
from sptui.desk.store import open_store
from sptui.desk.store_paths import temporary_store_path
from sptui.simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REFRESH_TOKEN
from sptui.simulator.seed import build_world, demo_technicians
from sptui.spapi import Endpoint, LwaCredentials, ServicesClient
from sptui.tui.screens.jobs import JobsScreen

from .tui_helpers import screen_text, settle

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def backend() -> Any:
    started: list[DemoBackend] = []

    def start(path: Path | None = None, **options: Any) -> DemoBackend:
        made = start_backend(path or temporary_store_path(), **options)
        assert made is not None
        started.append(made)
        return made

    yield start
    for made in started:
        made.stop()


def client_of(made: DemoBackend) -> ServicesClient:
    return ServicesClient(
        LwaCredentials(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_REFRESH_TOKEN),
        marketplace_id="ATVPDKIKX0DER",
        endpoint=Endpoint(made.url, f"{made.url}/auth/o2/token"),
    )


async def test_the_backend_fills_the_store_and_serves_the_same_world_on_loopback(
    backend: Any,
) -> None:
    made = backend(jobs=60)
    assert made.url.startswith("http://127.0.0.1:")
    assert await made.filled() is None and not made.filling
    with open_store(made.store_path) as store:
        stored = store.ids()
        assert store.state().synced is not None  # a finished first fill: the next is a catch-up
    listed: set[str] = set()
    async with client_of(made) as client:
        token, since = None, datetime.now(UTC) - timedelta(days=400)
        while True:
            page = await client.get_service_jobs(
                created_after=since, page_size=20, page_token=token
            )
            assert page.payload is not None
            listed |= {str(j.service_job_id) for j in page.payload.jobs or []}
            token = page.payload.next_page_token
            if not token:
                break
    assert stored and stored <= listed  # the store holds the window of the world it serves
    made.stop()
    assert made.process.poll() is not None  # gone, and its port with it


def test_the_backend_ends_when_the_console_does_however_it_ends() -> None:
    """The child's lifeline is its stdin: a console killed outright leaves no child behind,
    and the child takes the temporary store the console could not remove with it."""
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from sptui.desk.demo_backend import start_backend\n"
        "made = start_backend(Path(sys.argv[1]), jobs=20)\n"
        "print(made.process.pid, flush=True)\n"
        "made.filled  # wait for the fill: the store exists\n"
        "made._done.wait(60)\n"
        "print('filled', flush=True)\n"
        "time.sleep(60)\n"
    )
    path = temporary_store_path()
    parent = subprocess.Popen(
        [sys.executable, "-c", script, str(path)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    assert parent.stdout.readline().strip() == "filled" and path.exists()
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    for _ in range(100):
        if not _alive(child) and not path.parent.exists():
            break
        time.sleep(0.05)
    assert not _alive(child)
    assert not path.parent.exists()


async def test_a_backend_that_cannot_fill_says_why(backend: Any, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    path.mkdir()  # not a file SQLite can open
    made = backend(path, jobs=20)
    said = await made.filled()
    assert said == "could not fill the store (OperationalError: unable to open database file)"


def test_a_backend_that_cannot_start_leaves_the_demo_in_process(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")  # nothing can be written where its store would go
    assert start_backend(blocked / "demo.sqlite3") is None


async def test_a_backend_killed_before_it_fills_says_it_stopped(backend: Any) -> None:
    made = backend(jobs=20)
    made.process.kill()
    said = await made.filled()
    assert said is not None and said.startswith("stopped (exit status -9")


async def test_a_proxy_in_the_environment_is_not_asked_for_this_machine(
    backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = backend(jobs=20)
    assert await made.filled() is None
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    async with client_of(made) as client:
        page = await client.get_service_jobs(
            created_after=datetime.now(UTC) - timedelta(days=400), page_size=5
        )
    assert page.payload is not None and page.payload.jobs


async def test_a_backend_that_goes_quiet_is_given_up(
    backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_backend, "STALL_S", 1.0)
    made = backend(jobs=20)
    made.process.send_signal(signal.SIGSTOP)  # suspended: no heartbeat, no fill, no exit
    said = await made.filled()
    assert said == "stopped answering (1 s without a word)"
    made.stop()  # a stopped process never sees SIGTERM: it is killed
    assert made.process.poll() is not None


def test_a_cpu_quota_counts_whole_cpus() -> None:
    assert demo_backend.quota_of("max 100000\n") is None
    assert demo_backend.quota_of("150000 100000\n") == 1
    assert demo_backend.quota_of("200000 100000\n") == 2
    assert demo_backend.quota_of("nonsense") is None


def test_one_core_keeps_the_demo_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo_backend, "cores", lambda: 1)
    path = temporary_store_path()
    try:
        assert start_backend(path) is None
    finally:
        path.parent.rmdir()


def test_the_technicians_named_from_the_seed_are_the_worlds() -> None:
    world = build_world(3, 40)
    named = demo_technicians(3)
    assert {k: (t.name, t.skills, t.store_ids) for k, t in named.items()} == {
        k: (t.name, t.skills, t.store_ids) for k, t in world.technicians.items()
    }


# ---- in the console --------------------------------------------------------------------------


async def until(pilot: Any, ready: Any) -> None:
    """Let the console work (and the other process fill) until ``ready()``, for up to 5 s."""
    for _ in range(100):
        await pilot.pause(0.05)
        await settle(pilot)
        if ready():
            return


def synced(app: Any, backend: Any) -> bool:
    """The console's desk is built, on ``backend`` (None: in-process), and its list synced."""
    return bool(app.desk is not None and app.desk.backend is backend and app.jobs_screen().synced)


def demo_console(tmp_path: Path, *more: str) -> Any:
    config = tmp_path / "config.toml"
    config.write_text("")
    app = console.build_app(build_parser().parse_args(["--config", str(config), "--demo", *more]))
    assert not isinstance(app, int)
    return app


async def test_the_console_shows_the_rows_the_demo_world_stored_and_then_catches_up(
    tmp_path: Path,
) -> None:
    app = demo_console(tmp_path)
    made = app.session.backend
    assert made is not None  # started before the console loaded anything else
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: synced(app, made))
        screen = app.jobs_screen()
        assert isinstance(screen, JobsScreen) and app.desk is not None
        assert app.desk.backend is made and app.store.path == made.store_path
        assert len(screen.table.rows) > 0 and screen.fill is None
        assert screen.table.cursor == 0  # on the newest job, as a fill leaves it
        top = screen_text(app).splitlines()[0]
        assert "DEMO" in top and "157 jobs · as of" in top
        # The fill was the other process's: the console's own first sync only caught up, and
        # said nothing of it (no "Up to date", no marks).
        assert screen.fresh == {} and not any("Up to date" in n.message for n in app._notifications)
    assert made.process.poll() is not None  # ended with the console
    assert not made.store_path.parent.exists()  # and its store with it


async def test_a_demo_world_process_that_dies_is_replaced_by_one_in_the_console(
    tmp_path: Path,
) -> None:
    app = demo_console(tmp_path, "--demo-jobs", "30")
    made = app.session.backend
    assert made is not None
    made.process.kill()  # before it could fill anything
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: synced(app, None))
        said = [n.message for n in app._notifications]
        assert any("The demo world's own process stopped (exit status" in n for n in said), said
        assert app.desk is not None and app.desk.backend is None  # in-process now
        assert len(app.jobs_screen().table.rows) > 0


async def test_a_demo_world_process_gone_later_is_replaced_at_the_next_sync(
    tmp_path: Path,
) -> None:
    app = demo_console(tmp_path, "--demo-jobs", "30")
    made = app.session.backend
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: synced(app, made))
        assert app.desk is not None and app.desk.backend is made
        made.process.kill()
        made.process.wait()
        await pilot.press("r")
        await until(pilot, lambda: synced(app, None))
        said = [n.message for n in app._notifications]
        assert any("The demo world's own process stopped;" in n for n in said), said
        assert not any("Amazon cannot be reached" in n for n in said)  # it was never Amazon
        assert app.desk is not None and app.desk.backend is None and not app.offline
        assert len(app.jobs_screen().table.rows) > 0


async def test_r_during_the_fill_waits_for_it_and_never_walks_the_window_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sptui.desk import store as store_package

    walks: list[bool] = []
    real_sync = store_package.sync

    async def spied(*args: Any, **kwargs: Any) -> Any:
        result = await real_sync(*args, **kwargs)
        walks.append(result.full)
        return result

    monkeypatch.setattr(store_package, "sync", spied)
    app = demo_console(tmp_path, "--demo-jobs", "1500")  # a fill of a few seconds
    made = app.session.backend
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(200):  # no settle(): it would wait for the sync, so for the whole fill
            if app.desk is not None and made.progress is not None:
                break
            await pilot.pause(0.02)
        assert made.filling
        await pilot.press("r")
        await pilot.pause(0.2)
        await pilot.press("r")
        await until(pilot, lambda: synced(app, made) and not made.filling and walks)
        screen = app.jobs_screen()
        assert walks and not any(walks)  # catch-ups only: the window was walked once, there
        assert screen._other_fill is None  # no longer looking for another's rows
        assert len(screen.listing or ()) == made.progress[0]


COLD_DEMO = """
import json, sys
from sptui.cli.parser import build_parser
from sptui import console

app = console.build_app(build_parser().parse_args(["--config", sys.argv[1], "--demo"]))
seen = {}
display = app._display

def spy(screen, update):
    display(screen, update)
    if type(screen).__name__ == "JobsScreen" and screen.table.rows and "rows" not in seen:
        seen["rows"] = len(screen.table.rows)
    if "rows" in seen and screen._loaded_said and app.desk is not None:
        seen["here"] = [m for m in ("starlette", "uvicorn", "sptui.simulator.instance",
                                    "sptui.simulator.app") if m in sys.modules]
        app.exit()

app._display = spy
app.run(headless=True, size=(80, 24))
print(json.dumps(seen))
"""


def test_a_cold_demo_builds_and_serves_its_world_in_another_process(tmp_path: Path) -> None:
    """Run as `sptui --demo` runs: rows are painted, and the console's own process never
    loaded the simulator's app, Starlette or uvicorn (the world was built elsewhere)."""
    config = tmp_path / "config.toml"
    config.write_text("")
    done = subprocess.run(
        [sys.executable, "-c", COLD_DEMO, str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["rows"] > 0 and seen["here"] == []


def test_a_full_read_that_chooses_a_profile_ends_the_demo_world_process(
    tmp_path: Path, backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPTUI_ONE_CLIENT_SECRET", "s")
    monkeypatch.setenv("SPTUI_ONE_REFRESH_TOKEN", "r")
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    config = tmp_path / "config.toml"
    config.write_text(
        '[profiles.one]\nmarketplace_id = "ATVPDKIKX0DER"\nclient_id = "amzn1.application-oa2-client.x"\n'
    )
    made = backend(jobs=20)
    args = build_parser().parse_args(["--config", str(config)])
    _, desk = console.connect(args, made)
    assert desk.profile == "one" and desk.backend is None
    assert made.process.poll() is not None


# ---- helpers ---------------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (not yet reaped by init) counts as gone
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())
