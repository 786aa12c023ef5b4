"""`openapi.json` in the repository is the app's OpenAPI document, exported by the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portfolio_api.cli import main, openapi_document

ROOT = Path(__file__).resolve().parent.parent
EXPORTED = ROOT / "openapi.json"
REGENERATE = "uv run portfolio-api openapi --output openapi.json"


def test_committed_document_matches_the_app() -> None:
    assert EXPORTED.exists(), f"openapi.json is missing; run `{REGENERATE}`"
    committed = EXPORTED.read_text(encoding="utf-8")
    assert committed == openapi_document(), (
        f"openapi.json has drifted from the app's routes or schemas; run `{REGENERATE}` "
        "and commit the result"
    )


def test_document_describes_the_versioned_api_without_a_base_path() -> None:
    document = json.loads(openapi_document())
    assert document["openapi"].startswith("3.")
    assert "servers" not in document
    assert "/v1/visitors/count" in document["paths"]
    assert "bearerAuth" in document["components"]["securitySchemes"]


def test_openapi_command_writes_the_document(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    assert main(["openapi", "--output", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == openapi_document()


def test_openapi_command_prints_the_document_by_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["openapi"]) == 0
    assert capsys.readouterr().out == openapi_document()
