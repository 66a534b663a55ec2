"""Completing a file path as it is typed, the way a shell does on tab.

Only directories and files of the given suffixes are offered, so that completing a proof document
is not drowned in unrelated files. With several candidates the common part is completed; one
candidate is completed in full, a directory with its slash.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from textual.suggester import Suggester

MAX_ENTRIES = 2000
"""Directories larger than this are not listed: a suggestion must not stall the keyboard."""


def complete_path(value: str, suffixes: Iterable[str] = ()) -> str | None:
    """The completed text for ``value``, or None when there is nothing to add."""
    if not value:
        return None
    wanted = {s.lower() for s in suffixes}
    folder_text, _, stem = value.rpartition("/")
    folder = Path(
        os.path.expanduser(folder_text + "/" if folder_text or value.startswith("/") else ".")
    )
    try:
        entries = []
        with os.scandir(folder) as listing:
            for count, entry in enumerate(listing):
                if count >= MAX_ENTRIES:
                    return None
                if not entry.name.startswith(stem) or (entry.name.startswith(".") and not stem):
                    continue
                is_dir = entry.is_dir()
                if is_dir or not wanted or Path(entry.name).suffix.lower() in wanted:
                    entries.append(entry.name + ("/" if is_dir else ""))
    except OSError:
        return None
    if not entries:
        return None
    # names in one folder: the common run of characters is what a shell completes
    common = os.path.commonprefix(entries)  # noqa: RUF071
    if len(common) <= len(stem):
        return None
    head = value[: len(value) - len(stem)]
    return head + common


class PathSuggester(Suggester):
    """Offers the completion greyed after the cursor; → accepts it."""

    def __init__(self, suffixes: Iterable[str] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.suffixes = tuple(suffixes)

    async def get_suggestion(self, value: str) -> str | None:
        return complete_path(value, self.suffixes)
