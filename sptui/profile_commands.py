"""`sptui profile add | list | remove | test`: managing profiles from the shell."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .config import ConfigError, Profile, config_path, load, resolve_credentials, save
from .config.schema import PROFILE_NAME, first_problem
from .config.secrets import KEYRING_SERVICE, keyring_user
from .spapi import LwaCredentials, ServicesClient, SpApiError

Ask = Callable[[str, bool], str]


_NO_TERMINAL = {
    True: (
        "{what} is needed and there is no terminal to ask on; secrets never go on the command "
        "line: use --secrets env (and set {env}), or --secrets command with "
        "--client-secret-command and --refresh-token-command"
    ),
    False: "{what} is needed and there is no terminal to ask on: give it as an option ({flag})",
}
_FLAGS = {
    "Marketplace id": "--marketplace",
    "LWA client id": "--client-id",
    "Command printing the client secret": "--client-secret-command",
    "Command printing the refresh token": "--refresh-token-command",
}


def _ask(prompt: str, secret: bool) -> str:
    if not sys.stdin.isatty():
        what = prompt.split(" (")[0].strip(": ")
        raise ConfigError(
            None,
            _NO_TERMINAL[secret].format(
                what=what,
                flag=_FLAGS.get(what, "see sptui profile add --help"),
                env="SPTUI_<PROFILE>_CLIENT_SECRET and SPTUI_<PROFILE>_REFRESH_TOKEN",
            ),
        )
    return (getpass.getpass(prompt) if secret else input(prompt)).strip()


def run(args: argparse.Namespace, *, ask: Ask = _ask) -> int:
    path = config_path(args.config)
    try:
        if args.profile_command == "add":
            return add(path, args, ask)
        if args.profile_command == "list":
            return listing(path)
        if args.profile_command == "remove":
            return remove(path, args.name)
        return test(path, args.name)
    except ConfigError as error:
        print(f"sptui: {error}", file=sys.stderr)
        return 2
    except OSError as error:  # a full disk or a read-only folder while writing the config
        where = f" ({error.filename})" if error.filename else ""
        print(
            f"sptui: could not write the config{where}: {error.strerror or error}", file=sys.stderr
        )
        return 1


async def check(profile: Profile, client_id: str, secret: str, refresh: str) -> str:
    """One LWA token request and one harmless read; returns the read's request id."""
    async with ServicesClient(
        LwaCredentials(client_id, secret, refresh),
        marketplace_id=profile.marketplace_id,
        endpoint=profile.api_endpoint(),
    ) as client:
        answer = await client.get_service_jobs(
            created_after=datetime.now(UTC) - timedelta(days=1), page_size=1
        )
        return answer.request_id or "?"


def _check(profile: Profile, client_id: str, secret: str, refresh: str) -> str:
    return asyncio.run(check(profile, client_id, secret, refresh))


def store_profile(
    path: Path, name: str, entry: dict[str, Any], source: str, secret: str, refresh: str
) -> None:
    """Keep the secrets where chosen, then add the profile to the file (re-read just before)."""
    if source == "keyring":
        _store_in_keyring(name, secret, refresh)
    loaded = load(path)
    data = dict(loaded.data)
    data.setdefault("profiles", {})[name] = entry
    if not loaded.config.settings.default_profile and len(data["profiles"]) == 1:
        data.setdefault("settings", {})["default_profile"] = name
    save(path, data)


def add(path: Path, args: argparse.Namespace, ask: Ask) -> int:
    if not PROFILE_NAME.match(args.name):
        raise ConfigError(
            path, f"profile name {args.name!r}: use letters, digits, - and _ (at most 40)"
        )
    load(path)  # a broken file is reported (and so never overwritten) before anything is asked
    entry: dict[str, Any] = {
        "marketplace_id": args.marketplace_id or ask("Marketplace id: ", False)
    }
    for key in ("region", "endpoint", "token_url", "time_zone"):
        if getattr(args, key):
            entry[key] = getattr(args, key)
    if args.sandbox:
        entry["sandbox"] = True
    entry["client_id"] = args.client_id or ask("LWA client id: ", False)
    secret = refresh = ""
    if args.secrets == "command":
        entry["client_secret_command"] = args.client_secret_command or ask(
            "Command printing the client secret: ", False
        )
        entry["refresh_token_command"] = args.refresh_token_command or ask(
            "Command printing the refresh token: ", False
        )
    if args.secrets in ("keyring", "file"):
        secret = ask("LWA client secret (not shown): ", True)
        refresh = ask("Refresh token (not shown): ", True)
    if args.secrets == "file":
        entry["client_secret"], entry["refresh_token"] = secret, refresh
    try:
        profile = Profile.model_validate(entry)
    except ValidationError as error:
        loc, message = first_problem(error)
        raise ConfigError(
            path, message, key=".".join(["profiles", args.name, *map(str, loc)])
        ) from None
    if not args.no_check:
        if args.secrets in ("command", "env"):
            # Check exactly the source chosen: the environment, or the commands alone.
            env = os.environ if args.secrets == "env" else {}
            found = resolve_credentials(
                args.name, profile, env=env, keyring_get=lambda s, u: None, adding=True
            )
            secret, refresh = found.client_secret, found.refresh_token
        try:
            request_id = _check(profile, entry["client_id"], secret, refresh)
        except SpApiError as error:
            print(f"sptui: the check failed, nothing was written: {error}", file=sys.stderr)
            return 1
        print(f"Logged in and read the job list (request id {request_id}).")
    store_profile(path, args.name, entry, args.secrets, secret, refresh)
    print(f"Profile {args.name} written to {path}.")
    if args.secrets == "file":
        print(
            "warning: the secrets are in that file in plain text (it is mode 0600).",
            file=sys.stderr,
        )
    return 0


def _store_in_keyring(name: str, secret: str, refresh: str) -> None:
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, keyring_user(name, "client_secret"), secret)
        keyring.set_password(KEYRING_SERVICE, keyring_user(name, "refresh_token"), refresh)
    except Exception as error:
        raise ConfigError(
            None,
            f"the OS keyring cannot store secrets here ({type(error).__name__}); use --secrets "
            "command (a password manager), --secrets env, or --secrets file",
        ) from None


def listing(path: Path) -> int:
    loaded = load(path)
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not loaded.config.profiles:
        print(f"No profiles in {path}; `sptui profile add NAME` makes one. `sptui` opens the demo.")
        return 0
    default = loaded.config.settings.default_profile
    for name, profile in loaded.config.profiles.items():
        endpoint = profile.api_endpoint()
        try:
            found = resolve_credentials(name, profile).sources
            secrets = ", ".join(f"{k.replace('_', ' ')} from {v}" for k, v in found.items())
        except ConfigError as error:
            secrets = f"incomplete: {error.message}"
        mark = " (default)" if name == default else ""
        print(f"{name}{mark}: {endpoint.base_url} · {profile.marketplace_id} · {secrets}")
    return 0


def remove(path: Path, name: str) -> int:
    loaded = load(path)
    if name not in loaded.config.profiles:
        raise ConfigError(path, f"there is no profile {name!r}")
    data = dict(loaded.data)
    del data["profiles"][name]
    if data.get("settings", {}).get("default_profile") == name:
        del data["settings"]["default_profile"]
    save(path, data)
    try:
        import keyring

        for what in ("client_secret", "refresh_token"):
            keyring.delete_password(KEYRING_SERVICE, keyring_user(name, what))
    except Exception:  # noqa: S110 (nothing stored there, or no keyring: nothing to remove)
        pass
    print(f"Profile {name} removed from {path}.")
    return 0


def test(path: Path, name: str) -> int:
    loaded = load(path)
    profile = loaded.config.profiles.get(name)
    if profile is None:
        raise ConfigError(path, f"there is no profile {name!r}")
    found = resolve_credentials(name, profile)
    try:
        request_id = _check(profile, found.client_id, found.client_secret, found.refresh_token)
    except SpApiError as error:
        print(f"sptui: profile {name}: {error}", file=sys.stderr)
        return 1
    print(f"Profile {name}: logged in and read the job list (request id {request_id}).")
    return 0
