"""Book an appointment: pick one of the job's open slots, or type a time in your own zone.

Times are shown and typed in the session's zone and sent in UTC. A time in the past or more than
365 days ahead is refused here, before anything is sent; whether the slot is really free is the
server's to say, and its answer is shown in its own words.

The dialog stays open under its confirmation and while the write is sent (on the App, so
leaving never abandons it): a refusal comes back into the dialog, with Amazon's message and
request id, the time typed still there to fix and send again. Only a booking that took effect
(or whose outcome is unknown, which must not be sent again blindly) closes it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sptui.desk.flows.booking import (
    BookingOutcome,
    BookingPreview,
    NotPossible,
    describe_booking,
    perform_booking,
    preview_booking,
    time_problem,
)
from sptui.desk.flows.close import reason_problem
from sptui.desk.formatting import active_appointment, named, window
from sptui.desk.local_time import parse_local, zone_name
from sptui.desk.writes import WriteResult
from sptui.spapi import SpApiError
from sptui.spapi.models import Appointment, ServiceJob
from sptui.spapi.reasons import model_reason_codes

from ..errors import describe
from ..text import clean
from ..widgets.steady import SteadyStatic
from ..writing import follow_up_later, journal_note, refusal, run_write, shown
from .answering import AnswersInPlace
from .base import Dialog
from .confirm import ConfirmWrite


@dataclass(frozen=True)
class Booking:
    start: datetime
    """UTC."""
    minutes: int
    reason: str | None = None
    """A reschedule's reason code; None for a new booking."""


class BookDialog(AnswersInPlace, Dialog[WriteResult | None]):
    """Dismisses with the booking's result once it took effect (or is unknown), else None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="book.back"),
        Binding("ctrl+s", "book", "Book", id="book.book"),
    ]
    DEFAULT_CSS = """
    BookDialog OptionList { height: auto; max-height: 8; }
    BookDialog .row { height: 1; margin-top: 1; }
    BookDialog .row > Label { width: 24; }
    BookDialog #answer { height: auto; display: none; }
    BookDialog #answer.-refused { color: $error; }
    """

    def __init__(
        self,
        job: ServiceJob,
        zone: tzinfo | None,
        moving: Appointment | None = None,
        *,
        start: datetime | None = None,
        confirm_now: bool = False,
        sent: Callable[[], object] | None = None,
    ) -> None:
        """``start`` fills in a time chosen elsewhere (a slot in a list); ``confirm_now`` goes
        straight on to its preview; ``sent`` is called after every write sent from here."""
        super().__init__()
        self.job = job
        self.zone = zone
        self.moving = moving
        """The active appointment being rescheduled; None books a new one."""
        self.start = start
        self.confirm_now = confirm_now
        self.sent = sent
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
                yield Input(
                    f"{self.start.astimezone(self.zone):%Y-%m-%d %H:%M}" if self.start else "",
                    placeholder="YYYY-MM-DD HH:MM",
                    id="typed",
                )
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
            yield SteadyStatic("", id="answer", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button("Move" if self.moving else "Book", id="book", variant="primary")

    def on_mount(self) -> None:
        self.load_slots()
        self.query_one("#typed" if self.start else "#slots").focus()
        if self.confirm_now:
            self.call_after_refresh(self.action_book)

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
        else:
            box.highlighted = 0  # the first ↓ goes to the second slot, as the eye expects

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
        if self.busy():
            return
        booking, problem = self.choice()
        self.query_one("#problem", Static).update(problem)
        if booking is not None:
            self.preview(booking)

    @on(Button.Pressed, "#book")
    def book_pressed(self) -> None:
        self.action_book()

    # ---- preview, confirm, send ------------------------------------------------------------
    def preview(self, booking: Booking) -> None:
        """Preview old -> new (in the user's zone and UTC) over this dialog; send on a yes."""
        session = self.app.session  # type: ignore[attr-defined]
        try:
            preview = preview_booking(
                self.job,
                booking.start,
                booking.minutes,
                session.clock(),
                move=booking.reason is not None,
                reason=booking.reason,
            )
        except NotPossible as why:
            self.query_one("#problem", Static).update(f"Not possible: {why}")
            return
        lines = describe_booking(preview, session.zone, session.technician_names())
        verb = "Move" if preview.moving else "Book"

        def answered(yes: bool | None) -> None:
            if yes:
                self.send(preview)

        self.app.push_screen(ConfirmWrite(lines[0], "\n".join(lines[1:]), verb), answered)

    def send(self, preview: BookingPreview) -> None:
        self.start_sending()
        run_write(self, self._send(preview), self._answered)

    async def _send(self, preview: BookingPreview) -> BookingOutcome:
        """Runs on the App: the answer is shown in this dialog if it is still up, else said."""
        session = self.app.session  # type: ignore[attr-defined]
        try:
            outcome = await perform_booking(session, preview)
        except Exception:
            self.stopped_unexpectedly()
            raise
        if self.sent is not None and outcome.changed is None:
            self.sent()
        what = f"{'Moving' if preview.moving else 'Booking'} job {clean(preview.job_id)}"
        booked = outcome.booked
        if booked is not None:
            follow_up_later(self.app, booked, what)
        if not shown(self) or (booked is not None and self.closes(booked)):
            self._say(preview, outcome)
        return outcome

    def _answered(self, outcome: BookingOutcome) -> None:
        """The answer, while the dialog is up: a refusal stays here to be fixed and sent again."""
        self.sending = False
        if outcome.changed is not None:
            self.job = outcome.changed.job
            if self.moving is not None:
                self.moving = active_appointment(self.job) or self.moving
            self.read_again(outcome.changed, "look at the time")
            return
        booked = outcome.booked
        assert booked is not None
        if self.closes(booked):
            self.dismiss(booked)
            return
        verb = "Not moved" if self.moving else "Not booked"
        self.answer(refusal(booked, f"{verb}: Amazon refused it"), refused=True)
        self.query_one("#typed", Input).focus()

    def _say(self, preview: BookingPreview, outcome: BookingOutcome) -> None:
        """The outcome as a notification: the dialog is gone, or closes on it."""
        from sptui.desk.explain import explain

        session = self.app.session  # type: ignore[attr-defined]
        if outcome.changed is not None:
            self.say_changed(outcome.changed)
            return
        booked, assigned = outcome.booked, outcome.assigned
        assert booked is not None
        when_text = window(preview.start, preview.minutes, session.zone)
        rid = f" (request id {clean(booked.request_id)})" if booked.request_id else ""
        notes = "".join(f"\n{line}" for line in explain(booked.warnings)) + journal_note(booked)
        verb = "Moved to" if preview.moving else "Booked"
        if booked.outcome == "succeeded":
            self.app.notify(f"{verb} {when_text}{rid}{notes}", timeout=8)
        elif booked.outcome == "applied":
            self.app.notify(
                f"{verb} {when_text} although the answer was an error: "
                f"{clean(booked.message)}{rid}{notes}",
                severity="warning",
                timeout=12,
            )
        elif booked.outcome == "unknown":
            self.app.notify(
                f"{verb} {when_text}: the outcome is unknown ({clean(booked.message)}){rid}"
                f"{notes}\nIt is being looked at again; do not send it again meanwhile.",
                severity="warning",
                timeout=15,
            )
        else:
            self.app.notify(
                f"Not booked ({booked.outcome}): {clean(booked.message)}{rid}{notes}",
                severity="error",
                timeout=12,
            )
        if assigned is not None:
            again = clean(named(preview.reassign, session.technician_names()))
            if assigned.took_effect:
                self.app.notify(f"Assigned {again} again", timeout=8)
            else:
                reasons = explain(assigned.errors) or [clean(assigned.message)]
                self.app.notify(
                    f"The move is done, but {again} could not be assigned again:\n"
                    + "\n".join(reasons),
                    severity="error",
                    timeout=15,
                )


def book_at(
    screen: Screen[Any], job: ServiceJob, start: datetime, sent: Callable[[], object] | None = None
) -> None:
    """Offer to book ``job`` at a slot picked in a list, or to move its active appointment there:
    the book dialog, filled in, with its preview straight over it."""
    from sptui.desk.flows.booking import BOOKABLE
    from sptui.desk.formatting import status_label

    from ..writing import refused_write

    if refused_write(screen.app):
        return
    status = str(getattr(job.service_job_status, "value", job.service_job_status) or "")
    active = active_appointment(job)
    if active is None and status not in BOOKABLE:
        screen.notify(
            f"Not possible: {status_label(status)} jobs cannot be booked.",
            severity="warning",
            timeout=6,
        )
        return
    zone = screen.app.session.zone  # type: ignore[attr-defined]
    screen.app.push_screen(
        BookDialog(job, zone, moving=active, start=start, confirm_now=True, sent=sent)
    )
