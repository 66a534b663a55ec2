"""Moving focus repaints what it changes, not the whole screen.

Textual's ``Screen.focused`` is a reactive that repaints the whole screen whenever it changes,
though the widget losing focus, the one gaining it, the widgets whose ``:focus`` styles change and
the footer (its keys) each repaint themselves already. Over SSH that whole-screen repaint is a
screenful of bytes for `/`, `tab` or `escape`; a screen mixing this in repaints only those.
"""

from __future__ import annotations

from textual.reactive import Reactive
from textual.widget import Widget


class QuietFocus:
    """Put first among a Screen's bases (Textual collects reactives along the whole MRO)."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
