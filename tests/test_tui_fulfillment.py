"""Fulfillment data from the console: checked as typed, documents uploaded, then attached."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from textual.widgets import Input, Static

from sptui.spapi.models import ServiceJobStatus
from sptui.tui.dialogs.fulfillment import FulfillmentDialog
from sptui.tui.dialogs.job_action import ConfirmJobAction
from sptui.tui.path_completion import complete_path
from sptui.tui.screens.fulfillment_run import FulfillmentRun
from sptui.tui.widgets.virtual_table import VirtualTable

from .tui_helpers import make_app, screen_text, settle

PDF = b"%PDF-1.4\nsigned by the buyer\n%%EOF\n"


def unproven_job(app: Any, sim: Any) -> tuple[int, str]:
    """A loaded job that Amazon would take fulfillment data for and that has none yet."""
    table = app.screen.query_one(VirtualTable)
    for index, row in enumerate(table.rows):
        record = sim.world.jobs[row.key]
        active = record.active()
        if (
            record.status == ServiceJobStatus.NOT_SERVICED
            and active is not None
            and active.appointment_id not in record.fulfilled
            and active.poa is None
        ):
            return index, str(row.key)
    raise AssertionError("no unproven job loaded")


async def open_unproven(pilot: Any, app: Any, sim: Any, key: str) -> str:
    """Open an unproven job's screen and press ``key`` there; returns the job id."""
    index, job_id = unproven_job(app, sim)
    app.screen.query_one(VirtualTable).cursor = index
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    return job_id


async def open_fulfillment(pilot: Any, app: Any, sim: Any) -> str:
    job_id = await open_unproven(pilot, app, sim, "f")
    assert isinstance(app.screen, FulfillmentDialog)
    return job_id


def fill(app: Any, **values: str) -> None:
    for input_id, value in values.items():
        app.screen.query_one(f"#{input_id.replace('_', '-')}", Input).value = value


def outcome(app: Any) -> str:
    """The run's closing words, whole (on screen they wrap inside the box)."""
    return str(app.screen.query_one("#outcome", Static).content)


def notes(app: Any) -> str:
    return "\n".join(n.message for n in app._notifications)


async def add_document(pilot: Any, app: Any, path: Path) -> None:
    box = app.screen.query_one("#path", Input)
    box.value = str(path)
    box.focus()
    await pilot.press("enter")
    await settle(pilot)


async def test_fulfillment_data_with_a_document_is_uploaded_attached_and_read_back(
    tmp_path: Path,
) -> None:
    proof = tmp_path / "receipt.pdf"
    proof.write_bytes(PDF)
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        job_id = await open_fulfillment(pilot, app, sim)
        technician = next(iter(sim.world.technicians))
        fill(
            app,
            eta_start="2026-12-01 08:00",
            eta_end="2026-12-01 08:30",
            started="2026-12-01 08:40",
            finished="2026-12-01 10:10",
            technicians=technician,
        )
        await add_document(pilot, app, proof)
        assert "receipt.pdf · PDF" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        run = app.screen
        assert isinstance(run, FulfillmentRun) and run.finished
        assert "Fulfillment data set" in screen_text(app) and "request id" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        record = sim.world.jobs[job_id]
        active = record.active()
        assert active is not None and active.appointment_id in record.fulfilled
        poa = active.poa
        assert poa is not None and poa.poa_type == "POA_RECEIPT"
        assert [t.technician_id for t in poa.technicians or []] == [technician]
        assert poa.appointment_time.duration_in_minutes == 90  # 08:40 to 10:10, sent as UTC
        assert "Proof" in screen_text(app)  # the job screen read it back
    entries = [e for e in app.session.journal.entries() if e["outcome"] != "sending"]
    assert [(e["operation"], e["outcome"]) for e in entries] == [
        ("uploadDocument", "succeeded"),
        ("setAppointmentFulfillmentData", "succeeded"),
    ]
    sent = entries[-1]["parameters"]
    assert sent["fulfillmentTime"] == {
        "startTime": "2026-12-01T08:40:00Z",
        "endTime": "2026-12-01T10:10:00Z",
    }
    assert sent["fulfillmentDocuments"][0]["uploadDestinationId"]
    assert "receipt" not in str(entries)  # a file name may name the buyer: never journalled


async def test_bad_input_is_refused_under_its_field_and_nothing_is_sent(tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a document")
    fake_pdf = tmp_path / "photo.pdf"
    fake_pdf.write_bytes(b"\x89PNG\r\n\x1a\nreally a png")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    fifo = tmp_path / "scan.pdf"
    os.mkfifo(fifo)
    zeros = tmp_path / "proof.pdf"
    zeros.symlink_to("/dev/zero")
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        job_id = await open_fulfillment(pilot, app, sim)
        served = sim.app.requests_served
        fill(app, eta_start="2026-12-01 08:00")
        await settle(pilot)
        assert "give both times, or neither" in screen_text(app)
        fill(app, eta_end="tomorrow")
        await settle(pilot)
        assert "type times as YYYY-MM-DD HH:MM" in screen_text(app)
        fill(app, eta_end="2026-12-01 07:00")
        await settle(pilot)
        assert "must be after the first" in screen_text(app)
        fill(app, eta_start="", eta_end="")
        fill(app, started="2026-12-01 13:00", finished="2026-12-01 14:00")  # FIXED is 12:00
        await settle(pilot)
        assert "cannot have finished in the future" in screen_text(app)
        fill(app, started="", finished="", technicians="has a space")
        await settle(pilot)
        assert "not a resource id" in screen_text(app)
        fill(app, technicians="")
        for path, said in [
            (text_file, "not a document type Amazon takes"),
            (fake_pdf, "the content is not a PDF file"),
            (empty, "the file is empty"),
            (tmp_path / "missing.pdf", "no such file"),
            (fifo, "not a regular file"),  # used to hang the console, waiting for a writer
            (zeros, "not a regular file"),  # used to read until memory ran out
        ]:
            await add_document(pilot, app, path)
            assert said in screen_text(app), said
        app.screen.query_one("#path", Input).value = ""
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, FulfillmentDialog)
        assert "set at least one thing" in screen_text(app)
        assert sim.app.requests_served == served
        assert sim.world.jobs[job_id].active().poa is None
    assert list(app.session.journal.entries()) == []


async def test_the_server_refusing_an_unknown_technician_is_shown_in_its_words() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        job_id = await open_fulfillment(pilot, app, sim)
        fill(app, technicians="NOSUCHTECH1")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = outcome(app)
        assert "Not set (failed)" in text and "does not exist or is deleted" in text
        assert "request id" in text
        assert sim.world.jobs[job_id].active().poa is None


async def test_a_failed_upload_attaches_nothing(tmp_path: Path) -> None:
    proof = tmp_path / "receipt.pdf"
    proof.write_bytes(PDF)
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        job_id = await open_fulfillment(pilot, app, sim)
        fill(app, technicians=next(iter(sim.world.technicians)))
        await add_document(pilot, app, proof)
        sim.faults.update({"error_500_rate": 1.0})
        await pilot.press("ctrl+s")
        await settle(pilot)
        sim.faults.clear()
        text = outcome(app)
        assert "the upload of receipt.pdf failed" in text and "nothing was attached" in text
        assert sim.world.jobs[job_id].active().poa is None
    operations = [e["operation"] for e in app.session.journal.entries()]
    assert "setAppointmentFulfillmentData" not in operations


async def test_complete_offers_to_set_fulfillment_first_then_completes(tmp_path: Path) -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        job_id = await open_unproven(pilot, app, sim, "d")
        assert isinstance(app.screen, ConfirmJobAction)
        assert "Set fulfillment first" in screen_text(app)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, FulfillmentDialog)
        fill(app, started="2026-12-01 09:00", finished="2026-12-01 10:00")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmJobAction)  # back to completing, on fresh data
        assert "Set fulfillment first" not in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert sim.world.jobs[job_id].status == ServiceJobStatus.COMPLETED
    outcomes = [
        (e["operation"], e["outcome"])
        for e in app.session.journal.entries()
        if e["outcome"] != "sending"
    ]
    assert outcomes == [
        ("setAppointmentFulfillmentData", "succeeded"),
        ("completeServiceJobByServiceJobId", "succeeded"),
    ]


async def test_fulfillment_is_refused_up_front_for_a_job_that_cannot_take_it() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(VirtualTable)
        table.cursor = next(
            i for i, r in enumerate(table.rows) if app.screen.job(r.key).status == "COMPLETED"
        )
        served = sim.app.requests_served
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert not isinstance(app.screen, FulfillmentDialog)
        assert "no active appointment" in notes(app) or "Not possible" in notes(app)
        assert sim.app.requests_served == served + 1  # the job read, nothing else


def test_path_completion_completes_like_a_shell(tmp_path: Path) -> None:
    (tmp_path / "receipts").mkdir()
    (tmp_path / "receipt-1.pdf").write_bytes(PDF)
    (tmp_path / "receipt-2.pdf").write_bytes(PDF)
    (tmp_path / "report.txt").write_text("x")
    (tmp_path / "photo.JPG").write_bytes(b"\xff\xd8\xff")
    base = f"{tmp_path}/"
    suffixes = (".pdf", ".jpg")
    assert complete_path(base + "rec", suffixes) == base + "receipt"  # the common part
    assert complete_path(base + "receipts", suffixes) == base + "receipts/"  # a folder
    assert complete_path(base + "receipt-1", suffixes) == base + "receipt-1.pdf"
    assert complete_path(base + "rep", suffixes) is None  # not a document
    assert complete_path(base + "ph", suffixes) == base + "photo.JPG"
    assert complete_path(base + "zzz", suffixes) is None
    assert complete_path(f"{tmp_path}/nowhere/x", suffixes) is None
    assert complete_path("", suffixes) is None
