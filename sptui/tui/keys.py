"""Every key binding of the console, by where it applies.

Each binding has an id so that a user's config can remap it (App.set_keymap); the help screen and
the command palette are generated from this list, so they cannot fall out of date.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

APP_BINDINGS: list[BindingType] = [
    Binding("question_mark", "help", "Keys", id="app.help"),
    # Off the footer (it is full at 80 columns); the palette and the ? screen list it.
    Binding(
        "P",
        "profiles",
        "Profiles",
        show=False,
        tooltip="Switch to another profile or the demo",
        id="app.profiles",
    ),
    # Textual's footer shows the palette key on its own; this entry gives it an id to remap.
    Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.commands"),
    Binding("q", "quit", "Quit", show=False, id="app.quit"),
    Binding(
        "J",
        "journal",
        "Journal",
        show=False,
        tooltip="Every write and its outcome",
        id="app.journal",
    ),
    Binding(
        "R",
        "resources",
        "Technicians",
        show=False,
        tooltip="Technicians: capacity, schedules, reservations",
        id="app.resources",
    ),
    Binding(
        "B",
        "board",
        "Board",
        show=False,
        tooltip="The dispatch board: every technician's day, and what still needs a time",
        id="app.board",
    ),
    Binding(
        "S",
        "slot_finder",
        "Slot finder",
        show=False,
        tooltip="When could a new customer be served?",
        id="app.slot_finder",
    ),
]
"""What works everywhere (the app's own bindings)."""


def _bindings(source: type) -> list[Binding]:
    found: list[BindingType] = list(getattr(source, "BINDINGS", []))
    return [b for b in found if isinstance(b, Binding)]


class _Everywhere:
    BINDINGS = APP_BINDINGS


def places() -> list[tuple[str, type]]:
    from .dialogs.assign import AssignDialog
    from .dialogs.availability import AvailabilityDialog
    from .dialogs.board_confirm import BoardConfirm
    from .dialogs.book import BookDialog
    from .dialogs.capacity_range import CapacityRangeDialog
    from .dialogs.cell_detail import CellDetail
    from .dialogs.confirm import ConfirmWrite
    from .dialogs.filters import FilterDialog
    from .dialogs.fulfillment import FulfillmentDialog
    from .dialogs.job_action import ConfirmJobAction
    from .dialogs.journal_entry import JournalEntry
    from .dialogs.open_job import OpenJobDialog
    from .dialogs.pick_job import PickJob
    from .dialogs.profile_form import ProfileForm
    from .dialogs.profiles import ProfilePicker
    from .dialogs.reservation_id import ReservationIdDialog
    from .dialogs.row_detail import RowDetail
    from .screens.appointment import AppointmentScreen
    from .screens.board import BoardScreen
    from .screens.capacity import CapacityScreen
    from .screens.fulfillment_run import FulfillmentRun
    from .screens.help import HelpScreen
    from .screens.job import JobScreen
    from .screens.job_run import JobRun
    from .screens.jobs import JobsScreen
    from .screens.journal import JournalScreen
    from .screens.reservations import ReservationsScreen
    from .screens.resources import ResourcesScreen
    from .screens.schedule import ScheduleScreen
    from .screens.slot_finder import SlotFinderScreen
    from .widgets.board_grid import BoardGrid
    from .widgets.capacity_grid import CapacityGrid
    from .widgets.virtual_table import VirtualTable

    return [
        ("Everywhere", _Everywhere),
        ("Jobs list", JobsScreen),
        ("Any table", VirtualTable),
        ("A row in full", RowDetail),
        ("Job", JobScreen),
        ("Appointment", AppointmentScreen),
        ("Filter dialog", FilterDialog),
        ("Open-job dialog", OpenJobDialog),
        ("Profile picker", ProfilePicker),
        ("Profile form", ProfileForm),
        ("Cancel/complete confirmation", ConfirmJobAction),
        ("Book dialog", BookDialog),
        ("Which job (slot finder)", PickJob),
        ("Assign dialog", AssignDialog),
        ("Fulfillment dialog", FulfillmentDialog),
        ("Cancel/complete run", JobRun),
        ("Fulfillment upload", FulfillmentRun),
        ("Journal", JournalScreen),
        ("Journal entry", JournalEntry),
        ("Technicians", ResourcesScreen),
        ("Capacity", CapacityScreen),
        ("Capacity grid", CapacityGrid),
        ("Capacity range dialog", CapacityRangeDialog),
        ("Capacity cell", CellDetail),
        ("Schedule editor", ScheduleScreen),
        ("Availability dialog", AvailabilityDialog),
        ("Reservations", ReservationsScreen),
        ("Reservation by id", ReservationIdDialog),
        ("Write confirmation", ConfirmWrite),
        ("Slot finder", SlotFinderScreen),
        ("Board", BoardScreen),
        ("Board grid", BoardGrid),
        ("Board confirmation", BoardConfirm),
        ("Help", HelpScreen),
    ]


def all_bindings() -> list[tuple[str, list[Binding]]]:
    return [(name, _bindings(source)) for name, source in places()]


def binding_ids() -> set[str]:
    return {b.id for _, bindings in all_bindings() for b in bindings if b.id}
