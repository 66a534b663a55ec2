"""The command line's shape: what it loads, how flags become options, how output is written."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sptui.cli.jobs import list_options, split
from sptui.cli.output import csv_cell, export
from sptui.cli.parser import build_parser

HEAVY = (
    "sptui.spapi",
    "sptui.simulator",
    "sptui.desk",
    "textual",
    "rich",
    "httpx",
    "pydantic",
    "argcomplete",
)


def loaded_after(code: str) -> list[str]:
    probe = (
        f"import sys\n{code}\n"
        "print('\\n'.join(sorted(m for m, module in sys.modules.items()"
        f" if module is not None and m.startswith({HEAVY!r}))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout.split()


def test_building_the_parser_loads_neither_the_api_layer_nor_the_simulator() -> None:
    assert loaded_after("import sptui.main; sptui.main.build_parser()") == []


def test_the_version_answers_without_loading_anything_heavy() -> None:
    code = (
        "import contextlib, io, sptui.main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    sptui.main.main(['--version'])"
    )
    assert loaded_after(code) == []


@pytest.mark.parametrize(
    "module",
    [
        "sptui.cli.jobs",
        "sptui.cli.appointments",
        "sptui.cli.api",
        "sptui.cli.completion",
        "sptui.cli.supply",
        "sptui.cli.journal",
    ],
)
def test_no_command_loads_textual_or_rich(module: str) -> None:
    loaded = loaded_after(f"import {module}")
    assert not [m for m in loaded if m.split(".")[0] in ("textual", "rich")]


def test_list_flags_become_options_by_amazons_names() -> None:
    args = build_parser().parse_args(
        [
            "jobs",
            "list",
            "--status",
            "not_serviced,HOLD",
            "--service-job-status",
            "HOLD",
            "--asin",
            "B0000000AA",
            "--store-ids",
            "s1,s2",
            "--created-after",
            "2026-11-01",
            "--limit",
            "5",
        ]
    )
    options = list_options(args)
    assert options.filters["statuses"] == ("NOT_SERVICED", "HOLD")
    assert options.filters["asins"] == ("B0000000AA",)
    assert options.filters["store_ids"] == ("s1", "s2")
    assert options.filters["created_after"] == "2026-11-01"
    assert options.limit == 5
    assert list_options(build_parser().parse_args(["jobs", "list", "--all"])).limit is None


def test_split_keeps_order_and_drops_repeats() -> None:
    assert split(["a,b", "b", " c ,"]) == ("a", "b", "c")


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\t=x"])
def test_csv_cells_that_a_spreadsheet_would_run_are_defused(text: str) -> None:
    assert csv_cell(text).startswith("'")


def test_table_and_csv_strip_escape_sequences_but_json_keeps_the_value() -> None:
    record = {"id": "J-1\x1b]52;c;aGk=\x07", "status": "HOLD"}
    fields = [("id", lambda r: r["id"]), ("status", lambda r: r["status"])]
    table, sheet, lines = io.StringIO(), io.StringIO(), io.StringIO()
    export(table, [record], fields, "table")
    export(sheet, [record], fields, "csv")
    export(lines, [record], fields, "jsonl")
    assert "\x1b" not in table.getvalue() and "\x1b" not in sheet.getvalue()
    assert json.loads(lines.getvalue())["id"] == record["id"]  # data for jq is left as it is


def test_ids_output_is_one_id_a_line() -> None:
    out = io.StringIO()
    export(out, [{"id": "a"}, {"id": "b"}], [("id", lambda r: r["id"])], "ids")
    assert out.getvalue() == "a\nb\n"


# ---- issue 13 §21: the console only where it can draw ----------------------------------------
def run_sptui(*args: str, tmp: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": tmp,
        "XDG_CONFIG_HOME": f"{tmp}/config",
        "XDG_STATE_HOME": f"{tmp}/state",
    }
    return subprocess.run(
        [sys.executable, "-m", "sptui.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def test_the_console_with_stdout_not_a_terminal_says_so_and_writes_no_escape(
    tmp_path: Path,
) -> None:
    done = run_sptui(tmp=str(tmp_path))
    assert done.returncode == 2
    assert done.stdout == ""  # no escape codes written into a file or a pipe
    assert "needs a terminal" in done.stderr and "sptui --help" in done.stderr
    assert "\x1b" not in done.stderr


def test_dash_V_is_the_version_and_help_says_no_command_opens_the_console(tmp_path: Path) -> None:
    short, long = run_sptui("-V", tmp=str(tmp_path)), run_sptui("--version", tmp=str(tmp_path))
    assert short.returncode == long.returncode == 0
    assert short.stdout == long.stdout and short.stdout.startswith("sptui ")
    helped = run_sptui("--help", tmp=str(tmp_path))
    assert "With no command, sptui opens the console" in " ".join(helped.stdout.split())
