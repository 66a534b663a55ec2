"""The generated models: complete, current, strict on requests, tolerant on responses."""

from __future__ import annotations

import filecmp
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import sptui.spapi.models as models
from sptui.spapi import RequestValidationError
from sptui.spapi.models import (
    AddAppointmentRequest,
    AppointmentTimeInput,
    FixedSlotCapacityQuery,
    ServiceJob,
    ServiceJobStatus,
    ServiceUploadDocument,
)
from sptui.spapi.params import validated
from sptui.spapi.sandbox import model_document

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "spapi-models" / "services.json"


def test_every_definition_in_amazons_model_has_a_model() -> None:
    definitions = model_document()["definitions"]
    assert len(definitions) == 75
    missing = [name for name in definitions if not hasattr(models, name)]
    assert missing == []


def test_generated_models_are_current() -> None:
    from tools.gen_models import render

    stale = [p.name for p, text in render().items() if p.read_text() != text]
    assert stale == [], "run: python tools/gen_models.py"


# SHA-256 of models/services-api-model/services.json at Amazon's commit 34dc93fe (2026-08-05).
AMAZON_MODEL_SHA256 = "61c110345b67e3540967657df9f33a3733093ca15235cd769311b3297dd49882"


def test_packaged_model_is_amazons_file_unchanged() -> None:
    packaged = ROOT / "sptui" / "spapi" / "data" / "services.json"
    assert hashlib.sha256(packaged.read_bytes()).hexdigest() == AMAZON_MODEL_SHA256
    if SHARED.exists():  # beside a checkout, also against the team's shared copy
        assert filecmp.cmp(SHARED, packaged, shallow=False)


def test_snake_case_in_python_camel_case_on_the_wire() -> None:
    request = AddAppointmentRequest(
        appointment_time=AppointmentTimeInput(
            start_time=datetime(2027, 1, 2, 3, 4, tzinfo=UTC), duration_in_minutes=90
        )
    )
    assert request.to_wire() == {
        "appointmentTime": {"startTime": "2027-01-02T03:04:00Z", "durationInMinutes": 90}
    }


def test_responses_keep_fields_and_enum_values_amazon_adds_later() -> None:
    job = ServiceJob.from_wire(
        {
            "serviceJobId": "x" * 150,  # longer than the model allows: still parsed
            "serviceJobStatus": "AWAITING_PARTS",
            "brandNewField": {"a": 1},
            "appointments": [{"appointmentStatus": "ON_HOLD", "futureThing": True}],
        }
    )
    assert job.service_job_status == "AWAITING_PARTS"
    assert isinstance(job.service_job_status, ServiceJobStatus) and not job.service_job_status.known
    assert ServiceJobStatus("COMPLETED").known
    assert job.model_extra == {"brandNewField": {"a": 1}}
    assert job.appointments and job.appointments[0].model_extra == {"futureThing": True}
    assert "brandNewField" in json.dumps(job.to_wire())


@pytest.mark.parametrize(
    ("model", "body", "field", "words"),
    [
        (
            AddAppointmentRequest,
            {"appointmentTime": {"startTime": "2027-01-01T10:00:00+05:30"}},
            "appointmentTime.startTime",
            "UTC",
        ),
        (
            AddAppointmentRequest,
            {"appointmentTime": {"startTime": "2027-01-01T10:00:00"}},
            "appointmentTime.startTime",
            "time zone",
        ),
        (
            AddAppointmentRequest,
            {"appointmentTime": {"startTim": "2027-01-01T10:00:00Z"}},
            "appointmentTime",
            "startTime",
        ),
        (AddAppointmentRequest, {}, "", "appointmentTime"),
        (
            ServiceUploadDocument,
            {"contentType": "BMP", "contentLength": 10},
            "contentType",
            "not one of",
        ),
        (
            ServiceUploadDocument,
            {"contentType": "PNG", "contentLength": 6_000_000},
            "contentLength",
            "at most 5242880",
        ),
        (
            ServiceUploadDocument,
            {"contentType": "PNG", "contentLength": 0},
            "contentLength",
            "at least 1",
        ),
        (
            ServiceUploadDocument,
            {"contentType": "PNG", "contentLength": 5, "contentMD5": "short"},
            "contentMD5",
            "pattern",
        ),
        (
            FixedSlotCapacityQuery,
            {
                "startDateTime": "2027-01-01T00:00:00Z",
                "endDateTime": "2027-01-02T00:00:00Z",
                "slotDuration": 7,
            },
            "slotDuration",
            "multiple of 5",
        ),
    ],
)
def test_requests_are_refused_with_the_field_named(model, body, field, words) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RequestValidationError) as caught:
        validated("op", model, body)
    fields = dict(caught.value.problems)
    assert field in fields, caught.value.problems
    assert words in fields[field]


def test_offsets_written_as_minus_07_parse() -> None:
    from sptui.spapi.models.base import parse_wire_datetime

    parsed = parse_wire_datetime("2020-01-01T00:00:00.00-07")
    assert parsed.utcoffset() == timedelta(hours=-7)
    assert parsed == datetime(2020, 1, 1, 7, tzinfo=UTC)
    assert parse_wire_datetime("2021-01-01T10:00:00.000+05:30").tzinfo == timezone(
        timedelta(hours=5, minutes=30)
    )


def test_validation_errors_never_echo_the_value() -> None:
    with pytest.raises(RequestValidationError) as caught:
        validated(
            "op",
            ServiceUploadDocument,
            {"contentType": "PNG", "contentLength": 5, "contentMD5": "SENTINEL-VALUE"},
        )
    assert "SENTINEL-VALUE" not in str(caught.value)


def test_a_lone_surrogate_from_json_is_read_in_any_field_and_never_put_in_a_path() -> None:
    from sptui.spapi.params import check_path

    odd = json.loads('"ON_HOLD\\ud800"')  # JSON can carry half a surrogate pair
    job = ServiceJob.from_wire({"serviceJobId": odd, "serviceJobStatus": odd, "storeId": odd})
    assert job.service_job_status == odd and not job.service_job_status.known  # type: ignore[union-attr]
    assert job.to_wire()["serviceJobStatus"] == odd
    with pytest.raises(RequestValidationError) as refused:
        check_path("getServiceJobByServiceJobId", serviceJobId=odd)
    assert refused.value.problems == [
        ("serviceJobId", "holds a character that cannot be sent (half of a surrogate pair)")
    ]
