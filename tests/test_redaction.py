"""No token, secret or buyer PII in any log record, whoever writes it."""

from __future__ import annotations

import logging

import httpx
import pytest

from sptui.spapi import SpApiError
from sptui.spapi.redaction import REDACTOR, install

from .fakes import REFRESH, SECRET, Lwa, make_client, ok

PHONE = "+1-555-0100-SENTINEL"
NAME = "Sentinel Buyer Name"


async def test_sentinels_never_reach_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    job = {
        "serviceJobId": "job-1",
        "buyer": {"name": NAME, "phone": PHONE},
        "serviceLocation": {
            "address": {"name": NAME, "addressLine1": "1 Sentinel Way", "phone": PHONE}
        },
    }

    async def api(request: httpx.Request) -> httpx.Response:
        if "fail" in request.url.path:
            return httpx.Response(
                400, json={"errors": [{"code": "InvalidInput", "message": "bad"}]}
            )
        return ok({"payload": job})

    async with make_client(api, lwa=Lwa()) as client:
        answer = await client.get_service_job_by_service_job_id("job-1")
        with pytest.raises(SpApiError):
            await client.get_service_job_by_service_job_id("fail")
        token = await client.auth.access_token()
        # Careless code logging a whole job, the credentials and the token must still be safe:
        # the job by construction (buyer fields are not in its repr), secrets by the redactor.
        logging.getLogger("careless").warning(
            "job=%r secret=%s token=%s", answer.payload, SECRET, token
        )
        logging.getLogger("careless").info(
            "form: client_secret=%s&refresh_token=%s", SECRET, REFRESH
        )
    text = caplog.text + "".join(str(r.args) for r in caplog.records)
    leaked = [s for s in (SECRET, REFRESH, token, PHONE, NAME, "1 Sentinel Way") if s in text]
    assert leaked == []
    assert "[REDACTED]" in text
    assert "GET /service/v1/serviceJobs/job-1 -> 200" in text  # the useful part survives


async def test_buyer_values_are_never_matched_so_ordinary_numbers_survive(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install()
    caplog.set_level(logging.DEBUG)
    before = REDACTOR.count
    page = {
        "payload": {
            "jobs": [
                {
                    "serviceJobId": f"job-{n}",
                    "serviceLocation": {"address": {"postalCode": "98101", "city": "Seattle"}},
                    "buyer": {"name": f"Buyer {n}", "phone": f"+1 555 01{n:02d}"},
                }
                for n in range(20)
            ]
        }
    }

    async def api(request: httpx.Request) -> httpx.Response:
        return ok(page)

    async with make_client(api, lwa=Lwa()) as client:
        for _ in range(50):  # 1,000 buyers, page by page
            await client.get_service_jobs(created_after="2026-01-01T00:00:00Z")
        logging.getLogger("sptui.test").warning("retry in 98101 ms")
    assert REDACTOR.count - before <= 2  # the login's access token, not a value per buyer
    assert "retry in 98101 ms" in caplog.text


def test_buyer_pii_is_left_out_of_model_repr() -> None:
    from sptui.spapi.models import ServiceJob

    job = ServiceJob.from_wire({"serviceJobId": "j", "buyer": {"name": NAME, "phone": PHONE}})
    assert NAME not in repr(job) and PHONE not in repr(job)
    assert job.buyer is not None and job.buyer.phone == PHONE  # still there to show on request


def test_token_shapes_are_masked_even_when_never_registered() -> None:
    install()
    text = REDACTOR.scrub("x-amz-access-token: Atza|IwEBIabc123 and Atzr|zzz-999")
    assert "Atza|IwEB" not in text and "Atzr|zzz" not in text
