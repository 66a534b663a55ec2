"""Assign technicians to an appointment: pick known ones, or type resource ids."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, SelectionList, Static

from ..text import clean
from ..widgets.steady import SteadyStatic
from .base import Dialog


def typed_ids(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def resource_id_problem(ids: list[str]) -> str | None:
    bad = [i for i in ids if len(i) > 100 or any(c.isspace() for c in i)]
    return f"not a resource id: {clean(bad[0])[:40]}" if bad else None


class AssignDialog(Dialog[list[str] | None]):
    """Dismisses with the resource ids to assign, or None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="assign.back"),
        Binding("ctrl+s", "assign", "Assign", id="assign.assign"),
    ]
    DEFAULT_CSS = """
    AssignDialog SelectionList { height: auto; max-height: 10; }
    AssignDialog .row { height: 1; margin-top: 1; }
    AssignDialog .row > Label { width: 18; }
    """

    def __init__(self, title: str, known: dict[str, str], current: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.known = known
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield Label("Technicians known from your config, jobs and journal · space ticks one")
            yield SelectionList[str](
                *[
                    (Text(f"{clean(name)} · {clean(rid)}"), rid, rid in self.current)
                    for rid, name in sorted(self.known.items(), key=lambda kv: kv[1])
                ],
                id="known",
            )
            with Horizontal(classes="row"):
                yield Label("Or resource ids")
                yield Input(placeholder="comma-separated, e.g. A8B3M999LMHF2", id="typed")
            yield SteadyStatic("", id="problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button("Assign", id="assign", variant="primary")

    def chosen(self) -> tuple[list[str] | None, str]:
        ids = list(self.query_one("#known", SelectionList).selected) + typed_ids(
            self.query_one("#typed", Input).value
        )
        ids = list(dict.fromkeys(ids))
        if not ids:
            return None, "choose at least one technician, or type a resource id"
        problem = resource_id_problem(ids)
        return (None, problem) if problem else (ids, "")

    @on(Input.Changed, "#typed")
    def typed_changed(self) -> None:
        # as you type, only a bad id is worth a word; "choose one" waits for the attempt
        ids = typed_ids(self.query_one("#typed", Input).value)
        self.query_one("#problem", Static).update(resource_id_problem(ids) or "")

    def action_assign(self) -> None:
        ids, problem = self.chosen()
        self.query_one("#problem", Static).update(problem)
        if ids:
            self.dismiss(ids)

    @on(Button.Pressed, "#assign")
    def assign_pressed(self) -> None:
        self.action_assign()
