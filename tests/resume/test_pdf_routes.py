"""`GET /v1/resume/pdf`: the PDF is rendered once per published version, kept in S3, and
served through a pre-signed URL that really works (moto's server on 127.0.0.1)."""

from __future__ import annotations

import io
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from moto.server import ThreadedMotoServer
from pypdf import PdfReader

from portfolio_api import aws
from portfolio_api.clock import FixedClock, SystemClock, iso
from portfolio_api.config import Settings
from portfolio_api.main import create_app
from tests.resume.samples import full_resume

PDF = "/v1/resume/pdf"
NOW = datetime(2025, 3, 7, 12, 0, tzinfo=UTC)


@pytest.fixture
def s3_endpoint(aws_mock: None) -> Iterator[str]:
    """moto's S3 as a real HTTP server, so that a pre-signed URL can be fetched."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def served_app(table: object, settings: Settings, s3_endpoint: str) -> FastAPI:
    """The app with S3 on the HTTP server (DynamoDB and Cognito stay in-process)."""
    # An emulator on loopback, in a test run that keeps every core busy: patient clients, as
    # `portfolio-api dev` uses (the Lambda limits give S3 one attempt of at most 1.25 s).
    served = settings.model_copy(
        update={"s3_endpoint_url": s3_endpoint, "aws_call_limits": "patient"}
    )
    aws.s3_client(served).create_bucket(Bucket=served.s3_bucket_name)
    app = create_app(served)
    app.state.clock = FixedClock(NOW)
    return app


@pytest.fixture
def served(served_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(served_app, raise_server_exceptions=False) as test_client:
        yield test_client


def _publish(client: TestClient, owner: dict[str, str], document: dict[str, object]) -> None:
    assert client.put("/v1/resume", json=document, headers=owner).status_code in (200, 201)
    assert client.post("/v1/resume/publish", headers=owner).status_code == 200


def _fetch(url: str) -> tuple[bytes, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - a local http URL
        return response.read(), response.headers["Content-Type"]


def _objects(app: FastAPI) -> list[str]:
    settings: Settings = app.state.settings
    listing = aws.s3_client(settings).list_objects_v2(Bucket=settings.s3_bucket_name)
    return [obj["Key"] for obj in listing.get("Contents", [])]


def test_the_presigned_url_serves_the_published_resume_pdf(
    served: TestClient, owner_headers: dict[str, str]
) -> None:
    _publish(served, owner_headers, full_resume())
    response = served.get(PDF)
    assert response.status_code == 200
    body, content_type = _fetch(response.json()["url"])
    assert content_type == "application/pdf"
    assert body.startswith(b"%PDF-")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    for expected in ("Zoë Łukasiewicz-Ångström", "Senior Backend Engineer", "Nordwind"):
        assert expected in text


def test_the_link_is_sigv4_and_valid_for_an_hour(
    served: TestClient, owner_headers: dict[str, str]
) -> None:
    _publish(served, owner_headers, full_resume())
    body = served.get(PDF).json()
    assert body["expiresAt"] == "2025-03-07T13:00:00.000Z"
    query = parse_qs(urlparse(body["url"]).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["3600"]


def test_expires_at_is_never_later_than_the_signed_urls_expiry(
    served_app: FastAPI, served: TestClient, owner_headers: dict[str, str]
) -> None:
    _publish(served, owner_headers, full_resume())
    served_app.state.clock = SystemClock()  # botocore signs with the real time
    for _ in range(5):
        body = served.get(PDF).json()
        query = parse_qs(urlparse(body["url"]).query)
        signed = datetime.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        expiry = signed + timedelta(seconds=int(query["X-Amz-Expires"][0]))
        assert body["expiresAt"] <= iso(expiry)


def test_an_unchanged_resume_is_rendered_once(
    served: TestClient, served_app: FastAPI, owner_headers: dict[str, str]
) -> None:
    _publish(served, owner_headers, full_resume())
    served.get(PDF)
    served.get(PDF)
    assert served.post("/v1/resume/publish", headers=owner_headers).status_code == 200
    served.get(PDF)
    assert len(_objects(served_app)) == 1
    assert _objects(served_app)[0].startswith("resume/pdf/v1-")


def test_a_new_published_version_gets_a_new_pdf(
    served: TestClient, served_app: FastAPI, owner_headers: dict[str, str]
) -> None:
    _publish(served, owner_headers, full_resume())
    first, _ = _fetch(served.get(PDF).json()["url"])
    _publish(served, owner_headers, {"basics": {"name": "Renamed Person"}})
    second, _ = _fetch(served.get(PDF).json()["url"])
    assert len(_objects(served_app)) == 2
    assert "Renamed Person" in PdfReader(io.BytesIO(second)).pages[0].extract_text()
    assert first != second


def test_redirect_true_answers_302_to_the_pdf(
    served: TestClient, owner_headers: dict[str, str]
) -> None:
    _publish(served, owner_headers, full_resume())
    response = served.get(PDF, params={"redirect": "true"}, follow_redirects=False)
    assert response.status_code == 302
    body, _ = _fetch(response.headers["Location"])
    assert body.startswith(b"%PDF-")


def test_the_draft_is_never_rendered(served: TestClient, owner_headers: dict[str, str]) -> None:
    assert served.put("/v1/resume", json=full_resume(), headers=owner_headers).status_code == 201
    response = served.get(PDF, headers=owner_headers)
    assert response.status_code == 404
    assert response.json()["message"] == "No resume has been published yet"


def test_an_unreachable_bucket_is_503_with_retry_after(
    client: TestClient, owner_headers: dict[str, str]
) -> None:
    # The in-process S3 has no bucket at all: storing the PDF fails.
    _publish(client, owner_headers, full_resume())
    response = client.get(PDF)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json()["message"] == "The file store is unavailable; retry shortly"
