"""When could a new customer be served? getAppointmentSlots for a service (ASIN) at a store.

The services offered are the ones seen on your jobs, or any ASIN and store typed; the window is
at most 90 days, as Amazon allows. The slots found are a list: enter on one asks which of the
open jobs for that service and store to book there (or whose appointment to move there).

The form and the list share the screen below the top bar, the list scrolling in its own space,
so the top bar and its DEMO/LIVE marker never scroll away.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

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
from ..widgets.fitted import Phrases
from ..widgets.slot_table import SlotTable, slot_rows, slot_start
from ..widgets.steady import SteadyFooter, SteadyStatic
from ..widgets.top_bar import TopBar
from ..widgets.virtual_table import VirtualTable

MAX_DAYS = 90
PICK_LIMIT = 50
"""The open jobs offered for a slot at most (newest first, as the jobs list orders them)."""
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
    AUTO_FOCUS = "Select, Input"  # the first field, not the box around the form
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="slots.back"),
        Binding("ctrl+s,f5", "find", "Find", id="slots.find"),
    ]
    DEFAULT_CSS = """
    SlotFinderScreen #form { height: auto; max-height: 60%; padding: 0 1; }
    SlotFinderScreen .row { height: 1; }
    SlotFinderScreen .row > Label { width: 12; }
    SlotFinderScreen .row > Input { width: 1fr; height: 1; border: none; padding: 0 1; background: $boost; }
    SlotFinderScreen Select { margin-bottom: 1; }
    SlotFinderScreen #problem { color: $error; height: auto; padding: 0 1; }
    SlotFinderScreen #found { height: auto; padding: 0 1; color: $text-muted; }
    SlotFinderScreen #result { height: 1fr; min-height: 3; }
    """

    def __init__(self, offerings: dict[tuple[str, str], str]) -> None:
        super().__init__()
        self.offerings = offerings
        self.service: tuple[str, str] | None = None
        """The ASIN and store of the slots listed."""

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
                Phrases(
                    [
                        "When could a new customer be served? ctrl+s or f5 finds open slots",
                        f"times in {zone_name(session.zone)}",
                    ],
                    style="dim",
                ),
                id="hint",
            )
        yield SteadyStatic("", id="found")
        yield SlotTable(empty="ctrl+s lists the open slots here", id="result")
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
        table = self.query_one(SlotTable)
        said = self.query_one("#found", Static)
        bar = self.query_one(TopBar)
        bar.status = "finding…"
        try:
            found = await service_slots(session, asin, store, first, (last - first).days + 1)
        except SpApiError as error:
            report(self.app, error, "Could not find slots")
            said.update(Text(describe(error).replace("\n", " · "), style="red"))
            table.set_rows([])
            bar.status = "failed"
            return
        open_count = len(found.open())
        self.service = (asin, store)
        said.update(
            Text(
                f"{open_count} open slot(s) · enter books one for a job\n"
                f"request id {clean(found.request_id)}"
            )
        )
        table.empty_text = f"No open slots {first:%d %b} to {last:%d %b}"
        table.set_rows(slot_rows(found.slots, zone))
        if open_count:
            table.focus()
        bar.status = f"{open_count} open slot(s)"

    # ---- booking a slot --------------------------------------------------------------------
    def on_virtual_table_activated(self, message: VirtualTable.Activated) -> None:
        """Enter on a slot: which open job of this service and store goes there?"""
        from ..writing import refused_write

        if refused_write(self.app):
            return
        if self.service is not None:
            self.pick_job(*self.service, slot_start(message.row))

    @work(exclusive=True, group="slot-finder-jobs")
    async def pick_job(self, asin: str, store: str, start: datetime) -> None:
        from sptui.desk.feed import JobFilters
        from sptui.desk.reads import list_jobs

        from ..dialogs.book import book_at
        from ..dialogs.pick_job import PickJob

        session = self.app.session  # type: ignore[attr-defined]
        bar = self.query_one(TopBar)
        bar.status = "finding the open jobs…"
        wanted = JobFilters(
            statuses=("PENDING_SCHEDULE", "NOT_SERVICED"), asins=(asin,), store_ids=(store,)
        )
        try:
            jobs = [job async for job in list_jobs(session, wanted, limit=PICK_LIMIT)]
        except SpApiError as error:
            report(self.app, error, "Could not list the open jobs")
            bar.status = "failed"
            return
        bar.status = f"{len(jobs)} open job(s)"
        if not jobs:
            self.notify(
                f"No open job for {clean(asin)} at store {clean(store)[:13]} to book there.",
                severity="warning",
                timeout=6,
            )
            return
        by_id = {str(job.service_job_id): job for job in jobs}

        def chosen(job_id: str | None) -> None:
            if job_id in by_id:
                book_at(self, by_id[job_id], start, sent=self._booked)

        title = f"Which job goes at {start.astimezone(session.zone):%a %d %b %H:%M}?"
        self.app.push_screen(PickJob(title, jobs, session.zone), chosen)

    def _booked(self) -> None:
        """A booking was sent from here: the slots as they are now."""
        from ..writing import shown

        if shown(self):
            self.call_later(self.action_find)
