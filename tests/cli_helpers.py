"""Running `sptui` as a script would: a child process with its own home, config and state.

Every command test can use these: ``Sptui(home)`` runs ``python -m sptui ...`` with ``HOME``,
``SPTUI_CONFIG`` and the XDG directories pointed under ``home`` (so nothing of the machine's own
config, keyring or journal is read or written), standard input piped (so sptui cannot ask, as
from cron), and its own session (so a stray signal to the test's group never reaches it).
``served_simulator`` runs ``sptui simulator`` on a free loopback port and ``add_profile`` makes a
profile for it with the line the simulator prints.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from jsonschema import Draft4Validator

from sptui.simulator import SimConfig
from sptui.simulator.server import free_port, profile_add_line, spawn
from sptui.spapi.sandbox import model_document


@dataclass(frozen=True)
class Ran:
    """What one run of sptui did."""

    code: int
    out: str
    err: str

    def lines(self) -> list[Any]:
        """stdout as JSON lines."""
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]

    def json(self) -> Any:
        return json.loads(self.out)

    def __str__(self) -> str:  # what an assertion shows
        return f"exit {self.code}\n--- stdout\n{self.out}--- stderr\n{self.err}"


@dataclass(frozen=True)
class Sptui:
    home: Path

    @property
    def config(self) -> Path:
        return self.home / "config" / "config.toml"

    @property
    def state(self) -> Path:
        return self.home / "state"

    @property
    def journal_file(self) -> Path:
        return self.state / "sptui" / "journal.jsonl"

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SPTUI_", "XDG_")) and k not in ("HOME", "COLUMNS", "LINES")
        }
        env.update(
            HOME=str(self.home),
            SPTUI_CONFIG=str(self.config),
            XDG_CONFIG_HOME=str(self.home / "config-home"),
            XDG_STATE_HOME=str(self.state),
            XDG_DATA_HOME=str(self.home / "data"),
            XDG_CACHE_HOME=str(self.home / "cache"),
            NO_COLOR="1",
            PYTHONIOENCODING="utf-8",
        )
        env.update(extra)
        return env

    def __call__(
        self, *argv: str, stdin: str | None = None, timeout: float = 60, **env: str
    ) -> Ran:
        done = subprocess.run(
            [sys.executable, "-m", "sptui", *argv],
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=self.env(**env),
            cwd=self.home,
            timeout=timeout,
            start_new_session=True,
            check=False,
        )
        return Ran(done.returncode, done.stdout, done.stderr)

    def journal_bytes(self) -> bytes:
        """The journal file as it is on disk (quicker than a run, for "nothing changed")."""
        return self.journal_file.read_bytes() if self.journal_file.exists() else b""

    def journal(self) -> list[dict[str, Any]]:
        """The journal as ``sptui journal -o jsonl`` prints it."""
        ran = self("journal", "-o", "jsonl")
        assert ran.code == 0, ran
        return ran.lines()


@contextmanager
def served_simulator(*options: str) -> Iterator[str]:
    """`sptui simulator` on 127.0.0.1 in a child process; yields its base URL."""
    port = free_port()
    process = spawn(port, *options)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def add_profile(cli: Sptui, base: str, name: str = "sim", *extra: str) -> Ran:
    """`sptui profile add` as `sptui simulator` prints it (its demo secrets come from `echo`),
    under ``name``, with ``extra`` options (``--time-zone``, say)."""
    config = SimConfig()
    line = profile_add_line(base, config.client_id, config.client_secret, config.refresh_token)
    argv = shlex.split(line)[1:]  # without the leading "sptui"
    argv[argv.index("sim")] = name
    ran = cli(*argv, *extra)
    assert ran.code == 0, ran
    return ran


def health(base: str) -> dict[str, Any]:
    """The simulator's own counts: jobs, technicians, reservations, API requests served."""
    answer = httpx.get(f"{base}/_sim/health", timeout=5)
    answer.raise_for_status()
    return dict(answer.json())


_MODEL = model_document()


def definition(name: str) -> Draft4Validator:
    """A validator for one of the model's definitions (AppointmentSlot, say)."""
    return Draft4Validator({**_MODEL["definitions"][name], "definitions": _MODEL["definitions"]})


def schema_problems(name: str, document: Any) -> list[str]:
    return [error.message for error in definition(name).iter_errors(document)]


def requests(base: str) -> int:
    return int(health(base)["requests"])


def sends_nothing(cli: Sptui, base: str, argv: list[str], stdin: str | None = None) -> Ran:
    """Run a command and check it reached neither the API nor the journal."""
    before_requests, before_journal = requests(base), cli.journal_bytes()
    ran = cli(*argv, stdin=stdin)
    assert requests(base) == before_requests, ran
    assert cli.journal_bytes() == before_journal, ran
    return ran


def writes_nothing(cli: Sptui, argv: list[str], stdin: str | None = None) -> Ran:
    """Run a write that must stop before sending: it may read (its preview does), but the
    journal, where every write is recorded before it goes out, must not change."""
    before = cli.journal_bytes()
    ran = cli(*argv, stdin=stdin)
    assert cli.journal_bytes() == before, ran
    return ran
