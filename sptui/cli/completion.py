"""Shell completion for bash, zsh and fish, from argcomplete over the one parser.

Nothing of argcomplete loads unless the shell is completing (``_ARGCOMPLETE`` is set): the
parser is light, so a TAB costs one short start of sptui. Profile names come from the config
file alone (read with tomllib, no secrets looked up); status values come from the parser's
choices.
"""

from __future__ import annotations

import argparse
import os
import tomllib
from pathlib import Path
from typing import Any


def profile_names(**_: Any) -> list[str]:
    """Profile names in the config, for completing --profile (never a failure: [] instead)."""
    from sptui.config.paths import config_path

    try:
        data = tomllib.loads(Path(config_path()).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    profiles = data.get("profiles")
    return sorted(profiles) if isinstance(profiles, dict) else []


def complete_if_asked(parser: argparse.ArgumentParser) -> None:
    """Answer the shell's completion request and exit, when this run is one."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    import argcomplete

    from .parser import STATUSES

    for action in _walk(parser):
        if "--profile" in action.option_strings:
            action.completer = profile_names  # type: ignore[attr-defined]
        if "--service-job-status" in action.option_strings:  # commas allowed: no argparse choices
            action.completer = lambda **_: list(STATUSES)  # type: ignore[attr-defined]
    argcomplete.autocomplete(parser)


def _walk(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    found = list(parser._actions)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _walk(sub)
    return found


def print_script(args: argparse.Namespace) -> int:
    from argcomplete.shell_integration import shellcode

    print(shellcode(["sptui"], shell=args.shell), end="")
    return 0
