"""`sptui slots | capacity | reservations | schedule set | journal`, as scripts run them.

Each command runs as a child process against `sptui simulator` on loopback (one per module),
with a profile made from the line the simulator prints, in America/New_York so that times typed
in the zone are seen to be read there. Writes are read back with sptui itself (capacity) and
found in the journal; a write that must not be sent is checked against the simulator's count of
API requests and the journal. Options building and the one answer the simulator cannot give
(a schedule record refused inside a 200) are tested in-process.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from sptui.cli import supply
from sptui.cli.confirm import NEEDS_YES, WriteOptions
from sptui.cli.context import Refused
from sptui.cli.exit import Exit
from sptui.cli.fields import CAPACITY_FIELDS, JOURNAL_FIELDS, SLOT_FIELDS
from sptui.cli.io import IO
from sptui.cli.journal import journal_options
from sptui.cli.parser import build_parser
from sptui.desk.capacity import TYPES
from sptui.desk.desk import Desk, Mode
from sptui.desk.journal import Journal
from sptui.simulator import SimConfig, Simulator
from sptui.spapi.models import CapacityType, ReservationType

from .cli_helpers import (
    Sptui,
    add_profile,
    schema_problems,
    sends_nothing,
    served_simulator,
)
from .fakes import make_client, ok

ZONE = "America/New_York"
TZ = ZoneInfo(ZONE)

# The seeded world's technicians (seed 1): the first six hold seeded reservations, so the
# reservation tests use the later ones, each its own so that tests do not see each other's.
_TECHS = list(Simulator(SimConfig(seed=1, jobs=0)).world.technicians)
LIFECYCLE, NO_YES, BAD_INPUT, SCHEDULE, OTHER, SPARE = _TECHS[6:12]

# ---- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with served_simulator("--jobs", "40", "--seed", "1") as url:
        yield url


@pytest.fixture(scope="module")
def cli(base: str, tmp_path_factory: pytest.TempPathFactory) -> Sptui:
    runner = Sptui(tmp_path_factory.mktemp("cli-supply"))
    add_profile(runner, base, "sim", "--time-zone", ZONE)
    return runner


@pytest.fixture(scope="module")
def day() -> date:
    """A day two weeks ahead, in the profile's zone."""
    return datetime.now(TZ).date() + timedelta(days=14)


def at(day: date, hour: int) -> str:
    """``YYYY-MM-DD HH:00`` as a person types it (in the profile's zone)."""
    return f"{day.isoformat()} {hour:02d}:00"


def moment(day: date, hour: int) -> datetime:
    """A local hour on a day, in UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=TZ).astimezone(UTC)


def wire(value: datetime) -> str:
    """A UTC time as Amazon writes it."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def utc(day: date, hour: int) -> str:
    """A local hour as Amazon writes it (UTC, Z)."""
    return wire(moment(day, hour))


def hours_in(day: date) -> int:
    """23, 24 or 25: a local day is not always a day long."""
    return int((moment(day + timedelta(days=1), 0) - moment(day, 0)) / timedelta(hours=1))


def parsed(text: str) -> datetime:
    return datetime.fromisoformat(text)


def capacity(cli: Sptui, resource_id: str, day: date, kind: str) -> dict[str, int]:
    """One kind of capacity of a technician on a local day, hour by hour, keyed by UTC start."""
    ran = cli("capacity", resource_id, "--start", day.isoformat(), "--days", "1", "--type", kind)
    assert ran.code == 0, ran
    return {r["startDateTime"]: r["capacity"] for r in ran.lines()}


# ---- slots -------------------------------------------------------------------------------


def test_slots_for_a_job_are_open_slots_in_amazons_shape(cli: Sptui) -> None:
    job = cli("jobs", "list", "--status", "PENDING_SCHEDULE", "--limit", "1", "-o", "ids")
    assert job.code == 0 and job.out.strip(), job
    ran = cli("slots", job.out.strip(), "--days", "5")  # piped: jsonl by default
    assert ran.code == 0, ran
    slots = ran.lines()
    assert slots
    for slot in slots:
        assert schema_problems("AppointmentSlot", slot) == []
        assert set(slot) == {"startTime", "endTime", "capacity"} and slot["capacity"] > 0
        assert slot["startTime"].endswith("Z") and slot["startTime"] < slot["endTime"]
    # within five local days from today
    today = datetime.now(TZ).date()
    assert all(
        moment(today, 0) <= parsed(s["startTime"]) < moment(today + timedelta(days=5), 0)
        for s in slots
    )
    as_csv = cli("slots", job.out.strip(), "--days", "5", "-o", "csv")
    assert as_csv.out.splitlines()[0] == ",".join(n for n, _ in SLOT_FIELDS)
    assert len(as_csv.out.splitlines()) == len(slots) + 1


def test_slots_for_a_service_at_a_store(cli: Sptui, day: date) -> None:
    job = cli("jobs", "list", "--status", "PENDING_SCHEDULE", "--limit", "1", "-o", "json").json()[
        0
    ]
    asin, store = job["scopeOfWork"]["asin"], job["storeId"]
    ran = cli(
        "slots", "--asin", asin, "--store-id", store, "--start", day.isoformat(), "--days", "7"
    )
    assert ran.code == 0, ran
    slots = ran.lines()
    assert slots and all(schema_problems("AppointmentSlot", s) == [] for s in slots)
    assert all(
        moment(day, 0) <= parsed(s["startTime"]) < moment(day + timedelta(days=7), 0) for s in slots
    )
    as_json = cli("slots", "--asin", asin, "--store-id", store, "--days", "7", "-o", "json")
    assert isinstance(as_json.json(), list)


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["slots"], "give JOB_ID, or both --asin and --store-id"),
        (["slots", "--asin", "B0X"], "give JOB_ID, or both --asin and --store-id"),
        (["slots", "J1", "--asin", "B0X", "--store-id", "S"], "not both"),
        (["slots", "J1", "--days", "0"], "--days takes 1 to 90"),
        (["slots", "J1", "--days", "91"], "--days takes 1 to 90"),
        (["slots", "J1", "--start", "12/02/2026"], "--start: '12/02/2026' is not a day"),
        (["slots", "J1", "--start", "2020-01-01", "--days", "3"], "slots are offered from now on"),
        (["capacity", "R1", "--slot-minutes", "7"], "--slot-minutes 7: a slot is 5 to 360"),
        (["capacity", "R1", "--slot-minutes", "365"], "--slot-minutes 365"),
        (["capacity", "R1", "--slot-minutes", "0"], "--slot-minutes 0"),
        (["capacity", "R1", "--days", "0"], "--days takes 1 to 90"),
        (["capacity", "R1", "--days", "120"], "--days takes 1 to 90"),
        (["capacity", "R1", "--start", "tomorrow"], "--start: 'tomorrow' is not a day"),
    ],
)
def test_bad_read_options_are_refused_before_any_call(
    cli: Sptui, base: str, argv: list[str], said: str
) -> None:
    ran = sends_nothing(cli, base, argv)
    assert ran.code == 2, ran
    assert said in ran.err and ran.out == ""


def test_slots_of_an_unknown_job_say_amazons_words(cli: Sptui) -> None:
    ran = cli("slots", "NO-SUCH-JOB", "--days", "2")
    assert ran.code == 1, ran
    assert "No job exist" in ran.err and "request id" in ran.err and ran.out == ""


# ---- capacity ----------------------------------------------------------------------------


def test_capacity_is_one_record_per_cell_and_type(cli: Sptui, day: date) -> None:
    ran = cli("capacity", SPARE, "--start", day.isoformat(), "--days", "1", "--slot-minutes", "120")
    assert ran.code == 0, ran
    records = ran.lines()
    assert len(records) == hours_in(day) // 2 * 4
    assert all(list(r) == [n for n, _ in CAPACITY_FIELDS] for r in records)
    assert [r["type"] for r in records[:4]] == [t.value for t in TYPES]
    starts = [r["startDateTime"] for r in records[::4]]
    assert starts == sorted(starts) and starts[0] == utc(day, 0)
    assert all(
        parsed(r["endDateTime"]) - parsed(r["startDateTime"]) == timedelta(hours=2) for r in records
    )
    assert all(isinstance(r["capacity"], int) and r["capacity"] >= 0 for r in records)

    chosen = cli(
        "capacity", SPARE, "--start", day.isoformat(), "--days", "2",
        "--type", "RESERVED_CAPACITY", "--type", "AVAILABLE_CAPACITY", "-o", "csv",
    )  # fmt: skip
    rows = chosen.out.splitlines()
    hours = hours_in(day) + hours_in(day + timedelta(days=1))
    assert rows[0] == "startDateTime,endDateTime,type,capacity" and len(rows) == 1 + hours * 2
    assert {row.split(",")[2] for row in rows[1:]} == {"AVAILABLE_CAPACITY", "RESERVED_CAPACITY"}

    ranged = cli(
        "capacity", SPARE, "--start", day.isoformat(), "--days", "1", "--range",
        "--slot-minutes", "60", "--type", "SCHEDULED_CAPACITY",
    )  # fmt: skip
    assert ranged.code == 0, ranged
    assert len(ranged.lines()) == hours_in(day)


def test_capacity_of_an_unknown_technician_says_amazons_words(cli: Sptui, day: date) -> None:
    ran = cli("capacity", "NO-SUCH-TECH", "--start", day.isoformat(), "--days", "1")
    assert ran.code == 1, ran
    assert "resourceId" in ran.err and "request id" in ran.err


# ---- reservations ------------------------------------------------------------------------


def test_a_reservation_made_changed_and_cancelled(cli: Sptui, base: str, day: date) -> None:
    held = capacity(cli, LIFECYCLE, day, "RESERVED_CAPACITY")
    assert set(held.values()) == {0}
    made = cli(
        "reservations", "create", "--resource", LIFECYCLE, "--type", "BREAK",
        "--start", at(day, 10), "--end", at(day, 12), "--yes",
    )  # fmt: skip
    assert made.code == 0, made
    [outcome] = made.lines()
    assert outcome["operation"] == "createReservation" and outcome["outcome"] == "succeeded"
    reservation_id = outcome["created"]["reservationId"]
    assert outcome["requestId"]
    assert "createReservation for technician" in made.err and f"times in {ZONE}" in made.err

    # read back with sptui: the break holds 10:00-12:00 in New York, 15:00-17:00 UTC
    held = capacity(cli, LIFECYCLE, day, "RESERVED_CAPACITY")
    assert {t for t, c in held.items() if c} == {utc(day, 10), utc(day, 11)}

    entries = [e for e in cli.journal() if (e.get("created") or {}).get("reservationId")]
    entry = next(e for e in entries if e["created"]["reservationId"] == reservation_id)
    assert entry["operation"] == "createReservation" and entry["outcome"] == "succeeded"
    assert entry["profile"] == "sim" and entry["request_id"] == outcome["requestId"]
    assert schema_problems("CreateReservationRequest", entry["parameters"]) == []
    # the file sends_nothing watches is the one `sptui journal` reads
    assert len(cli.journal_bytes().splitlines()) == len(cli.journal()) > 0

    changed = cli(
        "reservations", "update", reservation_id, "--resource", LIFECYCLE, "--type", "TRAINING",
        "--start", at(day, 14), "--end", at(day, 15), "-y", "-o", "json",
    )  # fmt: skip
    assert changed.code == 0, changed
    assert changed.json()[0]["outcome"] == "succeeded"
    assert "was: Break" in changed.err  # found again in the journal
    held = capacity(cli, LIFECYCLE, day, "RESERVED_CAPACITY")
    assert {t for t, c in held.items() if c} == {utc(day, 14)}

    gone = cli("reservations", "cancel", reservation_id, "-y")
    assert gone.code == 0, gone
    assert gone.lines()[0]["outcome"] == "succeeded"
    assert "Training" in gone.err  # the preview says what is cancelled
    assert set(capacity(cli, LIFECYCLE, day, "RESERVED_CAPACITY").values()) == {0}

    done = [
        (e["operation"], e["outcome"])
        for e in cli.journal()
        if reservation_id in {*(e.get("ids") or {}).values(), *(e.get("created") or {}).values()}
    ]
    assert done == [
        ("createReservation", "succeeded"),
        ("updateReservation", "sending"),
        ("updateReservation", "succeeded"),
        ("cancelReservation", "sending"),
        ("cancelReservation", "succeeded"),
    ]


def test_a_repeating_reservation_holds_every_day_it_repeats_on(cli: Sptui, day: date) -> None:
    weekday = day.strftime("%a").upper()
    made = cli(
        "reservations", "create", "--resource", OTHER, "--type", "TRAVEL",
        "--start", at(day, 8), "--end", at(day, 9), "--repeat", weekday,
        "--until", (day + timedelta(days=15)).isoformat(), "--capacity", "1", "-y",
    )  # fmt: skip
    assert made.code == 0, made
    assert f"every {weekday[:3]} until" in made.err
    for week in (0, 7, 14):  # the same UTC time each week (Amazon's times are UTC)
        held = capacity(cli, OTHER, day + timedelta(days=week), "RESERVED_CAPACITY")
        assert {t for t, c in held.items() if c} == {wire(moment(day, 8) + timedelta(days=week))}
    rid = made.lines()[0]["created"]["reservationId"]
    assert cli("reservations", "cancel", rid, "-y").code == 0


def _create(day: date, resource: str = NO_YES) -> list[str]:
    return [
        "reservations", "create", "--resource", resource, "--type", "BREAK",
        "--start", at(day, 10), "--end", at(day, 11),
    ]  # fmt: skip


def test_a_piped_write_without_yes_sends_nothing(cli: Sptui, base: str, day: date) -> None:
    for argv in (
        _create(day),
        ["reservations", "update", "RES1", *_create(day)[2:]],
        ["reservations", "cancel", "RES1"],
    ):
        ran = sends_nothing(cli, base, argv)
        assert ran.code == 2, ran
        assert NEEDS_YES in ran.err and ran.out == ""
        assert "Reservation" in ran.err or "reservation" in ran.err  # the preview came first
    assert set(capacity(cli, NO_YES, day, "RESERVED_CAPACITY").values()) == {0}


def test_a_dry_run_previews_and_sends_nothing(cli: Sptui, base: str, day: date) -> None:
    for argv in (
        [*_create(day), "--dry-run"],
        [*_create(day), "--dry-run", "--yes"],
        ["reservations", "cancel", "RES1", "--dry-run"],
    ):
        ran = sends_nothing(cli, base, argv)
        assert ran.code == 0, ran
        assert "dry run: nothing was sent" in ran.err and ran.out == ""


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"--end": "START-1"}, "--end: the end must be after the start"),
        ({"--start": "10 o'clock"}, "--start: type a time as YYYY-MM-DD HH:MM (your zone) or ISO"),
        ({"--repeat": "MON"}, "--until: a repeat needs an end"),
        ({"--until": "2031-01-01"}, "--until: only a repeat has an end"),
        ({"--repeat": "MON 3", "--until": "2031-01-01"}, "--repeat: repeat on weekdays or on"),
        ({"--repeat": "FUNDAY", "--until": "2031-01-01"}, "--repeat: repeat on weekdays"),
        ({"--capacity": "0"}, "--capacity: a whole number, at least 1"),
        ({"--start": "2020-01-01 10:00", "--end": "2020-01-01 11:00"}, "already over"),
        ({"--resource": ""}, "--resource: must"),
    ],
)
def test_bad_reservation_input_is_refused_before_sending(
    cli: Sptui, base: str, day: date, change: dict[str, str], said: str
) -> None:
    values = {"--resource": BAD_INPUT, "--start": at(day, 10), "--end": at(day, 11)}
    values.update({k: (at(day, 9) if v == "START-1" else v) for k, v in change.items()})
    argv = ["reservations", "create", "--type", "BREAK", "-y"]
    for flag, value in values.items():
        argv += [flag, value]
    ran = sends_nothing(cli, base, argv)
    assert ran.code == 2, ran
    assert said in ran.err and ran.out == "", ran


def test_a_refused_write_says_amazons_message_and_request_id(cli: Sptui, day: date) -> None:
    before = len(cli.journal())
    ran = cli(*_create(day, "NO-SUCH-TECH"), "-y")
    assert ran.code == 1, ran
    assert "Invalid request parameters: [resourceId]" in ran.err
    [outcome] = ran.lines()
    assert outcome["outcome"] == "failed" and outcome["requestId"]
    assert f"request id {outcome['requestId']}" in ran.err
    after = cli.journal()[before:]
    assert [(e["operation"], e["outcome"]) for e in after] == [
        ("createReservation", "sending"),
        ("createReservation", "failed"),
    ]

    missing = cli("reservations", "cancel", "RES-NEVER-MADE", "-y")
    assert missing.code == 1, missing
    assert "Reservation does not exist" in missing.err and "request id" in missing.err


def test_writes_are_refused_on_the_demo_world(cli: Sptui, base: str, day: date) -> None:
    ran = sends_nothing(cli, base, [*_create(day), "--demo", "-y"])
    assert ran.code == 2 and "writes are refused on the demo world" in ran.err


# ---- schedules ---------------------------------------------------------------------------


def _record(day: date, start: int, end: int, **extra: Any) -> dict[str, Any]:
    return {"startTime": utc(day, start), "endTime": utc(day, end), **extra}


def test_a_schedule_replaces_the_technicians_availability(
    cli: Sptui, day: date, tmp_path: Path
) -> None:
    day += timedelta(days=-day.weekday() % 7)  # a Monday: the seeded schedule works that day
    before = capacity(cli, SCHEDULE, day, "SCHEDULED_CAPACITY")
    assert {t for t, c in before.items() if c} == {
        wire(moment(day, 0).replace(hour=h)) for h in range(8, 18)
    }
    weekly = moment(day - timedelta(days=7), 13)
    records = [
        _record(day, 9, 11, capacity=2),
        {
            "startTime": wire(weekly),
            "endTime": wire(weekly + timedelta(hours=1)),
            "recurrence": {
                "endTime": utc(day + timedelta(days=30), 0),
                "daysOfWeek": [weekly.strftime("%A").upper()],
            },
        },
    ]
    assert all(schema_problems("AvailabilityRecord", r) == [] for r in records)
    file = tmp_path / "schedule.json"
    file.write_text(json.dumps(records))
    ran = cli("schedule", "set", SCHEDULE, "--file", str(file), "--yes")
    assert ran.code == 0, ran
    assert "REPLACES the whole schedule" in ran.err
    assert "record 1 accepted" in ran.err and "record 2 accepted" in ran.err
    assert ran.lines()[0]["outcome"] == "succeeded"
    after = capacity(cli, SCHEDULE, day, "SCHEDULED_CAPACITY")
    expected = {utc(day, 9): 2, utc(day, 10): 2, wire(weekly + timedelta(days=7)): 1}
    assert {t: c for t, c in after.items() if c} == expected

    # the same from standard input, in updateSchedule's own body
    again = cli(
        "schedule", "set", SCHEDULE, "--file", "-", "-y",
        stdin=json.dumps({"schedules": [_record(day, 16, 17)]}),
    )  # fmt: skip
    assert again.code == 0, again
    after = capacity(cli, SCHEDULE, day, "SCHEDULED_CAPACITY")
    assert {t: c for t, c in after.items() if c} == {utc(day, 16): 1}

    entry = cli.journal()[-1]
    assert (entry["operation"], entry["outcome"]) == ("updateSchedule", "succeeded")
    assert entry["ids"] == {"resourceId": SCHEDULE}
    assert schema_problems("UpdateScheduleRequest", entry["parameters"]) == []


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("[{", "not JSON"),
        ("[]", "at least one availability record"),
        ('{"records": []}', "give a JSON list of availability records"),
        ('[{"startTime": "2030-01-01T09:00:00Z"}]', "record 1: missing required field(s): endTime"),
        (
            '[{"startTime": "2030-01-01T09:00:00", "endTime": "2030-01-01T10:00:00Z"}]',
            "record 1 startTime: needs a time zone",
        ),
        (
            '[{"startTime": "2030-01-01T09:00:00Z", "endTime": "2030-01-01T10:00:00Z", "capacty": 2}]',
            "unknown field(s): capacty",
        ),
        (
            '[{"startTime": "2030-01-01T09:00:00Z", "endTime": "2030-01-01T08:00:00Z"}]',
            "record 1: endTime must be after startTime",
        ),
        (
            '[{"startTime": "2030-01-01T09:00:00Z", "endTime": "2030-01-01T10:00:00Z",'
            ' "recurrence": {"endTime": "2030-02-01T00:00:00Z", "daysOfWeek": ["MONDAY"],'
            ' "daysOfMonth": [1]}}]',
            "daysOfWeek or on daysOfMonth, not both",
        ),
        (
            '[{"startTime": "2030-01-01T09:00:00Z", "endTime": "2030-01-01T10:00:00Z",'
            ' "recurrence": {"endTime": "2030-02-01T00:00:00Z", "daysOfWeek": ["MONDAYS"]}}]',
            "'MONDAYS' is not one of MONDAY",
        ),
        (
            '[{"startTime": "2020-01-01T09:00:00Z", "endTime": "2020-01-01T10:00:00Z"}]',
            "already over",
        ),
    ],
)
def test_a_bad_schedule_is_refused_before_sending(
    cli: Sptui, base: str, content: str, said: str
) -> None:
    ran = sends_nothing(cli, base, ["schedule", "set", SCHEDULE, "--file", "-", "-y"], content)
    assert ran.code == 2, ran
    assert said in ran.err and ran.out == ""


def test_a_schedule_without_yes_or_with_dry_run_sends_nothing(
    cli: Sptui, base: str, day: date
) -> None:
    body = json.dumps([_record(day, 9, 10)])
    piped = sends_nothing(cli, base, ["schedule", "set", SCHEDULE, "--file", "-"], body)
    assert piped.code == 2 and NEEDS_YES in piped.err and "REPLACES" in piped.err
    dry = sends_nothing(cli, base, ["schedule", "set", SCHEDULE, "--file", "-", "--dry-run"], body)
    assert dry.code == 0 and "dry run" in dry.err
    missing = sends_nothing(cli, base, ["schedule", "set", SCHEDULE, "--file", "/no/such/file"])
    assert missing.code == 2 and "cannot read it" in missing.err


def test_a_schedule_for_an_unknown_technician_is_refused_by_amazon(cli: Sptui, day: date) -> None:
    ran = cli(
        "schedule", "set", "NO-SUCH-TECH", "--file", "-", "-y",
        stdin=json.dumps([_record(day, 9, 10)]),
    )  # fmt: skip
    assert ran.code == 1, ran
    assert "Invalid request parameters: [resourceId]" in ran.err and "request id" in ran.err


# ---- journal -----------------------------------------------------------------------------


def test_the_journal_lists_every_profiles_writes_and_filters_by_time(
    cli: Sptui, base: str, day: date
) -> None:
    add_profile(cli, base, "other", "--time-zone", "UTC")
    made = cli(*_create(day, SPARE), "--profile", "other", "-y")
    assert made.code == 0, made
    rid = made.lines()[0]["created"]["reservationId"]

    entries = cli.journal()  # the default profile's desk: the same file
    mine = [e for e in entries if (e.get("created") or {}).get("reservationId") == rid]
    assert mine and mine[0]["profile"] == "other"
    assert {e["profile"] for e in entries} >= {"sim", "other"}
    times = [e["time"] for e in entries]
    assert times == sorted(times)  # newest last

    rows = list(csv.reader(io.StringIO(cli("journal", "-o", "csv").out)))
    assert rows[0] == [n for n, _ in JOURNAL_FIELDS]
    assert rows[-1][rows[0].index("profile")] == "other"

    later = cli("journal", "--since", (datetime.now(UTC) + timedelta(hours=1)).isoformat())
    assert later.code == 0 and later.out == ""
    recent = cli("journal", "--since", entries[-2]["time"], "-o", "jsonl")
    assert recent.lines() == entries[-2:]
    local = cli("journal", "--since", datetime.now(TZ).date().isoformat())  # local midnight
    assert len(local.lines()) >= 2
    bad = cli("journal", "--since", "yesterday")
    assert bad.code == 2 and "--since: 'yesterday' is not a time" in bad.err
    assert cli("reservations", "cancel", rid, "--profile", "other", "-y").code == 0


# ---- in-process: options and answers the simulator cannot give ----------------------------


def _args(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def test_options_are_built_from_the_flags_alone() -> None:
    options = supply.slots_options(_args("slots", "J1", "--start", "2030-01-02", "--days", "3"))
    assert options == supply.SlotsOptions("J1", None, None, date(2030, 1, 2), 3, None)
    options = supply.slots_options(_args("slots", "--asin", "B0X", "--store-id", "S", "-o", "csv"))
    assert (options.job_id, options.asin, options.store_id, options.output) == (
        None,
        "B0X",
        "S",
        "csv",
    )
    assert options.start is None and options.days == 7

    cap = supply.capacity_options(
        _args("capacity", "R1", "--type", "RESERVED_CAPACITY", "--type", "AVAILABLE_CAPACITY",
              "--slot-minutes", "30", "--range")
    )  # fmt: skip
    assert cap.types == (CapacityType.AVAILABLE_CAPACITY, CapacityType.RESERVED_CAPACITY)
    assert (cap.minutes, cap.ranged, cap.days) == (30, True, 7)
    assert supply.capacity_options(_args("capacity", "R1")).types == TYPES

    made = supply.reservation_options(
        _args("reservations", "create", "--resource", "R1", "--type", "VACATION",
              "--start", "2030-01-02 09:00", "--end", "2030-01-02T18:00:00Z",
              "--repeat", "MON WED", "--until", "2030-02-01", "--capacity", "2", "--dry-run")
    )  # fmt: skip
    assert made.resource_id == "R1" and made.kind is ReservationType.VACATION
    assert made.reservation_id is None
    assert made.typed == {
        "start": "2030-01-02 09:00",
        "end": "2030-01-02T18:00:00Z",
        "repeat": "MON WED",
        "until": "2030-02-01",
        "capacity": "2",
    }
    assert made.write == WriteOptions(yes=False, dry_run=True, output=None)
    changed = supply.reservation_options(
        _args("reservations", "update", "RES9", "--resource", "R1", "--type", "BREAK",
              "--start", "a", "--end", "b", "-y", "-o", "json")
    )  # fmt: skip
    assert changed.reservation_id == "RES9" and changed.write == WriteOptions(True, False, "json")
    assert supply.cancel_reservation_options(
        _args("reservations", "cancel", "RES9", "--yes")
    ) == supply.CancelReservationOptions("RES9", WriteOptions(True, False, None))
    assert journal_options(_args("journal", "--since", "2030-01-01", "-o", "csv")).since == (
        "2030-01-01"
    )


def test_a_schedule_is_read_from_standard_input() -> None:
    stdin = io.StringIO(
        json.dumps(
            {
                "schedules": [
                    {"startTime": "2030-01-01T09:00:00Z", "endTime": "2030-01-01T10:00:00-05:00"}
                ]
            }
        )
    )
    options = supply.schedule_options(
        _args("schedule", "set", "R1", "--file", "-", "-y"), IO(inp=stdin)
    )
    assert options.source == "standard input" and options.write.yes
    [record] = options.records
    assert record.end_time == datetime(2030, 1, 1, 15, tzinfo=UTC)
    too_big = io.StringIO(" " * (supply.MAX_SCHEDULE_BYTES + 10))
    with pytest.raises(Refused, match="larger than"):
        supply.schedule_options(_args("schedule", "set", "R1", "--file", "-"), IO(inp=too_big))


def _fake_desk(tmp_path: Path, answer: dict[str, Any], seen: list[httpx.Request]) -> Desk:
    async def api(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return ok(answer, request_id="req-schedule")

    return Desk(
        client=make_client(api),
        mode=Mode.LIVE,
        label="test",
        zone=TZ,
        profile="test",
        journal=Journal(tmp_path / "journal.jsonl"),
    )


def _records() -> tuple[Any, ...]:
    from sptui.desk.flows.supply import schedule_records

    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    return tuple(
        schedule_records(
            [
                {"startTime": (start + timedelta(hours=h)).isoformat(),
                 "endTime": (start + timedelta(hours=h + 1)).isoformat()}
                for h in (0, 2)
            ]
        )
    )  # fmt: skip


async def test_a_record_refused_inside_a_200_is_exit_1_and_said(tmp_path: Path) -> None:
    records = _records()
    answer = {
        "payload": [
            {"availability": records[0].to_wire()},
            {
                "availability": records[1].to_wire(),
                "errors": [{"code": "InvalidInput", "message": "overlaps another record"}],
            },
        ]
    }
    seen: list[httpx.Request] = []
    desk = _fake_desk(tmp_path, answer, seen)
    out, err = io.StringIO(), io.StringIO()
    options = supply.ScheduleOptions("R1", records, "test", WriteOptions(yes=True))
    async with desk.client:
        done = await supply.run_schedule_set(options, IO(out=out, err=err), desk)
    assert done == Exit.NOT_DONE
    assert [r.method for r in seen] == ["PUT"] and seen[0].url.path.endswith("/R1/schedules")
    said = err.getvalue()
    assert "record 1 accepted" in said
    assert "record 2 refused: InvalidInput: overlaps another record" in said
    assert "1 of 2 record(s) refused" in said
    assert json.loads(out.getvalue())["outcome"] == "succeeded"


async def test_a_write_declined_at_the_prompt_sends_nothing(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    desk = _fake_desk(tmp_path, {}, seen)
    err = io.StringIO()
    asked: list[str] = []
    terminal = IO(out=io.StringIO(), err=err, can_prompt=True, ask=lambda q: asked.append(q) or "n")
    options = supply.ScheduleOptions("R1", _records(), "test")
    async with desk.client:
        assert await supply.run_schedule_set(options, terminal, desk) == Exit.REFUSED
    assert seen == [] and asked == ["Replace the schedule with 2 record(s)? [y/N]"]
    assert not (tmp_path / "journal.jsonl").exists()


def test_the_commands_load_neither_textual_nor_rich() -> None:
    """Import-linter holds the static imports; this holds what running them loads."""
    code = (
        "import sys, sptui.cli.supply, sptui.cli.journal;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
