"""Starting the console: which profile (or the demo), with the user's keys and theme.

The first frame comes first. Before it, only what it shows is read: config.toml as it stands
(``config.quick``: no validation, no secrets), the profile's job store (opened, not yet
checked) and Textual. The stored jobs are on screen at once, marked with their age. Then, on a
thread, the config is read and checked in full (pydantic), the secrets are resolved (keyring,
commands), the API layer is loaded and the client built (``connect``); the jobs list then
catches up with Amazon, the store's integrity is checked and the journal is looked at for
writes without an outcome. A problem the full read finds closes the console with its message,
as it would have before the first frame.

Where the quick read cannot tell (the file does not parse, several profiles and no default, a
zone this machine does not know), the full read runs first, as it always did.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from functools import partial
from typing import TYPE_CHECKING

from .config.errors import ConfigError

if TYPE_CHECKING:
    from .config.store import Loaded
    from .desk.demo_backend import DemoBackend
    from .desk.desk import Desk
    from .tui.app import SptuiApp


def check_console_settings(loaded: Loaded) -> None:
    """Key remaps and the theme name, checked against what the console really has."""
    from textual.theme import BUILTIN_THEMES

    from .config.store import find_line

    # Every screen is imported to list the binding ids: only when there are remaps to check.
    known = binding_ids() if loaded.config.keys else set()
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


def binding_ids() -> set[str]:
    from .tui.keys import binding_ids as every_id

    return every_id()


def connect(args: argparse.Namespace, backend: DemoBackend | None = None) -> tuple[Loaded, Desk]:
    """The full read: config checked, profile chosen, secrets resolved, client built.
    Blocking (a password manager's command may take seconds); raises ConfigError.
    ``backend``: the demo world's process, started already; it is ended if the full read
    chooses a profile after all."""
    from sptui.desk.connect import session_for
    from sptui.desk.demo import demo_session, served_demo_session

    from .config import config_path, load, resolve_credentials
    from .config.choose import choose_profile

    try:
        loaded = load(config_path(args.config))
        check_console_settings(loaded)
        name = None if args.demo else choose_profile(loaded, args.profile)
    except BaseException:
        if backend is not None:
            backend.stop()
        raise
    if name is None and backend is not None:
        session = served_demo_session(backend, watch_seconds=args.watch)
    elif name is None:
        session, _ = demo_session(jobs=args.demo_jobs, watch_seconds=args.watch)
    else:
        if backend is not None:
            backend.stop()
        profile = loaded.config.profiles[name]
        credentials = resolve_credentials(name, profile)
        session = session_for(name, profile, loaded.config.settings, credentials)
        if args.watch is not None:
            session.watch_seconds = args.watch
    return loaded, session


def build_app(args: argparse.Namespace) -> SptuiApp | int:
    """The console for ``args``, ready to run; an exit code if it cannot start (a config
    problem found before the first frame, said on stderr)."""
    from .config.paths import config_path
    from .config.quick import quick_read

    quick = quick_read(config_path(args.config), args.profile, demo=args.demo)
    backend = None
    if quick is not None and quick.profile is None:
        # First of all, so that the demo world is built, and its first rows stored, on another
        # core meanwhile.
        backend = _demo_backend(args.demo_jobs, quick.window_days)
    from .desk.opening import opening_for

    opening = None
    if quick is not None:
        opening = opening_for(quick, watch=args.watch, demo_jobs=args.demo_jobs)
    if opening is not None:
        opening.backend = backend
    from .tui.app import SptuiApp

    if quick is None or opening is None:
        try:
            loaded, desk = connect(args)
        except ConfigError as error:
            print(f"sptui: {error}", file=sys.stderr)
            return 2
        return SptuiApp(desk, config=loaded)
    return SptuiApp(
        opening,
        connect=partial(connect, args, backend),
        keys=quick.keys,
        theme=_known_theme(quick.theme),
    )


def _demo_backend(jobs: int, window_days: int) -> DemoBackend | None:
    from .desk.demo_backend import start_backend
    from .desk.store_paths import temporary_store_path

    path = temporary_store_path()
    backend = start_backend(path, jobs=jobs, window_days=window_days)
    if backend is None:
        shutil.rmtree(path.parent, ignore_errors=True)  # in-process, with a store of its own
    return backend


def _known_theme(name: str | None) -> str | None:
    """The theme to paint the first frame in; an unknown one waits for the full read, which
    says what is wrong with it."""
    if not name:
        return None
    from textual.theme import BUILTIN_THEMES

    return name if name in BUILTIN_THEMES else None


def open_console(args: argparse.Namespace) -> int:
    if not sys.stdout.isatty():
        # The config's problems are worth telling first; there is no first frame to hurry.
        try:
            connect(args)
        except ConfigError as error:
            print(f"sptui: {error}", file=sys.stderr)
            return 2
        print(
            "sptui: the console needs a terminal, and standard output is not one; "
            "for scripts, use a command (sptui --help lists them)",
            file=sys.stderr,
        )
        return 2
    app = build_app(args)
    if isinstance(app, int):
        return app
    app.run()
    if app.failure is not None:
        print(f"sptui: {app.failure}", file=sys.stderr)
        return 2
    return 0
