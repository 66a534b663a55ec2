"""What the console's first frame needs from config.toml, read without validating the file.

Validating the file (pydantic), resolving secrets and building the client all come after the
first frame. This reads only what that frame shows and where its rows come from: which profile
(or the demo), its endpoint and mode, its zone, its job store (named by the endpoint, the
marketplace and the client id), the key remaps and the theme.

It never decides anything the full read would decide differently: on any doubt (the file does
not parse, a value has the wrong type, several profiles and no default, an unknown marketplace)
it answers None, and the console waits for the full read, which reports the problem precisely.
A client id that only a command can give is left unknown (the store is then opened once the
full read has run it); the full read checks everything this one took on trust, and the console
exits with its message if the file turns out to be wrong.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sptui.spapi.endpoints import MARKETPLACES, Endpoint, EndpointError

from .secrets import GENERIC_ENV, env_name


@dataclass(frozen=True)
class QuickStart:
    profile: str | None
    """None: the built-in demo."""
    endpoint: Endpoint | None = None
    region: str | None = None
    marketplace_id: str | None = None
    client_id: str | None = None
    """None for the demo, or when only a command (run later) can say it."""
    time_zone: str | None = None
    refresh_seconds: float | None = None
    window_days: int = 90
    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None


def _table(data: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ValueError(key)
    return value


def _text(table: Mapping[str, Any], key: str) -> str | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(key)
    return value


def _number(table: Mapping[str, Any], key: str) -> float | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(key)
    return float(value)


def quick_read(
    path: Path,
    wanted: str | None,
    *,
    demo: bool = False,
    env: Mapping[str, str] | None = None,
) -> QuickStart | None:
    """The first frame's facts, or None when only the full read can tell (see the module doc)."""
    env = os.environ if env is None else env
    try:
        data = tomllib.loads(path.read_text("utf-8")) if path.exists() else {}
        settings = _table(data, "settings")
        store = _table(settings, "store")
        profiles = _table(data, "profiles")
        keys = {str(k): v for k, v in _table(data, "keys").items() if isinstance(v, str)}
        theme = _text(settings, "theme")
        window = store.get("window_days", 90)
        if isinstance(window, bool) or not isinstance(window, int):
            return None
        common = {"keys": keys, "theme": theme, "window_days": window}
        name = None if demo else _choose(profiles, settings, wanted)
        if name is None:
            return QuickStart(None, **common)  # type: ignore[arg-type]
        profile = profiles[name]
        if not isinstance(profile, dict):
            return None
        marketplace = _text(profile, "marketplace_id")
        if marketplace not in MARKETPLACES:
            return None
        sandbox = profile.get("sandbox", False)
        region = _text(profile, "region")
        endpoint = Endpoint.choose(
            marketplace,
            endpoint=_text(profile, "endpoint"),
            token_url=_text(profile, "token_url"),
            region=region,
            sandbox=sandbox is True,
        )
        return QuickStart(
            name,
            endpoint=endpoint,
            region=region,
            marketplace_id=marketplace,
            client_id=_client_id(name, profile, env),
            time_zone=_text(profile, "time_zone") or _text(settings, "time_zone"),
            refresh_seconds=_number(profile, "refresh_seconds")
            or _number(settings, "refresh_seconds"),
            **common,  # type: ignore[arg-type]
        )
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, EndpointError):
        return None  # EndpointError is a ValueError; named for the reader


def _choose(
    profiles: Mapping[str, Any], settings: Mapping[str, Any], wanted: str | None
) -> str | None:
    """As ``choose.choose_profile`` chooses; ValueError where it would complain."""
    if wanted:
        if wanted not in profiles:
            raise ValueError(wanted)
        return wanted
    default = _text(settings, "default_profile")
    if default:
        if default not in profiles:
            raise ValueError(default)
        return default
    if len(profiles) == 1:
        return next(iter(profiles))
    if profiles:
        raise ValueError("several profiles")
    return None


def _client_id(name: str, profile: Mapping[str, Any], env: Mapping[str, str]) -> str | None:
    """As ``secrets`` finds it (the environment, then a command, then the file), except that a
    command is not run here."""
    for variable in (env_name(name, "client_id"), GENERIC_ENV["client_id"]):
        if env.get(variable):
            return env[variable]
    if profile.get("client_id_command"):
        return None
    return _text(profile, "client_id")
