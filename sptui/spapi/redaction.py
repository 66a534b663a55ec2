"""Keep tokens, secrets and buyer PII out of every log record the process writes.

The redaction sits in the log-record factory rather than in a filter, because filters only see
records of the logger they are attached to: httpx, httpcore and any library we do not control
would slip past. Here every record is scrubbed as it is made, whoever makes it.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

MASK = "[REDACTED]"
_MIN_SECRET = 4  # shorter values would mask ordinary words and digits

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
        self._values: set[str] = set()
        self._compiled: re.Pattern[str] | None = None

    def register(self, values: Iterable[str | None]) -> None:
        added = {v for v in values if v and len(v) >= _MIN_SECRET}
        with self._lock:
            if not added <= self._values:
                self._values |= added
                self._compiled = None

    def scrub(self, text: str) -> str:
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: (m.group(1) if m.re.groups else "") + MASK, text)
        with self._lock:
            if self._values and self._compiled is None:
                ordered = sorted(self._values, key=len, reverse=True)
                self._compiled = re.compile("|".join(re.escape(v) for v in ordered))
            compiled = self._compiled
        return compiled.sub(MASK, text) if compiled else text


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
