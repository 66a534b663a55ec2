"""Edit a technician's schedule: availability records, previewed, confirmed, sent with
updateSchedule; each record's errors and warnings shown beside it.

updateSchedule replaces the whole schedule, and Amazon has no call to read one, so the editor
starts from the last schedule sent from sptui (its journal) or from nothing, and says which.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from sptui.desk.availability import describe
from sptui.desk.flows.supply import record_answers, set_schedule
from sptui.desk.journal_memory import last_schedule
from sptui.desk.writes import WriteResult
from sptui.spapi.models import AvailabilityRecord

from ..dialogs.availability import Availability, AvailabilityDialog
from ..dialogs.confirm import ConfirmWrite
from ..focus import QuietFocus
from ..text import clean
from ..widgets.steady import SteadyFooter, SteadyStatic
from ..widgets.top_bar import TopBar
from ..widgets.virtual_table import Column, Row, VirtualTable
from ..writing import journal_note, run_write, writes

COLUMNS = [
    Column("status", "Result", 10, priority=0),
    Column("when", "Availability", 30, flex=2, priority=0),
    Column("said", "Amazon said", 20, flex=1, priority=0),
]


class ScheduleScreen(QuietFocus, Screen[bool]):
    """Dismisses with whether the schedule was sent and taken."""

    BINDINGS = [
        Binding("escape", "leave", "Back", id="schedule.back"),
        Binding("a", "add", "Add", id="schedule.add"),
        Binding("e", "edit", "Edit", id="schedule.edit"),
        Binding("delete,minus", "remove", "Remove", id="schedule.remove"),
        Binding(
            # not S: that is the slot finder, everywhere
            "ctrl+s,s",
            "send",
            "Send…",
            tooltip="Preview and send the schedule",
            id="schedule.send",
        ),
    ]
    DEFAULT_CSS = """
    ScheduleScreen #note { height: auto; padding: 0 1; color: $text-muted; }
    ScheduleScreen VirtualTable { height: 1fr; }
    ScheduleScreen #said { height: auto; max-height: 4; padding: 0 1; }
    """

    def __init__(self, resource_id: str, name: str) -> None:
        super().__init__()
        self.resource_id = resource_id
        self.name_text = name
        self.records: list[AvailabilityRecord] = []
        self.results: list[tuple[str, str]] = []
        """Per record: (status word, what Amazon said), once sent."""
        self.sent = False
        self.source = ""

    def compose(self) -> ComposeResult:
        yield TopBar(
            f"Schedule · {clean(self.name_text)} · {clean(self.resource_id)}",
            f"Schedule · {clean(self.name_text)}",
        )
        yield SteadyStatic(id="note")
        yield VirtualTable(COLUMNS, empty="No availability records · a adds one", id="table")
        yield SteadyStatic(id="said")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        found = last_schedule(
            session.journal.entries(), session.context()["profile"], self.resource_id
        )
        self.records = found or []
        self.source = (
            "the last schedule sent from sptui"
            if found is not None
            else "nothing (none sent from sptui yet)"
        )
        self._note()
        self.show()
        self.query_one(VirtualTable).focus()

    def _note(self, extra: str = "") -> None:
        self.query_one("#note", Static).update(
            Text.assemble(
                "Sending replaces the technician's whole schedule. Amazon has no call to read one: "
                f"this started from {self.source}.",
                (f"\n{extra}" if extra else "", "bold"),
            )
        )

    def show(self, keep: str | None = None) -> None:
        zone = self.app.session.zone  # type: ignore[attr-defined]
        rows = []
        for index, record in enumerate(self.records):
            status, said = self.results[index] if index < len(self.results) else ("new", "")
            rows.append(
                Row(
                    str(index),
                    (status, describe(record, zone), said),
                    status={"accepted": "completed", "refused": "problem", "warning": "hold"}.get(
                        status, "pending"
                    ),
                )
            )
        self.query_one(VirtualTable).set_rows(rows, keep=keep)

    def on_virtual_table_highlighted(self, message: VirtualTable.Highlighted) -> None:
        """The whole of what Amazon said of the record under the cursor (a cell cuts it short)."""
        index = message.index
        said = self.results[index][1] if 0 <= index < len(self.results) else ""
        self.query_one("#said", Static).update(Text(said, style="red" if said else ""))

    def _index(self) -> int | None:
        row = self.query_one(VirtualTable).current
        return int(row.key) if row else None

    def _edited(self, index: int | None, found: Availability | None) -> None:
        if found is None:
            return
        if index is None:
            self.records.append(found.record)
            index = len(self.records) - 1
        else:
            self.records[index] = found.record
        self.results = []  # what Amazon said was about the schedule as it was sent
        self.show(keep=str(index))

    def _dialog(self, index: int | None) -> None:
        session = self.app.session  # type: ignore[attr-defined]
        initial = self.records[index] if index is not None else None
        title = f"{'Edit' if initial else 'Add'} availability · {clean(self.name_text)}"
        self.app.push_screen(
            AvailabilityDialog(title, session.zone, session.clock(), initial),
            lambda found: self._edited(index, found),
        )

    def action_add(self) -> None:
        self._dialog(None)

    def action_edit(self) -> None:
        index = self._index()
        if index is not None:
            self._dialog(index)

    def on_virtual_table_activated(self, message: VirtualTable.Activated) -> None:
        self._dialog(int(message.row.key))

    def action_remove(self) -> None:
        index = self._index()
        if index is not None:
            del self.records[index]
            self.results = []
            self.show()

    @writes
    def action_send(self) -> None:
        if not self.records:
            self.notify(
                "Add at least one availability record: Amazon refuses an empty schedule.",
                severity="warning",
                timeout=6,
            )
            return
        zone = self.app.session.zone  # type: ignore[attr-defined]
        body = Text.assemble(
            (f"updateSchedule for {clean(self.name_text)} ({clean(self.resource_id)})\n", "bold"),
            *(f"  {describe(r, zone, named=True)}\n" for r in self.records),
        )
        self.app.push_screen(
            ConfirmWrite(
                f"Replace the schedule with these {len(self.records)} record(s)",
                body,
                "Send schedule",
                note="Whatever the technician's schedule holds now is replaced by these records.",
            ),
            lambda yes: run_write(self, self._send(), self._sent) if yes else None,
        )

    async def _send(self) -> WriteResult:
        session = self.app.session  # type: ignore[attr-defined]
        result, _ = await set_schedule(session, self.resource_id, list(self.records))
        said, rid = self._answer(result)
        refused = sum(status == "refused" for status, _ in said)
        if not result.took_effect:
            self.notify(
                f"Schedule not updated: {clean(result.message)}{rid}",
                severity="error",
                timeout=12,
                markup=False,
            )
        else:
            self.notify(
                f"Schedule sent: {len(said) - refused} taken, {refused} refused{rid}",
                severity="warning" if refused else "information",
                timeout=8,
                markup=False,
            )
        return result

    @staticmethod
    def _answer(result: WriteResult) -> tuple[list[tuple[str, str]], str]:
        """Per record sent, (status word, what Amazon said of it); and the request id and any
        word about the journal, to follow the outcome."""
        said = [(answer.status, answer.said) for answer in record_answers(result)]
        rid = f" · request id {clean(result.request_id)}" if result.request_id else ""
        return said, rid + journal_note(result)

    def _sent(self, result: WriteResult) -> None:
        """The answer beside each record, while this screen is up."""
        self.results, rid = self._answer(result)
        refused = sum(status == "refused" for status, _ in self.results)
        if not result.took_effect:
            self._note(f"Not sent ({result.outcome}): {clean(result.message)}{rid}")
        else:
            self.sent = True
            taken = len(self.results) - refused
            self._note(f"Sent: {taken} record(s) taken, {refused} refused{rid}")
        self.show()

    def action_leave(self) -> None:
        self.dismiss(self.sent)
