"""Profiles and settings in config.toml, and the secrets each profile needs.

No secret is ever written here unless the user opts in to a plaintext value; then the file must
be private (0600) and the app says so on every start.

Names are loaded on first use (PEP 562): ``sptui.config.paths`` and ``sptui.config.quick`` are
read before the console's first frame, which must not wait for pydantic (``schema``) or the
secrets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sptui.lazy import lazy_names

if TYPE_CHECKING:
    from .errors import ConfigError
    from .paths import config_path
    from .schema import Config, Profile, Settings
    from .secrets import Credentials, SecretSource, resolve_credentials
    from .store import load, save

_WHERE = {
    "ConfigError": "errors",
    "config_path": "paths",
    "Config": "schema",
    "Profile": "schema",
    "Settings": "schema",
    "Credentials": "secrets",
    "SecretSource": "secrets",
    "resolve_credentials": "secrets",
    "load": "store",
    "save": "store",
}


__getattr__, __dir__ = lazy_names(__name__, _WHERE)


__all__ = [
    "Config",
    "ConfigError",
    "Credentials",
    "Profile",
    "SecretSource",
    "Settings",
    "config_path",
    "load",
    "resolve_credentials",
    "save",
]
