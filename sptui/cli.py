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
        "--config",
        metavar="PATH",
        help="config file (default: $SPTUI_CONFIG, then the platform's config directory)",
    )
    parser.add_argument(
        "--profile", metavar="NAME", help="the profile to open (default: settings.default_profile)"
    )
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
    from .simulator.server import add_arguments as simulator_arguments

    simulator_arguments(simulator)
    profile = commands.add_parser("profile", help="add, list, remove or test profiles")
    from .profile_commands import add_arguments as profile_arguments

    profile_arguments(profile)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "simulator":
        from .simulator.server import run

        return run(args)
    if args.command == "profile":
        from .profile_commands import run as run_profile

        return run_profile(args)
    if args.watch is not None and args.watch < 5:
        print("sptui: --watch takes at least 5 seconds", file=sys.stderr)
        return 2
    if args.demo_jobs < 1:
        print("sptui: --demo-jobs takes at least 1", file=sys.stderr)
        return 2
    from .console import open_console

    return open_console(args)


if __name__ == "__main__":
    raise SystemExit(main())
