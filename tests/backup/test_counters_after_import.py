"""List totals and categories come from the kind's counter item, which a merge import of an
older backup replaces with the backup's: `reindex` counts the items in the table again."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from portfolio_api.backup import service
from portfolio_api.content.service import reindex
from portfolio_api.db.table import Table
from tests.backup.conftest import export_file
from tests.content.conftest import post_fields

Headers = dict[str, str]


def _published(client: TestClient, owner: Headers, **fields: object) -> None:
    post = client.post("/v1/blog/posts", json=post_fields(**fields), headers=owner).json()
    assert client.post(f"/v1/blog/posts/{post['id']}/publish", headers=owner).is_success


def _site(client: TestClient) -> tuple[int, dict[str, int], int]:
    listing = client.get("/v1/blog/posts").json()
    categories = client.get("/v1/blog/categories").json()["counts"]
    newtag = client.get("/v1/blog/posts", params={"tag": "newtag"}).json()["total"]
    return listing["total"], {c["name"]: c["count"] for c in categories}, newtag


def test_reindex_recounts_what_an_older_backup_brought_back(
    client: TestClient, owner_headers: Headers, table: Table, tmp_path: Path
) -> None:
    for number in range(3):
        _published(client, owner_headers, title=f"Old {number}", category="AWS")
    backup = export_file(table, tmp_path / "older.jsonl")
    _published(client, owner_headers, title="After the backup", category="GCP", tags=["newtag"])
    assert _site(client) == (4, {"AWS": 3, "GCP": 1}, 1)

    service.import_file(client=table.client, table=table.name, path=backup)
    assert _site(client) == (3, {"AWS": 3}, 0)  # the backup's counts, four posts listed

    assert reindex(table=table).recounted > 0
    assert _site(client) == (4, {"AWS": 3, "GCP": 1}, 1)
    assert reindex(table=table).recounted == 0  # idempotent


def test_reindex_leaves_counters_that_count_right_alone(
    client: TestClient, owner_headers: Headers, table: Table
) -> None:
    _published(client, owner_headers, title="One", category="AWS", tags=["python", "aws"])
    client.post("/v1/blog/posts", json=post_fields(title="Draft"), headers=owner_headers)

    assert reindex(table=table).recounted == 0
