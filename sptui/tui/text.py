"""Making API strings safe and tidy to put on a terminal.

Strings from the API are untrusted: a buyer name can carry an escape sequence (OSC 52 would write
the user's clipboard, others move the cursor or retitle the window) or bidi controls that reorder
what is shown. Everything from the API passes through ``clean`` before display, and is put on
screen as plain ``Text``, never as markup.
"""

from __future__ import annotations

import re
import unicodedata

from rich.text import Text

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/APC/PM/SOS (ESC ] ... BEL or ST), and
# two-character escapes. The C1 forms (0x9b CSI, 0x9d OSC, ...) are caught the same way.
_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]P^_X]|[\x90\x9d\x9e\x9f\x98]).*?(?:\x07|\x1b\\|\x9c|$)"
    r"|\x1b[@-Z\\-_]",
    re.DOTALL,
)


def clean(value: object) -> str:
    """Printable text only: escape sequences and control/format characters removed."""
    if value is None:
        return ""
    text = _SEQUENCES.sub("", str(value))
    out = []
    for char in text:
        if char in "\t\n\r":
            out.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co"):
            out.append(char)
    return "".join(out)


def clean_lines(value: object) -> str:
    """Like ``clean``, but keeping line breaks: for messages of several lines."""
    return "\n".join(clean(line) for line in str(value).split("\n")) if value is not None else ""


def plain(value: object, style: str = "") -> Text:
    """API text as a Rich Text that can never be read as markup."""
    return Text(clean(value), style=style)


def mask(value: str | None, *, keep: int = 1) -> str:
    """Hide PII but keep its shape: 'Alex Example' -> 'A*** E******'."""
    if not value:
        return "—"
    words = clean(value).split(" ")
    return " ".join(w[:keep] + "*" * max(0, len(w) - keep) for w in words)


def mask_phone(value: str | None) -> str:
    if not value:
        return "—"
    digits = clean(value)
    return digits[:3] + "".join("*" if c.isdigit() else c for c in digits[3:-2]) + digits[-2:]
