"""Is anything on screen cut? Every widget's words against the words it draws (issue 13 §17).

A label, hint, footer key, top-bar status, button or dialog line is *cut* when a word it holds is
not among the words it draws: an ellipsis, a crop at the edge of its box, a word folded in two
(an id split over two lines), or a box squeezed to nothing. Wrapping between words is fine, and
so is text below the fold of a box that scrolls. Tables are the exception: a cell may be
shortened, but then it ends in "…" (the whole text is a key away), which ``cut_cells`` checks.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets._footer import FooterKey
from textual.widgets._toggle_button import ToggleButton

from sptui.desk.formatting import STATUS_LABELS
from sptui.tui.widgets.capacity_grid import CapacityGrid
from sptui.tui.widgets.virtual_table import VirtualTable

LISTS = (VirtualTable, CapacityGrid, OptionList)
"""Widgets that show rows of their own, and what is inside them."""


def plain(renderable: object) -> str:
    """The text a renderable holds, whatever room it is given."""
    if isinstance(renderable, Content | Text):
        return renderable.plain
    if isinstance(renderable, str):
        return Content.from_markup(renderable).plain
    inner = getattr(renderable, "_renderable", None)  # a Rich renderable in a Textual Visual
    if inner is not None:
        return plain(inner)
    console = Console(width=1000, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def held(widget: Widget) -> str | None:
    """The words a widget is meant to show, or None for one that is not checked here."""
    if isinstance(widget, Input):  # what is typed scrolls; the hint in an empty box must fit
        return None if widget.value else widget.placeholder
    if isinstance(widget, Static | Button | FooterKey | ToggleButton):
        return plain(widget.render())
    return None


def lines_of(strips: list[Strip], box: Region) -> list[str]:
    return [
        "".join(s.text for s in strip.crop(box.x, box.right))
        for strip in strips[box.y : box.bottom]
    ]


def drawn(widget: Widget) -> list[str]:
    """What the widget draws in its content box, all of it (also what a scroll hides)."""
    width, height = widget.outer_size
    if not width or not height:
        return []
    strips = widget.render_lines(Region(0, 0, width, height))
    return lines_of(strips, Region(0, 0, width, height).shrink(widget.styles.gutter))


def _in_list(widget: Widget) -> bool:
    return any(isinstance(node, LISTS) for node in widget.ancestors_with_self)


def _boxed_in(widget: Widget, region: Region, geometry: Any) -> str | None:
    """Why part of ``region`` can never be seen: an ancestor that does not scroll cuts it, or
    cuts a side of it (nothing scrolls sideways by key). None when all of it can be seen,
    maybe after scrolling a box up or down."""
    for node in widget.ancestors:
        where = geometry.get(node)
        if where is None:
            continue
        box = where.region
        if region.x < box.x or region.right > box.right:
            return f"its sides are cut by {type(node).__name__} at {box}"
        if region.y < box.y or region.bottom > box.bottom:
            if not node.allow_vertical_scroll:
                return f"it is cut by {type(node).__name__} at {box}"
            region = region.intersection(box)
    screen = widget.screen.region
    if region.intersection(screen) != region:
        return "it is off the screen"
    return None


def cut_texts(app: Any) -> list[str]:
    """Every widget of the screen in front whose words are not all shown, and what is missing."""
    screen = app.screen
    compositor = screen._compositor
    geometry = compositor.full_map
    on_screen = compositor.render_strips()
    problems = []
    for widget, where in geometry.items():
        if _in_list(widget) or not widget.visible:
            continue
        text = held(widget)
        if not text or not text.strip():
            continue
        name = f"{type(widget).__name__}#{widget.id}" if widget.id else type(widget).__name__
        own = drawn(widget)
        missing = Counter(text.split()) - Counter(" ".join(own).split())
        if missing:
            problems.append(f"{name} draws {own!r}, not {' '.join(missing)!r}")
            continue
        region = where.region
        why = _boxed_in(widget, region, geometry)
        if why:
            problems.append(f"{name} {text!r}: {why}")
            continue
        # Whatever of it is on screen shows its own text, not another widget's laid over it.
        visible = region.intersection(where.clip)
        if visible:
            mine = lines_of(
                widget.render_lines(Region(0, 0, *widget.outer_size)),
                visible.translate((-region.x, -region.y)),
            )
            if lines_of(on_screen, visible) != mine:
                problems.append(f"{name} {text!r} is covered: {lines_of(on_screen, visible)!r}")
    return problems


REQUEST_ID = re.compile(r"request id (\S+)")
WHOLE = tuple(STATUS_LABELS.values())
"""Read as one thing, so never broken over two lines: a status and its symbol."""


def split_words(app: Any) -> list[str]:
    """Request ids and status labels broken over two lines (or cut) by the widget showing them."""
    problems = []
    for widget in app.screen._compositor.full_map:
        text = None if _in_list(widget) or not widget.visible else held(widget)
        if not text:
            continue
        lines = drawn(widget)
        if not "".join(lines).strip():
            continue  # squeezed to nothing: not this check's business
        ids = [i.strip("()") for i in REQUEST_ID.findall(text)]
        for whole in [*ids, *(w for w in WHOLE if w in text)]:
            wanted = text.count(whole)
            if sum(line.count(whole) for line in lines) < wanted:
                problems.append(f"{type(widget).__name__} breaks {whole!r}: {lines!r}")
    return problems


def cut_cells(app: Any) -> list[str]:
    """Table cells that are shortened without saying so (they must end in "…")."""
    problems = []
    for table in app.screen.query(VirtualTable):
        if not table.region or not table._layout:
            continue
        width = table.scrollable_content_region.width
        for y in range(table.scrollable_content_region.height):
            line = "".join(s.text for s in table.render_line(y))
            if y == 0:
                cells = [(c.title, w) for c, _, w in table._layout]
            else:
                index = table.scroll_offset.y + y - 1
                if index >= len(table.rows):
                    break
                row = table.rows[index]
                cells = [
                    (row.cells[i] if i < len(row.cells) else "", w) for _, i, w in table._layout
                ]
            x = 2
            for text, cell_width in cells:
                shown = line[x : x + cell_width]
                if cell_len(text) > cell_width and not shown.endswith("…"):
                    problems.append(f"#{table.id} line {y}: {text!r} shown as {shown!r}")
                x += cell_width + 1
            assert cell_len(line) <= width
    return problems
