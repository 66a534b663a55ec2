"""The local job store: each profile's jobs in SQLite, kept up to date by change.

What the console and the command line call::

    store = open_for(desk.profile, desk.account, zone=desk.zone)   # or desk.open_store()
    result = await sync(store, desk.client, window_days=..., keep_closed_days=...,
                        full=False, progress=callback)              # -> SyncResult
    rows = await asyncio.to_thread(store.query, filters, sort, text, offset, limit)
    total = await asyncio.to_thread(store.count, filters, text)
    job = store.get(job_id)                    # the stored job, without buyer data
    changes = store.changes_since(cursor)      # new / changed / removed after a revision

One concept per module: schema.py (tables and migrations), rows.py (what is kept of a job),
query.py (filters, sort and `/` as SQL), jobs.py (JobStore), slices.py (the sliced walk of the
creation window), sync.py (sync and full refresh), location.py (where, and opening safely).

Opening, reading and importing the store loads neither pydantic nor httpx: the console paints
stored rows before the API layer is loaded (a sync loads it when it runs).
"""

from ..store_paths import store_path
from .account import account_key
from .jobs import Changes, JobStore, SyncState, Upserted
from .location import open_for, open_store, temporary_store
from .query import Sort, SortKey
from .slices import Progress
from .sync import OVERLAP, SyncResult, sync

__all__ = [
    "OVERLAP",
    "Changes",
    "JobStore",
    "Progress",
    "Sort",
    "SortKey",
    "SyncResult",
    "SyncState",
    "Upserted",
    "account_key",
    "open_for",
    "open_store",
    "store_path",
    "sync",
    "temporary_store",
]
