"""The journal is never a reason to lose an outcome: full disks, torn lines, cancelled writes."""

from __future__ import annotations

import asyncio
import getpass
import json
import os
from pathlib import Path

import pytest

from sptui.desk.journal import Journal, JournalError, close_missing, missing_outcomes
from sptui.desk.writes import perform

from .journal_faults import FullDisk, fill_disk


class Answer:
    request_id = "rid-7"
    warnings = None
    errors = None


def sender() -> tuple[list[str], object]:
    """A send that answers at once, and the list of times it was called."""
    calls: list[str] = []

    async def send() -> Answer:
        calls.append("sent")
        return Answer()

    return calls, send


@pytest.mark.parametrize(
    "disk",
    [FullDisk(), FullDisk(partial=9), FullDisk(fsync_fails=True)],
    ids=["write fails", "short write then full", "fsync fails"],
)
async def test_a_write_whose_sending_line_cannot_be_journalled_is_not_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, disk: FullDisk
) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    fill_disk(monkeypatch, disk)
    calls, send = sender()
    result = await perform(journal, {}, "op", {"serviceJobId": "J"}, {}, send)  # type: ignore[arg-type]
    assert calls == []
    assert result.outcome == "not sent" and not result.took_effect
    assert result.message.startswith("the journal could not be written: ")
    assert "No space left on device" in result.message
    assert result.message.endswith("; nothing was sent")
    monkeypatch.undo()
    assert missing_outcomes(journal.entries()) == []  # a torn line is skipped; a whole one closed


async def test_short_counts_are_written_out_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    fill_disk(monkeypatch, FullDisk(trickle=7))
    calls, send = sender()
    result = await perform(journal, {}, "op", {"serviceJobId": "J"}, {}, send)  # type: ignore[arg-type]
    assert [e["outcome"] for e in journal.entries()] == ["sending", "succeeded"]
    assert calls == ["sent"] and result.outcome == "succeeded" and not result.unrecorded


def test_a_write_that_writes_nothing_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Stuck(FullDisk):
        def write(self, descriptor: int, data: bytes | memoryview) -> int:
            return 0

    fill_disk(monkeypatch, Stuck())
    with pytest.raises(JournalError, match="wrote nothing"):
        Journal(tmp_path / "j.jsonl").append({"operation": "op"})


@pytest.mark.parametrize(
    "disk", [FullDisk(writes=1), FullDisk(writes=1, fsync_fails=True)], ids=["write", "fsync"]
)
async def test_an_outcome_the_journal_cannot_take_is_still_returned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, disk: FullDisk
) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    fill_disk(monkeypatch, disk)
    calls, send = sender()
    result = await perform(journal, {}, "op", {"serviceJobId": "J"}, {}, send)  # type: ignore[arg-type]
    assert calls == ["sent"]
    assert result.outcome == "succeeded" and result.request_id == "rid-7"
    assert "could not be written to the journal" in result.unrecorded
    assert "No space left on device" in result.unrecorded


async def test_a_cancelled_write_is_journalled_unknown_and_the_cancel_goes_on(
    tmp_path: Path,
) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    started = asyncio.Event()

    async def send() -> None:
        started.set()
        await asyncio.Event().wait()  # the answer never comes

    task = asyncio.create_task(perform(journal, {}, "op", {"serviceJobId": "J"}, {}, send))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert [e["outcome"] for e in journal.entries()] == ["sending", "unknown"]
    assert missing_outcomes(journal.entries()) == []


def test_every_line_names_the_operating_system_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    journal.append({"operation": "op"})
    assert next(journal.entries())["user"] == getpass.getuser()

    def nameless() -> str:
        raise OSError("no name for this uid")

    monkeypatch.setattr(getpass, "getuser", nameless)
    assert Journal(tmp_path / "j.jsonl").append({"operation": "op"})["user"] == (
        f"uid {os.getuid()}"
    )


def test_a_line_torn_inside_a_character_is_skipped(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    journal.append({"operation": "a", "ids": {"serviceJobId": "café"}})
    whole = journal.path.read_bytes()
    torn = json.dumps({"operation": "b", "ids": {"x": "café"}}, ensure_ascii=False).encode()
    journal.path.write_bytes(whole + torn[: torn.index("é".encode()) + 1])  # cut mid-character
    assert [e["operation"] for e in journal.entries()] == ["a"]
    journal.append({"operation": "c"})
    assert [e["operation"] for e in journal.entries()] == ["a", "c"]


def test_a_lone_surrogate_from_json_is_journalled_and_read_back(tmp_path: Path) -> None:
    job_id = json.loads('"JOB-\\ud800-1"')  # JSON can carry half a surrogate pair
    journal = Journal(tmp_path / "j.jsonl")
    journal.append({"operation": "op", "ids": {"serviceJobId": job_id}})
    assert next(journal.entries())["ids"]["serviceJobId"] == job_id


def test_writes_without_an_outcome_are_found_and_closed_once(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.jsonl")
    base = {"profile": "p", "mode": "LIVE", "operation": "cancelServiceJobByServiceJobId"}
    journal.append({**base, "ids": {"serviceJobId": "A"}, "outcome": "sending"})
    journal.append({**base, "ids": {"serviceJobId": "B"}, "outcome": "sending"})
    journal.append({**base, "ids": {"serviceJobId": "A"}, "outcome": "succeeded"})
    journal.append({**base, "ids": {"serviceJobId": "C"}, "outcome": "sending"})
    journal.append({**base, "ids": {"serviceJobId": "C"}, "outcome": "failed"})
    journal.append({**base, "ids": {"serviceJobId": "C"}, "outcome": "sending"})
    missing = missing_outcomes(journal.entries())
    assert [m["ids"]["serviceJobId"] for m in missing] == ["B", "C"]
    found, problem = close_missing(journal)
    assert found == missing and problem is None
    assert missing_outcomes(journal.entries()) == []
    assert [e["outcome"] for e in journal.entries()][-2:] == ["unknown", "unknown"]
    assert close_missing(journal) == ([], None)
