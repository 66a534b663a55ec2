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
    # The console (issue 4) is not built yet; say so plainly rather than pretend.
    print(
        f"sptui {__version__}: the Services API client (sptui.spapi) and the simulator "
        "(`sptui simulator`) are ready; the full-screen console is still being built.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
