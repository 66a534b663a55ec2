"""Times name their zone, a status reads the same everywhere, an id keeps its case (issue 13 §20).

The words come from the core (``sptui.desk.formatting``), so the console and the command line's
previews say the same thing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from textual.widgets import Input

from sptui.desk.availability import describe
from sptui.desk.flows.booking import BookingPreview, describe_booking
from sptui.desk.flows.close import describe_close, preview_close
from sptui.desk.formatting import appointment_label, status_label, when, window, word
from sptui.desk.summary import JobSummary
from sptui.spapi.models import AvailabilityRecord
from sptui.tui.screens.appointment import AppointmentScreen
from sptui.tui.screens.job import JobScreen
from sptui.tui.screens.reservations import ReservationsScreen

from .test_tui_supply import last_note, open_capacity
from .tui_helpers import make_app, screen_text, settle

EAST = ZoneInfo("America/New_York")
MONDAY = datetime(2026, 11, 30, 13, 0, tzinfo=UTC)  # 08:00 in New York, standard time
JULY = datetime(2027, 7, 5, 12, 0, tzinfo=UTC)  # 08:00 in New York, daylight time


def test_a_time_names_its_zone() -> None:
    assert when(MONDAY, EAST) == "Mon 30 Nov 2026 08:00 EST"
    assert window(MONDAY, 120, EAST) == "Mon 30 Nov 2026 08:00–10:00 EST"
    assert window(JULY, 60, EAST) == "Mon 05 Jul 2027 08:00–09:00 EDT"
    assert when(MONDAY, UTC) == "Mon 30 Nov 2026 13:00 UTC"
    # a table cell stays short: its screen names the zone once, above the table
    assert when(MONDAY, EAST, short=True) == "11-30 08:00"
    assert window(MONDAY, 120, EAST, short=True) == "Mon 30 Nov 08:00-10:00"
    # no zone configured: this machine's own, by the name it gives itself
    local = MONDAY.astimezone().tzname()
    assert when(MONDAY, None).endswith(f" {local}")


def test_a_preview_names_the_zone_for_both_faces() -> None:
    """describe_booking is what the console's confirmation and `sptui appointments` print."""
    preview = BookingPreview("JOB-1", MONDAY, 120)
    assert describe_booking(preview, EAST)[0] == (
        "Book job JOB-1 at Mon 30 Nov 2026 08:00–10:00 EST (sent as 2026-11-30T13:00Z)."
    )
    summary = JobSummary("JOB-2", "NOT_SERVICED", None, ("", "11-30 08:00", "Fan"), "", "", "")
    cancel = describe_close(preview_close("cancel", [summary], "V1"), EAST)
    assert cancel[1] == "  JOB-2  Fan  ·  11-30 08:00 America/New_York  ·  * Scheduled"
    record = AvailabilityRecord(start_time=MONDAY, end_time=MONDAY.replace(hour=15), capacity=1)
    assert describe(record, EAST, named=True) == "Mon 30 Nov 08:00-10:00 EST · capacity 1"
    assert describe(record, EAST) == "Mon 30 Nov 08:00-10:00 · capacity 1"  # a table cell


def test_a_status_is_one_word_whatever_its_case_on_the_wire() -> None:
    assert appointment_label("ACTIVE") == "Active"
    assert appointment_label("COMPLETED") == "Completed"
    assert appointment_label("ON_ICE") == "On ice"  # one Amazon adds later
    assert word("IN_HOME") == "In home"
    assert status_label("NOT_SERVICED") == "* Scheduled"


async def test_an_appointment_status_reads_the_same_on_the_job_and_its_own_screen() -> None:
    app, _ = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j", "enter")  # a completed job, as in the snapshots
        await settle(pilot)
        assert isinstance(app.screen, JobScreen)
        in_table = screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AppointmentScreen)
        own = screen_text(app)
    assert "Completed" in in_table and "Completed" in own
    assert "COMPLETED" not in in_table + own
    assert "times in UTC" in own  # the open slots' zone


async def test_the_jobs_list_names_its_zone_and_words_statuses_as_its_rows_do() -> None:
    from sptui.tui.screens.jobs import JobsScreen

    app, _ = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, JobsScreen)
        from dataclasses import replace

        screen.filters = replace(screen.filters, statuses=("PENDING_SCHEDULE", "HOLD"))
        screen._requery(at=0)
        await settle(pilot)
        summary = screen_text(app).splitlines()[1]
    assert "status To schedule/On hold" in summary, summary
    assert "times in UTC" in summary, summary


async def test_a_reservation_id_keeps_its_case_when_the_write_is_refused() -> None:
    app, sim = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await open_capacity(pilot, app, sim)
        await pilot.press("v")
        await settle(pilot)
        assert isinstance(app.screen, ReservationsScreen)
        await pilot.press("i")
        await settle(pilot)
        app.screen.query_one("#rid", Input).value = "RES-notThere-7"
        app.screen.query_one("#cancel-it").press()
        await settle(pilot)
        await pilot.press("ctrl+s")  # confirm: Amazon answers that it has no such reservation
        await settle(pilot)
        said = last_note(app)
    assert said.startswith("Not cancelled RES-notThere-7 (failed)"), said
