"""Add or edit one availability record: a schedule's, or a reservation's (with its type)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from sptui.desk.availability import build_record, describe, fields_of
from sptui.desk.local_time import FORMAT_HINT, zone_name
from sptui.spapi.models import AvailabilityRecord, ReservationType

from ..widgets.steady import SteadyStatic
from .base import Dialog

FIELDS = [
    ("start", "Starts", FORMAT_HINT),
    ("end", "Ends", FORMAT_HINT),
    ("repeat", "Repeats on", "blank: once · MON WED FRI · or days of the month: 1 15"),
    ("until", "Repeats until", FORMAT_HINT),
    ("capacity", "Capacity", "1 or more"),
]


@dataclass(frozen=True)
class Availability:
    record: AvailabilityRecord
    kind: ReservationType | None = None
    """A reservation's type; None for a schedule record."""


class AvailabilityDialog(Dialog[Availability | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="availability.back"),
        Binding("ctrl+s", "done", "Done", id="availability.done"),
    ]
    DEFAULT_CSS = """
    AvailabilityDialog > Vertical { width: 84; }
    AvailabilityDialog .row > Label { width: 16; }
    AvailabilityDialog .problem { padding-left: 16; }
    AvailabilityDialog Select { margin-bottom: 1; }
    AvailabilityDialog #preview { margin-top: 1; height: auto; }
    """

    def __init__(
        self,
        title: str,
        zone: tzinfo | None,
        now: datetime,
        initial: AvailabilityRecord | None = None,
        kind: ReservationType | None = None,
        *,
        reservation: bool = False,
        start: datetime | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.zone = zone
        self.now = now
        self.initial = initial
        self.kind = kind
        self.reservation = reservation
        self.start = start

    def compose(self) -> ComposeResult:
        values = fields_of(self.initial, self.zone) if self.initial else {}
        if not values and self.start is not None:
            values = {"start": self.start.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")}
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield Static(f"Times in {zone_name(self.zone)}.", classes="hint")
            if self.reservation:
                yield Select(
                    [(t.value.title(), t.value) for t in ReservationType],
                    value=getattr(self.kind, "value", self.kind) or ReservationType.BREAK.value,
                    allow_blank=False,
                    id="kind",
                )
            for name, label, hint in FIELDS:
                with Horizontal(classes="row"):
                    yield Label(label)
                    yield Input(values.get(name, ""), placeholder=hint, id=name)
                yield SteadyStatic("", id=f"{name}-problem", classes="problem")
            yield SteadyStatic("", id="preview")
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button("Done", id="done", variant="primary")

    def on_mount(self) -> None:
        self._check(show_missing=False)

    def _check(self, *, show_missing: bool) -> Availability | None:
        typed = {name: self.query_one(f"#{name}", Input).value for name, *_ in FIELDS}
        record, problems = build_record(typed, self.zone, self.now)
        for name, *_ in FIELDS:
            problem = problems.get(name, "")
            if problem == "required" and not show_missing:
                problem = ""
            line = self.query_one(f"#{name}-problem", Static)
            line.update(problem)
            line.display = bool(problem)
        preview = self.query_one("#preview", Static)
        if record is None:
            preview.update("")
            return None
        kind = None
        if self.reservation:
            kind = ReservationType(str(self.query_one("#kind", Select).value))
        preview.update(
            Text.assemble(
                ("Will be: ", "bold"),
                (f"{kind.value.title()} · " if kind else ""),
                describe(record, self.zone),
            )
        )
        return Availability(record, kind)

    @on(Input.Changed)
    @on(Select.Changed)
    def changed(self) -> None:
        self._check(show_missing=False)

    def action_done(self) -> None:
        found = self._check(show_missing=True)
        if found is not None:
            self.dismiss(found)

    @on(Button.Pressed, "#done")
    def done_pressed(self) -> None:
        self.action_done()
