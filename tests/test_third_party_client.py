"""python-amazon-sp-api 2.1.35, a widely used client, against the simulator on a loopback socket.

It takes Amazon's host from a marketplace and Login with Amazon's from its token client class,
so both are pointed here: a stand-in marketplace (it reads only ``endpoint``, ``marketplace_id``
and ``region``) and a token client subclass (``scheme`` and ``host`` are class attributes).

It adds marketplace ids wherever it can: four spellings to every GET query and PUT body, two
to every POST body. Amazon ignores names it does not know, and so does the simulator, so most
calls work. Two mistakes of the library's stay refused, as Amazon refuses them: the cancel
reason goes in the body (it is a query parameter), and the supply-side calls put marketplaceIds
in the body (it is a required query parameter there).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
import sp_api.auth.access_token_client as lwa_client
from sp_api.api import Services
from sp_api.auth import AccessTokenClient
from sp_api.base import SellingApiBadRequestException, SellingApiNotFoundException

from sptui.simulator import Simulator
from sptui.simulator.capacity import profile
from sptui.simulator.rules import qualified
from sptui.simulator.world import JobRecord
from sptui.spapi.models import CapacityType, ServiceJobStatus
from sptui.spapi.models.base import format_wire_datetime

from .loopback import served
from .sim_helpers import simulator
from .test_simulator_rules import pick

US = "ATVPDKIKX0DER"


@pytest.fixture(scope="module")
def sim() -> Simulator:
    return simulator(jobs=60)


@pytest.fixture(scope="module")
def api(sim: Simulator) -> Iterator[Services]:
    with served(sim) as base, pytest.MonkeyPatch.context() as env:
        env.delenv("SP_API_DEFAULT_MARKETPLACE", raising=False)  # it would replace ours
        # Its access tokens are cached module-wide by refresh token: a token of another
        # simulator (or test run) must not be reused here.
        lwa_client.cache.clear()
        token_client = type(
            "SimulatorLwa",
            (AccessTokenClient,),
            {"scheme": "http://", "host": base.removeprefix("http://")},
        )
        cfg = sim.config
        client = Services(
            SimpleNamespace(endpoint=base, marketplace_id=US, region="us-east-1"),
            credentials={
                "refresh_token": cfg.refresh_token,
                "lwa_app_id": cfg.client_id,
                "lwa_client_secret": cfg.client_secret,
            },
            auth_token_client_class=token_client,
            timeout=10,
        )
        try:
            yield client
        finally:
            client.close()
            client._auth._transport.close()  # its token client's connections are never closed
            lwa_client.cache.clear()


def _free_technician(sim: Simulator, record: JobRecord, start: datetime, end: datetime) -> str:
    for tech in qualified(sim.world, record):
        busy = profile(sim.world, tech.resource_id, start, end)
        if busy.lowest(CapacityType.AVAILABLE_CAPACITY, start, end) > 0:
            return tech.resource_id
    raise AssertionError("no qualified technician is free then")


def _open_slot(api: Services, job_id: str, sim: Simulator) -> dict[str, Any]:
    now = sim.world.clock()
    answer = api.get_appointmment_slots_by_job_id(
        job_id,
        startTime=format_wire_datetime(now + timedelta(days=2)),
        endTime=format_wire_datetime(now + timedelta(days=16)),
    )
    slots = [s for s in answer.payload["appointmentSlots"] if s["capacity"] > 0]
    assert slots, "the demo world always has open slots in two weeks"
    return dict(slots[0])


def test_listing_and_reading_jobs(api: Services, sim: Simulator) -> None:
    listing = api.get_service_jobs(
        marketplaceIds=[US],
        createdAfter="2020-01-01T00:00:00Z",
        serviceJobStatus=["NOT_SERVICED", "PENDING_SCHEDULE"],  # sent repeated
        pageSize=5,
    )
    jobs = listing.payload["jobs"]
    assert len(jobs) == 5 and listing.payload["totalResultSize"] > 5
    assert {j["serviceJobStatus"] for j in jobs} <= {"NOT_SERVICED", "PENDING_SCHEDULE"}
    assert listing.next_token  # it finds nextPageToken in the payload
    assert listing.headers["x-amzn-RequestId"]
    one = api.get_service_job_by_service_job_id(jobs[0]["serviceJobId"])
    assert one.payload["serviceJobId"] == jobs[0]["serviceJobId"]
    assert one.payload["serviceJobId"] in sim.world.jobs


def test_slots_book_move_assign_prove_complete(api: Services, sim: Simulator) -> None:
    record = pick(sim, "PENDING_SCHEDULE")
    job_id = record.job_id
    scope = record.job.scope_of_work
    assert scope is not None
    slot = _open_slot(api, job_id, sim)
    product = api.get_appointment_slots(
        asin=scope.asin,
        storeId=record.job.store_id,
        startTime=slot["startTime"],
        endTime=slot["endTime"],
    )
    assert product.payload["appointmentSlots"]

    added = api.add_appointment_for_service_job_by_service_job_id(
        job_id, appointmentTime={"startTime": slot["startTime"], "durationInMinutes": 60}
    )
    first = added.payload["appointmentId"]
    assert record.active() is not None and record.active().appointment_id == first  # type: ignore[union-attr]

    later = _open_slot(api, job_id, sim)
    moved = api.reschedule_appointment_for_service_job_by_service_job_id_post(
        job_id,
        first,
        appointmentTime={"startTime": later["startTime"], "durationInMinutes": 60},
        rescheduleReasonCode="R1",
    )
    second = moved.payload["appointmentId"]
    active = record.active()
    assert active is not None and active.appointment_id == second != first
    assert active.rescheduled_appointment_id == first

    assert active.appointment_time and active.appointment_time.start_time
    start = active.appointment_time.start_time
    tech = _free_technician(sim, record, start, start + timedelta(minutes=60))
    api.assign_appointment_resources(job_id, second, resources=[{"resourceId": tech}])
    assert [t.technician_id for t in active.assigned_technicians or []] == [tech]

    now = sim.world.clock()
    api.set_appointment_fulfillment_data(
        job_id,
        second,
        fulfillmentTime={
            "startTime": format_wire_datetime(now - timedelta(hours=2)),
            "endTime": format_wire_datetime(now - timedelta(hours=1)),
        },
    )
    api.complete_service_job_by_service_job_id(job_id)
    assert record.status is ServiceJobStatus.COMPLETED


def test_an_upload_destination(api: Services, sim: Simulator) -> None:
    document = b"%PDF-1.7 proof"
    md5 = base64.b64encode(hashlib.md5(document, usedforsecurity=False).digest()).decode()
    answer = api.create_service_document_upload_destination(
        contentType="PDF", contentLength=len(document), contentMD5=md5
    )
    destination = answer.payload["uploadDestinationId"]
    assert destination in sim.world.uploads
    assert answer.payload["url"].endswith(f"/_uploads/{destination}")
    assert answer.payload["encryptionDetails"]["standard"] == "AES"


def test_cancelling_a_reservation(api: Services, sim: Simulator) -> None:
    reservation = next(iter(sim.world.reservations))
    answer = api.cancel_reservation(reservation)  # marketplaceIds goes in the query here
    assert answer.payload == {"status_code": 204}
    assert reservation not in sim.world.reservations


def test_its_cancel_is_refused_as_amazon_refuses_it(api: Services, sim: Simulator) -> None:
    record = pick(sim, "PENDING_SCHEDULE", active=False)
    with pytest.raises(SellingApiBadRequestException) as caught:
        api.cancel_service_job_by_service_job_id(record.job_id, cancellationReasonCode="V1")
    assert caught.value.message == (
        "Missing or invalid request parameters: [cancellationReasonCode]"
    )
    assert record.status is ServiceJobStatus.PENDING_SCHEDULE


def test_its_marketplace_ids_in_the_body_are_refused_as_amazon_refuses_them(
    api: Services, sim: Simulator
) -> None:
    tech = next(iter(sim.world.technicians))
    day = (sim.world.clock() + timedelta(days=3)).replace(hour=0, minute=0, second=0)
    window = {
        "startDateTime": format_wire_datetime(day),
        "endDateTime": format_wire_datetime(day + timedelta(days=1)),
    }
    availability = {
        "startTime": format_wire_datetime(day.replace(hour=8)),
        "endTime": format_wire_datetime(day.replace(hour=10)),
        "capacity": 1,
    }
    reservations = dict(sim.world.reservations)
    schedules = dict(sim.world.schedules)
    calls = [
        lambda: api.get_range_slot_capacity(tech, **window),
        lambda: api.get_fixed_slot_capacity(tech, **window, slotDuration=30),
        lambda: api.update_schedule(tech, schedules=[availability]),
        lambda: api.create_reservation(
            resourceId=tech, reservation={"type": "BREAK", "availability": availability}
        ),
    ]
    for call in calls:
        with pytest.raises(SellingApiBadRequestException) as caught:
            call()
        error = caught.value.error[0]
        assert "Missing or invalid request parameters: [marketplaceIds]" in (
            error["message"] + error.get("details", "")
        )
    assert sim.world.reservations == reservations and sim.world.schedules == schedules


def test_its_old_reschedule_path_does_not_exist(api: Services, sim: Simulator) -> None:
    record = pick(sim, "NOT_SERVICED", active=True)
    with pytest.raises(SellingApiNotFoundException):
        api.reschedule_appointment_for_service_job_by_service_job_id(
            record.job_id, rescheduleReasonCode="R1"
        )


def test_its_fulfillment_refusal_comes_back_as_a_payload(api: Services, sim: Simulator) -> None:
    # Amazon's model answers this operation's errors as a bare list, not {"errors": [...]};
    # the library takes the list's first entry for the payload and raises nothing.
    record = pick(sim, "NOT_SERVICED", active=True)
    before = record.job.to_wire()
    answer = api.set_appointment_fulfillment_data(
        record.job_id,
        "no-such-appointment",
        fulfillmentTime={"startTime": "2021-01-01T10:00:00Z", "endTime": "2021-01-01T11:00:00Z"},
    )
    assert answer.payload["code"] == "InvalidInput"
    assert "is not present in the job" in answer.payload["message"]
    assert record.job.to_wire() == before
