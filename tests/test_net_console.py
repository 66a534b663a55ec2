"""`sptui profile test|add` and the console over real sockets on 127.0.0.1.

The command line runs as a real process; the console runs under Pilot with a profile whose
endpoint is a server on loopback, so every answer is streamed as in production.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sptui.config import Credentials, Profile, Settings
from sptui.desk.connect import session_for
from sptui.simulator import SimConfig, Simulator
from sptui.spapi.models import ServiceJobStatus
from sptui.tui.app import SptuiApp
from sptui.tui.dialogs.job_action import ConfirmJobAction
from sptui.tui.screens.job import JobScreen
from sptui.tui.screens.job_run import JobRun
from sptui.tui.widgets.virtual_table import VirtualTable

from .net_servers import (
    Reply,
    ScriptedServer,
    Seen,
    api_script,
    json_reply,
    nested_json,
    serve_simulator,
    token_reply,
)
from .tui_helpers import screen_text, settle

SECRET = "SENTINEL-net-secret-4411"
REFRESH = "Atzr|SENTINEL-net-refresh-2290"
ACCESS = "Atza|SENTINEL-net-access-0077"
EXPIRED = {
    "errors": [
        {
            "code": "Unauthorized",
            "message": "Access to requested resource is denied.",
            "details": "The access token you provided has expired.",
        }
    ]
}
DENIED = {
    "errors": [
        {
            "code": "Unauthorized",
            "message": "Access to requested resource is denied.",
            "details": "",
        }
    ]
}
LISTING = {"payload": {"totalResultSize": 0, "jobs": []}}


def write_config(path: Path, base: str) -> None:
    path.write_text(
        "[profiles.net]\n"
        'marketplace_id = "ATVPDKIKX0DER"\n'
        f'endpoint = "{base}"\n'
        f'token_url = "{base}/auth/o2/token"\n'
        'client_id = "amzn1.application-oa2-client.net"\n'
    )


def sptui(*argv: str, config: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(config.parent),
        "SPTUI_NET_CLIENT_SECRET": SECRET,
        "SPTUI_NET_REFRESH_TOKEN": REFRESH,
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    return subprocess.run(
        [sys.executable, "-m", "sptui", "--config", str(config), *argv],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def printed_no_secret(done: subprocess.CompletedProcess[str]) -> bool:
    output = done.stdout + done.stderr
    return not any(s in output for s in (SECRET, REFRESH, ACCESS))


# ---- sptui profile test / add ----------------------------------------------------------------


def test_profile_test_refreshes_an_expired_token(tmp_path: Path) -> None:
    answers = iter([json_reply(403, EXPIRED), json_reply(200, LISTING, "rid-ok")])
    with ScriptedServer(
        api_script(lambda _: next(answers), lambda _: token_reply(ACCESS))
    ) as server:
        write_config(tmp_path / "config.toml", server.base)
        done = sptui("profile", "test", "net", config=tmp_path / "config.toml")
    assert done.returncode == 0, done.stderr[-300:]
    assert "rid-ok" in done.stdout and printed_no_secret(done)


@pytest.mark.parametrize(
    ("api", "token", "expected"),
    [
        (json_reply(403, DENIED, "rid-denied"), token_reply(ACCESS), "rid-denied"),
        (json_reply(403, EXPIRED, "rid-expired"), token_reply(ACCESS), "rid-expired"),
        (
            json_reply(200, LISTING),
            json_reply(401, {"error": "invalid_client", "error_description": "x"}, None),
            "invalid_client",
        ),
        (
            Reply(503, b"<html>busy</html>", {"x-amzn-RequestId": "rid-html"}),
            token_reply(ACCESS),
            "rid-html",
        ),
        (
            Reply(200, nested_json(100_000), {"x-amzn-RequestId": "rid-deep"}),
            token_reply(ACCESS),
            "rid-deep",
        ),
        (
            Reply(200, b"{}", {"x-amzn-RequestId": "rid-reset"}, "reset"),
            token_reply(ACCESS),
            "rid-reset",
        ),
    ],
    ids=["403-role", "403-expired-twice", "lwa-401", "html-503", "nested", "reset"],
)
def test_profile_test_reports_a_failure_in_one_line(
    tmp_path: Path, api: Reply, token: Reply, expected: str
) -> None:
    with ScriptedServer(api_script(lambda _: api, lambda _: token)) as server:
        write_config(tmp_path / "config.toml", server.base)
        done = sptui("profile", "test", "net", config=tmp_path / "config.toml")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and expected in done.stderr
    assert printed_no_secret(done)


def test_profile_add_checks_over_a_socket_and_writes_nothing_on_403(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    with ScriptedServer(api_script(lambda _: json_reply(403, DENIED, "rid-add"))) as server:
        env_done = sptui(
            "profile",
            "add",
            "net",
            "--marketplace",
            "ATVPDKIKX0DER",
            "--endpoint",
            server.base,
            "--token-url",
            server.base + "/auth/o2/token",
            "--client-id",
            "amzn1.application-oa2-client.net",
            "--secrets",
            "env",
            config=config,
        )
    assert env_done.returncode == 1 and "rid-add" in env_done.stderr
    assert "Traceback" not in env_done.stderr and printed_no_secret(env_done)
    assert not config.exists()


# ---- the console -----------------------------------------------------------------------------


def console(base: str) -> SptuiApp:
    profile = Profile(
        marketplace_id="ATVPDKIKX0DER",
        endpoint=base,
        token_url=base + "/auth/o2/token",
        client_id="amzn1.application-oa2-client.net",
    )
    creds = Credentials(profile.client_id or "", SECRET, REFRESH, {})
    session = session_for("net", profile, Settings(), creds)
    return SptuiApp(session)


@pytest.fixture
def sim_over_socket(tmp_path: Path) -> Iterator[tuple[Simulator, str]]:
    sim = Simulator(
        SimConfig(
            jobs=30,
            enforce_usage_plans=False,
            client_id="amzn1.application-oa2-client.net",
            client_secret=SECRET,
            refresh_token=REFRESH,
        )
    )
    with serve_simulator(sim) as base:
        yield sim, base


async def test_the_console_lists_opens_and_cancels_over_a_socket(
    sim_over_socket: tuple[Simulator, str], tmp_path: Path
) -> None:
    sim, base = sim_over_socket
    app = console(base)
    app.session.journal.path = tmp_path / "journal.jsonl"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(VirtualTable)
        assert table.rows, screen_text(app)
        index, job_id = next(
            (i, str(r.key))
            for i, r in enumerate(table.rows)
            if sim.world.jobs[str(r.key)].status == ServiceJobStatus.NOT_SERVICED
        )
        table.cursor = index
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, JobScreen) and job_id in screen_text(app)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmJobAction)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, JobRun) and app.screen.finished
        assert [r.outcome for r in app.screen.results.values()] == ["succeeded"]
    assert sim.world.jobs[job_id].status == ServiceJobStatus.CANCELLED


@pytest.mark.parametrize(
    ("api", "shown"),
    [
        (json_reply(403, DENIED, "rid-c403"), "rid-c403"),
        (
            Reply(
                503,
                b"<html>down</html>",
                {"content-type": "text/html", "x-amzn-RequestId": "rid-c503"},
            ),
            "rid-c503",
        ),
        (
            Reply(200, b"nope", {"content-encoding": "gzip", "x-amzn-RequestId": "rid-cgz"}),
            "rid-cgz",
        ),
        (Reply(200, nested_json(100_000), {"x-amzn-RequestId": "rid-cdeep"}), "rid-cdeep"),
        (Reply(200, b"{}", {"x-amzn-RequestId": "rid-creset"}, "reset"), "rid-creset"),
    ],
    ids=["403", "html-503", "bad-encoding", "nested", "reset"],
)
async def test_the_console_shows_a_failed_load_and_keeps_running(api: Reply, shown: str) -> None:
    def answer(seen: Seen) -> Reply:
        return api

    with ScriptedServer(api_script(answer, lambda _: token_reply(ACCESS))) as server:
        app = console(server.base)
        app.session.client.session.retry = app.session.client.session.retry.__class__(
            base=0.001, cap=0.002, attempts=2
        )
        async with app.run_test(size=(160, 40)) as pilot:
            await settle(pilot)
            assert "Jobs could not be loaded" in screen_text(app)
            notices = [n.message for n in app._notifications]
            assert any(shown in notice for notice in notices)
            await pilot.press("r")  # still alive: a reload is tried and fails the same way
            await settle(pilot)
            assert app.is_running
