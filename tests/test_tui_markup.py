"""API strings are text, never markup: ids, statuses, names and Amazon's messages holding '[' and
']' show verbatim on every screen, in every toast, and never crash the console."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select
from textual.widgets._toast import Toast

from sptui.config import Profile
from sptui.config import load as load_config
from sptui.config.store import Loaded
from sptui.simulator import Simulator
from sptui.simulator.world import JobRecord
from sptui.spapi.models import ServiceJobStatus
from sptui.tui.dialogs.book import BookDialog
from sptui.tui.dialogs.profile_form import ProfileForm
from sptui.tui.screens.appointment import AppointmentScreen
from sptui.tui.screens.job import JobScreen
from sptui.tui.screens.job_run import JobRun
from sptui.tui.screens.jobs import JobsScreen
from sptui.tui.screens.journal import JournalScreen
from sptui.tui.widgets.virtual_table import VirtualTable

from .tui_helpers import make_app, screen_text, settle

SLASH_ID = "JOB-[/]-1"
BOLD_ID = "JOB-[b]-1"
ODD_STATUS = "ON_HOLD[/]"
ODD_TITLE = "Mount [/x] TV [b]now"
ODD_TECH = "Sam [/] [@click=app.quit]Tech"
ODD_APPOINTMENT = "APT-[/]-[link=https://x]1"
AMAZON = "Missing or invalid request parameters: [marketplaceIds]"


def rename(sim: Simulator, record: JobRecord, job_id: str) -> None:
    del sim.world.jobs[record.job_id]
    record.job.service_job_id = job_id
    sim.world.jobs[job_id] = record
    sim.world.touch(record)


def odd_world(sim: Simulator) -> None:
    """Three jobs whose fields hold markup: one to book, one on an odd status, one scheduled."""
    records = [r for r in sim.world.jobs.values() if r.job.marketplace_id == "ATVPDKIKX0DER"]
    pending = [r for r in records if r.status == ServiceJobStatus.PENDING_SCHEDULE]
    scheduled = next(
        r
        for r in records
        if r.status == ServiceJobStatus.NOT_SERVICED and r.active().assigned_technicians  # type: ignore[union-attr]
    )
    rename(sim, pending[0], SLASH_ID)
    pending[0].job.scope_of_work.title = ODD_TITLE  # type: ignore[union-attr]
    pending[1].job.service_job_status = ServiceJobStatus(ODD_STATUS)
    sim.world.touch(pending[1])
    rename(sim, scheduled, BOLD_ID)
    active = scheduled.active()
    assert active is not None and active.assigned_technicians
    active.appointment_id = ODD_APPOINTMENT
    active.assigned_technicians[0].name = ODD_TECH


def toasts(app: Any) -> list[str]:
    """What each toast on screen draws (rendering it is what used to crash)."""
    return [str(toast.render().plain) for toast in app.screen.query(Toast)]


def row_of(app: Any, job_id: str) -> int:
    rows = app.screen.query_one(VirtualTable).rows
    return next(i for i, r in enumerate(rows) if r.key == job_id)


async def test_the_jobs_list_and_its_copy_toast_show_ids_verbatim() -> None:
    app, sim = make_app()
    odd_world(sim)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        text = screen_text(app)
        for shown in (SLASH_ID, BOLD_ID, "? On Hold[/]", ODD_TITLE[:26], ODD_TECH[:14]):
            assert shown in text
        for job_id in (SLASH_ID, BOLD_ID):
            app.screen.query_one(VirtualTable).cursor = row_of(app, job_id)
            await pilot.press("y")
            await settle(pilot)
            assert f"Copied job id {job_id}" in toasts(app)
            assert f"Copied job id {job_id}" in screen_text(app)


async def test_the_job_and_appointment_screens_show_ids_names_and_statuses_verbatim() -> None:
    app, sim = make_app()
    odd_world(sim)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        app.screen.open_job(SLASH_ID)
        await settle(pilot)
        assert isinstance(app.screen, JobScreen)
        text = screen_text(app)
        assert f"Job {SLASH_ID}" in text and ODD_TITLE in text
        await pilot.press("y")
        await settle(pilot)
        assert f"Copied job id {SLASH_ID}" in toasts(app)
        await pilot.press("escape")
        await settle(pilot)

        on_hold = next(j.job_id for j in app.screen.listing if j.status == ODD_STATUS)
        app.screen.open_job(on_hold)
        await settle(pilot)
        assert "? On Hold[/]" in screen_text(app)
        await pilot.press("b")  # refused: the toast names the status
        await settle(pilot)
        assert "Not possible: ? On Hold[/] jobs cannot be booked." in toasts(app)
        await pilot.press("escape")
        await settle(pilot)

        app.screen.open_job(BOLD_ID)
        await settle(pilot)
        text = screen_text(app)
        assert f"Job {BOLD_ID}" in text and ODD_TECH[:16] in text and ODD_APPOINTMENT[:20] in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AppointmentScreen)
        text = screen_text(app)
        assert f"job {BOLD_ID}" in text and ODD_APPOINTMENT in text and ODD_TECH in text
        await pilot.press("y")
        await settle(pilot)
        assert f"Copied appointment id {ODD_APPOINTMENT}" in toasts(app)


async def test_the_book_dialog_and_the_journal_show_ids_verbatim() -> None:
    app, sim = make_app()
    odd_world(sim)
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        app.screen.open_job(SLASH_ID)
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, BookDialog)
        assert f"Book job {SLASH_ID} · {ODD_TITLE}" in screen_text(app)
        await pilot.press("escape", "x")
        await settle(pilot)
        await pilot.press("ctrl+s")  # cancel it, so the journal has its id
        await settle(pilot)
        assert isinstance(app.screen, JobRun)
        assert f"{SLASH_ID}  succeeded" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("J")
        await settle(pilot)
        assert isinstance(app.screen, JournalScreen)
        assert screen_text(app).count(SLASH_ID) == 2  # sending, succeeded


async def test_amazons_messages_keep_their_brackets_in_error_toasts_and_on_screen() -> None:
    app, _ = make_app(marketplace_id="")  # the simulator refuses a listing without one
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        assert any(AMAZON in t and t.startswith("Loading jobs failed") for t in toasts(app))
        assert "[marketplaceIds]" in screen_text(app)
    app, _ = make_app()
    async with app.run_test(size=(160, 48), notifications=True) as pilot:
        await settle(pilot)
        app.screen.open_job("[/x]")  # the simulator's not-found message repeats the id
        await settle(pilot)
        assert "Job not found for jobId [/x]" in screen_text(app)
        assert any("Job not found for jobId [/x]" in t for t in toasts(app))


@pytest.mark.parametrize(
    ("job_id", "marketplace", "said"),
    [("[/x]", "ATVPDKIKX0DER", "Job not found for jobId [/x]"), ("J", "", AMAZON)],
    ids=["closing tag", "Amazon's brackets"],
)
async def test_the_profile_form_shows_the_servers_answer_verbatim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, job_id: str, marketplace: str, said: str
) -> None:
    sim = Simulator()

    async def check(profile: Profile, client_id: str, secret: str, refresh: str) -> str:
        async with sim.client(marketplace_id=marketplace) as client:
            if marketplace:
                await client.get_service_job_by_service_job_id(job_id)
            else:
                from datetime import timedelta

                await client.get_service_jobs(created_after=sim.world.clock() - timedelta(days=1))
        return "?"

    monkeypatch.setattr("sptui.tui.dialogs.profile_form.check", check)
    path = tmp_path / "config.toml"
    app, _ = make_app()
    app.config = Loaded(load_config(path).config, {}, path)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await settle(pilot)
        app.action_add_profile()
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ProfileForm)
        form.query_one("#name", Input).value = "lab"
        form.query_one("#marketplace_id", Select).value = "ATVPDKIKX0DER"
        form.query_one("#client_id", Input).value = "sptui-demo"
        form.query_one("#source", Select).value = "file"
        await settle(pilot)
        form.query_one("#client_secret", Input).value = "s"
        form.query_one("#refresh_token", Input).value = "r"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProfileForm)
        outcome = str(form.query_one("#outcome").render().plain)
        assert outcome.startswith("Not saved: [") and said in outcome
        assert said.rsplit(" ", 1)[1] in screen_text(app)  # the bracketed word, as drawn
        assert not path.exists()
        assert isinstance(app.screen_stack[1], JobsScreen)
