"""Where the config lives: --config, then SPTUI_CONFIG, then the platform's config directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "sptui"


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("SPTUI_CONFIG")
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


def state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP))
