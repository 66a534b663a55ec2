"""A config problem, said with the file, line and key, and what to do about it."""

from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    def __init__(
        self, path: Path | None, message: str, *, line: int | None = None, key: str | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.key = key
        self.message = message
        where = str(path) if path else "config"
        if line:
            where += f", line {line}"
        if key:
            where += f", key {key}"
        super().__init__(f"{where}: {message}")
