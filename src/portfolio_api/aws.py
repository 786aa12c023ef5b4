"""AWS clients, created lazily once per container (botocore only: boto3 would add s3transfer
to every cold start)."""

from __future__ import annotations

import threading
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


@lru_cache(maxsize=16)
def _client(service: str, region: str, endpoint_url: str | None) -> Any:
    import botocore.config

    config = botocore.config.Config(
        retries={"mode": "standard", "max_attempts": 3}, connect_timeout=2, read_timeout=5
    )
    if service == "s3":
        # Pre-signed URLs default to SigV2, which newer regions refuse; sign them with SigV4.
        config = config.merge(botocore.config.Config(signature_version="s3v4"))
    with _session_lock:
        return _session().create_client(
            service, region_name=region, endpoint_url=endpoint_url, config=config
        )


def dynamodb_client(settings: Settings) -> Any:
    """The low-level DynamoDB client for these settings."""
    return _client("dynamodb", settings.aws_region, settings.endpoint_for("dynamodb"))


def cognito_client(settings: Settings) -> Any:
    """The Cognito user-pool client for these settings."""
    return _client("cognito-idp", settings.cognito_region, settings.endpoint_for("cognito-idp"))


def s3_client(settings: Settings) -> Any:
    """The S3 client for these settings."""
    return _client("s3", settings.aws_region, settings.endpoint_for("s3"))


def reset_clients() -> None:
    """Forget cached clients (tests that switch between emulators call this)."""
    _client.cache_clear()
    _session.cache_clear()
