"""The ``sptui`` command."""

from __future__ import annotations

import argparse
import sys

from . import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sptui",
        description="Keyboard-first terminal console for Amazon's SP-API Services API.",
    )
    parser.add_argument("--version", action="version", version=f"sptui {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="open on the built-in simulator's demo world"
    )
    parser.add_argument(
        "--watch",
        type=float,
        metavar="SECONDS",
        help="refresh the jobs list this often, highlighting new and changed jobs (off by default)",
    )
    parser.add_argument(
        "--demo-jobs",
        type=int,
        default=200,
        metavar="N",
        help="jobs in the demo world (default 200)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    simulator = commands.add_parser(
        "simulator",
        help="serve a local Services API with demo data on loopback",
        description="Serve a stateful local Services API (demo world, usage plans, faults).",
    )
    from .simulator.server import add_arguments

    add_arguments(simulator)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "simulator":
        from .simulator.server import run

        return run(args)
    if args.watch is not None and args.watch < 5:
        print("sptui: --watch takes at least 5 seconds", file=sys.stderr)
        return 2
    if args.demo_jobs < 1:
        print("sptui: --demo-jobs takes at least 1", file=sys.stderr)
        return 2
    from .tui.app import SptuiApp
    from .tui.demo import demo_session

    # No profiles yet (issue 7): every start is the demo, which says so on every screen.
    session, _ = demo_session(jobs=args.demo_jobs, watch_seconds=args.watch)
    SptuiApp(session).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
