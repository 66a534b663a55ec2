"""Assign technicians to an appointment: pick known ones, or type resource ids.

The known technicians are offered in the order the core ranks them for this job
(``Desk.candidates``): first those who serve the job's store and have its skills, as far as
Amazon has shown, then those not known either way, then those known not to fit, each saying why.

The dialog stays open under its confirmation and while the assignment is sent (on the App): a
refusal comes back into it, in Amazon's words and plain ones, with the request id, the ticks
kept and the list ranked again with what the refusal taught.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, SelectionList, Static

from sptui.desk.flows.assign import AssignOutcome, AssignPreview, describe_assign, perform_assign
from sptui.desk.flows.booking import NotPossible
from sptui.desk.formatting import named
from sptui.desk.technicians import Candidate
from sptui.desk.writes import WriteResult
from sptui.spapi.models import ServiceJob

from ..text import clean
from ..widgets.steady import SteadyStatic
from ..widgets.ticks import TickList
from ..writing import follow_up_later, journal_note, refusal, run_write, shown
from .answering import AnswersInPlace
from .base import Dialog
from .confirm import ConfirmWrite


def typed_ids(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def resource_id_problem(ids: list[str]) -> str | None:
    bad = [i for i in ids if len(i) > 100 or any(c.isspace() for c in i)]
    return f"not a resource id: {clean(bad[0])[:40]}" if bad else None


MARKS = {0: "fits", 1: "unsure", 2: "unlikely"}
"""The rank in a word, so it reads without colour."""


def offer(candidate: Candidate, away: str | None = None) -> Text:
    """One technician as offered: the verdict in a word, name, id, and why. ``away``: where
    the job store shows them at the appointment's time (a fit then reads "busy")."""
    word = "busy" if away and candidate.rank == 0 else MARKS[candidate.rank]
    style = "" if word == "fits" else "dim"
    text = Text(f"{word:<8} ", style="bold" if word == "fits" else style)
    text.append(f"{clean(candidate.name)} · {clean(candidate.resource_id)}", style=style)
    why = list(candidate.why) if candidate.rank else []  # "fits" says it: store, skills above
    if away:
        why.insert(0, away)
    if why:
        text.append(f" — {clean('; '.join(why))}", style="dim")
    return text


class AssignDialog(AnswersInPlace, Dialog[WriteResult | None]):
    """Dismisses with the assignment's result once it took effect (or is unknown), else None."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="assign.back"),
        Binding("ctrl+s", "assign", "Assign", id="assign.assign"),
    ]
    DEFAULT_CSS = """
    AssignDialog SelectionList { height: auto; max-height: 10; }
    AssignDialog .row { height: 1; margin-top: 1; }
    AssignDialog .row > Label { width: 18; }
    AssignDialog #answer { height: auto; display: none; }
    AssignDialog #answer.-refused { color: $error; }
    """

    def __init__(
        self,
        title: str,
        job: ServiceJob,
        current: list[str],
        *,
        sent: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.job = job
        self.current = current
        self.sent = sent

    def compose(self) -> ComposeResult:
        scope = self.job.scope_of_work
        skills = ", ".join(clean(s) for s in (scope.required_skills or []) if scope) or "none"
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield Label(Text(f"Store {clean(self.job.store_id)[:13]} · {skills} · space ticks one"))
            yield TickList[str](id="known")
            with Horizontal(classes="row"):
                yield Label("Or resource ids")
                yield Input(placeholder="comma-separated, e.g. A8B3M999LMHF2", id="typed")
            yield SteadyStatic("", id="problem", markup=False)
            yield SteadyStatic("", id="answer", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button("Assign", id="assign", variant="primary")

    def on_mount(self) -> None:
        self.offer(set(self.current))
        self.query_one("#known").focus()

    def offer(self, ticked: set[str]) -> None:
        """List the known technicians as the core ranks them for this job, ``ticked`` ticked."""
        box = self.query_one("#known", SelectionList)
        highlighted = box.highlighted
        box.clear_options()
        ranked = self.app.session.candidates(self.job)  # type: ignore[attr-defined]
        away = self._away()
        # a fit who is elsewhere then comes after the free fits, before the unsure
        ranked.sort(key=lambda c: (c.rank, c.resource_id in away))
        box.add_options(
            [
                (offer(c, away.get(c.resource_id)), c.resource_id, c.resource_id in ticked)
                for c in ranked
            ]
        )
        if box.option_count:
            box.highlighted = min(highlighted or 0, box.option_count - 1)

    def _away(self) -> dict[str, str]:
        """Technician id -> 'also at job X <when>', for those the job store shows on another
        appointment at this one's time."""
        from sptui.desk.elsewhere import elsewhere
        from sptui.desk.formatting import active_appointment, window

        store = getattr(self.app, "store", None)
        active = active_appointment(self.job)
        time = active.appointment_time if active else None
        if store is None or time is None or time.start_time is None:
            return {}
        zone = self.app.session.zone  # type: ignore[attr-defined]
        minutes = time.duration_in_minutes or 60
        found = elsewhere(store, str(self.job.service_job_id or ""), time.start_time, minutes)
        return {
            tid: f"also at job {clean(b.job_id)} "
            f"{window(b.start, int((b.end - b.start).total_seconds() // 60), zone, short=True)}"
            for tid, b in found.items()
        }

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
        if self.busy():
            return
        ids, problem = self.chosen()
        self.query_one("#problem", Static).update(problem)
        if ids:
            self.preview(ids)

    @on(Button.Pressed, "#assign")
    def assign_pressed(self) -> None:
        self.action_assign()

    # ---- preview, confirm, send ------------------------------------------------------------
    def preview(self, ids: list[str]) -> None:
        from sptui.desk.flows.assign import preview_assign

        try:
            preview = preview_assign(self.job, ids)
        except NotPossible as why:
            self.query_one("#problem", Static).update(f"Not possible: {why}")
            return
        names = self.app.session.technician_names()  # type: ignore[attr-defined]
        away = self._away()
        lines = describe_assign(preview, names) + [
            f"! {clean(names.get(tid, tid))} is {away[tid]}: Amazon books them at both."
            for tid in preview.after
            if tid in away and tid not in preview.before
        ]

        def answered(yes: bool | None) -> None:
            if yes:
                self.send(preview)

        self.app.push_screen(ConfirmWrite(lines[0], "\n".join(lines[1:]), "Assign"), answered)

    def send(self, preview: AssignPreview) -> None:
        self.start_sending()
        run_write(self, self._send(preview), self._answered)

    async def _send(self, preview: AssignPreview) -> AssignOutcome:
        """Runs on the App: the answer is shown in this dialog if it is still up, else said."""
        try:
            outcome = await perform_assign(self.app.session, preview)  # type: ignore[attr-defined]
        except Exception:
            self.stopped_unexpectedly()
            raise
        if self.sent is not None and outcome.changed is None:
            self.sent()
        result = outcome.result
        if result is not None:
            follow_up_later(self.app, result, f"Assigning on job {clean(preview.job_id)}")
        if not shown(self) or (result is not None and self.closes(result)):
            self._say(preview, outcome)
        return outcome

    def _answered(self, outcome: AssignOutcome) -> None:
        self.sending = False
        if outcome.changed is not None:
            self.job = outcome.changed.job
            self.read_again(outcome.changed, "look")
            return
        result = outcome.result
        assert result is not None
        if self.closes(result):
            self.dismiss(result)
            return
        self.answer(refusal(result, "Not assigned: Amazon refused it"), refused=True)
        self.offer(set(self.query_one("#known", SelectionList).selected))

    def _say(self, preview: AssignPreview, outcome: AssignOutcome) -> None:
        """The outcome as a notification: the dialog is gone, or closes on it."""
        from sptui.desk.explain import explain

        if outcome.changed is not None:
            self.say_changed(outcome.changed)
            return
        result = outcome.result
        assert result is not None
        rid = f"\nrequest id {clean(result.request_id)}" if result.request_id else ""
        rid += journal_note(result)
        if result.took_effect:
            notes = "".join(f"\n{line}" for line in explain(result.warnings))
            who = named(preview.after, self.app.session.technician_names())  # type: ignore[attr-defined]
            self.app.notify(f"Assigned {clean(who)}{notes}{rid}", timeout=10)
        elif result.outcome == "unknown":
            self.app.notify(
                f"Assigning {', '.join(preview.after)}: the outcome is unknown "
                f"({clean(result.message)}){rid}\nIt is being looked at again.",
                severity="warning",
                timeout=15,
            )
        else:
            reasons = explain(result.errors) or [clean(result.message)]
            self.app.notify(
                "Not assigned:\n" + "\n".join(reasons) + rid, severity="error", timeout=15
            )
