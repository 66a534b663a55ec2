"""How job data reads on screen and in the command line's previews: status labels, times (each
naming its zone), technicians, money."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from .text import clean

if TYPE_CHECKING:  # the list paints from the store before the models are loaded
    from sptui.spapi.models import Appointment, Payment, ServiceJob

# Each label reads on its own, without colour; the symbol helps a scanning eye. Only characters
# of unambiguous (narrow) width go in table cells: '●' or '—' are drawn two cells wide by some
# terminals and would push every column after them out of line.
NONE = "-"
STATUS_LABELS = {
    "PENDING_SCHEDULE": "◌ To schedule",
    "NOT_SERVICED": "* Scheduled",
    "COMPLETED": "✔ Completed",
    "CANCELLED": "✖ Cancelled",
    "HOLD": "= On hold",
    "NOT_FULFILLABLE": "! Can't fulfil",
    "PAYMENT_DECLINED": "$ Pay declined",
}
STATUS_CLASSES = {
    "PENDING_SCHEDULE": "pending",
    "NOT_SERVICED": "scheduled",
    "COMPLETED": "completed",
    "CANCELLED": "cancelled",
    "HOLD": "hold",
    "NOT_FULFILLABLE": "problem",
    "PAYMENT_DECLINED": "problem",
}


APPOINTMENT_LABELS = {"ACTIVE": "Active", "CANCELLED": "Cancelled", "COMPLETED": "Completed"}
"""An appointment's status, as every screen words it (never ACTIVE on one, Active on another)."""


def status_label(status: object) -> str:
    raw = clean(getattr(status, "value", status) or "UNKNOWN")
    return STATUS_LABELS.get(raw, "? " + raw.replace("_", " ").title())


def word(value: object) -> str:
    """An API enum value as a word: 'IN_HOME' reads 'In home', 'ACTIVE' reads 'Active'."""
    raw = clean(getattr(value, "value", value) or "")
    return raw.replace("_", " ").capitalize() if raw else NONE


def appointment_label(status: object) -> str:
    raw = clean(getattr(status, "value", status) or "")
    return APPOINTMENT_LABELS.get(raw, word(raw))


def status_class(status: object) -> str:
    raw = str(getattr(status, "value", status) or "")
    return STATUS_CLASSES.get(raw, "unknown")


def active_appointment(job: ServiceJob) -> Appointment | None:
    for appointment in job.appointments or []:
        if appointment.appointment_status == "ACTIVE":  # AppointmentStatus is a StrEnum
            return appointment
    return None


def zone_label(moment: datetime, zone: tzinfo | None) -> str:
    """The zone a time is shown in, as people write it there: 'EST', 'CET', 'UTC'."""
    return moment.astimezone(zone).tzname() or "local time"


def when(moment: datetime | None, zone: tzinfo | None, *, short: bool = False) -> str:
    """'Tue 08 Dec 2026 08:00 EST'; short (a table cell, whose screen names the zone once):
    '12-08 08:00'."""
    if moment is None:
        return NONE
    local = moment.astimezone(zone)
    if short:
        return local.strftime("%m-%d %H:%M")
    return f"{local:%a %d %b %Y %H:%M} {zone_label(moment, zone)}"


def window(
    start: datetime | None, minutes: int | None, zone: tzinfo | None, *, short: bool = False
) -> str:
    """'Tue 08 Dec 2026 08:00–09:00 EST' (short, for a table cell: 'Tue 08 Dec 08:00-09:00')."""
    if start is None:
        return NONE
    local = start.astimezone(zone)
    text = local.strftime("%a %d %b %H:%M" if short else "%a %d %b %Y %H:%M")
    if minutes:
        dash = "-" if short else "–"  # short forms go in table cells: narrow characters only
        text += dash + (start + timedelta(minutes=minutes)).astimezone(zone).strftime("%H:%M")
    return text if short else f"{text} {zone_label(start, zone)}"


def technicians(appointment: Appointment | None) -> str:
    if appointment is None or not appointment.assigned_technicians:
        return NONE
    return ", ".join(clean(t.name or t.technician_id) for t in appointment.assigned_technicians)


def money(payment: Payment) -> str:
    amount = payment.amount
    if amount is None or amount.value is None:
        return "—"
    value = Decimal(amount.value).quantize(Decimal("0.01"))
    return f"{value} {clean(amount.currency)}"


def named(ids: Sequence[str], names: Mapping[str, str] | None = None) -> str:
    """Technicians as a person reads them: 'Name (ID)' where the name is known, else the id;
    'nobody' for none."""
    known = names or {}
    shown = (f"{known[i]} ({i})" if known.get(i, i) != i else i for i in ids)
    return ", ".join(shown) or "nobody"
