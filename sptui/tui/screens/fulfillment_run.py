"""Sending fulfillment data: each document uploaded with a progress bar, then the data attached.

Nothing is attached until every document is up: an upload that fails stops the run before
setAppointmentFulfillmentData, so the appointment never carries half of what was chosen. Escape
stops between steps (a step under way finishes, so the journal never holds a write without its
outcome). Each upload and the final write are journal entries.
"""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ProgressBar, Static

from sptui.desk.desk import Desk
from sptui.desk.flows.fulfilment import Fulfillment, size_text
from sptui.desk.writes import WriteResult

from ..dialogs.base import Dialog
from ..text import clean
from ..widgets.steady import SteadyStatic
from ..writing import journal_note, run_write, shown
from .job_run import STYLES


class FulfillmentRun(Dialog[WriteResult | None]):
    BINDINGS = [Binding("escape", "stop_or_close", "Stop / close", id="fulfillment_run.stop")]
    DEFAULT_CSS = """
    FulfillmentRun > Vertical { width: 90; }
    FulfillmentRun .upload { height: 1; }
    FulfillmentRun .upload > Label { width: 1fr; }
    FulfillmentRun #outcome { height: auto; margin-top: 1; }
    """

    def __init__(self, job_id: str, appointment_id: str, plan: Fulfillment) -> None:
        super().__init__()
        self.job_id = job_id
        self.appointment_id = appointment_id
        self.plan = plan
        self.result: WriteResult | None = None
        self.stop = asyncio.Event()
        self.finished = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                Text(f"Fulfillment data · job {clean(self.job_id)} — esc stops", style="bold"),
                id="title",
            )
            for index, document in enumerate(self.plan.documents):
                with Horizontal(classes="upload"):
                    yield Label(
                        Text(f"{clean(document.name)[:26]} · {size_text(len(document.data))}")
                    )
                    yield ProgressBar(total=100, show_eta=False, id=f"upload-{index}")
            yield SteadyStatic("", id="outcome")

    def on_mount(self) -> None:
        run_write(self, self.run_all(self.app.session))  # type: ignore[attr-defined]

    def _say(self, text: Text | str) -> None:
        if shown(self):
            self.query_one("#outcome", Static).update(Text(text) if isinstance(text, str) else text)

    def _progress(self, index: int, sent: int, total: int) -> None:
        if shown(self):
            bar = self.query_one(f"#upload-{index}", ProgressBar)
            bar.update(progress=100 * sent / max(total, 1))

    def on_unmount(self) -> None:
        self.stop.set()  # gone: the step under way finishes, no further step is taken

    async def run_all(self, session: Desk) -> None:
        """Runs on the App: a step once sent is seen through even if this dialog goes (the
        next steps are then not taken)."""
        from sptui.desk.flows.fulfilment import perform_fulfilment

        outcome = await perform_fulfilment(
            session,
            self.job_id,
            self.appointment_id,
            self.plan,
            progress=self._progress,
            stop=self.stop,
            on_step=lambda text: self._say(clean(text)),
        )
        self.result = outcome.result
        if outcome.why:
            last = outcome.uploads[-1] if outcome.uploads else None
            failed = last if last is not None and not last.took_effect else None
            self._end(f"{clean(outcome.why)} — nothing was attached", failed)
        else:
            self._end("", self.result)

    def _end(self, why: str, result: WriteResult | None = None) -> None:
        self.finished = True
        text = Text()
        if result is not None:
            text.append(
                "Fulfillment data set" if result.took_effect and not why else "Not set",
                style=STYLES.get(result.outcome if not why else "failed", ""),
            )
            if why:
                text.append(f": {why}")
            elif not result.took_effect:
                text.append(f" ({result.outcome}): {clean(result.message)}")
            for warning in result.warnings:
                text.append(f"\nwarning {clean(warning.code)}: {clean(warning.message)}")
            if result.request_id:
                text.append(f"\nrequest id {clean(result.request_id)}")
            text.append(journal_note(result), style="bold red")
        else:
            text.append(f"Not set: {why}", style="yellow")
        title = f"Fulfillment data · job {clean(self.job_id)}"
        if not shown(self):  # gone: say it wherever the user is now
            severity = "information" if result and result.took_effect and not why else "warning"
            self.notify(text.plain, title=title, severity=severity, timeout=20, markup=False)
            return
        self.query_one("#title", Label).update(Text(title, style="bold"))
        recorded = " · every step is in the journal (J)" if not journal_note(result) else ""
        text.append(f"\nesc closes{recorded}", style="dim")
        self._say(text)

    def action_stop_or_close(self) -> None:
        if self.finished:
            self.dismiss(self.result)
        else:
            self.stop.set()
            self._say("stopping after this step…")
