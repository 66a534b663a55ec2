"""Keep tokens and secrets out of every log record the process writes.

The redaction sits in the log-record factory rather than in a filter, because filters only see
records of the logger they are attached to: httpx, httpcore and any library we do not control
would slip past. Here every record is scrubbed as it is made, whoever makes it.

Buyer PII is kept out of logs by construction instead (sptui logs ids, and models leave buyer
fields out of ``repr``): short values such as postal codes cannot be told apart from ordinary
numbers, so matching them would both miss and mangle.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

MASK = "[REDACTED]"
_MIN_SECRET = 8  # secrets and tokens are long; shorter values would mask ordinary words and digits

# LWA access ("Atza|") and refresh ("Atzr|") tokens, and header or form fields that carry them.
_PATTERNS = [
    re.compile(r"Atz[ar]\|[^\s\"'&,;]+"),
    re.compile(
        r"(?i)((?:x-amz-access-token|authorization|client_secret|refresh_token|access_token)"
        r"[\"']?\s*[:=]\s*[\"']?)[^\s\"'&,;]+"
    ),
]


class Redactor:
    """Holds the values that must never be written out, and scrubs text of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: tuple[str, ...] = ()
        """Longest first, so a secret that contains another is masked whole."""

    def register(self, values: Iterable[str | None]) -> None:
        added = {v for v in values if v and len(v) >= _MIN_SECRET}
        with self._lock:
            if not added <= set(self._values):
                merged = added | set(self._values)
                self._values = tuple(sorted(merged, key=len, reverse=True))

    @property
    def count(self) -> int:
        return len(self._values)

    def scrub(self, text: str) -> str:
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: (m.group(1) if m.re.groups else "") + MASK, text)
        # A handful of secrets (one client secret, one refresh and a few access tokens per
        # login): a substring test each is cheaper than keeping a compiled pattern up to date.
        for value in self._values:
            if value in text:
                text = text.replace(value, MASK)
        return text


REDACTOR = Redactor()
"""The process-wide redactor: credentials and PII register here as they are seen."""

_installed = False


def install() -> None:
    """Scrub every log record of the process from now on (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not break logging
            message = str(record.msg)
        record.msg = REDACTOR.scrub(message)
        record.args = None
        return record

    logging.setLogRecordFactory(factory)
    _installed = True
