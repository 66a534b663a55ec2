"""The headless Services API layer: models, client, auth, usage plans, retries, uploads.

It never imports Textual; an import-linter contract in .ci/run holds it to that.

Names are loaded on first use (PEP 562): importing a light module of this package, such as
``sptui.spapi.endpoints``, must not load pydantic, httpx and every model with it. The console
paints its stored jobs before any of those are needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sptui.lazy import lazy_names

if TYPE_CHECKING:
    from .auth import LwaAuth, LwaCredentials
    from .client import Receipt, ServicesClient
    from .documents import (
        SUFFIXES,
        DocumentError,
        PreparedDocument,
        prepare,
        prepare_async,
        upload_document,
    )
    from .endpoints import MARKETPLACES, Endpoint, EndpointError, Region, region_for_marketplace
    from .errors import (
        ApiMessage,
        AuthError,
        InvalidInputError,
        NotFoundError,
        Outcome,
        RequestValidationError,
        ServerError,
        SpApiError,
        ThrottledError,
        TransportError,
        UnprocessableError,
        WriteOutcomeError,
    )
    from .operations import OPERATIONS, Operation
    from .ratelimit import RateLimiter, TokenBucket
    from .retry import RetryPolicy

_WHERE = {
    "LwaAuth": "auth",
    "LwaCredentials": "auth",
    "Receipt": "client",
    "ServicesClient": "client",
    # Document upload pulls in cryptography; only sessions that upload pay for it.
    "DocumentError": "documents",
    "PreparedDocument": "documents",
    "SUFFIXES": "documents",
    "prepare": "documents",
    "prepare_async": "documents",
    "upload_document": "documents",
    "MARKETPLACES": "endpoints",
    "Endpoint": "endpoints",
    "EndpointError": "endpoints",
    "Region": "endpoints",
    "region_for_marketplace": "endpoints",
    "ApiMessage": "errors",
    "AuthError": "errors",
    "InvalidInputError": "errors",
    "NotFoundError": "errors",
    "Outcome": "errors",
    "RequestValidationError": "errors",
    "ServerError": "errors",
    "SpApiError": "errors",
    "ThrottledError": "errors",
    "TransportError": "errors",
    "UnprocessableError": "errors",
    "WriteOutcomeError": "errors",
    "OPERATIONS": "operations",
    "Operation": "operations",
    "RateLimiter": "ratelimit",
    "TokenBucket": "ratelimit",
    "RetryPolicy": "retry",
}


__getattr__, __dir__ = lazy_names(__name__, _WHERE)


__all__ = [
    "MARKETPLACES",
    "OPERATIONS",
    "ApiMessage",
    "AuthError",
    "DocumentError",
    "Endpoint",
    "EndpointError",
    "InvalidInputError",
    "LwaAuth",
    "LwaCredentials",
    "NotFoundError",
    "Operation",
    "Outcome",
    "PreparedDocument",
    "RateLimiter",
    "Receipt",
    "Region",
    "RequestValidationError",
    "RetryPolicy",
    "SUFFIXES",
    "ServerError",
    "ServicesClient",
    "SpApiError",
    "ThrottledError",
    "TokenBucket",
    "TransportError",
    "UnprocessableError",
    "WriteOutcomeError",
    "prepare",
    "prepare_async",
    "region_for_marketplace",
    "upload_document",
]
