"""Which job? The open jobs for a service at a store, to book one into a slot found."""

from __future__ import annotations

from datetime import tzinfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from sptui.desk.formatting import active_appointment, status_label, window
from sptui.spapi.models import ServiceJob

from ..text import clean
from .base import Dialog


def job_line(job: ServiceJob, zone: tzinfo | None) -> Text:
    """A job as offered: id, status, and its appointment if it has one (which would move)."""
    active = active_appointment(job)
    time = active.appointment_time if active else None
    status = str(getattr(job.service_job_status, "value", job.service_job_status) or "")
    what = (
        f"moves it from {window(time.start_time, time.duration_in_minutes, zone, short=True)}"
        if time is not None
        else "books it"
    )
    city = (
        job.service_location.address.city
        if job.service_location and job.service_location.address
        else None
    )
    return Text(
        f"{clean(job.service_job_id)} · {status_label(status)} · {clean(city or '—')} · {what}"
    )


class PickJob(Dialog[str | None]):
    """Dismisses with the chosen job's id, or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Back", id="pick_job.back")]
    DEFAULT_CSS = """
    PickJob OptionList { height: auto; max-height: 14; border: none; }
    """

    def __init__(self, title: str, jobs: list[ServiceJob], zone: tzinfo | None) -> None:
        super().__init__()
        self.title_text = title
        self.jobs = jobs
        self.zone = zone

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield Label("The open jobs for this service and store · enter chooses, esc goes back")
            yield OptionList(
                *[Option(job_line(j, self.zone), id=str(j.service_job_id)) for j in self.jobs],
                id="jobs",
            )

    def on_mount(self) -> None:
        box = self.query_one(OptionList)
        box.focus()
        if box.option_count:
            box.highlighted = 0

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
