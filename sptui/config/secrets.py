"""Finding a profile's client id, client secret and refresh token, without ever writing them out.

Each is looked for, in order: the environment (SPTUI_<PROFILE>_..., then the names users of
python-amazon-sp-api know), the OS keyring (with a short timeout: a headless server's keyring can
hang on D-Bus or be missing altogether), a *_command that prints it, and only then a plaintext
value in config.toml.
"""

from __future__ import annotations

import concurrent.futures
import os
import re
import shlex
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from sptui.spapi.redaction import REDACTOR

from .errors import ConfigError

if TYPE_CHECKING:  # the console reads env_name before pydantic is loaded
    from .schema import Profile

KEYRING_SERVICE = "sptui"
KEYRING_TIMEOUT = 3.0
COMMAND_TIMEOUT = 20.0
GENERIC_ENV = {
    "client_id": "LWA_APP_ID",
    "client_secret": "LWA_CLIENT_SECRET",
    "refresh_token": "SP_API_REFRESH_TOKEN",
}
KeyringGet = Callable[[str, str], str | None]


class SecretSource(Enum):
    ENV = "environment"
    KEYRING = "keyring"
    COMMAND = "command"
    FILE = "config file"


@dataclass(frozen=True)
class Credentials:
    client_id: str
    client_secret: str = field(repr=False)
    refresh_token: str = field(repr=False)
    sources: dict[str, str] = field(default_factory=dict)
    """Where each value came from, for `sptui profile list` (never the value)."""


def env_name(profile: str, what: str) -> str:
    return f"SPTUI_{re.sub(r'[^A-Za-z0-9]', '_', profile).upper()}_{what.upper()}"


def keyring_user(profile: str, what: str) -> str:
    return f"{profile}/{what}"


def _keyring_get(service: str, user: str) -> str | None:
    import keyring

    return keyring.get_password(service, user)


def from_keyring(profile: str, what: str, get: KeyringGet, notes: list[str]) -> str | None:
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        future = pool.submit(get, KEYRING_SERVICE, keyring_user(profile, what))
        return future.result(timeout=KEYRING_TIMEOUT)
    except concurrent.futures.TimeoutError:
        notes.append(f"the OS keyring did not answer within {KEYRING_TIMEOUT:g} s")
    except Exception as error:  # no backend, locked, D-Bus gone: all mean "not here"
        notes.append(f"the OS keyring is not usable here ({type(error).__name__})")
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    return None


def from_command(profile: str, what: str, command: str) -> str:
    try:
        argv = shlex.split(command)
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False
        )
    except (OSError, ValueError) as error:
        raise ConfigError(
            None,
            f"profile {profile}: {what}_command could not run ({type(error).__name__}: {error})",
        ) from None
    except subprocess.TimeoutExpired:
        raise ConfigError(
            None, f"profile {profile}: {what}_command did not finish in {COMMAND_TIMEOUT:g} s"
        ) from None
    value = done.stdout.strip()
    if done.returncode != 0 or not value:
        # Neither its output nor its errors are shown: either may hold the secret.
        raise ConfigError(
            None,
            f"profile {profile}: {what}_command ({argv[0] if argv else '?'}) exited with {done.returncode}"
            + ("" if value else " and printed nothing"),
        )
    return value


def _resolve(
    name: str,
    profile: Profile,
    what: str,
    env: Mapping[str, str],
    keyring_get: KeyringGet,
    notes: list[str],
    *,
    adding: bool = False,
) -> tuple[str, str]:
    """One of the three values and where it came from; ConfigError when it is nowhere
    (``adding``: `sptui profile add` is asking, so the hint names only the variables)."""
    for variable in (env_name(name, what), GENERIC_ENV[what]):
        if env.get(variable):
            return env[variable], f"{SecretSource.ENV.value} {variable}"
    if what != "client_id":
        found = from_keyring(name, what, keyring_get, notes)
        if found:
            return found, SecretSource.KEYRING.value
    command = getattr(profile, f"{what}_command")
    if command:
        return from_command(name, what, command), SecretSource.COMMAND.value
    plain = getattr(profile, what)
    if plain:
        return plain, SecretSource.FILE.value
    hint = "; ".join(dict.fromkeys(notes))
    where = f"set {env_name(name, what)} or {GENERIC_ENV[what]}"
    if not adding:
        where += (
            f", store it in the keyring with `sptui profile add {name}`, or give "
            f"{what}_command in the profile"
        )
    raise ConfigError(
        None,
        f"profile {name} has no {what.replace('_', ' ')}: {where}" + (f" ({hint})" if hint else ""),
    )


def resolve_client_id(name: str, profile: Profile, *, env: Mapping[str, str] | None = None) -> str:
    """Only the client id (not a secret): enough to know which account's job store is meant."""
    return _resolve(
        name, profile, "client_id", os.environ if env is None else env, _keyring_get, []
    )[0]


def resolve_credentials(
    name: str,
    profile: Profile,
    *,
    env: Mapping[str, str] | None = None,
    keyring_get: KeyringGet = _keyring_get,
    adding: bool = False,
) -> Credentials:
    """The profile's credentials from the first place that has each; ConfigError names what
    to set. ``adding``: `sptui profile add` is asking, so the hint names only the variables."""
    env = os.environ if env is None else env
    values: dict[str, str] = {}
    sources: dict[str, str] = {}
    notes: list[str] = []
    for what in ("client_id", "client_secret", "refresh_token"):
        values[what], sources[what] = _resolve(
            name, profile, what, env, keyring_get, notes, adding=adding
        )
    REDACTOR.register([values["client_secret"], values["refresh_token"]])
    return Credentials(
        values["client_id"], values["client_secret"], values["refresh_token"], sources
    )
