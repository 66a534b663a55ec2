"""The quick benchmarks still run (figures are not judged here: machines are shared and noisy)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def run_bench(script: str, **env: str) -> str:
    return subprocess.run(
        [sys.executable, str(BENCH / script)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        check=True,
    ).stdout


def test_startup_bench_runs_and_prints_its_figures() -> None:
    out = run_bench("startup.py", SPTUI_BENCH_RUNS="1", SPTUI_BENCH_STORED="500")
    assert "(b) first page of rows" in out and "(c) first page of rows" in out


def test_capacity_grid_bench_runs_and_prints_its_figures() -> None:
    out = run_bench("capacity_grid.py")
    assert "4,320 cells with data" in out and "cursor move" in out


def test_faults_bench_runs_and_loses_nothing() -> None:
    out = run_bench("faults.py", SPTUI_BENCH_SMALL="1")
    assert "untyped exceptions           0" in out
    assert "every job exactly once: True; exactly one appointment per booked job: True" in out


def test_cli_bench_runs_and_walks_every_job() -> None:
    out = run_bench("cli.py", SPTUI_BENCH_RUNS="1")
    assert "sptui jobs show ID -o json" in out and "lines written                  2,000" in out


def test_ssh_bytes_bench_runs_and_prints_its_figures() -> None:
    out = run_bench(
        "ssh_bytes.py",
        SPTUI_BENCH_SIZES="80x24",
        SPTUI_BENCH_IDLE="0.2",
        SPTUI_BENCH_SILENCE="0.1",  # quick and rough: the figures are not judged here
    )
    assert "bytes written per key at 80x24" in out
    assert "cursor down" in out and "grid right" in out and "idle 0.2 s" in out


def test_store_fill_bench_runs_and_fills_every_store() -> None:
    out = run_bench("listing.py", SPTUI_BENCH_SMALL="1")
    assert out.count("one page chain") == 2 and out.count("sliced walk") == 2


def test_store_resync_bench_runs_and_reports_every_change() -> None:
    out = run_bench("resync.py", SPTUI_BENCH_SMALL="1")
    assert "(all 50: True)" in out and "getServiceJobs calls" in out


def test_store_search_bench_runs_and_both_ways_narrow_alike() -> None:
    out = run_bench("store_search.py", SPTUI_BENCH_SMALL="1")
    assert "instr (chosen)" in out and "FTS5 trigram" in out


def test_board_bench_runs_and_draws_the_board_before_any_call() -> None:
    out = run_bench("board.py", SPTUI_BENCH_SMALL="1")
    assert "board at 80x24 (a day: 200 appointments on 50 technicians" in out
    assert "API calls before it     none" in out
    assert "cursor key" in out and "moving a block" in out


def test_big_table_bench_runs_on_a_store() -> None:
    out = run_bench("big_table.py", SPTUI_BENCH_SMALL="1")
    assert "on a store of 10,000 jobs" in out and "'/' keystroke" in out
