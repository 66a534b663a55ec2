"""Carrying out a confirmed cancel or complete over one job or many, with progress and a report.

Requests go out a few at a time and the client paces them by the usage plan. Escape stops
sending; what was in flight finishes, and the report says for every job whether it was done,
refused, ambiguous (with the read-back verdict) or not sent. Every attempt is in the journal.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, ProgressBar, Static

from sptui.desk.desk import Desk
from sptui.desk.flows.close import ClosePreview, perform_close
from sptui.desk.summary import JobSummary
from sptui.desk.writes import WriteResult

from ..focus import QuietFocus
from ..text import clean
from ..widgets.steady import SteadyStatic
from ..writing import follow_up_later, journal_note, run_write, shown

STYLES = {
    "succeeded": "green",
    "applied": "green",
    "failed": "red",
    "not applied": "red",
    "unknown": "yellow",
    "not sent": "dim",
}


class JobRun(QuietFocus, ModalScreen[list[WriteResult]]):
    BINDINGS = [Binding("escape", "stop_or_close", "Stop / close", id="job_run.stop")]
    DEFAULT_CSS = """
    JobRun { align: center middle; }
    JobRun > Vertical { width: 100; max-width: 100%; height: auto; max-height: 100%; border: round $primary; background: $surface; padding: 0 1; }
    JobRun ProgressBar { margin: 1 0; }
    JobRun VerticalScroll { height: auto; max-height: 14; }
    """

    def __init__(self, action: str, jobs: list[JobSummary], reason: str | None = None) -> None:
        super().__init__()
        self.action = action
        self.jobs = jobs
        self.reason = reason
        self.results: dict[str, WriteResult] = {}
        self.stop = asyncio.Event()
        self.finished = False

    def compose(self) -> ComposeResult:
        verb = "Cancelling" if self.action == "cancel" else "Completing"
        with Vertical():
            yield Label(f"{verb} {len(self.jobs)} job(s) — esc stops sending", id="title")
            yield ProgressBar(total=len(self.jobs), show_eta=False, id="progress")
            with VerticalScroll():
                yield SteadyStatic(id="log")
            yield SteadyStatic("", id="summary")

    def on_mount(self) -> None:
        # The session is fixed now: a profile switched mid-run must not receive the rest.
        run_write(self, self.run_all(self.app.session))  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        self.stop.set()  # gone: what is in flight finishes, nothing more is sent

    async def run_all(self, session: Desk) -> None:
        """Send every job, a few at a time; runs on the App, so a write once sent is seen
        through even if this screen goes (the rest are then not sent)."""
        preview = ClosePreview(self.action, tuple(self.jobs), (), self.reason)

        def answered(job: JobSummary, result: WriteResult) -> None:
            self.results[job.job_id] = result
            verb = "Cancelling" if self.action == "cancel" else "Completing"
            follow_up_later(self.app, result, f"{verb} job {clean(job.job_id)}")
            if shown(self):
                self.query_one("#progress", ProgressBar).advance(1)
                self._show()

        await perform_close(session, preview, on_result=answered, stop=self.stop)
        self.finished = True
        if shown(self):
            self._show()
        else:  # gone (a profile switch): say it wherever the user is now
            verb = "Cancelling" if self.action == "cancel" else "Completing"
            severity = "information" if self._done() == len(self.jobs) else "warning"
            title = f"{verb} {len(self.jobs)} job(s)"
            self.notify(self._summary(), title=title, severity=severity, timeout=20)

    def _done(self) -> int:
        return sum(r.took_effect for r in self.results.values())

    def _summary(self, closing: str = "") -> str:
        done = self._done()
        if not self.finished:
            stopping = " · stopping…" if self.stop.is_set() else ""
            return f"{len(self.results)} of {len(self.jobs)} answered{stopping}"
        left = len(self.jobs) - len(self.results)
        unrecorded = sum(bool(r.unrecorded) for r in self.results.values())
        journal = (
            f"{unrecorded} outcome(s) could not be written to the journal."
            if unrecorded
            else "Every attempt is in the journal."
        )
        return f"Finished: {done} done, {len(self.results) - done} not done, {left} not sent.{closing} {journal}"

    def _show(self) -> None:
        log = Text()
        for job in self.jobs:
            result = self.results.get(job.job_id)
            if result is None:
                if self.finished:
                    log.append(f"{clean(job.job_id)}  not sent (stopped)\n", style="dim")
                continue
            rid = f"  (request id {clean(result.request_id)})" if result.request_id else ""
            warn = "".join(
                f"  warning {clean(w.code)}: {clean(w.message)}" for w in result.warnings
            )
            log.append(
                f"{clean(job.job_id)}  {result.outcome}", style=STYLES.get(result.outcome, "")
            )
            said = "" if result.took_effect else f"  {clean(result.message)}"
            log.append(f"{said}{warn}{rid}\n")
            if result.unrecorded:
                log.append(f"{journal_note(result).strip()}\n", style="bold red")
        self.query_one("#log", Static).update(log)
        self.query_one("#summary", Static).update(Text(self._summary(" esc closes.")))

    def action_stop_or_close(self) -> None:
        if self.finished:
            self.dismiss(list(self.results.values()))
        else:
            self.stop.set()
            self._show()
