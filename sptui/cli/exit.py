"""What `sptui` commands exit with, so that scripts can tell outcomes apart."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    """Everything asked was done."""
    NOT_DONE = 1
    """Some of it was refused or failed; each is reported on stderr."""
    REFUSED = 2
    """A usage error, or refused before sending (declined, not confirmed, invalid): nothing sent."""
    AUTH = 3
    """Login with Amazon or the API refused the credentials or the role."""
    UNKNOWN = 4
    """A write's outcome is still unknown after reading the job back: look before retrying."""
