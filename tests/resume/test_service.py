"""Resume service rules against the moto table, with an in-memory PDF store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portfolio_api.clock import FixedClock
from portfolio_api.db.table import Table
from portfolio_api.errors import NotFound, PreconditionFailed
from portfolio_api.resume import service
from tests.resume.samples import full_resume

CLOCK = FixedClock(datetime(2025, 3, 7, 12, 0, tzinfo=UTC))


class MemoryPdfStore:
    """A PDF store in a dict; counts what was stored."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.filenames: dict[str, str] = {}
        self.puts = 0

    def exists(self, key: str) -> bool:
        return key in self.objects

    def put(self, key: str, body: bytes, *, filename: str) -> None:
        self.puts += 1
        self.objects[key] = body
        self.filenames[key] = filename

    def url(self, key: str, *, expires_in: int) -> str:
        return f"memory://{key}?expires={expires_in}"


def _publish(table: Table, document: dict[str, object]) -> None:
    service.replace(table=table, clock=CLOCK, document=document, expected=None)
    service.publish(table=table, clock=CLOCK, expected=None)


def test_pdf_is_rendered_once_per_published_version(table: Table) -> None:
    store = MemoryPdfStore()
    _publish(table, full_resume())
    first = service.pdf_link(table=table, store=store, clock=CLOCK)
    again = service.pdf_link(table=table, store=store, clock=CLOCK)
    assert store.puts == 1
    assert first.url == again.url
    assert first.expires_at == "2025-03-07T13:00:00.000Z"


def test_pdf_download_name_comes_from_the_resume_name(table: Table) -> None:
    store = MemoryPdfStore()
    _publish(table, full_resume())
    service.pdf_link(table=table, store=store, clock=CLOCK)
    assert list(store.filenames.values()) == ["zoe-lukasiewicz-angstrom-resume.pdf"]


def test_a_changed_resume_gets_a_new_pdf_key(table: Table) -> None:
    store = MemoryPdfStore()
    _publish(table, full_resume())
    service.pdf_link(table=table, store=store, clock=CLOCK)
    _publish(table, {"basics": {"name": "Other"}})
    service.pdf_link(table=table, store=store, clock=CLOCK)
    assert sorted(k.split("-")[0] for k in store.objects) == ["resume/pdf/v1", "resume/pdf/v2"]


def test_pdf_of_an_unpublished_resume_is_not_found(table: Table) -> None:
    service.replace(table=table, clock=CLOCK, document=full_resume(), expected=None)
    with pytest.raises(NotFound):
        service.pdf_link(table=table, store=MemoryPdfStore(), clock=CLOCK)


def test_patch_with_a_stale_version_fails_before_writing(table: Table) -> None:
    service.replace(table=table, clock=CLOCK, document={}, expected=None)
    service.replace(table=table, clock=CLOCK, document={}, expected=None)
    with pytest.raises(PreconditionFailed):
        service.patch(table=table, clock=CLOCK, patch={"basics": {"name": "X"}}, expected=1)
    assert service.get(table=table, draft=True).view.version == 2


def test_publishing_keeps_the_draft_version(table: Table) -> None:
    service.replace(table=table, clock=CLOCK, document=full_resume(), expected=None)
    published = service.publish(table=table, clock=CLOCK, expected=1)
    assert published.view.version == 1
    assert service.get(table=table, draft=True).view.published_version == 1


def test_the_pdf_link_expires_at_the_signed_second_not_later(table: Table) -> None:
    clock = FixedClock(datetime(2025, 3, 7, 12, 0, 0, 900_000, tzinfo=UTC))
    service.replace(table=table, clock=clock, document=full_resume(), expected=None)
    service.publish(table=table, clock=clock, expected=None)
    link = service.pdf_link(table=table, store=MemoryPdfStore(), clock=clock, expires_in=3600)
    # X-Amz-Date of a URL signed at 12:00:00.900 is 12:00:00: it expires at 13:00:00.000.
    assert link.expires_at == "2025-03-07T13:00:00.000Z"
