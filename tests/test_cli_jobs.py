"""`sptui jobs`, `appointments`, `api` and `completion` as child processes against `sptui simulator`.

Each write is checked where a user would check it: the simulator's own state (read back with
sptui), the journal, stdout for scripts, stderr and the exit code for people and cron.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sptui.spapi.models.base import HIDDEN

from .cli_helpers import (
    Sptui,
    add_profile,
    requests,
    schema_problems,
    sends_nothing,
    served_simulator,
    writes_nothing,
)

BUYER_KEYS = ("name", "phone", "addressLine1", "addressLine2", "addressLine3", "postalCode")


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with served_simulator("--jobs", "80", "--seed", "3") as url:
        yield url


@pytest.fixture(scope="module")
def cli(base: str, tmp_path_factory: pytest.TempPathFactory) -> Sptui:
    runner = Sptui(tmp_path_factory.mktemp("cli-jobs"))
    add_profile(runner, base, "sim")
    return runner


def jobs(cli: Sptui, *filters: str) -> list[dict[str, Any]]:
    ran = cli("jobs", "list", "--all", "-o", "jsonl", *filters)
    assert ran.code == 0, ran
    return ran.lines()


def one(cli: Sptui, status: str, taken: set[str] = set()) -> str:  # noqa: B006 (shared on purpose)
    """A job of this status no other test has used."""
    for job in jobs(cli, "--status", status):
        if job["serviceJobId"] not in taken:
            taken.add(job["serviceJobId"])
            return str(job["serviceJobId"])
    raise AssertionError(f"no {status} job left")


def show(cli: Sptui, job_id: str) -> dict[str, Any]:
    ran = cli("jobs", "show", job_id, "-o", "json")
    assert ran.code == 0, ran
    return dict(ran.json())


def active(job: dict[str, Any]) -> dict[str, Any] | None:
    return next(
        (a for a in job.get("appointments") or [] if a["appointmentStatus"] == "ACTIVE"), None
    )


def journalled(cli: Sptui, job_id: str) -> list[tuple[str, str]]:
    return [
        (e["operation"], e["outcome"])
        for e in cli.journal()
        if (e.get("ids") or {}).get("serviceJobId") == job_id
    ]


def free_slot(cli: Sptui, job_id: str, skip: int = 0) -> str:
    ran = cli("slots", job_id, "-o", "jsonl")
    assert ran.code == 0, ran
    return str(ran.lines()[skip]["startTime"])


# ---- reads ---------------------------------------------------------------------------------


def test_listing_is_amazons_shape_without_buyer_pii(cli: Sptui) -> None:
    listed = jobs(cli)
    assert len(listed) > 10  # the world's jobs of this marketplace in the default 90 days
    for job in listed:
        assert schema_problems("ServiceJob", job) == []
        buyer = job.get("buyer") or {}
        address = (job.get("serviceLocation") or {}).get("address") or {}
        shown = [k for k in BUYER_KEYS if buyer.get(k, HIDDEN) != HIDDEN]
        shown += [k for k in BUYER_KEYS if address.get(k, HIDDEN) != HIDDEN]
        assert shown == []


def test_reveal_puts_the_buyer_back(cli: Sptui) -> None:
    job_id = jobs(cli)[0]["serviceJobId"]
    revealed = cli("jobs", "show", job_id, "-o", "json", "--reveal").json()
    assert revealed["buyer"]["name"] and revealed["serviceLocation"]["address"]["addressLine1"]


def test_filters_reach_amazon_by_their_names(cli: Sptui) -> None:
    held = jobs(cli, "--service-job-status", "HOLD,CANCELLED")
    assert held and {j["serviceJobStatus"] for j in held} <= {"HOLD", "CANCELLED"}
    store = held[0]["storeId"]
    assert {j["storeId"] for j in jobs(cli, "--store-ids", store)} == {store}
    limited = cli("jobs", "list", "--limit", "3", "-o", "ids")
    assert limited.code == 0 and len(limited.out.split()) == 3


def test_a_csv_and_a_table_for_people(cli: Sptui) -> None:
    sheet = cli("jobs", "list", "--limit", "2", "-o", "csv")
    assert sheet.out.splitlines()[0].startswith("serviceJobId,serviceJobStatus,createTime")
    assert len(sheet.out.splitlines()) == 3


def test_an_unknown_job_is_exit_1_with_amazons_words(cli: Sptui) -> None:
    ran = cli("jobs", "show", "NOSUCHJOB42")
    assert ran.code == 1 and "request id" in ran.err


def test_a_bad_filter_is_refused_before_any_call(cli: Sptui, base: str) -> None:
    for argv in (
        ["jobs", "list", "--status", "SLEEPING"],
        ["jobs", "list", "--created-after", "last tuesday"],
        ["jobs", "list", "--created-after", "2026-01-01", "--last-updated-after", "2026-01-01"],
        ["jobs", "list", "--limit", "0"],
    ):
        ran = sends_nothing(cli, base, argv)
        assert ran.code == 2 and ran.err.startswith("sptui: "), ran


# ---- cancel and complete ------------------------------------------------------------------


def test_a_piped_cancel_without_yes_sends_nothing(cli: Sptui, base: str) -> None:
    job_id = one(cli, "PENDING_SCHEDULE")
    ran = writes_nothing(cli, ["jobs", "cancel", "-", "--reason", "V1"], stdin=job_id)
    assert ran.code == 2 and "--yes" in ran.err and job_id in ran.err  # the preview, then why
    assert show(cli, job_id)["serviceJobStatus"] == "PENDING_SCHEDULE"


def test_a_dry_run_shows_the_preview_and_sends_nothing(cli: Sptui, base: str) -> None:
    job_id = one(cli, "PENDING_SCHEDULE")
    before = requests(base)
    ran = cli("jobs", "cancel", job_id, "--reason", "V1", "--dry-run")
    assert ran.code == 0 and "dry run" in ran.err and "fee" in ran.err
    assert requests(base) == before + 1  # the preview's one read of the job, nothing else
    assert show(cli, job_id)["serviceJobStatus"] == "PENDING_SCHEDULE"


def test_ids_from_a_pipe_are_cancelled_journalled_and_read_back(cli: Sptui) -> None:
    first, second = one(cli, "PENDING_SCHEDULE"), one(cli, "PENDING_SCHEDULE")
    ran = cli("jobs", "cancel", "-", "--reason", "V1", "--yes", stdin=f"{first}\n{second}\n")
    assert ran.code == 0, ran
    assert {r["outcome"] for r in ran.lines()} == {"succeeded"}
    for job_id in (first, second):
        assert show(cli, job_id)["serviceJobStatus"] == "CANCELLED"
        assert journalled(cli, job_id) == [
            ("cancelServiceJobByServiceJobId", "sending"),
            ("cancelServiceJobByServiceJobId", "succeeded"),
        ]


def test_a_refused_complete_is_exit_1_with_the_request_id(cli: Sptui) -> None:
    job_id = one(cli, "NOT_SERVICED")
    ran = cli("jobs", "complete", job_id, "--yes")
    assert ran.code == 1 and "request id" in ran.err and "fulfillment" in ran.err


def test_a_closed_job_is_skipped_with_the_reason_and_nothing_sent(cli: Sptui, base: str) -> None:
    job_id = one(cli, "COMPLETED")
    before, journal = requests(base), cli.journal_bytes()
    ran = cli("jobs", "cancel", job_id, "--reason", "V1", "--yes")
    assert ran.code == 2 and "cannot be cancelled" in ran.err
    assert requests(base) == before + 1 and cli.journal_bytes() == journal  # read, not written


def test_a_bad_reason_code_is_refused_before_sending(cli: Sptui, base: str) -> None:
    job_id = one(cli, "PENDING_SCHEDULE")
    ran = writes_nothing(cli, ["jobs", "cancel", job_id, "--reason", "not a code", "--yes"])
    assert ran.code == 2 and "reason" in ran.err


def test_wrong_credentials_are_exit_3(cli: Sptui, base: str) -> None:
    add_profile(cli, base, "broken")
    ran = cli(
        "--profile", "broken", "jobs", "list", "--limit", "1", SPTUI_BROKEN_CLIENT_SECRET="wrong"
    )
    assert ran.code == 3 and "invalid_client" in ran.err and "wrong" not in ran.err


def test_demo_writes_are_refused(cli: Sptui) -> None:
    ran = cli("--demo", "jobs", "cancel", "123", "--reason", "V1", "--yes")
    assert ran.code == 2 and "demo" in ran.err


# ---- appointments ---------------------------------------------------------------------------


def test_book_then_move_keeps_the_technicians(cli: Sptui) -> None:
    job_id = one(cli, "PENDING_SCHEDULE")
    ran = cli("appointments", "book", job_id, "--at", free_slot(cli, job_id), "--yes")
    assert ran.code == 0, ran
    booked = active(show(cli, job_id))
    assert booked is not None
    technician = _assign_someone(cli, job_id)
    later = free_slot(cli, job_id, skip=3)
    ran = cli("appointments", "move", job_id, "--at", later, "--reason", "R1", "--yes")
    assert ran.code == 0, ran
    assert "assigned again" in ran.err  # the preview announced the re-assignment
    moved = active(show(cli, job_id))
    assert moved and moved["appointmentTime"]["startTime"] == later
    assert moved["appointmentId"] != booked["appointmentId"]
    assert [t["technicianId"] for t in moved["assignedTechnicians"]] == [technician]
    done = [op for op, outcome in journalled(cli, job_id) if outcome == "succeeded"]
    assert done == [
        "addAppointmentForServiceJobByServiceJobId",
        "assignAppointmentResources",
        "rescheduleAppointmentForServiceJobByServiceJobId",
        "assignAppointmentResources",
    ]


def _assign_someone(cli: Sptui, job_id: str) -> str:
    """Assign the first technician the simulator accepts for this job; returns its id."""
    from sptui.simulator import SimConfig, Simulator
    from sptui.simulator.rules import qualified

    world = Simulator(SimConfig(seed=3, jobs=80)).world
    for tech in qualified(world, world.jobs[job_id]):
        if cli("appointments", "assign", job_id, "-t", tech.resource_id, "--yes").code == 0:
            return tech.resource_id
    raise AssertionError("no technician could be assigned")


def test_a_time_in_the_past_is_refused_before_sending(cli: Sptui, base: str) -> None:
    job_id = one(cli, "PENDING_SCHEDULE")
    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:00:00Z")
    ran = sends_nothing(cli, base, ["appointments", "book", job_id, "--at", "tomorrow-ish"])
    assert ran.code == 2 and "--at" in ran.err
    before = requests(base)
    ran = cli("appointments", "book", job_id, "--at", yesterday, "--yes")
    assert ran.code == 2 and "passed" in ran.err
    assert requests(base) == before + 1  # the job was read for the preview; nothing was sent


def test_a_booking_preview_names_the_profiles_zone(cli: Sptui, base: str) -> None:
    """The preview reads times in the profile's zone, and says which (issue 13 §20)."""
    import re

    add_profile(cli, base, "east", "--time-zone", "America/New_York")
    job_id = one(cli, "PENDING_SCHEDULE")
    at = free_slot(cli, job_id)
    ran = writes_nothing(
        cli, ["appointments", "book", job_id, "--at", at, "--dry-run", "--profile", "east"]
    )
    assert ran.code == 0, ran
    assert re.search(r" \d\d:\d\d–\d\d:\d\d E[SD]T \(sent as \S+Z\)", ran.err), ran.err


def test_a_move_needs_a_reason_and_an_active_appointment(cli: Sptui) -> None:
    job_id = one(cli, "PENDING_SCHEDULE")
    ran = cli("appointments", "move", job_id, "--at", "2030-01-01 10:00", "--reason", "R1")
    assert ran.code == 2 and "no active appointment" in ran.err


def test_fulfil_uploads_a_document_and_then_complete_works(cli: Sptui, tmp_path: Any) -> None:
    job_id = one(cli, "NOT_SERVICED")
    proof = tmp_path / "receipt.pdf"
    proof.write_bytes(b"%PDF-1.4 proof")
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    ran = cli(
        "appointments", "fulfil", job_id,
        "--started", (now - timedelta(hours=3)).isoformat(),
        "--finished", (now - timedelta(hours=1)).isoformat(),
        "--document", str(proof), "--yes",
    )  # fmt: skip
    assert ran.code == 0, ran
    assert [r["operation"] for r in ran.lines()] == [
        "uploadDocument",
        "setAppointmentFulfillmentData",
    ]
    assert active(show(cli, job_id))["poa"]  # type: ignore[index]
    assert cli("jobs", "complete", job_id, "--yes").code == 0
    assert show(cli, job_id)["serviceJobStatus"] == "COMPLETED"


def test_a_fifo_is_not_a_document(cli: Sptui, base: str, tmp_path: Any) -> None:
    import os

    fifo = tmp_path / "scan.pdf"
    os.mkfifo(fifo)
    job_id = one(cli, "NOT_SERVICED")
    ran = writes_nothing(cli, ["appointments", "fulfil", job_id, "--document", str(fifo)])
    assert ran.code == 2 and "not a regular file" in ran.err


# ---- sptui api -------------------------------------------------------------------------------


def test_api_reads_any_operation_by_its_id(cli: Sptui) -> None:
    job_id = jobs(cli)[0]["serviceJobId"]
    ran = cli("api", "getServiceJobByServiceJobId", "--path", f"serviceJobId={job_id}")
    assert ran.code == 0, ran
    answer = json.loads(ran.out)
    assert schema_problems("GetServiceJobByServiceJobIdResponse", answer) == []
    assert "name" not in (answer["payload"].get("buyer") or {})
    assert "request id" in ran.err and "rate limit" in ran.err


def test_api_refuses_what_the_model_refuses(cli: Sptui, base: str) -> None:
    for argv in (
        ["api", "getServiceJobs"],  # neither createdAfter nor lastUpdatedAfter
        ["api", "getServiceJobByServiceJobId"],  # the path id is missing
        ["api", "getNothing"],
        ["api", "getServiceJobs", "--query", "createdAfter"],
    ):
        ran = sends_nothing(cli, base, argv)
        assert ran.code == 2, ran


def test_api_writes_are_previewed_confirmed_and_journalled(cli: Sptui, base: str) -> None:
    job_id = one(cli, "PENDING_SCHEDULE")
    argv = [
        "api",
        "cancelServiceJobByServiceJobId",
        "--path",
        f"serviceJobId={job_id}",
        "--query",
        "cancellationReasonCode=V1",
    ]
    ran = writes_nothing(cli, argv)
    assert ran.code == 2 and "--yes" in ran.err
    assert show(cli, job_id)["serviceJobStatus"] == "PENDING_SCHEDULE"
    ran = cli(*argv, "--yes")
    assert ran.code == 0, ran
    assert show(cli, job_id)["serviceJobStatus"] == "CANCELLED"
    assert ("cancelServiceJobByServiceJobId", "succeeded") in journalled(cli, job_id)


def test_api_curl_shows_the_call_without_the_token(cli: Sptui, base: str) -> None:
    ran = sends_nothing(
        cli,
        base,
        ["api", "getServiceJobs", "--query", "createdAfter=2026-01-01T00:00:00Z", "--curl"],
    )
    assert ran.code == 0
    assert ran.out.startswith("curl ") and "$SP_API_ACCESS_TOKEN" in ran.out
    assert "/service/v1/serviceJobs?" in ran.out and "marketplaceIds=ATVPDKIKX0DER" in ran.out
    assert "Atza|" not in ran.out


def test_completion_scripts_for_three_shells(cli: Sptui) -> None:
    for shell in ("bash", "zsh", "fish"):
        ran = cli("completion", shell)
        assert ran.code == 0 and "sptui" in ran.out and "_ARGCOMPLETE" in ran.out


def test_completion_offers_commands_profiles_and_statuses(cli: Sptui, tmp_path: Any) -> None:
    def complete(line: str) -> list[str]:
        out = tmp_path / "completions"
        cli(
            _ARGCOMPLETE="1",
            _ARGCOMPLETE_STDOUT_FILENAME=str(out),
            COMP_LINE=line,
            COMP_POINT=str(len(line)),
        )
        return out.read_text().replace("\x0b", " ").split()

    assert "jobs" in complete("sptui ")
    assert "sim" in complete("sptui jobs list --profile ")
    assert "NOT_SERVICED" in complete("sptui jobs list --status ")
