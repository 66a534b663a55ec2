"""Showing API failures: Amazon's code and message, and the request id support will ask for."""

from __future__ import annotations

from textual.app import App

from sptui.spapi import SpApiError

from .text import clean


def describe(error: SpApiError) -> str:
    lines = [clean(error.message)]
    if error.details:  # Amazon often names the offending field only here
        lines.append(clean(error.details))
    head = " ".join(
        p for p in (f"HTTP {error.status}" if error.status else "", clean(error.code or "")) if p
    )
    if head:
        lines.insert(0, head)
    for extra in error.errors[1:]:
        lines.append(f"{clean(extra.code or '')}: {clean(extra.message)}")
    if error.request_id:
        lines.append(f"request id {clean(error.request_id)}")
    return "\n".join(lines)


def report(app: App[object], error: SpApiError, what: str) -> None:
    app.notify(describe(error), title=what, severity="error", timeout=12, markup=False)
