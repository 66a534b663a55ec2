"""The quick benchmarks still run (figures are not judged here: machines are shared and noisy)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_startup_bench_runs_and_prints_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "startup.py")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SPTUI_BENCH_RUNS": "1"},
        check=True,
    )
    assert "sptui demo jobs" in done.stdout and "ratio" in done.stdout


def test_capacity_grid_bench_runs_and_prints_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "capacity_grid.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "4,320 cells with data" in done.stdout and "cursor move" in done.stdout
