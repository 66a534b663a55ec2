"""Time from process start to the first rendered page of demo jobs, against a minimal Textual app.

Each measure starts a fresh Python process (imports included) running headless, and stops the
clock when the first page of rows has been painted. The minimal app holds one DataTable with 20
rows. Both run alternately, several times, in the same run; medians are compared.
Target: sptui / minimal <= 1.5.

Run: python bench/startup.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

RUNS = int(os.environ.get("SPTUI_BENCH_RUNS", "7"))


def child(kind: str) -> None:
    """Runs in the measured process: build the app, paint the first page, print when, exit."""
    if kind == "minimal":
        from textual.app import App, ComposeResult
        from textual.widgets import DataTable

        class Minimal(App[None]):
            def compose(self) -> ComposeResult:
                yield DataTable()

            def on_mount(self) -> None:
                table = self.query_one(DataTable)
                table.add_columns("Status", "Scheduled", "Service", "Technician", "Job ID")
                table.add_rows(
                    [("Scheduled", "12-01 10:00", "TV mounting", "Alex", str(n)) for n in range(20)]
                )
                self.call_after_refresh(self.done)

            def done(self) -> None:
                print(time.time(), flush=True)
                self.exit()

        Minimal().run(headless=True, size=(80, 24))
        return

    from sptui.desk.demo import demo_session
    from sptui.tui.app import SptuiApp
    from sptui.tui.screens.jobs import JobsScreen

    session, _ = demo_session()
    app = SptuiApp(session)
    shown = JobsScreen._show_status  # runs after every page the screen takes in

    def first_page(screen: JobsScreen) -> None:
        shown(screen)
        if screen.table.rows and not getattr(app, "_timed", False):
            app._timed = True  # type: ignore[attr-defined]
            app.call_after_refresh(lambda: (print(time.time(), flush=True), app.exit()))

    JobsScreen._show_status = first_page  # type: ignore[method-assign]
    app.run(headless=True, size=(80, 24))


def measure(kind: str) -> float:
    started = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind], capture_output=True, text=True, check=True
    ).stdout
    return float(out.strip().splitlines()[-1]) - started


def main() -> None:
    sptui, minimal = [], []
    for _ in range(RUNS):
        minimal.append(measure("minimal"))
        sptui.append(measure("sptui"))
    a, b = statistics.median(sptui), statistics.median(minimal)
    print(f"startup to first rendered page (median of {RUNS} fresh processes, headless 80x24)")
    print(f"  sptui demo jobs        {a * 1000:7.0f} ms   (min {min(sptui) * 1000:.0f})")
    print(f"  minimal DataTable app  {b * 1000:7.0f} ms   (min {min(minimal) * 1000:.0f})")
    print(f"  ratio                  {a / b:7.2f}     (target <= 1.5)")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
