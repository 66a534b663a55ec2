"""The `sptui` entry point: the console with no command, the command line with one.

It sits above both faces, so that neither imports the other, and it imports neither until it
knows which one is wanted: `sptui --version` and `sptui jobs list` never load Textual, and the
console never pays for the command line's modules.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli.completion import complete_if_asked
from .cli.parser import build_parser


def open_console(args: argparse.Namespace) -> int:
    if args.watch is not None and args.watch < 5:
        print("sptui: --watch takes at least 5 seconds", file=sys.stderr)
        return 2
    if args.demo_jobs < 1:
        print("sptui: --demo-jobs takes at least 1", file=sys.stderr)
        return 2
    from .console import open_console as run_console

    return run_console(args)


def missing_config(args: argparse.Namespace) -> str:
    """A config file named with --config must exist, unless this command is creating it."""
    explicit = getattr(args, "config", None)
    creating = args.command == "profile" and getattr(args, "profile_command", "") == "add"
    if not explicit or creating or args.command in ("simulator", "completion"):
        return ""
    path = Path(explicit).expanduser()
    if path.exists():
        return ""
    return f"--config {path}: the file does not exist (`sptui profile add` with it creates it)"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    complete_if_asked(parser)
    args = parser.parse_args(argv)
    missing = missing_config(args)
    if missing:
        print(f"sptui: {missing}", file=sys.stderr)
        return 2
    if args.command is None:
        return open_console(args)
    from .cli.run import run

    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
