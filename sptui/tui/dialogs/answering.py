"""What a write dialog that keeps its answer in place does (book, move, assign): it refuses a
second send while one is out, says "Sending…", shows a refusal under its input to fix and send
again, closes on a write that took effect or may have, and says a job changed since the preview
in the same words wherever the answer lands."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.screen import Screen
from textual.widgets import Static

from sptui.desk.flows.guard import Changed
from sptui.desk.writes import WriteResult

from ..writing import shown

SENDING = "Sending… (esc leaves; the answer then comes as a notification)"
UNEXPECTED = (
    "The write stopped on an unexpected error: its outcome is unknown. "
    "Read the job back before sending again."
)


if TYPE_CHECKING:
    _Dialog = Screen[Any]
else:  # a plain mixin: a Widget in the MRO would shift the dialogs' default CSS precedence
    _Dialog = object


class AnswersInPlace(_Dialog):
    """Mixed into a dialog that composes a ``Static#answer`` and may be given ``sent``: what
    runs after every write sent from it (taken or not)."""

    sending = False
    sent: Callable[[], object] | None = None

    def busy(self) -> bool:
        """True, after saying so, while the last write has not answered."""
        if self.sending:
            self.notify("Still sending the last one: wait for its answer.", timeout=4)
        return self.sending

    def start_sending(self) -> None:
        self.sending = True
        self.answer(SENDING)

    def stopped_unexpectedly(self) -> None:
        """A fault of sptui's own (perform() journalled the write unknown; the App says it)."""
        if shown(self):
            self.sending = False
            self.answer(UNEXPECTED, refused=True)

    @staticmethod
    def closes(result: WriteResult) -> bool:
        """Done, or not known to be undone: either way not to be sent again from here."""
        return result.took_effect or result.outcome == "unknown"

    def answer(self, text: str, *, refused: bool = False) -> None:
        box = self.query_one("#answer", Static)
        box.update(text)
        box.set_class(refused, "-refused")
        box.display = bool(text)

    def read_again(self, changed: Changed, look: str) -> None:
        """Nothing was sent: the job changed since the preview; ``look`` at what, and resend."""
        self.answer(
            f"Nothing was sent: {changed.why}. The job has been read again; {look}, then send "
            "again.",
            refused=True,
        )
        if self.sent is not None:
            self.sent()

    def say_changed(self, changed: Changed) -> None:
        """The same, as a notification: the dialog is gone."""
        self.app.notify(
            f"Nothing was sent: {changed.why}. Open the job again to see it as it is now.",
            severity="warning",
            timeout=12,
        )
