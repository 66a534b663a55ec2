"""When could a new customer be served? getAppointmentSlots for a service (ASIN) at a store.

The services offered are the ones seen on your jobs, or any ASIN and store typed; the window is
at most 90 days, as Amazon allows.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from rich.console import Group
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Label, Select, Static

from sptui.desk.local_time import zone_name
from sptui.desk.reads import service_slots
from sptui.spapi import SpApiError

from ..errors import describe, report
from ..focus import QuietFocus
from ..text import clean
from ..widgets.steady import SteadyFooter, SteadyStatic
from ..widgets.top_bar import TopBar
from .appointment import slots_by_day

MAX_DAYS = 90
ASIN = re.compile(r"^[A-Z0-9]{10}$")


def window_problem(first: str, last: str) -> tuple[tuple[date, date] | None, str]:
    try:
        start = datetime.strptime(first.strip(), "%Y-%m-%d").date()
        end = datetime.strptime(last.strip(), "%Y-%m-%d").date()
    except ValueError:
        return None, "type the days as YYYY-MM-DD"
    if end < start:
        return None, "the last day cannot be before the first"
    if (end - start).days + 1 > MAX_DAYS:
        return None, f"Amazon answers at most {MAX_DAYS} days at a time"
    return (start, end), ""


class SlotFinderScreen(QuietFocus, Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="slots.back"),
        Binding("ctrl+s,f5", "find", "Find", id="slots.find"),
    ]
    DEFAULT_CSS = """
    SlotFinderScreen #form { height: 1fr; padding: 0 1; }
    SlotFinderScreen .row { height: 1; }
    SlotFinderScreen .row > Label { width: 12; }
    SlotFinderScreen .row > Input { width: 1fr; height: 1; border: none; padding: 0 1; background: $boost; }
    SlotFinderScreen Select { margin-bottom: 1; }
    SlotFinderScreen #problem { color: $error; height: auto; padding: 0 1; }
    SlotFinderScreen #result { padding: 0 1; }
    """

    def __init__(self, offerings: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self.offerings = offerings

    def compose(self) -> ComposeResult:
        session = self.app.session  # type: ignore[attr-defined]
        today = session.clock().astimezone(session.zone).date()
        first = next(iter(sorted(self.offerings, key=lambda k: self.offerings[k])), ("", ""))
        yield TopBar("Slot finder")
        with VerticalScroll(id="form"):
            if self.offerings:
                yield Select(
                    [
                        (
                            Text(f"{clean(title)} · {clean(asin)} · store {clean(store)[:13]}"),
                            (clean(asin), clean(store)),
                        )
                        for (asin, store), title in sorted(
                            self.offerings.items(), key=lambda kv: kv[1]
                        )
                    ],
                    prompt="a service seen on your jobs",
                    value=(clean(first[0]), clean(first[1])),
                    id="offering",
                )
            for input_id, label, value in (
                ("asin", "ASIN", clean(first[0])),
                ("store", "Store id", clean(first[1])),
                ("first", "First day", today.isoformat()),
                ("last", "Last day", (today + timedelta(days=13)).isoformat()),
            ):
                with Horizontal(classes="row"):
                    yield Label(label)
                    yield Input(value, id=input_id)
            yield SteadyStatic("", id="problem")
            yield Static(
                Text(
                    "When could a new customer be served? ctrl+s or f5 finds open slots · "
                    f"times in {zone_name(session.zone)}",
                    style="dim",
                ),
                id="hint",
            )
            yield SteadyStatic(id="result")
        yield SteadyFooter(compact=True)

    def _values(self) -> tuple[tuple[str, str, date, date] | None, str]:
        text = {
            i: self.query_one(f"#{i}", Input).value.strip()
            for i in ("asin", "store", "first", "last")
        }
        if not ASIN.match(text["asin"].upper()):
            return None, "an ASIN is 10 letters and digits"
        if not text["store"] or len(text["store"]) > 100 or " " in text["store"]:
            return None, "type the store id"
        window, problem = window_problem(text["first"], text["last"])
        if window is None:
            return None, problem
        return (text["asin"].upper(), text["store"], *window), ""

    @on(Select.Changed, "#offering")
    def offering_chosen(self, event: Select.Changed) -> None:
        if isinstance(event.value, tuple):
            self.query_one("#asin", Input).value, self.query_one("#store", Input).value = (
                event.value
            )

    @on(Input.Changed)
    def changed(self) -> None:
        self.query_one("#problem", Static).update(self._values()[1])

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_find()

    def action_find(self) -> None:
        found, problem = self._values()
        self.query_one("#problem", Static).update(problem)
        if found is not None:
            self.find(*found)

    @work(exclusive=True, group="slot-finder")
    async def find(self, asin: str, store: str, first: date, last: date) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        zone = session.zone
        result = self.query_one("#result", Static)
        bar = self.query_one(TopBar)
        bar.status = "finding…"
        try:
            found = await service_slots(session, asin, store, first, (last - first).days + 1)
        except SpApiError as error:
            report(self.app, error, "Could not find slots")
            result.update(Text(describe(error), style="red"))
            bar.status = "failed"
            return
        slots = found.slots
        open_count = len(found.open())
        result.update(
            Group(
                Text(
                    f"{open_count} open slot(s) · request id {clean(found.request_id)}",
                    style="dim",
                ),
                slots_by_day(slots, zone, empty=f"no open slots {first:%d %b} to {last:%d %b}"),
            )
        )
        bar.status = f"{open_count} open slot(s)"
