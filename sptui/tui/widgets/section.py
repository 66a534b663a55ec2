"""A titled block of label and value rows, as the job and appointment screens show them."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

KEY_WIDTH = 22
"""One width for the labels of every section, so values line up down the page."""


def section(title: str, pairs: Iterable[tuple[str, RenderableType | str]]) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True, width=KEY_WIDTH)
    grid.add_column(overflow="fold")
    for key, value in pairs:
        grid.add_row(key, value if not isinstance(value, str) else Text(value))
    return Group(Text(title, style="bold underline"), grid, Text(""))
