"""Where a command reads and writes: data to stdout, everything else to stderr.

Commands take an ``IO`` rather than touching ``sys`` so that tests run them without a terminal,
and so that "can this command ask?" has one answer: only when both stdin and stderr are a
terminal. Piped or from cron, a write needs ``--yes``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from sptui.desk.text import clean


def _ask_on_terminal(question: str) -> str:
    print(question, end=" ", file=sys.stderr, flush=True)
    try:
        return input()
    except EOFError:
        return ""


@dataclass
class IO:
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    inp: TextIO = field(default_factory=lambda: sys.stdin)
    can_prompt: bool = False
    ask: Callable[[str], str] = _ask_on_terminal

    @property
    def out_is_terminal(self) -> bool:
        return bool(getattr(self.out, "isatty", lambda: False)())

    def confirm(self, question: str) -> bool:
        """Ask a yes/no question on the terminal; anything but yes is no."""
        return self.ask(f"{question} [y/N]").strip().lower() in ("y", "yes")

    def say(self, text: str) -> None:
        """Lines for the person at the terminal (stderr): never mixed into the data, and
        cleaned of escape sequences, since they quote ids and messages from the API."""
        for line in text.split("\n"):
            print(clean(line), file=self.err, flush=True)

    def read_ids(self, given: list[str]) -> list[str]:
        """IDs as given, where ``-`` stands for whitespace-separated ids on standard input."""
        ids: list[str] = []
        for item in given:
            if item == "-":
                ids.extend(self.inp.read().split())
            else:
                ids.append(item)
        return list(dict.fromkeys(ids))


def terminal_io() -> IO:
    interactive = sys.stdin.isatty() and sys.stderr.isatty()
    return IO(can_prompt=interactive)
