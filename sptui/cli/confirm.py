"""The one way a command writes: preview, then (asked or --yes) send, then report each outcome.

The preview goes to stderr for the person; ``--dry-run`` stops there. On a terminal the command
asks; without one it refuses unless ``--yes`` (exit 2, nothing sent). Outcomes go to stdout in
the chosen format, and every one that did not take effect is also said on stderr with Amazon's
words and the request id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sptui.desk.writes import WriteResult

from .exit import Exit
from .fields import WRITE_FIELDS, write_document
from .io import IO
from .output import default_format, export

NEEDS_YES = (
    "not sent: --yes is needed when sptui cannot ask (standard input or error is not a terminal)"
)


@dataclass(frozen=True)
class WriteOptions:
    yes: bool = False
    dry_run: bool = False
    output: str | None = None


def exit_for(results: Sequence[WriteResult]) -> Exit:
    """4 if any outcome is unknown; 2 if nothing was sent at all (refused before sending);
    1 if some were refused or failed; 0 when everything took effect."""
    if any(r.outcome == "unknown" for r in results):
        return Exit.UNKNOWN
    if results and all(r.outcome == "not sent" for r in results):
        return Exit.REFUSED
    if any(not r.took_effect for r in results):
        return Exit.NOT_DONE
    return Exit.OK


def report(io: IO, results: Sequence[WriteResult], output: str | None) -> Exit:
    fmt = output or default_format(io.out_is_terminal)
    export(
        io.out,
        results,
        WRITE_FIELDS,
        fmt,
        aligned=io.out_is_terminal,
        documents=write_document,
    )
    for result in results:
        if not result.took_effect:
            rid = f" (request id {result.request_id})" if result.request_id else ""
            first = next(iter(result.ids.values()), "")
            io.say(f"sptui: {first}: {result.operation} {result.outcome}: {result.message}{rid}")
        unrecorded = getattr(result, "unrecorded", "")
        if unrecorded:
            io.say(f"sptui: warning: {unrecorded}")
    return exit_for(results)


def gate(io: IO, options: WriteOptions, preview: Sequence[str], question: str) -> Exit | None:
    """Show the preview; None means go ahead, an Exit means stop here (nothing sent)."""
    for line in preview:
        io.say(line)
    if options.dry_run:
        io.say("dry run: nothing was sent")
        return Exit.OK
    if not options.yes:
        if not io.can_prompt:
            io.say(f"sptui: {NEEDS_YES}")
            return Exit.REFUSED
        if not io.confirm(question):
            io.say("not sent")
            return Exit.REFUSED
    return None


async def confirm_and_send(
    io: IO,
    options: WriteOptions,
    preview: Sequence[str],
    send: Callable[[], Awaitable[Sequence[WriteResult]]],
    *,
    question: str = "Send?",
) -> Exit:
    stop = gate(io, options, preview, question)
    if stop is not None:
        return stop
    return report(io, await send(), options.output)
