"""Words that fit the width they are drawn in, chosen as they are drawn (after any change of
layout), so that a line is never cut and never broken in the middle of a phrase."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

SEPARATOR = " · "


def _key(text: Text) -> tuple[object, ...]:
    return (text.plain, text.spans, text.style)


class Fitted:
    """The first of several wordings, longest first, that fits the width."""

    def __init__(self, wordings: Sequence[Text]) -> None:
        self.wordings = list(wordings)

    def __eq__(self, other: object) -> bool:  # what would draw the same: no repaint
        return isinstance(other, Fitted) and [_key(t) for t in self.wordings] == [
            _key(t) for t in other.wordings
        ]

    __hash__ = None  # type: ignore[assignment]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        fits = (t for t in self.wordings if t.cell_len <= options.max_width)
        yield next(fits, self.wordings[-1])


class Phrases:
    """Phrases joined by " · " that wrap only between phrases: "times in UTC" moves to the next
    line whole rather than leave "UTC" alone there (the line before ends in "·"). A phrase
    wider than a line wraps by words."""

    def __init__(self, phrases: Sequence[str], style: str = "") -> None:
        self.phrases = [p for p in phrases if p]
        self.style = style

    def __eq__(self, other: object) -> bool:  # what would draw the same: no repaint
        return isinstance(other, Phrases) and (self.phrases, self.style) == (
            other.phrases,
            other.style,
        )

    __hash__ = None  # type: ignore[assignment]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines: list[str] = []
        line = ""
        for phrase in self.phrases:
            longer = f"{line}{SEPARATOR}{phrase}" if line else phrase
            if line and cell_len(longer) > options.max_width:
                lines.append(line + SEPARATOR.rstrip())  # the "·" stays, ending the line
                line = phrase
            else:
                line = longer
        lines.append(line)
        yield Text("\n".join(lines), style=self.style)
