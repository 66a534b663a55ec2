"""Reading config.toml with precise complaints, and writing it so that it is never half-written."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from .errors import ConfigError
from .schema import Config, first_problem


@dataclass
class Loaded:
    config: Config
    data: dict[str, Any]
    """The file as parsed, to be changed and written back without losing the user's settings."""
    path: Path
    warnings: list[str] = field(default_factory=list)
    text: str = ""


STALE_SECONDS = 30.0
"""A temporary file older than this is a save that was killed, not one in progress."""


def _temporary_prefix(target: Path) -> str:
    return f".{target.name}."


def sweep_temporaries(path: Path) -> list[Path]:
    """Remove what a killed save left beside the config: it may hold a secret in plain text."""
    target = Path(os.path.realpath(path))
    removed: list[Path] = []
    try:
        leftovers = list(target.parent.glob(f"{_temporary_prefix(target)}*.tmp"))
    except OSError:
        return removed
    now = time.time()
    for leftover in leftovers:
        with contextlib.suppress(OSError):
            if now - leftover.lstat().st_mtime > STALE_SECONDS:
                leftover.unlink()
                removed.append(leftover)
    return removed


def load(path: Path) -> Loaded:
    sweep_temporaries(path)
    if not path.exists():
        return Loaded(Config(), {}, path)
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(path, "is not UTF-8 text") from None
    except OSError as error:
        raise ConfigError(
            path, f"cannot be read ({error.strerror}); check its permissions"
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        line = re.search(r"line (\d+)", str(error))
        raise ConfigError(
            path,
            f"is not valid TOML: {str(error).split(' (at')[0]}",
            line=int(line.group(1)) if line else None,
        ) from None
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        loc, message = first_problem(error)
        raise ConfigError(
            path, message, line=find_line(text, loc), key=".".join(str(p) for p in loc)
        ) from None
    warnings = []
    plaintext = [name for name, profile in config.profiles.items() if profile.has_plaintext_secret]
    if plaintext:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise ConfigError(
                path,
                f"holds a plaintext secret (profile {', '.join(plaintext)}) but is readable by others "
                f"(mode {mode:o}); run: chmod 600 {path}",
            )
        warnings.append(
            f"{path} holds a plaintext secret for profile {', '.join(plaintext)}; the OS keyring, "
            "an environment variable or a *_command keeps it off the disk"
        )
    return Loaded(config, data, path, warnings, text)


def find_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of a key, found under its [table] header; None when it cannot be told."""
    if not loc:
        return None
    table, key = ".".join(str(p) for p in loc[:-1]), str(loc[-1])
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([^\]]+?)\s*\]$", stripped)
        if header:
            current = header.group(1).replace('"', "").replace("'", "")
            if current == ".".join(str(p) for p in loc):
                return number  # the problem is the table itself
            continue
        name = re.match(r'^["\']?([^"\'=\s]+)["\']?\s*=', stripped)
        if name and name.group(1) == key and current == table:
            return number
    return None


def save(path: Path, data: dict[str, Any]) -> None:
    """Write atomically: a temporary file beside the real one, fsynced, then renamed over it.

    The file is 0600 and a directory sptui creates is 0700. An error at any point leaves the old
    file exactly as it was. A config.toml that is a symbolic link (dotfiles kept in a repository)
    stays one: the file it points to is replaced, not the link.
    """
    Config.model_validate(data)  # never write what could not be read back
    target = Path(os.path.realpath(path))
    folder = target.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
    text = tomli_w.dumps(data).encode("utf-8")
    handle, temporary = tempfile.mkstemp(
        dir=folder, prefix=_temporary_prefix(target), suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
