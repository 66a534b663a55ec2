"""Bytes written to the terminal per keypress: what an SSH link carries, against Textual's DataTable.

`sptui --demo` and `bare_datatable.py` (Textual's DataTable holding the same columns and rows)
each run in a pseudo-terminal (TERM=xterm-256color, no COLORTERM, as over SSH) at 80x24 and
160x48. Once the first page is drawn and the output has been quiet, each key is sent alone and
the bytes written until 300 ms of silence are counted: cursor down, up, page down twice (sptui's
first only moves the cursor to the bottom of the page, DataTable's scrolls); in sptui also `/`
(opens the narrowing box), `w` typed into it (narrows the rows), and on a technician's capacity
grid (`R`, `enter`) a move down and right; and 10 s with nothing to do, the jobs list in front.
Targets: a cursor move <= 1.2x the DataTable's bytes; idle 0 B.

Run: python bench/ssh_bytes.py
(SPTUI_BENCH_IDLE=seconds of idle, SPTUI_BENCH_SIZES=80x24,160x48, SPTUI_BENCH_JOBS=demo jobs,
SPTUI_BENCH_SILENCE=seconds of silence that end a key's answer; shorter is quicker, less exact)
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from _pty import Terminal, child_env

HERE = Path(__file__).resolve().parent
IDLE = float(os.environ.get("SPTUI_BENCH_IDLE", "10"))
SIZES = [
    tuple(int(n) for n in size.split("x"))
    for size in os.environ.get("SPTUI_BENCH_SIZES", "80x24,160x48").split(",")
]
JOBS = os.environ.get("SPTUI_BENCH_JOBS", "200")
SILENCE = float(os.environ.get("SPTUI_BENCH_SILENCE", "0.3"))
"""Seconds without output that end the answer to a key."""
SETTLE = 3 * SILENCE + 0.1
"""Seconds of silence taken as a settled screen (first pages loaded, the heap frozen): 1 s at
the default silence."""

Figures = dict[str, int]


def isolated_env(home: str) -> dict[str, str]:
    """No user config, journal or keyring reaches the measured console."""
    env = child_env()
    env.update(
        SPTUI_CONFIG=str(Path(home) / "config.toml"),
        XDG_CONFIG_HOME=home,
        XDG_STATE_HOME=home,
        XDG_DATA_HOME=home,
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    return env


def idle(term: Terminal) -> int:
    term.quiet(SETTLE)
    return term.read(IDLE)


def moves(term: Terminal) -> Figures:
    """Cursor keys from the first row; the second page down scrolls in both tables.

    `end` then `home` first: sptui then has the rows two page downs reach (the DataTable holds
    every row), so this is what a page down costs, not what fetching the next page does.
    """
    term.press("end")
    term.press("home")
    figures = {key: term.press(key) for key in ("down", "up", "pagedown")}
    figures["pagedown again"] = term.press("pagedown")
    term.press("home")
    return figures


def measure_sptui(cols: int, rows: int, env: dict[str, str]) -> Figures:
    argv = [sys.executable, "-m", "sptui", "--demo", "--demo-jobs", JOBS]
    term = Terminal(argv, cols, rows, env, SILENCE)
    try:
        # the demo's store filled and synced: "200 jobs · 12:00, just now"
        term.wait_for(lambda s: " jobs · " in s and "filling" not in s and "syncing" not in s)
        term.quiet(SETTLE)
        figures = moves(term)
        figures["idle"] = idle(term)
        figures["/"] = term.press("/")
        figures["typed"] = term.press("w")
        term.press("escape")
        term.press("R")
        term.wait_for(lambda s: "Technicians" in s and " known" in s)
        term.press("enter")
        term.wait_for(lambda s: " · reserved " in s or "no capacity reported" in s)
        term.quiet(SETTLE)
        figures["grid down"] = term.press("down")
        figures["grid right"] = term.press("right")
        return figures
    finally:
        term.close()


def measure_datatable(cols: int, rows: int, env: dict[str, str]) -> Figures:
    argv = [sys.executable, str(HERE / "bare_datatable.py"), JOBS]
    term = Terminal(argv, cols, rows, env, SILENCE)
    try:
        term.wait_for(lambda s: "Status" in s and "Scheduled" in s)
        term.quiet(SETTLE)
        figures = moves(term)
        figures["idle"] = idle(term)
        return figures
    finally:
        term.close()


ROWS = [
    # (label, sptui figure, DataTable figure it is compared with)
    ("cursor down", "down", "down"),
    ("cursor up", "up", "up"),
    ("page down", "pagedown", "pagedown"),
    ("page down again", "pagedown again", "pagedown again"),
    ("'/' opens narrowing", "/", None),
    ("then 'w' typed", "typed", None),
    ("grid down (vs down)", "grid down", "down"),
    ("grid right (vs down)", "grid right", "down"),
    ("idle", "idle", "idle"),
]


def table(cols: int, rows: int, ours: Figures, theirs: Figures) -> str:
    lines = [
        f"bytes written per key at {cols}x{rows}",
        f"  {'action':<22} {'sptui':>8} {'DataTable':>10} {'ratio':>7}",
    ]
    for label, mine, other in ROWS:
        base = theirs[other] if other else None
        shown = f"{base:,}" if base is not None else "-"
        ratio = f"{ours[mine] / base:.2f}" if base else "-"
        name = f"idle {IDLE:g} s" if mine == "idle" else label
        lines.append(f"  {name:<22} {ours[mine]:>8,} {shown:>10} {ratio:>7}")
    return "\n".join(lines)


def main() -> None:
    print(
        f"sptui --demo ({JOBS} jobs) and a bare DataTable, each in a pty, TERM=xterm-256color",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as home:
        env = isolated_env(home)
        for cols, rows in SIZES:
            theirs = measure_datatable(cols, rows, env)
            ours = measure_sptui(cols, rows, env)
            print(table(cols, rows, ours, theirs), flush=True)
    print("  targets: cursor moves <= 1.2x the DataTable's bytes; idle 0 B")


if __name__ == "__main__":
    main()
