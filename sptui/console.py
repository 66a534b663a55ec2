"""Starting the console: which profile (or the demo), with the user's keys and theme."""

from __future__ import annotations

import argparse
import sys

from .config import ConfigError, config_path, load, resolve_credentials
from .config.choose import choose_profile
from .config.store import Loaded, find_line


def check_console_settings(loaded: Loaded) -> None:
    """Key remaps and the theme name, checked against what the console really has."""
    from textual.theme import BUILTIN_THEMES

    from .tui.keys import binding_ids

    known = binding_ids()
    for binding_id in loaded.config.keys:
        if binding_id not in known:
            raise ConfigError(
                loaded.path,
                "no key binding has this id (the ? screen lists every id)",
                line=find_line(loaded.text, ("keys", binding_id)),
                key=f"keys.{binding_id}",
            )
    theme = loaded.config.settings.theme
    if theme and theme not in BUILTIN_THEMES:
        raise ConfigError(
            loaded.path,
            f"unknown theme {theme!r}; themes: {', '.join(sorted(BUILTIN_THEMES))}",
            line=find_line(loaded.text, ("settings", "theme")),
            key="settings.theme",
        )


def open_console(args: argparse.Namespace) -> int:
    from sptui.desk.connect import session_for
    from sptui.desk.demo import demo_session

    from .tui.app import SptuiApp

    try:
        loaded = load(config_path(args.config))
        check_console_settings(loaded)
        name = None if args.demo else choose_profile(loaded, args.profile)
        if name is None:
            session, _ = demo_session(jobs=args.demo_jobs, watch_seconds=args.watch)
        else:
            profile = loaded.config.profiles[name]
            credentials = resolve_credentials(name, profile)
            session = session_for(name, profile, loaded.config.settings, credentials)
            if args.watch is not None:
                session.watch_seconds = args.watch
    except ConfigError as error:
        print(f"sptui: {error}", file=sys.stderr)
        return 2
    if not sys.stdout.isatty():  # after the config: its problems are worth telling anyway
        print(
            "sptui: the console needs a terminal, and standard output is not one; "
            "for scripts, use a command (sptui --help lists them)",
            file=sys.stderr,
        )
        return 2
    app = SptuiApp(session, config=loaded)
    app.run()
    return 0
