"""What every command shares: the desk it works on, and how its failures become exit codes.

The desk comes from the same config, profiles and secrets as the console. ``--demo`` (or no
profile at all) is a fresh demo world in this process: good for reading, but a write to it
would be lost with the process, so writes refuse it before anything is sent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import tzinfo
from zoneinfo import ZoneInfo

from sptui.config import ConfigError, config_path, load, resolve_credentials
from sptui.config.choose import choose_profile
from sptui.config.store import Loaded
from sptui.desk.demo import demo_journal_path
from sptui.desk.desk import Desk
from sptui.desk.journal import Journal, default_path
from sptui.spapi import AuthError, RequestValidationError, SpApiError

from .exit import Exit
from .io import IO, terminal_io

DEMO_WRITE = (
    "writes are refused on the demo world: it is made afresh in each process, so the next "
    "command would not see the change. Point a profile at `sptui simulator` to try writes "
    "(`sptui simulator` prints the `sptui profile add` line), or choose a profile with --profile"
)


class Refused(Exception):
    """Refused before anything was sent; the message says why (exit 2)."""


def chosen_profile(args: argparse.Namespace) -> tuple[Loaded, str | None]:
    """The config, and the profile --profile/--demo/the default choose (None: the demo)."""
    loaded = load(config_path(getattr(args, "config", None)))
    if getattr(args, "demo", False):
        return loaded, None
    return loaded, choose_profile(loaded, getattr(args, "profile", None))


def open_desk(args: argparse.Namespace, *, writes: bool = False) -> Desk:
    """The desk for ``--profile``/``--demo``/the default profile; ConfigError or Refused."""
    loaded, name = chosen_profile(args)
    if name is None:
        if writes:
            raise Refused(DEMO_WRITE)
        from sptui.desk.demo import demo_session

        desk, _ = demo_session(jobs=getattr(args, "demo_jobs", 200) or 200)
        return desk
    from sptui.desk.connect import session_for

    profile = loaded.config.profiles[name]
    credentials = resolve_credentials(name, profile)
    desk = session_for(name, profile, loaded.config.settings, credentials)
    if writes and profile.read_only:
        raise Refused(f"profile {name} is read-only (read_only = true in its config): nothing sent")
    return desk


def local_journal(args: argparse.Namespace) -> tuple[Journal, tzinfo | None]:
    """The journal the chosen profile writes to, and its zone: no client, no credentials."""
    loaded, name = chosen_profile(args)
    if name is None:
        return Journal(demo_journal_path()), None
    zone_name = loaded.config.profiles[name].time_zone or loaded.config.settings.time_zone
    return Journal(default_path()), ZoneInfo(zone_name) if zone_name else None


def say_error(io: IO, error: SpApiError) -> None:
    """Amazon's code, message and details, and the request id support will ask for."""
    head = " ".join(
        p for p in (f"HTTP {error.status}" if error.status else "", error.code or "") if p
    )
    io.say(f"sptui: {head + ': ' if head else ''}{error.message}")
    if error.details:
        io.say(f"  {error.details}")
    for extra in error.errors[1:]:
        io.say(f"  {extra.code or ''}: {extra.message}")
    if error.request_id:
        io.say(f"  request id {error.request_id}")


def run_command(
    args: argparse.Namespace,
    body: Callable[[Desk, IO], Awaitable[Exit]],
    *,
    writes: bool = False,
    io: IO | None = None,
) -> int:
    """Open the desk, run ``body`` on it, and turn what can go wrong into an exit code."""
    io = io or terminal_io()
    try:
        desk = open_desk(args, writes=writes)
    except ConfigError as error:
        io.say(f"sptui: {error}")
        return Exit.REFUSED
    except Refused as refused:
        io.say(f"sptui: {refused}")
        return Exit.REFUSED

    async def main() -> Exit:
        async with desk.client:
            return await body(desk, io)

    try:
        return int(asyncio.run(main()))
    except Refused as refused:
        io.say(f"sptui: {refused}")
        return Exit.REFUSED
    except RequestValidationError as error:
        io.say(f"sptui: {error.message}")
        return Exit.REFUSED
    except AuthError as error:
        say_error(io, error)
        return Exit.AUTH
    except SpApiError as error:
        say_error(io, error)
        return Exit.NOT_DONE
    except KeyboardInterrupt:
        io.say("sptui: interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, and keep Python's exit flush quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return Exit.OK
