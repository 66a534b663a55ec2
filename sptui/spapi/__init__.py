"""The headless Services API layer: models, client, auth, usage plans, retries, uploads.

It never imports Textual; an import-linter contract in .ci/run holds it to that.
"""

from .auth import LwaAuth, LwaCredentials
from .client import Receipt, ServicesClient
from .documents import DocumentError, PreparedDocument, prepare, upload_document
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
    "ServerError",
    "ServicesClient",
    "SpApiError",
    "ThrottledError",
    "TokenBucket",
    "TransportError",
    "UnprocessableError",
    "WriteOutcomeError",
    "prepare",
    "region_for_marketplace",
    "upload_document",
]
