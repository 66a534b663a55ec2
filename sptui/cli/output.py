"""Writing records for scripts and people: table, json, jsonl, csv or ids.

One exporter and one field list per kind of record. json and jsonl carry API values as Amazon
spells them (``CANCELLED``, ISO UTC times, Amazon's field names) so that Amazon's docs and ``jq``
line up; only ``table`` words things for people. Table and csv text is cleaned of escape bytes,
and a csv cell that a spreadsheet would run as a formula is defused.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, TextIO

from sptui.desk.text import clean

FORMATS = ("table", "json", "jsonl", "csv", "ids")

Field = tuple[str, Callable[[Any], object]]
"""A column: its name (Amazon's where there is one) and how to read it from a record."""

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def default_format(out_is_terminal: bool) -> str:
    """A table for a person, JSON lines for a pipe."""
    return "table" if out_is_terminal else "jsonl"


def _wire(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return getattr(value, "value", value)


def rows_of(records: Iterable[Any], fields: Sequence[Field]) -> list[dict[str, object]]:
    return [{name: _wire(get(record)) for name, get in fields} for record in records]


def csv_cell(value: object) -> str:
    """A cell as text, a leading = + - @ (or tab, CR) quoted off so no spreadsheet runs it."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = clean(value)
    # Spreadsheets skip leading blanks before deciding that a cell is a formula.
    return "'" + text if text.lstrip().startswith(_FORMULA) else text


def table_cell(value: object) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, list):
        return ",".join(clean(v) for v in value) or "-"
    return clean(value)


def write_table(out: TextIO, rows: Sequence[Mapping[str, object]], aligned: bool) -> None:
    """Aligned columns on a terminal; tab-separated (one record a line) otherwise, like gh."""
    if not rows:
        return
    names = list(rows[0])
    cells = [[table_cell(row[name]) for name in names] for row in rows]
    if not aligned:
        for line in cells:
            out.write("\t".join(line) + "\n")
        return
    header = [name.upper() for name in names]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
    for line in [header, *cells]:
        out.write("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() + "\n")


def export(
    out: TextIO,
    records: Iterable[Any],
    fields: Sequence[Field],
    fmt: str,
    *,
    aligned: bool = False,
    documents: Callable[[Any], object] | None = None,
) -> int:
    """Write the records; returns how many. ``documents`` gives a record's whole JSON form
    (Amazon's own shape) for json and jsonl; without it they carry the fields."""
    records = list(records)
    if fmt == "ids":
        for record in records:
            out.write(f"{clean(fields[0][1](record))}\n")
    elif fmt in ("json", "jsonl"):
        docs = [documents(r) for r in records] if documents else rows_of(records, fields)
        if fmt == "json":
            out.write(json.dumps(docs, indent=2, ensure_ascii=False, default=str) + "\n")
        else:
            for doc in docs:
                out.write(json.dumps(doc, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([name for name, _ in fields])
        for row in rows_of(records, fields):
            writer.writerow([csv_cell(v) for v in row.values()])
    else:
        write_table(out, rows_of(records, fields), aligned)
    return len(records)
