"""A technician's reservations (breaks, travel, training, vacation): create, edit, cancel.

Amazon has no call that lists reservations, so the list is the ones made from sptui, found again
in its journal; a reservation made elsewhere can still be edited or cancelled by its id (`i`).
Every write is confirmed, journalled, and answered with Amazon's errors, warnings and request id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from sptui.desk.availability import describe
from sptui.desk.flows.supply import cancel_reservation, save_reservation
from sptui.desk.journal_memory import KnownReservation, known_reservations
from sptui.desk.writes import WriteResult
from sptui.spapi.models import Reservation

from ..dialogs.availability import Availability, AvailabilityDialog
from ..dialogs.confirm import ConfirmWrite
from ..focus import QuietFocus
from ..text import clean
from ..widgets.steady import SteadyFooter
from ..widgets.top_bar import TopBar
from ..widgets.virtual_table import Column, Row, VirtualTable
from ..writing import journal_note, run_write, writes

COLUMNS = [
    Column("type", "Type", 10, priority=0),
    Column("when", "When", 30, flex=True, priority=0),
    Column("state", "State", 10, priority=1),
    Column("id", "Reservation ID", 24, priority=2),
]


def _say(screen: Screen[Any], verb: str, result: WriteResult, what: str = "") -> None:
    """'Cancelled RES-Ab12' or 'Not cancelled RES-Ab12 (failed): …': the verb changes case,
    never the id after it."""
    rid = f"\nrequest id {clean(result.request_id)}" if result.request_id else ""
    rid += journal_note(result)
    warnings = "".join(f"\nwarning {clean(w.code)}: {clean(w.message)}" for w in result.warnings)
    subject = f" {clean(what)}" if what else ""
    if result.took_effect:
        screen.notify(f"{verb}{subject}{warnings}{rid}", timeout=8, markup=False)
    else:
        errors = "".join(f"\n{clean(e.code)}: {clean(e.message)}" for e in result.errors[1:])
        screen.notify(
            f"Not {verb.lower()}{subject} ({result.outcome}): {clean(result.message)}"
            f"{errors}{warnings}{rid}",
            severity="error",
            timeout=15,
            markup=False,
        )


def reservation_write(
    screen: Screen[Any],
    resource_id: str,
    name: str,
    done: Callable[[bool], None],
    *,
    existing: KnownReservation | None = None,
    reservation_id: str | None = None,
    start: datetime | None = None,
) -> None:
    """Ask for a reservation (new, or a change to one), confirm it, send it; ``done(changed)``."""
    session = screen.app.session  # type: ignore[attr-defined]
    rid = existing.reservation_id if existing else reservation_id
    verb = "Change" if rid else "Create"
    title = f"{verb} a reservation · {clean(name)}" + (f" · {clean(rid)}" if rid else "")

    def chosen(found: Availability | None) -> None:
        if found is None:
            return
        reservation = Reservation(type=found.kind, availability=found.record)
        body = Text.assemble(
            (f"{'updateReservation ' + clean(rid) if rid else 'createReservation'}\n", "bold"),
            f"technician {clean(name)} ({clean(resource_id)})\n",
            f"{found.kind.value.title() if found.kind else ''} · "
            f"{describe(found.record, session.zone, named=True)}",
        )
        note = "Capacity held by the reservation is no longer offered to buyers."
        screen.app.push_screen(
            ConfirmWrite(title, body, verb, note=note),
            lambda yes: run_write(screen, send(reservation), done) if yes else None,
        )

    async def send(reservation: Reservation) -> bool:
        result = await save_reservation(session, resource_id, reservation, rid)
        made = result.created.get("reservationId")
        _say(screen, "Changed" if rid else "Created", result, str(made or rid or ""))
        return result.took_effect

    initial = existing.reservation.availability if existing else None
    kind = existing.reservation.type if existing else None
    screen.app.push_screen(
        AvailabilityDialog(
            title, session.zone, session.clock(), initial, kind, reservation=True, start=start
        ),
        chosen,
    )


def new_reservation(
    screen: Screen[Any], resource_id: str, name: str, start: object, done: Callable[[bool], None]
) -> None:
    reservation_write(
        screen, resource_id, name, done, start=start if isinstance(start, datetime) else None
    )


class ReservationsScreen(QuietFocus, Screen[bool]):
    """Dismisses with whether anything changed, so the capacity view can read itself again."""

    BINDINGS = [
        Binding("escape", "leave", "Back", id="reservations.back"),
        Binding("n", "new", "New", id="reservations.new"),
        Binding("e", "edit", "Edit", id="reservations.edit"),
        Binding("x", "cancel_reservation", "Cancel it", id="reservations.cancel"),
        Binding(
            "i",
            "by_id",
            "By id…",
            tooltip="Edit or cancel a reservation made elsewhere",
            id="reservations.by_id",
        ),
    ]
    DEFAULT_CSS = """
    ReservationsScreen #note { height: auto; padding: 0 1; color: $text-muted; }
    ReservationsScreen VirtualTable { height: 1fr; }
    """

    def __init__(self, resource_id: str, name: str) -> None:
        super().__init__()
        self.resource_id = resource_id
        self.name_text = name
        self.known: list[KnownReservation] = []
        self.changed = False

    def compose(self) -> ComposeResult:
        yield TopBar(
            f"Reservations · {clean(self.name_text)} · {clean(self.resource_id)}",
            f"Reservations · {clean(self.name_text)}",
        )
        yield Static(
            "Amazon has no call that lists reservations: these are the ones made from sptui "
            "(from its journal). i edits or cancels another by its id.",
            id="note",
        )
        yield VirtualTable(
            COLUMNS, empty="No reservations made from sptui yet · n makes one", id="table"
        )
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self.query_one(VirtualTable).focus()

    def reload(self) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        self.known = known_reservations(
            session.journal.entries(), session.context()["profile"], self.resource_id
        )
        rows = []
        for known in self.known:
            r = known.reservation
            rows.append(
                Row(
                    known.reservation_id,
                    (
                        str(getattr(r.type, "value", r.type)).title(),
                        describe(r.availability, session.zone) if r.availability else "?",
                        "Cancelled" if known.cancelled else "Active",
                        known.reservation_id,
                    ),
                )
            )
        self.query_one(VirtualTable).set_rows(rows)

    def _current(self) -> KnownReservation | None:
        row = self.query_one(VirtualTable).current
        found = next((k for k in self.known if row and k.reservation_id == row.key), None)
        if found is None:
            self.notify("No reservation here: n makes one, i works on one by its id.", timeout=5)
        elif found.cancelled:
            self.notify("That reservation is cancelled.", severity="warning", timeout=5)
            return None
        return found

    def _done(self, changed: bool) -> None:
        self.changed = self.changed or changed
        self.reload()

    @writes
    def action_new(self) -> None:
        reservation_write(self, self.resource_id, self.name_text, self._done)

    @writes
    def action_edit(self) -> None:
        found = self._current()
        if found is not None:
            reservation_write(self, self.resource_id, self.name_text, self._done, existing=found)

    @writes
    def action_cancel_reservation(self, reservation_id: str | None = None) -> None:
        found = None if reservation_id else self._current()
        rid = reservation_id or (found.reservation_id if found else None)
        if rid is None:
            return
        session = self.app.session  # type: ignore[attr-defined]
        what = (
            describe(found.reservation.availability, session.zone, named=True)
            if found and found.reservation.availability
            else "(made elsewhere)"
        )
        body = Text.assemble(
            (f"cancelReservation {clean(rid)}\n", "bold"),
            f"technician {clean(self.name_text)} ({clean(self.resource_id)}) · {what}",
        )

        async def send() -> bool:
            result = await cancel_reservation(session, rid)
            _say(self, "Cancelled", result, rid)
            return result.took_effect

        self.app.push_screen(
            ConfirmWrite(
                "Cancel a reservation",
                body,
                "Cancel reservation",
                note="Its capacity becomes available to buyers again.",
                danger=True,
            ),
            lambda yes: run_write(self, send(), self._done) if yes else None,
        )

    @writes
    def action_by_id(self) -> None:
        from ..dialogs.reservation_id import ReservationIdDialog

        def chosen(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            action, rid = answer
            if action == "cancel":
                self.action_cancel_reservation(rid)
            else:
                reservation_write(
                    self, self.resource_id, self.name_text, self._done, reservation_id=rid
                )

        self.app.push_screen(ReservationIdDialog(), chosen)

    def action_leave(self) -> None:
        self.dismiss(self.changed)
