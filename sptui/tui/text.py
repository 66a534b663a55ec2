"""API text on the console: cleaned (``sptui.desk.text``) and never read as markup."""

from __future__ import annotations

from rich.text import Text

from sptui.desk.text import clean, mask, mask_phone

__all__ = ["clean", "mask", "mask_phone", "plain"]


def clean_lines(value: object) -> str:
    """Like ``clean``, but keeping line breaks: for messages of several lines."""
    return "\n".join(clean(line) for line in str(value).split("\n")) if value is not None else ""


def plain(value: object, style: str = "") -> Text:
    """API text as a Rich Text that can never be read as markup."""
    return Text(clean(value), style=style)
