"""The journal and the single path every write takes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sptui.desk.journal import Journal
from sptui.desk.writes import perform
from sptui.spapi import (
    RequestValidationError,
    ServerError,
    SpApiError,
    UnprocessableError,
    WriteOutcomeError,
)
from sptui.spapi.errors import Outcome


def test_the_journal_appends_and_never_rewrites(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "state" / "journal.jsonl")
    journal.append({"operation": "a"})
    first = journal.path.read_bytes()
    journal.append({"operation": "b"})
    assert journal.path.read_bytes().startswith(first)  # the old lines are untouched
    with journal.path.open("a") as torn:
        torn.write('{"operation": "c", "cut sh')  # a crash mid-line
    journal.append({"operation": "d"})
    assert [e["operation"] for e in journal.entries()] == ["a", "b", "d"]
    assert (journal.path.stat().st_mode & 0o777) == 0o600
    assert all("time" in e for e in journal.entries())


class Answer:
    def __init__(self, request_id: str = "rid-1", warnings: list[object] | None = None) -> None:
        self.request_id = request_id
        self.warnings = warnings
        self.errors = None


async def test_success_is_journalled_before_and_after(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")

    async def send() -> Answer:
        return Answer()

    result = await perform(
        journal, {"profile": "p"}, "op", {"serviceJobId": "J"}, {"code": "V1"}, send
    )
    assert result.took_effect and result.request_id == "rid-1"
    lines = [json.loads(x) for x in journal.path.read_text().splitlines()]
    assert [x["outcome"] for x in lines] == ["sending", "succeeded"]
    assert lines[1]["ids"] == {"serviceJobId": "J"} and lines[1]["request_id"] == "rid-1"


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (RequestValidationError("op", [("x", "bad")]), "not sent"),
        (
            UnprocessableError("Job not found", status=422, code="InvalidInput", request_id="r2"),
            "failed",
        ),
        (
            WriteOutcomeError(
                ServerError("boom", status=500, request_id="r3"),
                Outcome.APPLIED,
                "the job is now CANCELLED",
            ),
            "applied",
        ),
        (
            WriteOutcomeError(ServerError("boom", status=500), Outcome.UNKNOWN, "could not read"),
            "unknown",
        ),
    ],
)
async def test_every_kind_of_end_is_journalled(
    tmp_path: Path, error: SpApiError, outcome: str
) -> None:
    journal = Journal(tmp_path / "j.jsonl")

    async def send() -> None:
        raise error

    result = await perform(journal, {}, "op", {"serviceJobId": "J"}, {}, send)
    assert result.outcome == outcome
    assert list(journal.entries())[-1]["outcome"] == outcome
    assert result.took_effect is (outcome == "applied")


async def test_a_200_carrying_errors_is_a_failure(tmp_path: Path) -> None:
    class Refused(Answer):
        def __init__(self) -> None:
            super().__init__()
            self.errors = [
                type(
                    "E",
                    (),
                    {"code": "InvalidInput", "message": "Invalid request parameters: [resourceId]"},
                )()
            ]

    async def send() -> Answer:
        return Refused()

    result = await perform(Journal(tmp_path / "j.jsonl"), {}, "createReservation", {}, {}, send)
    assert result.outcome == "failed" and "resourceId" in result.message
