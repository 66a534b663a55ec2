"""Which account a store belongs to: the key in its file name (kept apart so that building a
desk does not load SQLite)."""

from __future__ import annotations

import hashlib


def account_key(base_url: str, marketplace_id: str, client_id: str) -> str:
    """Who a profile's credentials reach, as a short stable key: the API endpoint, the
    marketplace and the application's client id (no secret goes into it). A profile edited to
    reach another of these gets another store."""
    raw = "\n".join((base_url.rstrip("/").lower(), marketplace_id, client_id))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]
