"""Running writes from the console so that nothing done to a screen can abandon one.

Textual cancels a node's workers when the node is removed: a write started on a screen would be
cut off when the user leaves it, its outcome neither shown nor journalled. Writes run on the App
instead. What comes of one is said in a notification, which shows wherever the user is, and is
shown on the screen that started it only if that screen is still up.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

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
P = ParamSpec("P")

READ_ONLY = (
    "Not sent: this profile is read-only (read_only = true in its config). Nothing was sent; "
    "switch profile (P) to make changes."
)


def refused_write(app: App[Any]) -> bool:
    """On a read-only profile, or offline, say so and return True: the caller sends nothing."""
    return refused_read_only(app) or refused_offline(app)


def refused_read_only(app: App[Any]) -> bool:
    """On a read-only profile, say so and return True: the caller sends nothing."""
    if getattr(app.session, "read_only", False):  # type: ignore[attr-defined]
        app.notify(READ_ONLY, title="Read-only profile", severity="warning", timeout=8)
        return True
    return False


def refused_offline(app: App[Any]) -> bool:
    """Offline (Amazon could not be reached at the last sync), say so and return True.

    A write sent then would most likely fail after being journalled as sent, or worse be
    applied unseen; it is refused before anything is sent, with the time of the last sync."""
    if not getattr(app, "offline", False):
        return False
    jobs = getattr(app, "jobs_screen", lambda: None)()
    since = jobs.last_sync() if jobs is not None else "the last sync"
    app.notify(OFFLINE_WRITE.format(since=since), title="Offline", severity="warning", timeout=10)
    return True


def writes(action: Callable[P, None]) -> Callable[P, None]:
    """Marks an action that leads to a write (a key, a palette entry, a click): on a read-only
    profile, or offline, it is refused with a message before any dialog opens or anything is
    sent."""

    @functools.wraps(action)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        node = args[0]
        if refused_write(node.app):  # type: ignore[attr-defined]
            return
        action(*args, **kwargs)

    guarded.writes = True  # type: ignore[attr-defined]
    return guarded


def shown(screen: Screen[Any]) -> bool:
    """Whether the screen is still up: a removed screen's widgets are gone with it."""
    return screen.is_attached


def run_write(
    screen: Screen[Any],
    write: Coroutine[Any, Any, T],
    then: Callable[[T], object] | None = None,
) -> Worker[None]:
    """Run ``write`` on the App; ``then(result)`` updates ``screen`` if it is still up.

    The last guard of a read-only profile, and of an offline console: whatever path led here,
    nothing is sent (nor journalled)."""
    if refused_write(screen.app):
        write.close()

        async def refused() -> None:
            return None

        return screen.app.run_worker(refused(), group=WRITES, exit_on_error=False)

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


def refusal(result: WriteResult, title: str) -> str:
    """What a dialog shows when its write did not take effect: Amazon's words, each error in
    plain terms where sptui knows the code, any warnings, and the request id support asks for."""
    from sptui.desk.explain import explain

    lines = [f"{title} ({clean(result.outcome)}):"]
    said = explain(result.errors) or [clean(result.message)]
    lines += [f"  {line}" for line in said]
    lines += [f"  warning {clean(w.code)}: {clean(w.message)}" for w in result.warnings]
    if result.request_id:
        lines.append(f"request id {clean(result.request_id)}")
    note = journal_note(result).strip()
    if note:
        lines.append(note)
    return "\n".join(lines)


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
