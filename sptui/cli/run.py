"""Running the command the parser chose: its handler is imported only now."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable
from typing import cast


def run(args: argparse.Namespace) -> int:
    module, _, function = str(args.handler).partition(":")
    handler = cast(
        Callable[[argparse.Namespace], int], getattr(importlib.import_module(module), function)
    )
    return int(handler(args))
