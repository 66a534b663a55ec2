"""Sending fulfillment data: each document uploaded with a progress bar, then the data attached.

Nothing is attached until every document is up: an upload that fails stops the run before
setAppointmentFulfillmentData, so the appointment never carries half of what was chosen. Escape
stops between steps (a step under way finishes, so the journal never holds a write without its
outcome). Each upload and the final write are journal entries.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ProgressBar, Static

from sptui.desk.desk import Desk
from sptui.desk.writes import WriteResult, perform
from sptui.spapi.models import (
    AppointmentResource,
    DateTimeRange,
    FulfillmentDocument,
    FulfillmentTime,
    SetAppointmentFulfillmentDataRequest,
)

from ..dialogs.base import Dialog
from ..dialogs.fulfillment import Fulfillment, size_text
from ..text import clean
from ..widgets.steady import SteadyStatic
from ..writing import journal_note, run_write, shown
from .job_run import STYLES

OPERATION = "setAppointmentFulfillmentData"


def request_for(
    plan: Fulfillment, documents: list[FulfillmentDocument]
) -> SetAppointmentFulfillmentDataRequest:
    return SetAppointmentFulfillmentDataRequest(
        estimated_arrival_time=(
            DateTimeRange(start_time=plan.arrival[0], end_time=plan.arrival[1])
            if plan.arrival
            else None
        ),
        fulfillment_time=(
            FulfillmentTime(start_time=plan.worked[0], end_time=plan.worked[1])
            if plan.worked
            else None
        ),
        appointment_resources=[AppointmentResource(resource_id=i) for i in plan.resource_ids]
        or None,
        fulfillment_documents=documents or None,
    )


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
        self.stopping = False
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

    def _progress(self, bar: ProgressBar) -> Callable[[int, int], None]:
        def moved(sent: int, total: int) -> None:
            if shown(self):
                bar.update(progress=100 * sent / max(total, 1))

        return moved

    async def run_all(self, session: Desk) -> None:
        """Runs on the App: a step once sent is seen through even if this dialog goes (the
        next steps are then not taken)."""
        from sptui.spapi import upload_document

        ids = {"serviceJobId": self.job_id, "appointmentId": self.appointment_id}
        uploaded: list[FulfillmentDocument] = []
        for index, document in enumerate(self.plan.documents):
            if self.stopping or not shown(self):
                return self._end("stopped before all documents were up: nothing was attached")
            bar = self.query_one(f"#upload-{index}", ProgressBar)
            self._say(f"uploading {clean(document.name)}…")
            result = await perform(
                session.journal,
                session.context(),
                "uploadDocument",
                ids,
                {
                    "contentType": document.content_type.value,
                    "contentLength": len(document.data),
                    "contentSha256": document.sha256,
                },
                lambda document=document, bar=bar: upload_document(
                    session.client, document, progress=self._progress(bar)
                ),
            )
            if not result.took_effect:
                return self._end(
                    f"the upload of {clean(document.name)} failed: {clean(result.message)} — "
                    "nothing was attached",
                    result,
                )
            if shown(self):
                bar.update(progress=100)
            uploaded.append(result.answer)
        if self.stopping or not shown(self):
            return self._end("stopped before sending: nothing was attached")
        request = request_for(self.plan, uploaded)
        self._say("sending the fulfillment data…")
        self.result = await perform(
            session.journal,
            session.context(),
            OPERATION,
            ids,
            request.to_wire(),
            lambda: session.client.set_appointment_fulfillment_data(
                self.job_id, self.appointment_id, request
            ),
        )
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
            self.stopping = True
            self._say("stopping after this step…")
