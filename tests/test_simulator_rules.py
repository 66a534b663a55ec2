"""Each business rule of the simulator, refused with Amazon's status, code and wording."""

from __future__ import annotations

import asyncio
import gc
from datetime import datetime, timedelta
from typing import Any

import pytest

from sptui.simulator import Simulator
from sptui.simulator.rules import qualified
from sptui.simulator.world import JobRecord
from sptui.spapi import AuthError, LwaCredentials, ServicesClient, SpApiError, UnprocessableError
from sptui.spapi.errors import parse_messages
from sptui.spapi.models import ServiceJobStatus

from .sim_helpers import Clock, client_for, raw, simulator, token

LONG_AGO = "2020-01-01T00:00:00Z"


def pick(sim: Simulator, status: str, *, active: bool | None = None) -> JobRecord:
    for record in sim.world.jobs.values():
        if record.job.marketplace_id != "ATVPDKIKX0DER" or record.status.value != status:
            continue
        if active is None or (record.active() is not None) == active:
            return record
    raise AssertionError(f"no {status} job in the world")


def start_of(record: JobRecord) -> datetime:
    active = record.active()
    assert active and active.appointment_time and active.appointment_time.start_time
    return active.appointment_time.start_time


async def refused(call: Any) -> SpApiError:
    with pytest.raises(SpApiError) as caught:
        await call
    return caught.value


def booking(start: datetime | str, minutes: int = 60) -> dict[str, Any]:
    return {"appointmentTime": {"startTime": start, "durationInMinutes": minutes}}


# ---- listing -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({}, "createdAfter"),
        ({"createdAfter": LONG_AGO, "lastUpdatedAfter": LONG_AGO}, "createdAfter"),
        ({"createdAfter": LONG_AGO, "pageSize": "21"}, "pageSize"),
        ({"createdAfter": LONG_AGO, "pageSize": "0"}, "pageSize"),
        ({"createdAfter": LONG_AGO, "serviceJobStatus": "DONE"}, "serviceJobStatus"),
        ({"createdAfter": LONG_AGO, "pageToken": "forged"}, "pageToken"),
        ({"createdAfter": "yesterday"}, "createdAfter"),
        ({"createdAfter": LONG_AGO, "sortField": "PRICE"}, "sortField"),
        ({"createdAfter": LONG_AGO, "asins": "SHORT"}, "asins"),
    ],
)
async def test_bad_listing_queries_get_a_400_naming_the_parameter(
    query: dict[str, str], named: str
) -> None:
    sim = simulator()
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim)}
        answer = await http.get(
            "/service/v1/serviceJobs",
            params={"marketplaceIds": "ATVPDKIKX0DER", **query},
            headers=headers,
        )
    assert answer.status_code == 400
    error = answer.json()["errors"][0]
    assert error["code"] == "InvalidInput"
    assert named in error["message"] + error.get("details", "")
    assert answer.headers["x-amzn-RequestId"]


async def test_missing_marketplace_is_named() -> None:
    sim = simulator()
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim)}
        answer = await http.get(
            "/service/v1/serviceJobs", params={"createdAfter": LONG_AGO}, headers=headers
        )
    assert answer.status_code == 400 and "marketplaceIds" in answer.json()["errors"][0]["message"]


async def test_arrays_may_be_comma_joined_or_repeated() -> None:
    sim = simulator(jobs=100)
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim)}
        base = [("marketplaceIds", "ATVPDKIKX0DER"), ("createdAfter", LONG_AGO)]
        joined = await http.get(
            "/service/v1/serviceJobs",
            params=[*base, ("serviceJobStatus", "HOLD,CANCELLED")],
            headers=headers,
        )
        repeated = await http.get(
            "/service/v1/serviceJobs",
            params=[*base, ("serviceJobStatus", "HOLD"), ("serviceJobStatus", "CANCELLED")],
            headers=headers,
        )
    assert joined.status_code == repeated.status_code == 200
    assert (
        joined.json()["payload"]["totalResultSize"]
        == repeated.json()["payload"]["totalResultSize"]
        > 0
    )


async def test_every_filter_and_both_sorts() -> None:
    sim = simulator(jobs=150)
    us = [r for r in sim.world.jobs.values() if r.job.marketplace_id == "ATVPDKIKX0DER"]
    sample = us[5]
    scope = sample.job.scope_of_work
    assert scope is not None

    async def ids(**filters: Any) -> list[str]:
        async with client_for(sim) as api:
            return [str(j.service_job_id) async for j in api.iter_service_jobs(**filters)]

    everything = await ids(created_after=LONG_AGO)
    assert sorted(everything) == sorted(r.job_id for r in us)
    by_date = [sim.world.jobs[i].job.create_time for i in everything]
    assert by_date == sorted(by_date)  # JOB_DATE ascending by default
    newest_first = await ids(created_after=LONG_AGO, sort_field="JOB_DATE", sort_order="DESC")
    assert newest_first == everything[::-1]
    by_status = await ids(created_after=LONG_AGO, sort_field="JOB_STATUS", sort_order="DESC")
    statuses = [sim.world.jobs[i].status.value for i in by_status]
    assert statuses == sorted(statuses, reverse=True)

    assert sample.job_id in await ids(created_after=LONG_AGO, asins=[scope.asin])
    assert all(
        sim.world.jobs[i].job.scope_of_work.asin == scope.asin
        for i in await ids(created_after=LONG_AGO, asins=[scope.asin])
    )  # type: ignore[union-attr]
    assert all(
        sim.world.jobs[i].job.store_id == sample.job.store_id
        for i in await ids(created_after=LONG_AGO, store_ids=[sample.job.store_id])
    )
    skill = (scope.required_skills or [""])[0]
    assert all(
        skill in (sim.world.jobs[i].job.scope_of_work.required_skills or [])
        for i in await ids(created_after=LONG_AGO, required_skills=[skill])
    )  # type: ignore[union-attr]
    assert await ids(created_after=LONG_AGO, service_order_ids=[sample.job.service_order_id]) == [
        sample.job_id
    ]
    assert await ids(created_after=LONG_AGO, product_order_ids=sample.job.product_order_ids) == [
        sample.job_id
    ]
    assert await ids(created_after=LONG_AGO, tracking_ids=sample.job.tracking_ids) == [
        sample.job_id
    ]
    cutoff = sample.job.create_time
    assert all(sim.world.jobs[i].job.create_time >= cutoff for i in await ids(created_after=cutoff))  # type: ignore[operator]
    assert all(
        sim.world.jobs[i].job.create_time <= cutoff
        for i in await ids(created_after=LONG_AGO, created_before=cutoff)
    )  # type: ignore[operator]
    scheduled = await ids(created_after=LONG_AGO, schedule_start_date=sim.world.clock())
    assert scheduled and all(sim.world.jobs[i].active() for i in scheduled)
    holds = await ids(created_after=LONG_AGO, service_job_status=["HOLD"])
    assert holds and all(sim.world.jobs[i].status == ServiceJobStatus.HOLD for i in holds)


async def test_last_updated_after_sees_a_change() -> None:
    clock = Clock()
    sim = simulator(clock=clock, jobs=60)
    record = pick(sim, "PENDING_SCHEDULE")
    clock.advance(minutes=5)
    mark = clock.now
    async with client_for(sim) as api:
        assert [j async for j in api.iter_service_jobs(last_updated_after=mark)] == []
        clock.advance(minutes=1)
        await api.cancel_service_job_by_service_job_id(record.job_id, "V1")
        changed = [
            str(j.service_job_id) async for j in api.iter_service_jobs(last_updated_after=mark)
        ]
    assert changed == [record.job_id]


async def test_pages_are_opaque_disjoint_and_can_go_back() -> None:
    sim = simulator(jobs=100)
    async with client_for(sim) as api:
        first = (await api.get_service_jobs(created_after=LONG_AGO, page_size=7)).payload
        assert first and first.next_page_token and first.previous_page_token is None
        second = (
            await api.get_service_jobs(
                created_after=LONG_AGO, page_size=7, page_token=first.next_page_token
            )
        ).payload
        assert second and second.previous_page_token
        back = (
            await api.get_service_jobs(
                created_after=LONG_AGO, page_size=7, page_token=second.previous_page_token
            )
        ).payload
    ids = lambda listing: [j.service_job_id for j in listing.jobs or []]  # noqa: E731
    assert len(ids(first)) == 7 and not set(ids(first)) & set(ids(second))
    assert ids(back) == ids(first)
    assert first.total_result_size == second.total_result_size


# ---- cancel and complete -------------------------------------------------------------------
async def test_cancel_rules() -> None:
    sim = simulator(jobs=80)
    open_job = pick(sim, "NOT_SERVICED", active=True)
    done = pick(sim, "COMPLETED")
    async with client_for(sim) as api:
        error = await refused(api.cancel_service_job_by_service_job_id(open_job.job_id, "INV1"))
        assert (error.status, error.code) == (
            422,
            "InvalidInput",
        ) and "invalid input reason code INV1" in error.message
        error = await refused(api.cancel_service_job_by_service_job_id(done.job_id, "V1"))
        assert error.status == 422 and "jobStatus COMPLETED cannot be cancelled" in error.message
        error = await refused(api.cancel_service_job_by_service_job_id("no-such-job", "V1"))
        assert error.status == 422 and "Job not found for jobId no-such-job" in error.message
        await api.cancel_service_job_by_service_job_id(open_job.job_id, "V1")
    assert open_job.status == ServiceJobStatus.CANCELLED
    assert open_job.active() is None  # its appointment was cancelled with it


async def test_complete_needs_an_open_job_with_fulfillment_data() -> None:
    sim = simulator(jobs=80)
    async with client_for(sim) as api:
        error = await refused(
            api.complete_service_job_by_service_job_id(pick(sim, "PENDING_SCHEDULE").job_id)
        )
        assert error.status == 422 and "jobState : PENDING_SCHEDULE" in error.message
        error = await refused(
            api.complete_service_job_by_service_job_id(
                pick(sim, "NOT_SERVICED", active=True).job_id
            )
        )
        assert error.status == 422 and "setAppointmentFulfillmentData" in error.message


# ---- appointments --------------------------------------------------------------------------
async def test_add_appointment_rules() -> None:
    sim = simulator(jobs=80)
    pending = pick(sim, "PENDING_SCHEDULE")
    busy = pick(sim, "NOT_SERVICED", active=True)
    now = sim.world.clock()
    tomorrow_ten = (now + timedelta(days=2)).replace(hour=10, minute=0, second=0, microsecond=0)
    async with client_for(sim) as api:
        add = api.add_appointment_for_service_job_by_service_job_id
        error = await refused(add(busy.job_id, booking(start_of(busy) + timedelta(days=1))))
        assert "Job already has an active appointmentId" in error.message
        error = await refused(add(pending.job_id, booking(now - timedelta(hours=1))))
        assert error.status == 422 and "should be in the future" in error.message
        error = await refused(add(pending.job_id, booking(now + timedelta(days=400))))
        assert "maximum allowed period of 365 days" in error.message
        error = await refused(add(pending.job_id, booking(tomorrow_ten + timedelta(minutes=15))))
        assert "Appointment slot is not available" in error.message
        error = await refused(add("no-such-job", booking(tomorrow_ten)))
        assert "No job exist with jobId : no-such-job" in error.message
        error = await refused(add(pick(sim, "COMPLETED").job_id, booking(tomorrow_ten)))
        assert "jobState : COMPLETED" in error.message
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim)}
        url = f"/service/v1/serviceJobs/{pending.job_id}/appointments"
        for start, words in (
            ("2027-01-01T10:00:00.000+05:30", "is not in UTC"),
            ("2027-01-01T10-00:00.000Z", "Failed to parse ISO8601"),
        ):
            answer = await http.post(url, json=booking(start), headers=headers)
            assert answer.status_code == 422 and words in answer.json()["errors"][0]["message"]
    assert pending.active() is None  # nothing was booked by any refused call


async def test_reschedule_moves_the_appointment_and_reports_dropped_technicians() -> None:
    sim = simulator(jobs=120)
    record = next(
        r
        for r in sim.world.jobs.values()
        if r.active()
        and r.active().assigned_technicians
        and r.job.marketplace_id == "ATVPDKIKX0DER"
    )  # type: ignore[union-attr]
    old = record.active()
    assert old and old.appointment_id
    async with client_for(sim) as api:
        slots = (await api.get_appointment_slots_by_job_id(record.job_id)).payload
        assert slots and slots.appointment_slots
        target = slots.appointment_slots[-1].start_time
        error = await refused(
            api.reschedule_appointment_for_service_job_by_service_job_id(
                record.job_id, old.appointment_id, {**booking(target), "rescheduleReasonCode": "U1"}
            )
        )
        assert "reschedule reason code is not valid" in error.message
        moved = await api.reschedule_appointment_for_service_job_by_service_job_id(
            record.job_id, old.appointment_id, {**booking(target), "rescheduleReasonCode": "R1"}
        )
    new = record.active()
    assert new and new.appointment_id == moved.appointment_id != old.appointment_id
    assert new.rescheduled_appointment_id == old.appointment_id
    assert old.appointment_status == "CANCELLED"
    assert moved.warnings and moved.warnings[0].code == "RESOURCES_UNASSIGNED"


async def test_assignment_refusals_use_the_resources_codes() -> None:
    sim = simulator(jobs=120)
    record = pick(sim, "NOT_SERVICED", active=True)
    appointment = record.active()
    assert appointment and appointment.appointment_id
    able = qualified(sim.world, record)
    skills = set(record.job.scope_of_work.required_skills or [])  # type: ignore[union-attr]
    unskilled = next(
        t
        for t in sim.world.technicians.values()
        if not skills <= t.skills and record.job.store_id in t.store_ids
    )
    elsewhere = next(
        t
        for t in sim.world.technicians.values()
        if record.job.store_id not in t.store_ids and skills <= t.skills
    )
    unchecked = next(t for t in sim.world.technicians.values() if not t.background_checked)
    foreign = next(t for t in sim.world.technicians.values() if not t.registered)

    async def assign(*ids: str) -> SpApiError | None:
        async with client_for(sim) as api:
            try:
                await api.assign_appointment_resources(
                    record.job_id,
                    str(appointment.appointment_id),
                    {"resources": [{"resourceId": i} for i in ids]},
                )
            except SpApiError as error:
                return error
        return None

    error = await assign("badResourceId")
    assert error and error.status == 422 and "Invalid resourceId : badResourceId" in error.message
    for tech, code in (
        (unskilled, "RESOURCES_MISSING_REQUIRED_SKILLS"),
        (elsewhere, "RESOURCES_NOT_AVAILABLE_IN_LOCATION"),
        (unchecked, "RESOURCES_BACKGROUND_CHECK_INCOMPLETE"),
        (foreign, "RESOURCES_NOT_REGISTERED_UNDER_MERCHANT"),
    ):
        error = await assign(tech.resource_id)
        assert isinstance(error, UnprocessableError), tech
        assert code in {e.code for e in error.errors}, (code, error.errors)
        assert tech.resource_id in error.message or any(
            tech.resource_id in e.message for e in error.errors
        )
    assert await assign(able[0].resource_id) is None
    assert [t.technician_id for t in appointment.assigned_technicians or []] == [
        able[0].resource_id
    ]
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim)}
        url = f"/service/v1/serviceJobs/{record.job_id}/appointments/{appointment.appointment_id}/resources"
        answer = await http.put(url, json={"resources": []}, headers=headers)
    assert (
        answer.status_code == 400
        and "size greater than or equal to 1" in answer.json()["errors"][0]["message"]
    )


async def test_fulfillment_rules(tmp_path: Any) -> None:
    clock = Clock()
    sim = simulator(clock=clock, jobs=80)
    record = pick(sim, "NOT_SERVICED", active=True)
    appointment = record.active()
    assert appointment and appointment.appointment_id
    start = start_of(record)
    done = {"startTime": start, "endTime": start + timedelta(hours=1)}
    async with client_for(sim) as api:

        def put(body: dict[str, Any]) -> Any:
            return api.set_appointment_fulfillment_data(
                record.job_id, str(appointment.appointment_id), body
            )

        assert (await refused(put({}))).status == 400
        error = await refused(put({"fulfillmentTime": done}))
        assert "should not be in future" in error.message
        clock.now = start + timedelta(hours=2)
        error = await refused(
            put({"fulfillmentDocuments": [{"uploadDestinationId": "nope", "contentSha256": "x"}]})
        )
        assert "Input document id does not exist" in error.message
        destination = (
            await api.create_service_document_upload_destination(
                {"contentType": "PNG", "contentLength": 10}
            )
        ).payload
        assert destination
        reference = {"uploadDestinationId": destination.upload_destination_id, "contentSha256": "x"}
        error = await refused(put({"fulfillmentDocuments": [reference]}))
        assert "Document encrypted not found" in error.message
        clock.advance(minutes=10)  # past the destination's 5 minutes
        error = await refused(put({"fulfillmentDocuments": [reference]}))
        assert "Input document parameters are invalid" in error.message
        await put({"fulfillmentTime": done})
    assert appointment.appointment_id in record.fulfilled


async def test_upload_url_checks_the_hash_the_client_later_sends(tmp_path: Any) -> None:
    from sptui.spapi import upload_document

    sim = simulator(jobs=20)
    record = pick(sim, "NOT_SERVICED", active=True)
    appointment = record.active()
    file = tmp_path / "proof.pdf"
    file.write_bytes(b"%PDF-1.7 a proof of service")
    async with client_for(sim) as api:
        document = await upload_document(api, file)
        upload = sim.world.uploads[str(document.upload_destination_id)]
        assert upload.sha256 == document.content_sha256 and upload.problem is None
        forged = {
            "uploadDestinationId": document.upload_destination_id,
            "contentSha256": "Zm9yZ2Vk",
        }
        error = await refused(
            api.set_appointment_fulfillment_data(
                record.job_id, str(appointment.appointment_id), {"fulfillmentDocuments": [forged]}
            )
        )  # type: ignore[union-attr]
    assert "sanity check" in error.message


# ---- supply side ---------------------------------------------------------------------------
async def test_reservations_and_schedules_change_capacity() -> None:
    sim = simulator(jobs=10)
    tech = next(iter(sim.world.technicians))
    day = (sim.world.clock() + timedelta(days=7)).replace(hour=0, minute=0, second=0, microsecond=0)
    while day.weekday() != 2:  # a Wednesday: every technician works it
        day += timedelta(days=1)
    window = {"startDateTime": day, "endDateTime": day + timedelta(days=1), "slotDuration": 60}

    async def at(api: ServicesClient, hour: int) -> dict[str, int]:
        page = await api.get_fixed_slot_capacity(tech, window)
        slot = (page.capacities or [])[hour]
        return {
            "scheduled": slot.scheduled_capacity,
            "available": slot.available_capacity,
            "reserved": slot.reserved_capacity,
        }  # type: ignore[dict-item]

    async with client_for(sim) as api:
        assert await at(api, 10) == {"scheduled": 1, "available": 1, "reserved": 0}
        made = await api.create_reservation(
            {
                "resourceId": tech,
                "reservation": {
                    "type": "TRAINING",
                    "availability": {
                        "startTime": day.replace(hour=10),
                        "endTime": day.replace(hour=12),
                        "capacity": 1,
                    },
                },
            }
        )
        assert await at(api, 10) == {"scheduled": 1, "available": 0, "reserved": 1}
        assert await at(api, 12) == {"scheduled": 1, "available": 1, "reserved": 0}
        await api.cancel_reservation(str(made.payload.reservation.reservation_id))  # type: ignore[union-attr]
        assert await at(api, 10) == {"scheduled": 1, "available": 1, "reserved": 0}
        answer = await api.update_schedule(
            tech,
            {
                "schedules": [
                    {
                        "startTime": day.replace(hour=9),
                        "endTime": day.replace(hour=11),
                        "capacity": 2,
                    },
                    {"startTime": day.replace(hour=15), "endTime": day.replace(hour=14)},
                ]
            },
        )
        assert answer.payload and answer.payload[1].errors and not answer.payload[0].errors
        assert await at(api, 10) == {"scheduled": 2, "available": 2, "reserved": 0}
        assert (await at(api, 15))["scheduled"] == 0
        error = await refused(api.cancel_reservation("no-such-reservation"))
        assert error.status == 404 and error.message == "Reservation does not exist"
        unknown = await api.create_reservation(
            {
                "resourceId": "nobody",
                "reservation": {
                    "type": "BREAK",
                    "availability": {"startTime": day, "endTime": day + timedelta(hours=1)},
                },
            }
        )
        assert unknown.errors and "resourceId" in unknown.errors[0].message


# ---- auth ----------------------------------------------------------------------------------
async def test_token_endpoint_accepts_only_the_configured_credentials() -> None:
    sim = simulator(jobs=5)
    for creds, code in (
        (LwaCredentials("sptui-demo", "wrong-secret", "sptui-demo-refresh"), "invalid_client"),
        (LwaCredentials("sptui-demo", "sptui-demo-secret", "wrong-refresh"), "invalid_grant"),
    ):
        async with sim.client(credentials=creds) as api:
            with pytest.raises(AuthError) as caught:
                await api.get_service_job_by_service_job_id("x")
        assert caught.value.code == code and caught.value.final


async def test_api_calls_without_a_valid_token_get_403() -> None:
    sim = simulator(jobs=5)
    async with raw(sim) as http:
        answer = await http.get(
            "/service/v1/serviceJobs/x", headers={"x-amz-access-token": "Atza|made-up"}
        )
    assert answer.status_code == 403
    assert "access token" in answer.json()["errors"][0]["details"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/service/v1/serviceJobs/J/appointments"),
        ("POST", "/service/v1/serviceJobs/J/appointments/A"),
        ("PUT", "/service/v1/serviceJobs/J/appointments/A/resources"),
        ("PUT", "/service/v1/serviceJobs/J/appointments/A/fulfillment"),
        ("POST", "/service/v1/serviceResources/R/capacity/range?marketplaceIds=ATVPDKIKX0DER"),
        ("POST", "/service/v1/serviceResources/R/capacity/fixed?marketplaceIds=ATVPDKIKX0DER"),
        ("PUT", "/service/v1/serviceResources/R/schedules?marketplaceIds=ATVPDKIKX0DER"),
        ("POST", "/service/v1/reservation?marketplaceIds=ATVPDKIKX0DER"),
        ("PUT", "/service/v1/reservation/X?marketplaceIds=ATVPDKIKX0DER"),
        ("POST", "/service/v1/documents"),
    ],
)
@pytest.mark.parametrize(
    "body", [b"not json", b"[1, 2]", b'{"unexpected": {"deep": [null]}}', b"{}"]
)
async def test_garbage_gets_a_4xx_never_a_500(method: str, path: str, body: bytes) -> None:
    sim = simulator(jobs=5)
    async with raw(sim) as http:
        headers = {"x-amz-access-token": await token(http, sim), "content-type": "application/json"}
        answer = await http.request(method, path, content=body, headers=headers)
    assert 400 <= answer.status_code < 500, answer.text
    assert parse_messages(answer.json())[0].message  # {"errors": [...]} or, for fulfillment, bare


async def test_unknown_paths_are_404() -> None:
    sim = simulator(jobs=5)
    async with raw(sim) as http:
        answer = await http.get("/service/v2/nothing")
    assert answer.status_code == 404 and answer.headers["x-amzn-RequestId"]


def test_a_new_world_never_answers_with_a_dead_worlds_listing() -> None:
    # CPython often gives a new object the address (id) of one just freed: a listing cache keyed
    # by id(world) once answered a fresh world with another world's jobs. Each world here lives
    # on its own event loop, as in a test run, so that it is really freed before the next.
    async def listed(sim: Simulator) -> set[str]:
        # the simulator's own client: the schema checker would keep every world alive
        async with sim.client() as api:
            return {
                str(j.service_job_id) async for j in api.iter_service_jobs(created_after=LONG_AGO)
            }

    for seed in range(1, 41):
        sim = simulator(seed=seed, jobs=8)
        mine = {
            r.job_id for r in sim.world.jobs.values() if r.job.marketplace_id == "ATVPDKIKX0DER"
        }
        assert asyncio.run(listed(sim)) == mine, seed
        del sim
        gc.collect()
