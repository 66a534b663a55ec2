"""One appointment: its window, technicians, proof, history, and the job's open slots."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from sptui.desk.flows.guard import read_answer
from sptui.desk.formatting import active_appointment, appointment_label, technicians, when, window
from sptui.desk.local_time import zone_name
from sptui.spapi import SpApiError
from sptui.spapi.models import Appointment, ServiceJob

from ..errors import describe, report
from ..focus import QuietFocus
from ..text import clean, plain
from ..widgets.section import section
from ..widgets.slot_table import SlotTable, slot_rows, slot_start
from ..widgets.steady import SteadyFooter, SteadyStatic
from ..widgets.top_bar import TopBar
from ..widgets.virtual_table import VirtualTable
from ..writing import shown


class AppointmentScreen(QuietFocus, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="appointment.back"),
        Binding("y", "copy_id", "Copy id", id="appointment.copy_id"),
        Binding("r", "refresh", "Refresh slots", id="appointment.refresh"),
        Binding("tab", "app.focus_next", "Scroll/slots", show=False, id="appointment.focus_next"),
    ]
    DEFAULT_CSS = """
    AppointmentScreen #about { height: auto; max-height: 60%; padding: 0 1; }
    AppointmentScreen #slots-title { padding: 0 1; }
    AppointmentScreen #slots { height: 1fr; min-height: 4; }
    """

    def __init__(self, job: ServiceJob, appointment: Appointment) -> None:
        super().__init__()
        self.job = job
        self.appointment = appointment

    def compose(self) -> ComposeResult:
        yield TopBar(f"Appointment · job {clean(self.job.service_job_id)}")
        with VerticalScroll(can_focus=True, id="about"):
            yield SteadyStatic(id="details")
        yield Static(Text(self._slots_title(), style="bold underline"), id="slots-title")
        yield SlotTable(empty="loading…", id="slots")
        yield SteadyFooter(compact=True)

    def _slots_title(self) -> str:
        from sptui.desk.flows.booking import BOOKABLE

        job = self.job
        status = str(getattr(job.service_job_status, "value", job.service_job_status) or "")
        head = f"Open slots, times in {zone_name(self.app.session.zone)}"  # type: ignore[attr-defined]
        if active_appointment(job) is not None:
            return f"{head} · enter moves the appointment there"
        if status in BOOKABLE:
            return f"{head} · enter books one"
        return head

    def on_mount(self) -> None:
        self.show()
        self.load_slots()
        self.query_one(SlotTable).focus()

    def show(self) -> None:
        zone = self.app.session.zone  # type: ignore[attr-defined]
        a = self.appointment
        time = a.appointment_time
        poa = a.poa
        poa_pairs: list[tuple[str, object]] = [("Proof of appointment", "none yet")]
        if poa is not None:
            poa_time = poa.appointment_time
            poa_pairs = [
                ("Proof type", plain(getattr(poa.poa_type, "value", poa.poa_type) or "—")),
                (
                    "Work done",
                    window(
                        poa_time.start_time if poa_time else None,
                        poa_time.duration_in_minutes if poa_time else None,
                        zone,
                    ),
                ),
                (
                    "Proof technicians",
                    ", ".join(clean(t.name or t.technician_id) for t in poa.technicians or [])
                    or "—",
                ),
                ("Uploaded", when(poa.upload_time, zone)),
                ("Uploaded by", plain(poa.uploading_technician or "—")),
            ]
        self.query_one("#details", Static).update(
            Group(
                section(
                    "Appointment",
                    [
                        ("Appointment id", plain(a.appointment_id)),
                        ("Status", appointment_label(a.appointment_status)),
                        (
                            "Time window",
                            window(
                                time.start_time if time else None,
                                time.duration_in_minutes if time else None,
                                zone,
                            ),
                        ),
                        ("Technicians", technicians(a)),
                        ("Rescheduled from", plain(a.rescheduled_appointment_id or "—")),
                    ],
                ),
                section("Proof", poa_pairs),  # type: ignore[arg-type]
            )
        )

    @work(exclusive=True, group="slots")
    async def load_slots(self) -> None:
        client = self.app.session.client  # type: ignore[attr-defined]
        table = self.query_one(SlotTable)
        try:
            answer = await client.get_appointment_slots_by_job_id(str(self.job.service_job_id))
        except SpApiError as error:
            report(self.app, error, "Could not load open slots")
            table.empty_text = clean(describe(error)).replace("\n", " · ")
            table.set_rows([])
            return
        report_ = answer.payload
        zone = self.app.session.zone  # type: ignore[attr-defined]
        table.empty_text = "No open slots in the next 7 days"
        table.set_rows(slot_rows(report_.appointment_slots or [] if report_ else [], zone))

    def action_refresh(self) -> None:
        self.load_slots()

    def on_virtual_table_activated(self, message: VirtualTable.Activated) -> None:
        """Enter on a slot: book the job there, or move its active appointment there."""
        from ..dialogs.book import book_at

        book_at(self, self.job, slot_start(message.row), sent=self._sent)

    def _sent(self) -> None:
        if shown(self):
            self.reread()

    @work(exclusive=True, group="appointment-job")
    async def reread(self) -> None:
        """After a write: the job as it is now (a move makes a new appointment), and its slots."""
        try:
            answer = await read_answer(self.app.session, str(self.job.service_job_id))  # type: ignore[attr-defined]
        except SpApiError as error:
            report(self.app, error, "Could not read the job back")
            return
        if answer.payload is None:
            return
        self.job = answer.payload
        mine = next(
            (
                a
                for a in self.job.appointments or []
                if a.appointment_id == self.appointment.appointment_id
            ),
            self.appointment,
        )
        self.appointment = mine
        self.query_one("#slots-title", Static).update(
            Text(self._slots_title(), style="bold underline")
        )
        self.show()
        self.load_slots()

    def action_copy_id(self) -> None:
        appointment_id = clean(self.appointment.appointment_id)
        self.app.copy_to_clipboard(appointment_id)
        self.notify(f"Copied appointment id {appointment_id}", timeout=3)
