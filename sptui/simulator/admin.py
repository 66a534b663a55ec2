"""The simulator's own routes under /_sim/: the live fault plan and a health summary.

A web page in a browser on this machine can reach a loopback port. A "simple" cross-origin
request (a form POST, or fetch with text/plain) goes out without a CORS preflight, so the fault
plan changes only with a JSON content type (which forces a preflight this server never grants)
and without an Origin other than the simulator's own. Reading stays open.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from sptui.spapi.endpoints import is_loopback

from .bodies import ADMIN_CAP, BodyTooLarge, read_body
from .faults import FaultPlan

ADMIN_PATH = "/_sim/"


def own_origin(request: Request) -> bool:
    """No Origin (curl, scripts), or the origin this request was addressed to, on loopback.

    Comparing with the Host header alone would let a DNS-rebound page in (its origin and host
    are both evil.example); the loopback test shuts that door.
    """
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    hostname = urlsplit(f"http://{host}").hostname or ""
    return origin.lower() == f"http://{host}".lower() and is_loopback(hostname)


def is_json(request: Request) -> bool:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media == "application/json"


def _refusal(status: int, message: str) -> Response:
    return JSONResponse({"error": message}, status_code=status)


async def change_faults(request: Request, faults: FaultPlan) -> Response:
    if not own_origin(request):
        return _refusal(403, "the fault plan cannot be changed from another origin")
    if request.method == "DELETE":
        # No body, and a cross-origin DELETE always needs a preflight: the Origin test suffices.
        faults.clear()
        return JSONResponse(faults.as_dict())
    if not is_json(request):
        return _refusal(415, "send the fault settings as Content-Type: application/json")
    try:
        changes: Any = json.loads(await read_body(request, ADMIN_CAP) or b"{}")
        if not isinstance(changes, dict):
            raise ValueError("send a JSON object of fault settings")
        faults.update(changes)
    except BodyTooLarge as error:
        return _refusal(413, str(error))
    except (ValueError, TypeError, RecursionError) as error:
        return _refusal(400, str(error))
    return JSONResponse(faults.as_dict())


async def admin(request: Request, faults: FaultPlan, health: dict[str, Any]) -> Response:
    what = request.url.path.removeprefix(ADMIN_PATH)
    if what == "faults" and request.method == "GET":
        return JSONResponse(faults.as_dict())
    if what == "faults" and request.method in ("PUT", "POST", "DELETE"):
        return await change_faults(request, faults)
    if what == "health":
        return JSONResponse(health)
    return _refusal(404, f"no admin route {request.method} {request.url.path}")
