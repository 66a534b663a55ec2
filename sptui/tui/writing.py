"""Running writes from the console so that nothing done to a screen can abandon one.

Textual cancels a node's workers when the node is removed: a write started on a screen would be
cut off when the user leaves it, its outcome neither shown nor journalled. Writes run on the App
instead. What comes of one is said in a notification, which shows wherever the user is, and is
shown on the screen that started it only if that screen is still up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App
from textual.screen import Screen
from textual.worker import Worker

from sptui.desk.online import OFFLINE_WRITE

from .text import clean

if TYPE_CHECKING:  # the write path (and the API layer) loads after the first frame
    from sptui.desk.writes import WriteResult

WRITES = "writes"
"""The App's worker group for writes: never exclusive, so one write never cancels another."""

T = TypeVar("T")


def shown(screen: Screen[Any]) -> bool:
    """Whether the screen is still up: a removed screen's widgets are gone with it."""
    return screen.is_attached


def refusal(app: App[Any]) -> str | None:
    """Why no write may be sent now, or None. Offline: Amazon could not be reached at the
    last sync, so a write would most likely fail after being journalled as sent, or worse,
    be applied unseen; it is refused before anything is sent."""
    if not getattr(app, "offline", False):
        return None
    jobs = getattr(app, "jobs_screen", lambda: None)()
    since = jobs._last_sync() if jobs is not None else "the last sync"
    return OFFLINE_WRITE.format(since=since)


def run_write(
    screen: Screen[Any],
    write: Coroutine[Any, Any, T],
    then: Callable[[T], object] | None = None,
) -> Worker[None] | None:
    """Run ``write`` on the App; ``then(result)`` updates ``screen`` if it is still up.

    Every write of the console starts here, so this is where it is refused when it may not
    be sent (offline): said plainly, nothing journalled, nothing sent; returns None then."""
    why = refusal(screen.app)
    if why is not None:
        write.close()  # never started: nothing was sent
        screen.app.notify(why, title="Not sent", severity="warning", timeout=10)
        return None

    async def run() -> None:
        result = await write
        if then is not None and shown(screen):
            then(result)

    return screen.app.run_worker(run(), group=WRITES, exit_on_error=False)


async def writes_finished(app: App[Any]) -> None:
    """Wait for the writes in flight (before closing the client they use)."""
    running = [w.wait() for w in app.workers if w.group == WRITES and not w.is_finished]
    # a failed write raises here; it has already said so (SptuiApp.on_worker_state_changed)
    await asyncio.gather(*running, return_exceptions=True)


def journal_note(result: WriteResult | None) -> str:
    """A line saying plainly that the outcome is missing from the journal; empty if it is not."""
    if result is None or not result.unrecorded:
        return ""
    text = clean(result.unrecorded)
    return f"\n{text[:1].upper()}{text[1:]}"


def follow_up_later(app: App[Any], result: WriteResult | None, what: str) -> None:
    """An outcome still unknown is looked at again in the background, and the user hears how
    it turned out wherever they are (the write is never sent again)."""
    if result is None or result.outcome != "unknown" or result.recheck is None:
        return
    from sptui.desk.writes import follow_up

    journal = app.session.journal  # type: ignore[attr-defined]

    async def look_again() -> None:
        settled = await follow_up(journal, result)
        if settled.outcome == "unknown":
            app.notify(
                f"{what}: still unknown after looking again; check the job before retrying",
                severity="warning",
                timeout=20,
            )
        else:
            severity = "information" if settled.took_effect else "warning"
            app.notify(
                f"{what}: {settled.outcome} ({settled.message})", severity=severity, timeout=20
            )

    app.run_worker(look_again(), group=WRITES, exit_on_error=False)
