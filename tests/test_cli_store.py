"""`sptui store info | sync | clear` as a user runs them: subprocesses against `sptui simulator`."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sptui.cli.parser import build_parser
from sptui.simulator.server import free_port, spawn

PROFILE = """
[profiles.sim]
endpoint = "{base}"
marketplace_id = "ATVPDKIKX0DER"
client_id = "sptui-demo"
client_secret_command = "echo sptui-demo-secret"
refresh_token_command = "echo sptui-demo-refresh"

[profiles.revoked]
endpoint = "{base}"
marketplace_id = "ATVPDKIKX0DER"
client_id = "sptui-demo"
client_secret_command = "echo sptui-demo-secret"
refresh_token_command = "echo a-revoked-refresh-token"
"""


class Sptui:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {
            **os.environ,
            "HOME": str(home),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "SPTUI_CONFIG": str(home / "config.toml"),
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
        }

    def __call__(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sptui", *argv],
            capture_output=True,
            text=True,
            env=self.env,
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )


@pytest.fixture
def simulator() -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    process = spawn(port, "--jobs", "150", "--marketplace", "ATVPDKIKX0DER", "--seed", "4")
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_store_info_sync_and_clear_against_the_simulator(
    tmp_path: Path, simulator: tuple[str, subprocess.Popen[bytes]]
) -> None:
    base, process = simulator
    config = tmp_path / "config.toml"
    config.write_text(PROFILE.format(base=base))
    config.chmod(0o600)
    sptui = Sptui(tmp_path)

    before = sptui("store", "info", "--profile", "sim")
    assert before.returncode == 0, before.stderr
    assert "no store yet" in before.stdout and "never" in before.stdout

    filled = sptui("store", "sync", "--profile", "sim", "-o", "jsonl")
    assert filled.returncode == 0, filled.stderr
    assert filled.stdout == ""  # a first fill reports nothing as new: everything is
    assert "first fill: 150 jobs stored" in filled.stderr

    info = json.loads(sptui("store", "info", "--profile", "sim", "-o", "json").stdout)
    path = Path(info["path"])
    assert info["jobs"] == 150 and info["last_sync"] and info["last_full_refresh"]
    assert path.parent == tmp_path / "state" / "sptui" / "stores"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    # Another command changes a job on the server; the next sync reports it, and only it.
    job = sptui("jobs", "list", "--profile", "sim", "--status", "PENDING_SCHEDULE", "-o", "ids")
    job_id = job.stdout.split()[0]
    cancel = sptui("jobs", "cancel", job_id, "--reason", "V1", "--yes", "--profile", "sim")
    assert cancel.returncode == 0, cancel.stderr
    changed = sptui("store", "sync", "--profile", "sim", "-o", "jsonl")
    assert changed.returncode == 0, changed.stderr
    assert [json.loads(line) for line in changed.stdout.splitlines()] == [
        {"serviceJobId": job_id, "change": "changed"}
    ]
    assert "sync: 150 jobs stored; 0 new, 1 changed, 0 removed; 1 call" in changed.stderr

    revoked = sptui("store", "sync", "--profile", "revoked")
    assert revoked.returncode == 3, revoked.stderr

    refused = sptui("store", "clear", "--profile", "sim")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert (
        json.loads(sptui("store", "info", "--profile", "sim", "-o", "json").stdout)["jobs"] == 150
    )

    # Offline: the store still answers, and a sync fails without touching it.
    process.terminate()
    process.wait(timeout=10)
    offline = sptui("store", "sync", "--profile", "sim")
    # (the login is the first call to fail, and sptui words that as an authentication failure)
    assert offline.returncode == 3 and "could not reach" in offline.stderr
    info = json.loads(sptui("store", "info", "--profile", "sim", "-o", "json").stdout)
    assert info["jobs"] == 150

    cleared = sptui("store", "clear", "--profile", "sim", "--yes")
    assert cleared.returncode == 0 and "150 jobs" in cleared.stderr
    after = json.loads(sptui("store", "info", "--profile", "sim", "-o", "json").stdout)
    assert after["jobs"] == 0 and after["last_sync"] is None


def test_the_demo_world_keeps_no_store(tmp_path: Path) -> None:
    sptui = Sptui(tmp_path)
    for verb in ("info", "clear"):
        done = sptui("store", verb, "--demo")
        assert done.returncode == 0 and "temporary" in done.stderr
    synced = sptui("--demo-jobs", "30", "store", "sync", "--demo")
    assert synced.returncode == 0, synced.stderr
    assert "first fill" in synced.stderr
    assert not (tmp_path / "state").exists()


def test_store_flags_reach_the_handlers() -> None:
    args = build_parser().parse_args(["store", "sync", "--full", "-o", "ids", "--profile", "x"])
    assert args.handler == "sptui.cli.store:sync_command"
    assert (args.full, args.output, args.profile) == (True, "ids", "x")
    args = build_parser().parse_args(["store", "clear", "--yes"])
    assert (args.handler, args.yes) == ("sptui.cli.store:clear", True)
    args = build_parser().parse_args(["store", "info", "-o", "json"])
    assert (args.handler, args.output) == ("sptui.cli.store:info", "json")


def test_the_store_command_loads_neither_textual_nor_rich() -> None:
    probe = (
        "import sys, sptui.cli.store\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
