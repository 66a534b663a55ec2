"""Set an appointment's fulfillment data: arrival window, actual start and end, technicians, and
proof documents.

Times are typed in the user's zone and sent in UTC. Each document is read and checked (type by
name and content, 1 B to 5 MiB) when it is added, so a wrong file is refused here, before any
upload; the checked bytes are what gets uploaded.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from sptui.desk.flows.fulfilment import Fulfillment, Window, size_text
from sptui.desk.local_time import FORMAT_HINT, parse_local, zone_name
from sptui.spapi import SUFFIXES, DocumentError, PreparedDocument, prepare_async

from ..path_completion import PathSuggester
from ..text import clean
from ..widgets.steady import SteadyStatic
from .assign import resource_id_problem, typed_ids
from .base import Dialog


class FulfillmentDialog(Dialog[Fulfillment | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Back", id="fulfillment.back"),
        Binding("ctrl+s", "send", "Send", id="fulfillment.send"),
        Binding("delete", "remove_document", "Remove document", id="fulfillment.remove"),
    ]
    DEFAULT_CSS = """
    FulfillmentDialog > Vertical { width: 90; }
    FulfillmentDialog .row > Label { width: 22; }
    FulfillmentDialog .problem { padding-left: 22; }
    FulfillmentDialog .head { text-style: bold; }
    FulfillmentDialog #hint { margin-bottom: 1; }
    FulfillmentDialog OptionList { height: auto; max-height: 5; border: none; margin-left: 22; }
    """

    def __init__(
        self, title: str, zone: tzinfo | None, technicians: list[str], now: datetime
    ) -> None:
        super().__init__()
        self.title_text = title
        self.zone = zone
        self.technicians = technicians
        self.now = now
        self.documents: list[PreparedDocument] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text, style="bold"))
            yield Static(
                f"Times in {zone_name(self.zone)}, as {FORMAT_HINT}. Leave blank what you do not set.",
                id="hint",
            )
            with VerticalScroll():
                yield Label("Estimated arrival", classes="head")
                yield from self._row("Arrives from", "eta-start")
                yield from self._row("Arrives by", "eta-end")
                yield SteadyStatic("", id="eta-problem", classes="problem", markup=False)
                yield Label("The work done", classes="head")
                yield from self._row("Started at", "started")
                yield from self._row("Finished at", "finished")
                yield SteadyStatic("", id="worked-problem", classes="problem", markup=False)
                yield from self._row(
                    "Technicians",
                    "technicians",
                    ", ".join(clean(t) for t in self.technicians),
                    "resource ids, comma-separated",
                )
                yield SteadyStatic("", id="technicians-problem", classes="problem", markup=False)
                yield Label(
                    Text.assemble(
                        ("Proof of fulfillment", "bold"),
                        ("  enter adds a file · delete removes the highlighted one", "dim"),
                    ),
                    classes="head",
                )
                with Horizontal(classes="row"):
                    yield Label("Add a document")
                    yield Input(
                        # "enter adds" is said just above: this fits the box at 80 columns
                        placeholder="a PDF, JPG, PNG, GIF or TIFF file · → completes",
                        suggester=PathSuggester(SUFFIXES),
                        id="path",
                    )
                # problems quote ids and file names: plain text, never markup
                yield SteadyStatic("", id="path-problem", classes="problem", markup=False)
                yield OptionList(id="documents")
            yield SteadyStatic("", id="problem", markup=False)
            with Horizontal(id="buttons"):
                yield Button("Back", id="back")
                yield Button("Send", id="send", variant="primary")

    @staticmethod
    def _row(label: str, input_id: str, value: str = "", hint: str = FORMAT_HINT) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label(label)
            yield Input(value, placeholder=hint, id=input_id)

    def on_mount(self) -> None:
        self.query_one("#documents", OptionList).display = False
        self._show_problems({p.id or "": "" for p in self.query(".problem, #problem")})
        self.query_one("#eta-start", Input).focus()

    # ---- checking ------------------------------------------------------------------------
    def _text(self, input_id: str) -> str:
        return self.query_one(f"#{input_id}", Input).value.strip()

    def _window(self, first: str, second: str, *, past: bool) -> tuple[Window | None, str]:
        texts = self._text(first), self._text(second)
        if not any(texts):
            return None, ""
        if not all(texts):
            return None, "give both times, or neither"
        try:
            start, end = (parse_local(t, self.zone) for t in texts)
        except ValueError:
            return None, f"type times as {FORMAT_HINT}"
        if end <= start:
            return None, "the second time must be after the first"
        if past and end > self.now:
            return None, "the work cannot have finished in the future"
        return (start, end), ""

    def _checked(self) -> tuple[Fulfillment | None, dict[str, str]]:
        arrival, eta_problem = self._window("eta-start", "eta-end", past=False)
        worked, worked_problem = self._window("started", "finished", past=True)
        ids = list(dict.fromkeys(typed_ids(self._text("technicians"))))
        problems = {
            "eta-problem": eta_problem,
            "worked-problem": worked_problem,
            "technicians-problem": resource_id_problem(ids) or "",
        }
        if any(problems.values()):
            return None, problems
        return Fulfillment(arrival, worked, ids, list(self.documents)), problems

    def _show_problems(self, problems: dict[str, str]) -> None:
        """A problem line takes room only while it has something to say: the form fits 80×24."""
        for static_id, problem in problems.items():
            line = self.query_one(f"#{static_id}", Static)
            line.update(problem)
            line.display = bool(problem)

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        if event.input.id == "path":
            self._show_problems({"path-problem": ""})
            return
        self._show_problems(self._checked()[1])

    # ---- documents -----------------------------------------------------------------------
    @on(Input.Submitted, "#path")
    async def add_document(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self._show_problems({"path-problem": "type the path of a document"})
            return
        try:
            # in a thread: a slow disk or a network mount must not freeze the console
            document = await prepare_async(Path(text))
        except DocumentError as error:
            self._show_problems({"path-problem": clean(error.message)})
            return
        if any(d.sha256 == document.sha256 for d in self.documents):
            self._show_problems({"path-problem": f"{clean(document.name)} is already added"})
            return
        self.documents.append(document)
        event.input.value = ""
        self._show_documents()

    def action_remove_document(self) -> None:
        box = self.query_one("#documents", OptionList)
        if box.highlighted is not None and self.documents:
            del self.documents[box.highlighted]
            self._show_documents()

    def _show_documents(self) -> None:
        box = self.query_one("#documents", OptionList)
        box.clear_options()
        for document in self.documents:
            box.add_option(
                Option(
                    Text(
                        f"{clean(document.name)} · {document.content_type.value} · "
                        f"{size_text(len(document.data))}"
                    )
                )
            )
        box.display = bool(self.documents)

    # ---- sending -------------------------------------------------------------------------
    def action_send(self) -> None:
        found, problems = self._checked()
        self._show_problems(problems)
        if found is None:
            overall = "mend the fields marked above; nothing was sent"
        elif found.is_empty():
            overall = "set at least one thing: a window, technicians or a document"
        elif self._text("path"):
            overall = "press enter in the document field to add it, or clear it"
        else:
            self.dismiss(found)
            return
        self._show_problems({"problem": overall})

    @on(Button.Pressed, "#send")
    def send_pressed(self) -> None:
        self.action_send()
