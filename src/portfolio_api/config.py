"""Application settings: one pydantic-settings class, read from the environment."""

from __future__ import annotations

import secrets
from functools import lru_cache
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """Everything the app reads from its environment; env var names follow the reference."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    environment: str = "dev"
    log_level: LogLevel = "INFO"
    aws_region: str = Field(
        default="us-east-1", validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION")
    )

    dynamodb_table_name: str = "portfolio-api-table"
    s3_bucket_name: str = "portfolio-api-files"

    cognito_user_pool_id: str = ""
    cognito_client_id: str = ""
    cognito_client_secret: SecretStr | None = None
    cognito_region: str = Field(default="", validate_default=True)
    """The pool's region (the token issuer's); unset or empty, the same as `aws_region`."""
    cognito_jwks_url: str | None = None
    """Where the pool's signing keys are fetched; defaults to the pool's public JWKS URL."""

    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    """Comma-separated origins allowed to call the API from a browser."""

    counter_cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=lambda: ["*"])
    """Origins that may call the public visitor counter (`/v1/visitors/hit`, the badge) from a
    browser; `*` (the default) lets any resume site embed it. It never widens `CORS_ORIGINS`."""

    site_url: str | None = None
    """The portfolio site's address (`https://jane.example`), for the links of the Atom feed and
    the sitemap. Without it they point at the first `CORS_ORIGINS` origin, else at this API."""

    trusted_proxy_hops: int = Field(default=0, ge=0, le=5)
    """How many proxies append to `X-Forwarded-For`, API Gateway included (2 behind CloudFront):
    the client IP is the N-th address from the right. 0 (the default) never reads the header;
    the client IP is API Gateway's `sourceIp` (the socket's address locally)."""

    api_base_path: str = ""
    """API Gateway stage or custom-domain base path (e.g. `/prod`) stripped before routing."""

    docs_enabled: bool = True

    max_body_bytes: int = Field(default=512 * 1024, ge=1024, le=6 * 1024 * 1024)
    """Largest request body accepted; bigger ones get a 413 before any parsing. Lambda's own
    payload limit is 6 MB; every item must also fit DynamoDB's 400 KB item limit."""

    cursor_secret: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_hex(32)))
    """HMAC key for pagination cursors. Set it in every deployed environment so that cursors
    stay valid across Lambda containers; the default is random per process."""

    aws_call_limits: Literal["lambda", "patient"] = "lambda"
    """How long one AWS call may take: `lambda` bounds each call so that a request ends well
    inside the function's timeout (`aws.LIMITS`); `patient` waits and retries as botocore's
    defaults do, for the local emulator (`portfolio-api dev` sets it)."""

    aws_endpoint_url: str | None = None
    """One endpoint for every AWS service, e.g. the local emulator."""
    dynamodb_endpoint_url: str | None = None
    cognito_endpoint_url: str | None = None
    s3_endpoint_url: str | None = None

    @field_validator("cognito_region")
    @classmethod
    def _default_cognito_region(cls, value: str, info: ValidationInfo) -> str:
        # aws_region is declared first, so it is already validated here.
        return value.strip() or str(info.data.get("aws_region", "us-east-1"))

    @field_validator("cors_origins", "counter_cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _no_wildcard(cls, value: list[str]) -> list[str]:
        if "*" in value:
            raise ValueError("CORS_ORIGINS must list explicit origins; '*' is not allowed")
        return value

    @field_validator("site_url")
    @classmethod
    def _check_site_url(cls, value: str | None) -> str | None:
        value = (value or "").strip().rstrip("/")
        if not value:
            return None  # the template passes an empty parameter through as ""
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ValueError("SITE_URL must be an http(s) URL such as https://jane.example")
        return value

    @field_validator("api_base_path")
    @classmethod
    def _normalise_base_path(cls, value: str) -> str:
        value = value.strip().strip("/")
        return f"/{value}" if value else ""

    def endpoint_for(self, service: Literal["dynamodb", "cognito-idp", "s3"]) -> str | None:
        """The endpoint override for one AWS service, if any."""
        specific = {
            "dynamodb": self.dynamodb_endpoint_url,
            "cognito-idp": self.cognito_endpoint_url,
            "s3": self.s3_endpoint_url,
        }[service]
        return specific or self.aws_endpoint_url

    @property
    def cognito_issuer(self) -> str:
        """The `iss` claim of the pool's tokens (always the AWS URL, also under the emulator)."""
        return (
            f"https://cognito-idp.{self.cognito_region}.amazonaws.com/{self.cognito_user_pool_id}"
        )

    @property
    def jwks_url(self) -> str:
        """Where the pool's signing keys are fetched: `cognito_jwks_url` or the pool's own URL."""
        return self.cognito_jwks_url or f"{self.cognito_issuer}/.well-known/jwks.json"


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
