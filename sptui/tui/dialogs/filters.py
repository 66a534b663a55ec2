"""Which jobs to list: statuses, dates, ids, and the sort. Checked as you type."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from sptui.desk.feed import JobFilters
from sptui.desk.formatting import STATUS_LABELS
from sptui.spapi import RequestValidationError
from sptui.spapi.params import ServiceJobsQuery, validated

from ..widgets.steady import SteadyStatic
from ..widgets.ticks import TickList
from .base import Dialog

TEXT_FIELDS = [
    # (input id, label, JobFilters field, wire name)
    ("created_after", "Created from", "created_after", "createdAfter"),
    ("created_before", "Created until", "created_before", "createdBefore"),
    ("updated_after", "Updated from", "updated_after", "lastUpdatedAfter"),
    ("updated_before", "Updated until", "updated_before", "lastUpdatedBefore"),
    ("asins", "ASINs", "asins", "asins"),
    ("store_ids", "Store ids", "store_ids", "storeIds"),
    ("skills", "Skills", "skills", "requiredSkills"),
    ("service_order_ids", "Service orders", "service_order_ids", "serviceOrderIds"),
    ("product_order_ids", "Product orders", "product_order_ids", "productOrderIds"),
    ("tracking_ids", "Tracking ids", "tracking_ids", "trackingIds"),
]
DATES = {"created_after", "created_before", "updated_after", "updated_before"}


def parse_date(text: str, zone: tzinfo | None) -> datetime:
    """'2026-11-30' is midnight there in the user's zone; a full ISO time is taken as given."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone) if zone else value.astimezone()
    return value


def split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


class FilterDialog(Dialog[JobFilters | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel", id="dialog.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="filters.apply"),
    ]
    DEFAULT_CSS = """
    FilterDialog > Vertical { width: 90; }
    FilterDialog .row { height: 1; margin-bottom: 0; }
    FilterDialog .row > Label { width: 16; }
    FilterDialog .problem { color: $error; height: auto; padding-left: 16; }
    FilterDialog SelectionList { height: auto; max-height: 9; border: none; padding: 0; }
    FilterDialog SelectionList:focus { border: none; }
    FilterDialog > Vertical > Label { dock: top; }
    FilterDialog #sorting { height: 1; }
    FilterDialog #sorting Select { width: 1fr; margin-right: 1; }
    FilterDialog #sorting SelectCurrent { background: $boost; }
    FilterDialog #buttons Button { margin-left: 1; min-width: 10; }
    """

    def __init__(self, current: JobFilters) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        zone = self.app.session.zone  # type: ignore[attr-defined]
        with Vertical():
            yield Label("Filter jobs — dates YYYY-MM-DD [HH:MM] · lists a, b · empty means any")
            with VerticalScroll():
                yield TickList[str](
                    *[
                        (label, status, status in self.current.statuses)
                        for status, label in STATUS_LABELS.items()
                    ],
                    id="statuses",
                )
                for input_id, label, field, _ in TEXT_FIELDS:
                    value = getattr(self.current, field)
                    if isinstance(value, datetime):
                        text = value.astimezone(zone).strftime("%Y-%m-%d %H:%M")
                    elif isinstance(value, tuple):
                        text = ", ".join(value)
                    else:
                        text = ""
                    with Horizontal(classes="row"):
                        yield Label(label)
                        yield Input(text, id=input_id, placeholder=self._empty_means(input_id))
                    # problems can quote what was typed: plain text, never markup
                    yield SteadyStatic(
                        "", id=f"{input_id}-problem", classes="problem", markup=False
                    )
                with Horizontal(id="sorting", classes="row"):
                    yield Label("Sort")
                    yield Select(
                        [("by job date", "JOB_DATE"), ("by status", "JOB_STATUS")],
                        value=self.current.sort_field,
                        allow_blank=False,
                        compact=True,
                        id="sort_field",
                    )
                    yield Select(
                        [("Newest / Z first", "DESC"), ("Oldest / A first", "ASC")],
                        value=self.current.sort_order,
                        allow_blank=False,
                        compact=True,
                        id="sort_order",
                    )
                yield SteadyStatic("", id="form-problem", classes="problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Clear all", id="clear")
                yield Button("Cancel", id="cancel")
                yield Button("Apply", id="apply", variant="primary")

    def _empty_means(self, input_id: str) -> str:
        """What an empty field means where it is not "any": created-from is the store's."""
        if input_id != "created_after":
            return ""
        days = self.app.window_days  # type: ignore[attr-defined]
        return f"empty: the job store's window, the last {days} days"

    # ---- reading and checking ------------------------------------------------------------
    def read(self) -> tuple[JobFilters | None, dict[str, str]]:
        """The filters the form describes, or the problems that stop them, by input id."""
        zone = self.app.session.zone  # type: ignore[attr-defined]
        problems: dict[str, str] = {}
        values: dict[str, object] = {}
        wire: dict[str, object] = {}
        for input_id, _, field, wire_name in TEXT_FIELDS:
            text = self.query_one(f"#{input_id}", Input).value.strip()
            if not text:
                continue
            if input_id in DATES:
                try:
                    values[field] = parse_date(text, zone)
                except ValueError:
                    problems[input_id] = "not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM"
                    continue
            else:
                values[field] = split(text)
            wire[wire_name] = values[field] if input_id in DATES else list(values[field])  # type: ignore[arg-type]
        statuses = tuple(self.query_one("#statuses", SelectionList).selected)
        for start, end, what in (
            ("created_after", "created_before", "Created"),
            ("updated_after", "updated_before", "Updated"),
        ):
            first, last = values.get(start), values.get(end)
            if isinstance(first, datetime) and isinstance(last, datetime) and first >= last:
                problems[end] = (
                    f"must be after {what} from: until {last:%Y-%m-%d %H:%M} means before then"
                )
        if values.get("created_after") and values.get("updated_after"):
            problems["updated_after"] = "Amazon takes created-from or updated-from, not both"
            wire.pop("lastUpdatedAfter")
        if not wire.get("createdAfter") and not wire.get("lastUpdatedAfter"):
            wire["createdAfter"] = (
                datetime.now().astimezone()
            )  # the default window, to check the rest
        # Whatever parsed is checked against Amazon's constraints too, so every problem shows.
        for field_name, problem in self._model_problems(wire):
            input_id = next(
                (i for i, _, _, w in TEXT_FIELDS if w == field_name.split(".")[0]), "form"
            )
            problems.setdefault(input_id, problem)
        if problems:
            return None, problems
        sort_field = str(self.query_one("#sort_field", Select).value)
        sort_order = str(self.query_one("#sort_order", Select).value)
        filters = JobFilters(statuses=statuses, sort_field=sort_field, sort_order=sort_order)
        return replace(filters, **values), {}  # type: ignore[arg-type]

    @staticmethod
    def _model_problems(wire: dict[str, object]) -> list[tuple[str, str]]:
        try:
            validated("getServiceJobs", ServiceJobsQuery, wire)
        except RequestValidationError as error:
            return error.problems
        return []

    def _show(self, problems: dict[str, str]) -> None:
        for key in [i for i, *_ in TEXT_FIELDS] + ["form"]:
            box = self.query_one(f"#{key}-problem", Static)
            box.update(problems.get(key, ""))
            box.display = key in problems

    @on(Input.Changed)
    def changed(self) -> None:
        self._show(self.read()[1])

    def on_mount(self) -> None:
        self._show({})

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_apply()

    def action_apply(self) -> None:
        filters, problems = self.read()
        self._show(problems)
        if filters is not None:
            self.dismiss(filters)

    @on(Button.Pressed, "#apply")
    def apply_pressed(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#clear")
    def clear_pressed(self) -> None:
        for input_id, *_ in TEXT_FIELDS:
            self.query_one(f"#{input_id}", Input).value = ""
        self.query_one("#statuses", SelectionList).deselect_all()
