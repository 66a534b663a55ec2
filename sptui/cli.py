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
    return parser


def main(argv: list[str] | None = None) -> int:
    build_parser().parse_args(argv)
    # The console (issue 4) and the simulator it opens on (issue 3) are not built yet; say so
    # plainly rather than pretend. The API layer is usable from Python: see the README.
    print(
        f"sptui {__version__}: the Services API client (sptui.spapi) is ready; the full-screen "
        "console and its built-in demo simulator are still being built.",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
