"""Book an appointment: pick one of the job's open slots, or type a time in your own zone.

Times are shown and typed in the session's zone and sent in UTC. A time in the past or more than
365 days ahead is refused here, before anything is sent; whether the slot is really free is the
server's to say, and its answer is shown in its own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sptui.desk.flows.booking import time_problem
from sptui.desk.flows.close import reason_problem
from sptui.desk.formatting import window
from sptui.desk.local_time import parse_local, zone_name
from sptui.spapi import SpApiError
from sptui.spapi.models import Appointment, ServiceJob
from sptui.spapi.reasons import model_reason_codes

from ..errors import describe
from ..text import clean
from ..widgets.steady import SteadyStatic
from .base import Dialog


@dataclass(frozen=True)
class Booking:
    start: datetime
    """UTC."""
    minutes: int
    reason: str | None = None
    """A reschedule's reason code; None for a new booking."""


class BookDialog(Dialog[Booking | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="book.back"),
        Binding("ctrl+s", "book", "Book", id="book.book"),
    ]
    DEFAULT_CSS = """
    BookDialog OptionList { height: auto; max-height: 8; }
    BookDialog .row { height: 1; margin-top: 1; }
    BookDialog .row > Label { width: 24; }
    """

    def __init__(
        self, job: ServiceJob, zone: tzinfo | None, moving: Appointment | None = None
    ) -> None:
        super().__init__()
        self.job = job
        self.zone = zone
        self.moving = moving
        """The active appointment being rescheduled; None books a new one."""
        self.slots: list[tuple[datetime, int]] = []
        preferred = job.preferred_appointment_times or []
        self.default_minutes = (preferred[0].duration_in_minutes if preferred else None) or 60

    def compose(self) -> ComposeResult:
        scope = self.job.scope_of_work
        with Vertical():
            yield Label(
                Text(
                    f"{'Move the appointment of job' if self.moving else 'Book job'} "
                    f"{clean(self.job.service_job_id)} · {clean(scope.title) if scope else ''}",
                    style="bold",
                )
            )
            yield Label(f"Open slots, times in {zone_name(self.zone)} · enter books one")
            yield OptionList(Option("loading open slots…", disabled=True), id="slots")
            with Horizontal(classes="row"):
                yield Label("Or start at")
                yield Input(placeholder="YYYY-MM-DD HH:MM", id="typed")
            with Horizontal(classes="row"):
                yield Label("Duration (minutes)")
                yield Input(str(self.default_minutes), id="minutes")
            if self.moving is not None:
                old = self.moving.appointment_time
                start, minutes = (old.start_time, old.duration_in_minutes) if old else (None, None)
                yield Label(
                    f"Now {window(start, minutes, self.zone)}  →  the new time chosen above"
                )
                codes = sorted(model_reason_codes()["reschedule"])
                with Horizontal(classes="row"):
                    yield Label("Reason code")
                    yield Input(
                        codes[0] if codes else "",
                        placeholder="R1 (in Amazon's model) or another",
                        id="reason",
                    )
            yield SteadyStatic("", id="problem")
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button("Move" if self.moving else "Book", id="book", variant="primary")

    def on_mount(self) -> None:
        self.load_slots()

    @work(exclusive=True, group="book-slots")
    async def load_slots(self) -> None:
        client = self.app.session.client  # type: ignore[attr-defined]
        box = self.query_one("#slots", OptionList)
        try:
            answer = await client.get_appointment_slots_by_job_id(str(self.job.service_job_id))
        except SpApiError as error:
            box.clear_options()
            box.add_option(Option(Text(describe(error)), disabled=True))
            return
        report = answer.payload
        self.slots = [
            (s.start_time, s.capacity or 0)
            for s in (report.appointment_slots or [] if report else [])
            if s.start_time and s.capacity
        ]
        box.clear_options()
        for index, (start, capacity) in enumerate(self.slots):
            local = start.astimezone(self.zone)
            box.add_option(Option(f"{local:%a %d %b %H:%M}  ({capacity} free)", id=str(index)))
        if not self.slots:
            box.add_option(
                Option("no open slots in the next 7 days: type a time below", disabled=True)
            )

    def choice(self) -> tuple[Booking | None, str]:
        now = self.app.session.clock()  # type: ignore[attr-defined]
        minutes_text = self.query_one("#minutes", Input).value.strip()
        minutes = int(minutes_text) if minutes_text.isdigit() else None
        typed = self.query_one("#typed", Input).value.strip()
        if typed:
            try:
                start = parse_local(typed, self.zone)
            except ValueError:
                return None, "type the start as YYYY-MM-DD HH:MM"
        else:
            box = self.query_one("#slots", OptionList)
            highlighted = box.highlighted
            option = box.get_option_at_index(highlighted) if highlighted is not None else None
            if option is None or option.id is None:
                return None, "pick an open slot, or type a time"
            start = self.slots[int(option.id)][0]
        problem = time_problem(start, minutes, now)
        reason = None
        if self.moving is not None:
            reason = self.query_one("#reason", Input).value.strip()
            if reason_problem(reason):
                problem = problem or "a reschedule needs a reason code: 1-100 of A-Z, 0-9 and _"
        return (None, problem) if problem else (Booking(start, int(minutes or 0), reason), "")

    @on(Input.Changed)
    def changed(self) -> None:
        self.query_one("#problem", Static).update(
            self.choice()[1] if self.query_one("#typed", Input).value else ""
        )

    @on(OptionList.OptionSelected, "#slots")
    def slot_chosen(self) -> None:
        self.query_one("#typed", Input).value = ""
        self.action_book()

    def action_book(self) -> None:
        booking, problem = self.choice()
        self.query_one("#problem", Static).update(problem)
        if booking is not None:
            self.dismiss(booking)

    @on(Button.Pressed, "#book")
    def book_pressed(self) -> None:
        self.action_book()
