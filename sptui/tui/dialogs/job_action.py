"""Confirm cancelling or completing one job or many: exactly what will happen, nothing hidden.

Jobs the action cannot apply to (a completed job cannot be cancelled) are listed apart with the
reason and are not sent. A cancel needs a reason code: the ones Amazon's model shows accepted are
offered, and any code of the right form can be typed.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from sptui.desk.flows.close import FEE_NOTE, ClosePreview, count_to_type, reason_problem
from sptui.desk.formatting import NONE, status_label
from sptui.desk.local_time import zone_name
from sptui.spapi.reasons import model_reason_codes

from ..text import clean
from ..widgets.steady import SteadyStatic
from .base import Dialog

FULFIL_FIRST = "fulfil first"
"""What the dialog answers when the user chooses to set fulfillment data before completing."""


class ConfirmJobAction(Dialog[str | None]):
    """Dismisses with the reason code (cancel), "yes" (complete) or FULFIL_FIRST; None to go back."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="job_action.back"),
        Binding("ctrl+s", "confirm", "Confirm", id="job_action.confirm"),
        Binding("f", "fulfil", "Set fulfillment first", id="job_action.fulfil"),
    ]
    DEFAULT_CSS = """
    ConfirmJobAction > Vertical { width: 90; border: thick $error; }
    ConfirmJobAction.-complete > Vertical { border: thick $success; }
    ConfirmJobAction VerticalScroll { height: auto; max-height: 12; }
    ConfirmJobAction #title { text-style: bold; }
    ConfirmJobAction #reason-row { height: auto; }
    ConfirmJobAction #reason-row Select { width: 1fr; }
    ConfirmJobAction #other { width: 1fr; }
    ConfirmJobAction #note { color: $warning; height: auto; }
    ConfirmJobAction #count-row { height: auto; }
    ConfirmJobAction #count-row Label { padding: 1 0; text-style: bold; }
    ConfirmJobAction #count { width: 12; }
    """

    def __init__(
        self, planned: ClosePreview, *, missing_proof: bool = False, live: bool = False
    ) -> None:
        """``live``: the jobs are real (Mode.LIVE); a large cancel then asks for its count."""
        super().__init__(classes=f"-{planned.action}")
        self.planned = planned
        self.missing_proof = missing_proof
        self.typed_count = count_to_type(live, planned.action, len(planned.send))

    def compose(self) -> ComposeResult:
        p = self.planned
        verb = "Cancel" if p.action == "cancel" else "Complete"
        count = len(p.send)
        with Vertical():
            yield Label(f"{verb} {count} job{'s' if count != 1 else ''} on Amazon", id="title")
            with VerticalScroll():
                # A grid, so a narrow box wraps the service or the reason, never a status label
                # ("◌ To schedule" broke after its symbol) or an id.
                lines = Table.grid(padding=(0, 2), pad_edge=True)
                lines.add_column(no_wrap=True)
                lines.add_column(no_wrap=True)
                lines.add_column()
                zone = zone_name(self.app.session.zone)  # type: ignore[attr-defined]
                for job in p.send:
                    when = job.cells[1] if job.cells[1] == NONE else f"{job.cells[1]} {zone}"
                    lines.add_row(
                        Text(clean(job.job_id)),
                        Text(status_label(job.status)),
                        Text(f"{job.cells[2]} · {when}"),
                    )
                for job, why in p.skip:
                    lines.add_row(Text(clean(job.job_id)), Text("skipped"), Text(why), style="dim")
                yield Static(lines)
            if p.action == "cancel":
                codes = sorted(model_reason_codes()["cancel"])
                with Horizontal(id="reason-row"):
                    yield Select(
                        [(f"{c} (in Amazon's model)", c) for c in codes],
                        value=codes[0] if codes else Select.BLANK,
                        id="reason",
                    )
                    yield Input(placeholder="or type another reason code", id="other")
                yield SteadyStatic("", id="reason-problem", classes="problem")
                yield Static(FEE_NOTE, id="note")
                if self.typed_count is not None:
                    with Horizontal(id="count-row"):
                        yield Label(
                            f"These are real jobs: type {self.typed_count} to cancel all "
                            f"{self.typed_count} "
                        )
                        yield Input(placeholder=str(self.typed_count), id="count")
                    yield SteadyStatic("", id="count-problem", classes="problem")
            elif self.missing_proof:
                yield Static(
                    "The appointment shows no proof of fulfillment: Amazon completes a job only once "
                    "its fulfillment data is set. f sets it first, then comes back here.",
                    id="note",
                )
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                if self.missing_proof:
                    yield Button("Set fulfillment first", id="fulfil")
                yield Button(
                    f"{verb} {count}",
                    id="confirm",
                    variant="error" if p.action == "cancel" else "success",
                    disabled=not count,
                )

    def reason(self) -> tuple[str | None, str]:
        typed = self.query_one("#other", Input).value.strip()
        if typed:
            return (typed, "") if not reason_problem(typed) else (None, reason_problem(typed))
        chosen = self.query_one("#reason", Select).value
        return (chosen, "") if isinstance(chosen, str) else (None, "choose or type a reason code")

    @on(Input.Changed, "#other")
    def check_reason(self) -> None:
        self.query_one("#reason-problem", Static).update(self.reason()[1])

    def action_confirm(self) -> None:
        if not self.planned.send:
            return
        if self.planned.action == "complete":
            self.dismiss("yes")
            return
        code, problem = self.reason()
        self.query_one("#reason-problem", Static).update(problem)
        if self.typed_count is not None:
            typed = self.query_one("#count", Input).value.strip()
            wrong = typed != str(self.typed_count)
            self.query_one("#count-problem", Static).update(
                f"type {self.typed_count}, the number of jobs, to cancel them" if wrong else ""
            )
            if wrong:
                self.query_one("#count", Input).focus()
                return
        if code:
            self.dismiss(code)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.missing_proof if action == "fulfil" else True

    def action_fulfil(self) -> None:
        self.dismiss(FULFIL_FIRST)

    @on(Button.Pressed, "#fulfil")
    def fulfil_pressed(self) -> None:
        self.action_fulfil()

    @on(Button.Pressed, "#confirm")
    def confirm_pressed(self) -> None:
        self.action_confirm()
