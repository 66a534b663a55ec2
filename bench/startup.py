"""Start-up, against a minimal Textual app with one DataTable, in one run.

Each measure starts a fresh Python process (imports included) running headless at 80x24, the way
`sptui` starts (``console.build_app``: the quick read of config.toml, the store, the first frame;
the desk is built after it), and notes when frames are painted:

  (a) the first frame;
  (b) the first page of rows, from a warm job store of 10,000 jobs (a profile whose Amazon is
      not even reachable: nothing of the network comes before these rows);
  (c) the first page of rows on a cold start with no store: the demo. Its world is built and
      its first page stored by a process of its own, started before Textual loads
      (desk/demo_backend.py); the console paints the rows as they land, while it loads its
      client after the first frame.

The minimal app holds one DataTable with 20 rows; its first frame is its first page. Runs
alternate, medians are compared. Targets: (b) <= 1.3x, (c) <= 2.0x the minimal app.

Run: python bench/startup.py   (SPTUI_BENCH_RUNS=N, default 7)
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("SPTUI_BENCH_RUNS", "7"))
STORED = int(os.environ.get("SPTUI_BENCH_STORED", "10000"))
ENDPOINT_CLIENT = "amzn1.application-oa2-client.bench"


def minimal() -> None:
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
            now = time.time()
            print(json.dumps({"frame": now, "rows": now}), flush=True)
            self.exit()

    Minimal().run(headless=True, size=(80, 24))


def sptui(argv: list[str]) -> None:
    """Start as `sptui` does; print when the first frame and the first rows were painted."""
    from sptui.cli.parser import build_parser
    from sptui.console import build_app

    app = build_app(build_parser().parse_args(argv))
    assert not isinstance(app, int), "the config did not open"
    seen: dict[str, float] = {}
    display = app._display

    def spy(screen: object, update: object) -> None:
        display(screen, update)  # type: ignore[arg-type]
        if type(screen).__name__ != "JobsScreen":
            return
        now = time.time()
        seen.setdefault("frame", now)
        if screen.table.rows and "rows" not in seen:  # type: ignore[attr-defined]
            seen["rows"] = now
            print(json.dumps(seen), flush=True)
            app.exit()

    app._display = spy  # type: ignore[method-assign]
    app.run(headless=True, size=(80, 24))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again on leaving: nothing listens there


def warm_profile(root: Path) -> tuple[Path, dict[str, str]]:
    """A config with one profile and its store holding STORED jobs; the environment to run in."""
    from datetime import UTC, datetime

    from sptui.desk.store import open_store, store_path
    from sptui.desk.store.account import account_key
    from sptui.desk.store.rows import row_of
    from sptui.simulator.seed import build_world

    endpoint = f"http://127.0.0.1:{closed_port()}"
    config = root / "config.toml"
    config.write_text(
        "[profiles.bench]\n"
        'marketplace_id = "ATVPDKIKX0DER"\n'
        f'endpoint = "{endpoint}"\n'
        f'client_id = "{ENDPOINT_CLIENT}"\n'
    )
    env = {
        **os.environ,
        "HOME": str(root),
        "XDG_STATE_HOME": str(root / "state"),
        "XDG_CONFIG_HOME": str(root / "config"),
        "SPTUI_BENCH_CLIENT_SECRET": "bench-secret",
        "SPTUI_BENCH_REFRESH_TOKEN": "bench-refresh",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    os.environ["XDG_STATE_HOME"] = env["XDG_STATE_HOME"]
    now = datetime.now(UTC)
    world = build_world(1, STORED, marketplaces=("ATVPDKIKX0DER",))
    path = store_path("bench", account_key(endpoint, "ATVPDKIKX0DER", ENDPOINT_CLIENT))
    with open_store(path) as store:
        rows = [row_of(r.job, now) for r in world.jobs.values()]
        store.upsert_rows(rows, fetched_at=now)
        store.mark_synced(now, full=True, window_days=90)
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return config, env


def measure(kind: str, argv: list[str], env: dict[str, str]) -> dict[str, float]:
    started = time.time()
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, *argv],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    seen = json.loads(out.strip().splitlines()[-1])
    return {k: v - started for k, v in seen.items()}


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="sptui-bench-startup-") as folder:
        root = Path(folder)
        config, env = warm_profile(root)
        empty = root / "empty.toml"  # no profile at all: the demo
        empty.write_text("")
        bare, warm, cold = [], [], []
        for _ in range(RUNS):
            bare.append(measure("minimal", [], env))
            warm.append(measure("sptui", ["--config", str(config)], env))
            cold.append(measure("sptui", ["--config", str(empty), "--demo"], env))

    def med(runs: list[dict[str, float]], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    base = med(bare, "rows")
    lines = [
        f"start-up (median of {RUNS} fresh processes, headless 80x24; times from process start)",
        f"  minimal DataTable app, first frame (= its first page)   {base * 1000:6.0f} ms",
        f"  sptui, warm store of {STORED:,} jobs:",
        f"    (a) first frame                                       {med(warm, 'frame') * 1000:6.0f} ms   {med(warm, 'frame') / base:5.2f}x",
        f"    (b) first page of rows                                {med(warm, 'rows') * 1000:6.0f} ms   {med(warm, 'rows') / base:5.2f}x   (target <= 1.3x)",
        "  sptui --demo, cold (no store yet: the world and its fill in a process of their own):",
        f"    (a) first frame                                       {med(cold, 'frame') * 1000:6.0f} ms   {med(cold, 'frame') / base:5.2f}x",
        f"    (c) first page of rows                                {med(cold, 'rows') * 1000:6.0f} ms   {med(cold, 'rows') / base:5.2f}x   (target <= 2.0x)",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        if sys.argv[2] == "minimal":
            minimal()
        else:
            sptui(sys.argv[3:])
    else:
        main()
