"""The command line's cost: start-up beside `python -c pass`, and a full listing against the plan.

Against `sptui simulator` in its own process (2,000 jobs in one marketplace, Amazon's real
usage plans), with a profile pointed at it, prints in one run:
- wall time of `python -c pass`, `sptui --version` and `sptui jobs show ID -o json`, runs
  interleaved, median of each and the ratios to `python -c pass`;
- `sptui jobs list --all -o jsonl` of every job: wall time, lines written, and the plan's
  bound (ceil(jobs / 20) pages, less the burst of 40, at 10 per second).

Run: python bench/cli.py          (SPTUI_BENCH_RUNS=N, default 7)
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sptui.simulator.server import free_port, profile_add_line, spawn

JOBS, RATE, BURST, PAGE = 2000, 10, 40, 20
RUNS = int(os.environ.get("SPTUI_BENCH_RUNS", "7"))


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    return time.perf_counter() - started, done


def main() -> None:
    port = free_port()
    process = spawn(port, "--jobs", str(JOBS), "--marketplace", "ATVPDKIKX0DER")
    base = f"http://127.0.0.1:{port}"
    sptui = [sys.executable, "-m", "sptui"]
    try:
        with tempfile.TemporaryDirectory() as home:
            env = {
                **os.environ,
                "SPTUI_CONFIG": str(Path(home) / "config.toml"),
                "XDG_STATE_HOME": str(Path(home) / "state"),
                "HOME": home,
            }
            line = profile_add_line(base, "sptui-demo", "sptui-demo-secret", "sptui-demo-refresh")
            add = subprocess.run(
                ["/bin/sh", "-c", line.replace("sptui ", " ".join(sptui) + " ", 1)],
                env=env,
                capture_output=True,
                check=True,
            )
            del add
            _, first = timed([*sptui, "jobs", "list", "--limit", "1", "-o", "ids"], env)
            job_id = first.stdout.decode().strip()
            commands = {
                "python -c pass": [sys.executable, "-c", "pass"],
                "sptui --version": [*sptui, "--version"],
                "sptui jobs show ID -o json": [*sptui, "jobs", "show", job_id, "-o", "json"],
            }
            times: dict[str, list[float]] = {name: [] for name in commands}
            for _ in range(RUNS):
                for name, argv in commands.items():
                    wall, done = timed(argv, env)
                    assert done.returncode == 0, done.stderr.decode()[-300:]
                    times[name].append(wall)
                    time.sleep(1 / 5)  # getServiceJobByServiceJobId: 20/s; never throttled here
            baseline = statistics.median(times["python -c pass"])
            print(f"start-up, median of {RUNS} runs each (interleaved)")
            for name, values in times.items():
                median = statistics.median(values)
                print(
                    f"  {name:<30} {median * 1000:7.1f} ms   x{median / baseline:5.2f} python -c pass"
                )
            time.sleep(BURST / RATE)  # let the listing start from a full burst, as a cron job would
            wall, done = timed([*sptui, "jobs", "list", "--all", "-o", "jsonl"], env)
            lines = done.stdout.count(b"\n")
            bound = max(0.0, (math.ceil(JOBS / PAGE) - BURST) / RATE)
            print(
                f"sptui jobs list --all -o jsonl ({JOBS:,} jobs at the real plan, {RATE}/s burst {BURST})"
            )
            print(f"  {'lines written':<30} {lines:,}")
            print(f"  {'wall time':<30} {wall:7.2f} s")
            print(f"  {'plan bound':<30} {bound:7.2f} s")
            print(f"  {'ratio':<30} {wall / bound:7.2f}")
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
