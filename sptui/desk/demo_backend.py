"""The built-in demo world in a process of its own, for the console.

A cold demo start used to do everything on the console's one thread after its first frame:
load pydantic, the API client and its models, the simulator and Starlette, build the world,
then walk it into the job store; about 0.3 s before the first row. Python runs one thread at a
time, so a thread would not help; a child process does, on a second core. The console starts it
before it loads anything else (Textual included). The child (``demo_child``) builds the world,
fills the console's temporary job store through the same sync a console runs (so the first rows
are on screen as soon as they are stored, while the console is still loading its client), and
then serves the world's API on loopback, where the console's desk reaches it as it would
``sptui simulator`` or Amazon.

With one core, or when the child cannot be started, the demo stays in-process as before.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

FILLED = "filled"
"""The line the child writes once its fill is stored and marked synced. Before it, ``alive``
every ``HEARTBEAT_S`` and ``progress <fetched> <expected or ->`` for each page stored; instead of
it, ``failed: <what>``."""

HEARTBEAT_S = 1.0
STALL_S = 10.0
"""A child silent this long while filling has stopped (suspended, or stuck): it is given up."""


class DemoBackend:
    """The demo world's process, and what it has said of its fill so far."""

    def __init__(
        self, process: subprocess.Popen[bytes], url: str, store_path: Path, seed: int, jobs: int
    ) -> None:
        self.process = process
        self.url = url
        """http://127.0.0.1:<port>, listening from the start (requests wait for the child)."""
        self.store_path = store_path
        """The temporary job store the child fills."""
        self.seed = seed
        self.jobs = jobs
        self.outcome: str | None = None
        """After the fill: None if it was stored, else what went wrong, in words."""
        self.progress: tuple[int, int | None] | None = None
        """(jobs fetched, jobs expected) as the child last said."""
        self.heard = time.monotonic()
        self._done = threading.Event()
        threading.Thread(target=self._hear, name="sptui-demo-fill", daemon=True).start()

    def _hear(self) -> None:
        stream = self.process.stdout
        if stream is not None:
            with contextlib.suppress(OSError, ValueError):
                for raw in iter(stream.readline, b""):
                    self._heard(raw.decode("utf-8", "replace").strip())
        if not self._done.is_set():
            self._finish(self._stopped())

    def _heard(self, said: str) -> None:
        self.heard = time.monotonic()
        if said == FILLED:
            self._finish(None)
        elif said.startswith("failed: "):
            self._finish(f"could not fill the store ({said.removeprefix('failed: ')})")
        elif said.startswith("progress "):
            fetched, expected = [*said.split(), "-", "-"][1:3]
            with contextlib.suppress(ValueError):
                self.progress = (int(fetched), None if expected == "-" else int(expected))

    def _finish(self, outcome: str | None) -> None:
        if not self._done.is_set():
            self.outcome = outcome
            self._done.set()

    def _stopped(self) -> str:
        """Why the child said nothing more: its exit status and the last line of its stderr."""
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "stopped answering"
        last = ""
        with contextlib.suppress(OSError):
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
            last = f": {lines[-1]}" if lines else ""  # the error a traceback ends on
        return f"stopped (exit status {code}{last})"

    @property
    def log_path(self) -> Path:
        """The child's stderr, beside the store it fills (and removed with it)."""
        return log_path(self.store_path)

    @property
    def filling(self) -> bool:
        """The child is still filling the store (another process writes to it)."""
        return not self._done.is_set()

    async def filled(self) -> str | None:
        """Wait for the fill; None when it was stored, else what went wrong. A child that says
        nothing for ``STALL_S`` is given up (a stopped process would be waited for forever)."""
        import asyncio  # loaded by then; not before the child is started

        while not self._done.is_set():
            await asyncio.to_thread(self._done.wait, 0.5)
            if time.monotonic() - self.heard > STALL_S:
                self._finish(f"stopped answering ({STALL_S:.0f} s without a word)")
        return self.outcome

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """End the child now (its world goes with it); safe to call twice."""
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()  # the child leaves when its stdin ends
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.process.kill()  # a stopped process never sees SIGTERM
                self.process.wait()


def log_path(store_path: Path) -> Path:
    return store_path.parent / "demo-world.log"


def cores() -> int:
    """The cores this process may use: its affinity, within a container's CPU quota."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        count = os.cpu_count() or 1
    quota = _cgroup_quota()
    return min(count, quota) if quota is not None else count


def _cgroup_quota() -> int | None:
    try:
        return quota_of(Path("/sys/fs/cgroup/cpu.max").read_text())
    except OSError:
        return None


def quota_of(cpu_max: str) -> int | None:
    """Whole CPUs a cgroup v2 ``cpu.max`` allows ("150000 100000" is 1.5, so 1); None: no
    quota, or not one this can read."""
    try:
        limit, period = cpu_max.split()[:2]
        return None if limit == "max" else max(1, int(limit) // int(period))
    except ValueError:
        return None


def start_backend(
    store_path: Path,
    *,
    jobs: int = 200,
    seed: int = 1,
    window_days: int = 90,
    keep_closed_days: int = 90,
) -> DemoBackend | None:
    """Start the demo world's process, filling ``store_path`` (in a folder of its own, which
    goes with it); None when the demo is better kept in-process (one core) or the process
    cannot be started."""
    if cores() < 2:
        return None
    listener: socket.socket | None = None
    try:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        port = listener.getsockname()[1]
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW
        with os.fdopen(os.open(log_path(store_path), flags, 0o600), "wb") as log:
            process = subprocess.Popen(  # noqa: S603 (our own module, by the running interpreter)
                [
                    sys.executable,
                    "-m",
                    "sptui.desk.demo_child",
                    f"--fd={listener.fileno()}",
                    f"--store={store_path}",
                    f"--seed={seed}",
                    f"--jobs={jobs}",
                    f"--window-days={window_days}",
                    f"--keep-closed-days={keep_closed_days}",
                ],
                stdin=subprocess.PIPE,  # its lifeline: closed when this process ends
                stdout=subprocess.PIPE,  # what it says of its fill
                stderr=log,
                pass_fds=(listener.fileno(),),
                start_new_session=True,  # the terminal's ctrl+c and ctrl+z are the console's
            )
    except OSError:
        return None
    finally:
        if listener is not None:
            listener.close()  # the child holds it now: if it dies, connections are refused
    backend = DemoBackend(process, f"http://127.0.0.1:{port}", store_path, seed, jobs)
    # At exit, last registered runs first: the child ends before its folder is removed (the
    # console removes it when it closes the store; not if it never opened it).
    atexit.register(shutil.rmtree, store_path.parent, ignore_errors=True)
    atexit.register(backend.stop)
    return backend
