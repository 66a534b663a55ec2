"""One appointment: its window, technicians, proof, history, and the job's open slots."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from rich.columns import Columns
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from sptui.desk.formatting import appointment_label, technicians, when, window
from sptui.desk.local_time import zone_name
from sptui.spapi import SpApiError
from sptui.spapi.models import Appointment, AppointmentSlot, ServiceJob

from ..errors import describe, report
from ..focus import QuietFocus
from ..text import clean, plain
from ..widgets.section import section
from ..widgets.steady import SteadyFooter, SteadyStatic
from ..widgets.top_bar import TopBar


def slots_by_day(
    slots: list[AppointmentSlot], zone: object, empty: str = "no open slots in the next 7 days"
) -> Table:
    """Days as rows, each day's open windows with their capacity."""
    days: dict[date, list[str]] = defaultdict(list)
    for slot in slots:
        if slot.start_time is None or not slot.capacity:
            continue
        start = slot.start_time.astimezone(zone)  # type: ignore[arg-type]
        end = slot.end_time.astimezone(zone).strftime("%H:%M") if slot.end_time else "?"  # type: ignore[arg-type]
        days[start.date()].append(f"{start:%H:%M}–{end} ({slot.capacity})")
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for day in sorted(days):
        # Columns keeps each window whole when a narrow terminal wraps a busy day
        table.add_row(day.strftime("%a %d %b"), Columns(days[day], padding=(0, 2)))
    if not days:
        table.add_row("—", empty)
    return table


class AppointmentScreen(QuietFocus, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="appointment.back"),
        Binding("y", "copy_id", "Copy id", id="appointment.copy_id"),
        Binding("r", "refresh", "Refresh slots", id="appointment.refresh"),
    ]
    DEFAULT_CSS = """
    AppointmentScreen VerticalScroll { height: 1fr; padding: 0 1; }
    """

    def __init__(self, job: ServiceJob, appointment: Appointment) -> None:
        super().__init__()
        self.job = job
        self.appointment = appointment

    def compose(self) -> ComposeResult:
        yield TopBar(f"Appointment · job {clean(self.job.service_job_id)}")
        with VerticalScroll(can_focus=True):
            yield SteadyStatic(id="details")
            yield Static(
                Text(
                    "Open slots for this job, times in "
                    f"{zone_name(self.app.session.zone)} (capacity in brackets)",  # type: ignore[attr-defined]
                    style="bold underline",
                )
            )
            yield SteadyStatic("loading…", id="slots")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.show()
        self.load_slots()
        self.query_one(VerticalScroll).focus()

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
        try:
            answer = await client.get_appointment_slots_by_job_id(str(self.job.service_job_id))
        except SpApiError as error:
            report(self.app, error, "Could not load open slots")
            self.query_one("#slots", Static).update(Text(describe(error)))
            return
        report_ = answer.payload
        zone = self.app.session.zone  # type: ignore[attr-defined]
        self.query_one("#slots", Static).update(
            slots_by_day(report_.appointment_slots or [] if report_ else [], zone)
        )

    def action_refresh(self) -> None:
        self.load_slots()

    def action_copy_id(self) -> None:
        appointment_id = clean(self.appointment.appointment_id)
        self.app.copy_to_clipboard(appointment_id)
        self.notify(f"Copied appointment id {appointment_id}", timeout=3)
