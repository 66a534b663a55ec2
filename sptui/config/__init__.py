"""Profiles and settings in config.toml, and the secrets each profile needs.

No secret is ever written here unless the user opts in to a plaintext value; then the file must
be private (0600) and the app says so on every start.
"""

from .errors import ConfigError
from .paths import config_path
from .schema import Config, Profile, Settings
from .secrets import Credentials, SecretSource, resolve_credentials
from .store import load, save

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
