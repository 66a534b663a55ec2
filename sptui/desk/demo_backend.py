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
from dataclasses import dataclass, field
from pathlib import Path

FILLED = "filled"
"""The line the child writes once its fill is stored and marked synced."""


@dataclass
class DemoBackend:
    process: subprocess.Popen[bytes]
    url: str
    """http://127.0.0.1:<port>, listening from the start (requests wait for the child)."""
    store_path: Path
    """The temporary job store the child fills."""
    seed: int
    jobs: int
    outcome: str | None = None
    """After the fill: None if it was stored, else what went wrong, in words."""
    _done: threading.Event = field(default_factory=threading.Event, repr=False)

    def __post_init__(self) -> None:
        threading.Thread(target=self._hear, name="sptui-demo-fill", daemon=True).start()

    def _hear(self) -> None:
        line = b""
        if self.process.stdout is not None:
            with contextlib.suppress(OSError, ValueError):
                line = self.process.stdout.readline()
        said = line.decode("utf-8", "replace").strip()
        if said != FILLED:
            self.outcome = said.removeprefix("failed: ") or self._stopped()
        self._done.set()

    def _stopped(self) -> str:
        """Why the child said nothing: its exit status and the last line it wrote on stderr."""
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "the demo world's process did not answer"
        last = ""
        with contextlib.suppress(OSError):
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
            last = f": {lines[-1]}" if lines else ""
        return f"the demo world's process stopped (exit status {code}){last}"

    @property
    def log_path(self) -> Path:
        """The child's stderr, beside the store it fills (and removed with it)."""
        return log_path(self.store_path)

    @property
    def filling(self) -> bool:
        """The child is still filling the store (another process writes to it)."""
        return not self._done.is_set()

    async def filled(self) -> str | None:
        """Wait for the fill; None when it was stored, else what went wrong."""
        import asyncio  # loaded by then; not before the child is started

        await asyncio.to_thread(self._done.wait)
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
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            with contextlib.suppress(OSError):
                self.process.stdout.close()


def log_path(store_path: Path) -> Path:
    return store_path.parent / "demo-world.log"


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def start_backend(
    store_path: Path,
    *,
    jobs: int = 200,
    seed: int = 1,
    window_days: int = 90,
    keep_closed_days: int = 90,
) -> DemoBackend | None:
    """Start the demo world's process, filling ``store_path``; None when the demo is better
    kept in-process (one core) or the process cannot be started."""
    if cores() < 2:
        return None
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    log = None
    try:
        log = os.fdopen(os.open(log_path(store_path), os.O_WRONLY | os.O_CREAT, 0o600), "wb")
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        port = listener.getsockname()[1]
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
            stdout=subprocess.PIPE,  # where it says the fill is done
            stderr=log,
            pass_fds=(listener.fileno(),),
            start_new_session=True,  # the terminal's ctrl+c and ctrl+z are the console's alone
        )
    except OSError:
        return None
    finally:
        listener.close()  # the child holds it now: if it dies, connections are refused
        if log is not None:
            log.close()
    # The console removes the store's folder when it closes the store; if it never opened it
    # (a config problem found first), the folder goes when the process ends.
    atexit.register(shutil.rmtree, store_path.parent, ignore_errors=True)
    return DemoBackend(process, f"http://127.0.0.1:{port}", store_path, seed, jobs)
