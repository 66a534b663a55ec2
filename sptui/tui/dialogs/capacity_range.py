"""Which capacity to show: the days, range or fixed slots, and a fixed slot's length."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from ..widgets.steady import SteadyStatic
from .base import Dialog

MAX_DAYS = 90


@dataclass(frozen=True)
class CapacityRange:
    first_day: date
    days: int = 7
    fixed: bool = True
    """Fixed slots (getFixedSlotCapacity) or range slots (getRangeSlotCapacity)."""
    minutes: int = 60
    """A fixed slot's length (5-360, in steps of 5); range slots are folded onto it too."""


def slot_problem(text: str) -> str | None:
    if not text.isdigit() or not 5 <= int(text) <= 360 or int(text) % 5:
        return "a slot is 5 to 360 minutes, in steps of 5"
    if (24 * 60) % int(text):
        return "a slot must divide a day evenly (e.g. 15, 30, 60, 90, 120 minutes)"
    return None


class CapacityRangeDialog(Dialog[CapacityRange | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="capacity_range.back"),
        Binding("ctrl+s", "apply", "Show", id="capacity_range.apply"),
    ]
    DEFAULT_CSS = """
    CapacityRangeDialog > Vertical { width: 64; }
    CapacityRangeDialog .row { margin-top: 1; }
    CapacityRangeDialog .row > Label { width: 22; }
    CapacityRangeDialog Select { margin-top: 1; }
    """

    def __init__(self, current: CapacityRange) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical():
            yield Label("Capacity to show")
            with Horizontal(classes="row"):
                yield Label("First day")
                yield Input(c.first_day.isoformat(), placeholder="YYYY-MM-DD", id="first")
            with Horizontal(classes="row"):
                yield Label(f"Days (1-{MAX_DAYS})")
                yield Input(str(c.days), id="days")
            yield Select(
                [
                    ("Fixed slots (getFixedSlotCapacity)", True),
                    ("Range slots (getRangeSlotCapacity)", False),
                ],
                value=c.fixed,
                allow_blank=False,
                id="kind",
            )
            with Horizontal(classes="row"):
                yield Label("Slot length (minutes)")
                yield Input(str(c.minutes), id="minutes")
            yield SteadyStatic("", id="problem")
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button("Show", id="show", variant="primary")

    def chosen(self) -> tuple[CapacityRange | None, str]:
        text = {
            i: self.query_one(f"#{i}", Input).value.strip() for i in ("first", "days", "minutes")
        }
        try:
            first = datetime.strptime(text["first"], "%Y-%m-%d").date()
        except ValueError:
            return None, "type the first day as YYYY-MM-DD"
        if not text["days"].isdigit() or not 1 <= int(text["days"]) <= MAX_DAYS:
            return None, f"show 1 to {MAX_DAYS} days"
        problem = slot_problem(text["minutes"])
        if problem:
            return None, problem
        fixed = self.query_one("#kind", Select).value is True
        return CapacityRange(first, int(text["days"]), fixed, int(text["minutes"])), ""

    @on(Input.Changed)
    def changed(self) -> None:
        self.query_one("#problem", Static).update(self.chosen()[1])

    def action_apply(self) -> None:
        found, problem = self.chosen()
        self.query_one("#problem", Static).update(problem)
        if found is not None:
            self.dismiss(found)

    @on(Button.Pressed, "#show")
    def show_pressed(self) -> None:
        self.action_apply()
