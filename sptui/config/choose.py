"""Which profile a face opens: the one asked for, the default, or the only one."""

from __future__ import annotations

from .errors import ConfigError
from .store import Loaded


def choose_profile(loaded: Loaded, wanted: str | None) -> str | None:
    """The profile to open: asked for, the default, the only one; None means the demo."""
    profiles = loaded.config.profiles
    if wanted:
        if wanted not in profiles:
            known = ", ".join(profiles) or "none yet"
            raise ConfigError(loaded.path, f"there is no profile {wanted!r} (profiles: {known})")
        return wanted
    if loaded.config.settings.default_profile:
        return loaded.config.settings.default_profile
    if len(profiles) == 1:
        return next(iter(profiles))
    if profiles:
        raise ConfigError(
            loaded.path,
            "several profiles: choose one with --profile, or set settings.default_profile",
        )
    return None
