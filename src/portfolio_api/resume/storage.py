"""The S3 adapter that keeps rendered resume PDFs and signs links to them."""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from portfolio_api.errors import ServiceUnavailable

logger = logging.getLogger("portfolio_api.resume")

UNAVAILABLE = "The file store is unavailable; retry shortly"
# Without s3:ListBucket, HeadObject of a missing key is a 403: treat it as missing too (a
# PutObject that is really forbidden still fails, as a 503).
MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound", "403"})


class S3PdfStore:
    """PDFs as objects of one S3 bucket, read through pre-signed GET URLs."""

    def __init__(self, *, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def exists(self, key: str) -> bool:
        """Whether the object is there (HeadObject)."""
        try:
            self._client.head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in MISSING_CODES:
                return False
            raise self._unavailable(error) from error
        except BotoCoreError as error:
            raise self._unavailable(error) from error
        return True

    def put(self, key: str, body: bytes, *, filename: str) -> None:
        """Store a PDF that downloads as `filename` (ASCII)."""
        try:
            self._client.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=body,
                ContentType="application/pdf",
                ContentDisposition=f'attachment; filename="{filename}"',
                CacheControl="private, max-age=3600",
            )
        except (ClientError, BotoCoreError) as error:
            raise self._unavailable(error) from error

    def url(self, key: str, *, expires_in: int) -> str:
        """A pre-signed GET URL of the object (signed locally, no request)."""
        try:
            url: str = self._client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self._bucket, "Key": key},
                ExpiresIn=expires_in,
            )
        except (ClientError, BotoCoreError) as error:
            raise self._unavailable(error) from error
        return url

    @staticmethod
    def _unavailable(error: Exception) -> ServiceUnavailable:
        logger.warning("s3 call failed", extra={"error": repr(error)})
        return ServiceUnavailable(UNAVAILABLE)
