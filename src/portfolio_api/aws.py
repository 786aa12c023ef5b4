"""AWS clients, created lazily once per container (botocore only: boto3 would add s3transfer
to every cold start)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from portfolio_api.config import Settings

# A botocore session is not thread-safe, and under a server `def` routes run in a thread pool.
_session_lock = threading.Lock()


@lru_cache(maxsize=1)
def _session() -> Any:
    import botocore.session

    # One session for every client: each new session parses botocore's endpoint and service
    # indexes again: ~50 ms per additional client (see benchmarks/README.md).
    return botocore.session.get_session()


@dataclass(frozen=True)
class CallLimits:
    """How long one SDK call may run: its attempts (the first one included), each bounded by
    the connect timeout (TCP and TLS) and the read timeout (each wait for the service)."""

    attempts: int
    connect_timeout: float
    read_timeout: float


# A request must end well inside the function's timeout (10 s by default, template.yaml), or
# Lambda kills it and the gateway answers a bare 5xx without CORS or request id. A track makes
# up to three DynamoDB calls in a row, the PDF link one DynamoDB and two S3 calls around a
# render; tests/test_aws.py adds up their worst cases. DynamoDB answers in tens of ms
# in-region: a longer wait is a fault, and one retry beats waiting on it. S3 gets one attempt,
# as the render of a new PDF takes up to ~4 s after a cold start. Cognito is called once per
# request and not retried: the app already answers its throttling with a 503 and Retry-After,
# and an InitiateAuth sent again after a timeout may try the password twice.
LIMITS = {
    "dynamodb": CallLimits(attempts=2, connect_timeout=0.25, read_timeout=0.5),
    "s3": CallLimits(attempts=1, connect_timeout=0.25, read_timeout=1.0),
    "cognito-idp": CallLimits(attempts=1, connect_timeout=0.5, read_timeout=2.0),
}
PATIENT = CallLimits(attempts=3, connect_timeout=60.0, read_timeout=60.0)
"""botocore's own defaults, for callers with time to wait: operator commands, which may run
far from the region (a TLS handshake across an ocean takes longer than LIMITS allow) and
retry throttling through a long import, and the local emulator (`AWS_CALL_LIMITS=patient`,
set by `portfolio-api dev`), which serves one call at a time, so that under parallel requests
a call waits for the others."""


def _patient(settings: Settings, patient: bool | None) -> bool:
    return settings.aws_call_limits == "patient" if patient is None else patient


@lru_cache(maxsize=16)
def _client(service: str, region: str, endpoint_url: str | None, patient: bool) -> Any:
    import botocore.config

    limits = PATIENT if patient else LIMITS[service]
    config = botocore.config.Config(
        # `total_max_attempts` counts the first attempt; the older `max_attempts` counts retries.
        retries={"mode": "standard", "total_max_attempts": limits.attempts},
        connect_timeout=limits.connect_timeout,
        read_timeout=limits.read_timeout,
    )
    if service == "s3":
        # Pre-signed URLs default to SigV2, which newer regions refuse; sign them with SigV4.
        # Left to itself botocore signs them for the global host (bucket.s3.amazonaws.com),
        # which redirects to the region for a day after a bucket is created (breaking the
        # signature) and never serves opt-in regions: name the regional host. An emulator
        # endpoint has no per-bucket host names, so it keeps path-style URLs.
        s3 = botocore.config.Config(
            signature_version="s3v4",
            s3={"addressing_style": "path"} if endpoint_url else {"addressing_style": "virtual"},
        )
        config = config.merge(s3)
    with _session_lock:
        return _session().create_client(
            service, region_name=region, endpoint_url=endpoint_url, config=config
        )


def dynamodb_client(settings: Settings, *, patient: bool | None = None) -> Any:
    """The low-level DynamoDB client for these settings (`patient`: PATIENT limits; by
    default as `AWS_CALL_LIMITS` says)."""
    endpoint = settings.endpoint_for("dynamodb")
    return _client("dynamodb", settings.aws_region, endpoint, _patient(settings, patient))


def cognito_client(settings: Settings, *, patient: bool | None = None) -> Any:
    """The Cognito user-pool client for these settings (`patient` as for DynamoDB)."""
    endpoint = settings.endpoint_for("cognito-idp")
    return _client("cognito-idp", settings.cognito_region, endpoint, _patient(settings, patient))


def s3_client(settings: Settings, *, patient: bool | None = None) -> Any:
    """The S3 client for these settings (`patient` as for DynamoDB)."""
    endpoint = settings.endpoint_for("s3")
    return _client("s3", settings.aws_region, endpoint, _patient(settings, patient))


def reset_clients() -> None:
    """Forget cached clients (tests that switch between emulators call this)."""
    _client.cache_clear()
    _session.cache_clear()
