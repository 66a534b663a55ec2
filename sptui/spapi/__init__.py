"""The headless Services API layer: models, client, auth, usage plans, retries, uploads.

It never imports Textual; an import-linter contract in .ci/run holds it to that.
"""

from .auth import LwaAuth, LwaCredentials
from .client import Receipt, ServicesClient
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

_DOCUMENTS = {
    "DocumentError",
    "PreparedDocument",
    "SUFFIXES",
    "prepare",
    "prepare_async",
    "upload_document",
}


def __getattr__(name: str) -> object:
    # Document upload pulls in cryptography; only sessions that upload should pay for it.
    if name in _DOCUMENTS:
        from . import documents

        return getattr(documents, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
