"""A program in a pseudo-terminal, as an SSH session would carry it: bytes out counted, screen decoded.

pyte decodes what the program writes, so a bench can wait until something is on screen rather
than sleeping a guessed time.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable, Sequence

import pyte

KEYS = {
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "home": b"\x1b[H",
    "end": b"\x1b[F",
    "enter": b"\r",
    "escape": b"\x1b",
}


def child_env() -> dict[str, str]:
    """What an SSH login hands a program: TERM, but no COLORTERM and none of our overrides."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "COLORTERM", "NO_COLOR", "PYTEST", "COLUMNS", "LINES"))
    }
    env["TERM"] = "xterm-256color"
    return env


class Terminal:
    def __init__(
        self,
        argv: Sequence[str],
        cols: int,
        rows: int,
        env: dict[str, str] | None = None,
        silence: float = 0.3,
    ) -> None:
        self.silence = silence
        """Seconds without output that end the answer to a key."""
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env or child_env(),
            start_new_session=True,  # the pty becomes its controlling terminal, as over SSH
        )
        os.close(slave)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.total = 0

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def read(self, seconds: float) -> int:
        """Bytes written within ``seconds`` (the screen is kept up to date)."""
        count = 0
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            count += self._read_once(left)
        return count

    def quiet(self, silence: float | None = None, limit: float = 30.0) -> int:
        """Bytes written until ``silence`` seconds pass with nothing written."""
        silence = self.silence if silence is None else silence
        count = 0
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            got = self._read_once(silence)
            if not got:
                break
            count += got
        return count

    def wait_for(self, shown: Callable[[str], bool], limit: float = 30.0) -> None:
        deadline = time.monotonic() + limit
        while not shown(self.text()):
            if time.monotonic() > deadline:
                raise TimeoutError("never shown; the screen is:\n" + self.text())
            self._read_once(0.1)

    def press(self, key: str) -> int:
        """Bytes the program writes in answer to one key."""
        self.quiet()  # nothing left over from before is counted
        os.write(self.master, KEYS.get(key, key.encode()))
        return self.quiet()

    def _read_once(self, timeout: float) -> int:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return 0
        try:
            data = os.read(self.master, 65536)
        except OSError:  # the program has exited: the pty is closed
            time.sleep(timeout)
            return 0
        self.total += len(data)
        self.stream.feed(data)
        return len(data)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        os.close(self.master)
