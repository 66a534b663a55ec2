"""The console on its job store (issue 14): first paint from the store, catching up by change,
a full refresh, search and filters over everything stored, and working offline."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from textual.widgets import Input

from sptui.desk.store import open_store, store_path, sync
from sptui.desk.store.account import account_key
from sptui.simulator.world import JobRecord
from sptui.tui.screens.jobs import JobsScreen
from sptui.tui.writing import run_write

from .store_console import Line, console, warm, world
from .tui_helpers import FIXED, make_app, screen_text, settle

ROOT = Path(__file__).resolve().parent.parent


def notices(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


def jobs_of(app: Any) -> JobsScreen:
    screen = app.screen
    assert isinstance(screen, JobsScreen)
    return screen


def add_job(sim: Any, like: JobRecord, job_id: str) -> None:
    """A job created now, as Amazon would list it to the next sync."""
    job = like.job.model_copy(deep=True)
    job.service_job_id = job_id
    job.create_time = FIXED
    record = JobRecord(job, updated=FIXED)
    sim.world.jobs[job_id] = record
    sim.world.touch(record)


# ---- catching up -----------------------------------------------------------------------------


async def test_r_catches_up_with_what_another_client_changed_and_marks_it(tmp_path: Path) -> None:
    sim = world()
    await warm(sim)
    app = console(sim, Line(sim.transport()), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = jobs_of(app)
        assert screen.fresh == {}  # the catch-up at start found nothing new
        keys = [r.key for r in screen.table.rows]
        target = next(k for k in keys if sim.world.jobs[k].status.value == "PENDING_SCHEDULE")
        other = sim.client()  # another console, a script, Seller Central...
        await other.cancel_service_job_by_service_job_id(target, "V1")
        await other.aclose()
        add_job(sim, sim.world.jobs[keys[0]], "99999999999999")
        await pilot.press("r")
        await settle(pilot)
        assert screen.fresh == {"99999999999999": "✚ ", target: "✎ "}
        rows = {r.key: r for r in screen.table.rows}
        assert screen.table.rows[0].key == "99999999999999"  # the newest, on top
        assert rows["99999999999999"].mark == "✚ "
        assert rows[target].mark == "✎ " and rows[target].cells[0] == "✖ Cancelled"
        assert any("1 new (✚), 1 changed (✎)" in n for n in notices(app))


async def test_a_catch_up_cannot_see_a_job_vanish_ctrl_r_finds_it_gone(tmp_path: Path) -> None:
    sim = world()
    stored = await warm(sim)
    app = console(sim, Line(sim.transport()), tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = jobs_of(app)
        gone = screen.table.rows[3].key
        del sim.world.jobs[gone]  # deleted on the server
        await pilot.press("r")
        await settle(pilot)
        assert gone in {r.key for r in screen.table.rows}  # never guessed gone
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert gone not in {r.key for r in screen.table.rows}
        assert len(screen.table.rows) == stored - 1
        assert any("1 gone from the account" in n for n in notices(app))


async def test_watch_mode_catches_up_on_its_timer(tmp_path: Path) -> None:
    sim = world()
    await warm(sim)
    app = console(sim, Line(sim.transport()), tmp_path)
    app.session.watch_seconds = 0.05
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = jobs_of(app)
        assert screen.watching and "watching" in screen_text(app)
        first = screen.table.rows[0].key
        add_job(sim, sim.world.jobs[first], "88888888888888")
        for _ in range(40):
            await pilot.pause(0.05)
            await settle(pilot)
            if any("1 new" in n for n in notices(app)):
                break
        assert any("1 new (✚), 0 changed (✎)" in n for n in notices(app))  # a round found it
        assert screen.table.rows[0].key == "88888888888888"


# ---- everything stored, not what was paged ---------------------------------------------------


async def test_slash_and_the_filters_see_jobs_never_shown_on_screen() -> None:
    app, sim = make_app(jobs=400)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = jobs_of(app)
        listing = screen.listing
        assert listing is not None and listing.total is not None and listing.total > 300
        oldest = listing[listing.total - 1]  # far below anything ever drawn at 80x24
        await pilot.press("slash", *oldest.job_id[-9:])
        await settle(pilot)
        assert [r.key for r in screen.table.rows] == [oldest.job_id]
        assert "1 match" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        order = sim.world.jobs[oldest.job_id].job.service_order_id
        assert order
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#service_order_ids", Input).value = order
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [r.key for r in screen.table.rows] == [oldest.job_id]


# ---- offline ---------------------------------------------------------------------------------


async def test_offline_start_browses_the_store_refuses_writes_and_reconnects(
    tmp_path: Path,
) -> None:
    sim = world()
    stored = await warm(sim)
    line = Line(sim.transport())
    line.token_down = True  # Login with Amazon cannot be reached
    app = console(sim, line, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        screen = jobs_of(app)
        top = screen_text(app).splitlines()[0]
        assert app.offline and " OFFLINE " in top
        assert "as of 11:48, 12 min ago" in top  # the time of the last sync
        assert len(screen.table.rows) == stored  # the store is browsable
        await pilot.press("slash", *"fan")
        await settle(pilot)
        assert 0 < len(screen.table.rows) < stored
        await pilot.press("escape")
        await settle(pilot)
        # A write is refused before anything is sent, with a message saying why.
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, JobsScreen)  # no confirmation was even offered
        said = notices(app)[-1]
        assert said.startswith("Offline") and "nothing was sent" in said
        assert "as of 11:48, 12 min ago" in said  # the time of the last sync
        sent = asyncio.Event()

        async def a_write() -> None:
            sent.set()

        run_write(screen, a_write())  # every screen's writes start here
        await settle(pilot)
        assert not sent.is_set() and line.writes() == []
        assert not (tmp_path / "journal.jsonl").exists()  # not even journalled as sending
        # Amazon comes back: the console notices by itself, the marker goes.
        line.token_down = False
        for _ in range(40):
            await pilot.pause(0.05)
            await settle(pilot)
            if not app.offline:
                break
        assert not app.offline and "OFFLINE" not in screen_text(app).splitlines()[0]
        assert "as of 12:00, just now" in screen_text(app).splitlines()[0]
        assert any("Back online" in n.title for n in app._notifications)


async def test_a_network_gone_altogether_is_offline_too(tmp_path: Path) -> None:
    sim = world()
    await warm(sim)
    line = Line(sim.transport())
    line.down = True
    app = console(sim, line, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.offline and line.sent == []
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, JobsScreen) and notices(app)[-1].startswith("Offline")


# ---- first paint -----------------------------------------------------------------------------

FIRST_PAINT = """
import json, sys
from sptui.cli.parser import build_parser
from sptui import console
from sptui.config import secrets
from sptui.desk import journal

HEAVY = ("pydantic", "httpx", "starlette", "keyring", "sptui.spapi.models", "sptui.spapi.client",
         "sptui.simulator", "sptui.config.schema")
resolved, scanned, seen = [], [], {}
_resolve, _close_missing = secrets._resolve, journal.close_missing
secrets._resolve = lambda *a, **k: (resolved.append(a[2]), _resolve(*a, **k))[1]
journal.close_missing = lambda *a, **k: (scanned.append(1), _close_missing(*a, **k))[1]

app = console.build_app(build_parser().parse_args(["--config", sys.argv[1]]))
display = app._display

def state(screen):
    lines = screen._compositor.render_strips()
    return {
        "heavy": [m for m in HEAVY if m in sys.modules],
        "secrets": list(resolved),
        "journal": len(scanned),
        "rows": len(screen.table.rows),
        "top": "".join(s.text for s in lines[0]),
    }

def spy(screen, update):
    display(screen, update)
    if type(screen).__name__ != "JobsScreen":
        return
    if "first" not in seen and screen.table.rows:
        seen["first"] = state(screen)
    elif "first" in seen and screen._loaded_said and app.desk is not None:
        seen["later"] = state(screen)
        app.exit()

app._display = spy
app.run(headless=True, size=(160, 24))
print(json.dumps(seen))
"""


def test_the_first_frame_shows_the_warm_store_before_the_api_layer_loads(
    tmp_path: Path, private_state_dir: Path
) -> None:
    """Run as `sptui` runs, in a process of its own: at the first painted frame the stored rows
    are up, with their age, and nothing of pydantic, httpx, Starlette, the keyring, the
    secrets or the journal has been touched; all of that comes after."""
    endpoint, client_id = "http://127.0.0.1:9", "amzn1.application-oa2-client.first"
    config = tmp_path / "config.toml"
    config.write_text(
        "[profiles.first]\n"
        'marketplace_id = "ATVPDKIKX0DER"\n'
        f'endpoint = "{endpoint}"\n'
        f'client_id = "{client_id}"\n'
        'time_zone = "UTC"\n'
    )
    sim = world(30)
    path = store_path("first", account_key(endpoint, "ATVPDKIKX0DER", client_id))
    with open_store(path) as store:

        async def fill() -> None:
            client = sim.client()
            await sync(store, client, clock=lambda: FIXED)
            await client.aclose()

        asyncio.run(fill())
        stored = len(store)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "XDG_STATE_HOME": str(private_state_dir),
        "SPTUI_FIRST_CLIENT_SECRET": "SENTINEL-first-secret",
        "SPTUI_FIRST_REFRESH_TOKEN": "SENTINEL-first-refresh",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    done = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT, str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    first, later = seen["first"], seen["later"]
    assert first["rows"] == stored and f"{stored} jobs · as of 01 Dec 12:00" in first["top"]
    assert first["heavy"] == [] and first["secrets"] == [] and first["journal"] == 0
    # ... and then the desk was built and the catch-up tried (the endpoint is down: offline)
    assert "pydantic" in later["heavy"] and "httpx" in later["heavy"]
    assert later["secrets"] == ["client_id", "client_secret", "refresh_token"]
    assert "OFFLINE" in later["top"]


def test_the_demo_starts_on_an_empty_store_and_fills_it_newest_first() -> None:
    app, _sim = make_app(jobs=200)

    async def run() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            screen = jobs_of(app)
            assert app.store is not None and app.store.path is not None
            assert "sptui-demo-store-" in str(app.store.path)  # a temporary store of its own
            created = [j.created for j in screen.listing or []]
            assert created == sorted(created, reverse=True) and len(created) > 100

    asyncio.run(run())
    assert app.store is not None and app.store.path is not None
    assert not app.store.path.exists()  # gone with the console


def test_a_status_for_every_state_reads_plainly() -> None:
    from sptui.tui.screens.jobs import fill_bar

    assert fill_bar(0, None).plain == "filling 0…"
    assert fill_bar(1234, 10_000).plain == "filling 1,234 of 10,000 ━─────────"
