"""The owner's resume: read, replace, merge-patch, publish, and its PDF download link."""

from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from pydantic import ValidationError

from portfolio_api.clock import Clock, iso
from portfolio_api.db.table import Table
from portfolio_api.errors import (
    BadRequest,
    Conflict,
    NotFound,
    PreconditionFailed,
    field_details,
)
from portfolio_api.etags import version_etag
from portfolio_api.resume import builder, pdf, repository
from portfolio_api.resume.repository import NO_RESUME, Expected, StoredResume
from portfolio_api.resume.schemas import PdfLink, Resume, ResumeView

PDF_LINK_SECONDS = 3600
NOT_PUBLISHED = "No resume has been published yet"
MAX_NESTING = 32
"""JSON Resume needs about five levels; deeper documents would exhaust the recursion of
merge patch and pydantic's serializer (a 500), so they are refused first."""
# Letters that Unicode does not decompose into an ASCII letter plus accents.
_LATIN_LETTERS = str.maketrans(
    {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Đ": "D", "đ": "d", "ß": "ss", "Æ": "AE", "æ": "ae"}
)


class PdfStore(Protocol):
    """Where rendered PDFs are kept (S3 in production, see `storage.S3PdfStore`)."""

    def exists(self, key: str) -> bool: ...

    def put(self, key: str, body: bytes, *, filename: str) -> None: ...

    def url(self, key: str, *, expires_in: int) -> str: ...


@dataclass(frozen=True)
class Rendered:
    """A resume copy as the routes return it."""

    view: ResumeView
    document: dict[str, Any]

    @property
    def etag(self) -> str:
        """`"v<version>-<variant>"`: the variant tells apart what else the answer depends on,
        so that neither the draft and the published copy of one version, nor a copy before
        and after a publication (publishedVersion, publishedAt), answer 304 for each other."""
        view = self.view
        shown = f"{view.status}|{view.published_version}|{view.published_at}"
        return version_etag(view.version, variant=hashlib.sha256(shown.encode()).hexdigest()[:8])


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON Merge Patch: objects merge, `null` deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for name, value in patch.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = merge_patch(result.get(name), value)
    return result


def check_json(value: Any) -> None:
    """BadRequest unless `value` is JSON that is stored and sent back unchanged: at most
    MAX_NESTING levels of objects and arrays, finite numbers, valid Unicode text."""
    level, depth = [value], 0
    while level:
        children: list[Any] = []
        for node in level:
            if isinstance(node, float) and not math.isfinite(node):
                raise BadRequest("The resume holds a number that is not finite (NaN, Infinity)")
            if isinstance(node, str):
                texts = [node]
            elif isinstance(node, dict):
                texts = list(node)
                children.extend(node.values())
            else:
                texts = []
                if isinstance(node, list):
                    children.extend(node)
            if not all(_is_unicode(text) for text in texts):
                raise BadRequest("The resume holds text that is not valid Unicode")
        if any(isinstance(node, dict | list) for node in level):
            depth += 1
            if depth > MAX_NESTING:
                raise BadRequest(f"The resume is nested more than {MAX_NESTING} levels deep")
        level = children


def _is_unicode(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:  # a lone surrogate, such as "\ud800" in the JSON
        return False
    return True


@contextmanager
def _field_errors() -> Iterator[None]:
    """Validation errors as a 400 listing each field."""
    try:
        yield
    except ValidationError as error:
        fields = [
            {"field": ".".join(str(p) for p in e["loc"]), "message": e["msg"], "type": e["type"]}
            for e in error.errors()
        ]
        raise BadRequest(
            "The resume is not valid JSON Resume", details=field_details(fields)
        ) from None


def validate(document: dict[str, Any]) -> Resume:
    """The document as JSON Resume (the builder's shape is mapped first); 400 if invalid."""
    check_json(document)
    with _field_errors():
        if builder.is_builder_shape(document):
            document = builder.to_json_resume(builder.BuilderResume.model_validate(document))
        return Resume.model_validate(document)


def _draft(stored: StoredResume) -> Rendered:
    view = ResumeView(
        resume=Resume.model_validate(stored.draft),
        status="draft",
        version=stored.version,
        updated_at=stored.updated_at,
        published_version=stored.published_version,
        published_at=stored.published_at,
    )
    return Rendered(view=view, document=stored.draft)


def _published(stored: StoredResume) -> Rendered:
    document = stored.published
    if document is None or stored.published_version is None or stored.published_at is None:
        raise NotFound(NOT_PUBLISHED)
    view = ResumeView(
        resume=Resume.model_validate(document),
        status="published",
        version=stored.published_version,
        updated_at=stored.published_at,
        published_version=stored.published_version,
        published_at=stored.published_at,
    )
    return Rendered(view=view, document=document)


def get(*, table: Table, draft: bool) -> Rendered:
    """The draft (for the owner) or the published resume; 404 if there is none."""
    stored = repository.get(table=table)
    if stored is None:
        raise NotFound(NO_RESUME if draft else NOT_PUBLISHED)
    return _draft(stored) if draft else _published(stored)


def replace(
    *, table: Table, clock: Clock, document: dict[str, Any], expected: Expected
) -> Rendered:
    """Replace the draft with `document` (JSON Resume or the builder's shape)."""
    resume = validate(document)
    stored = repository.save_draft(
        table=table, document=resume.document(), now=iso(clock.now()), expected=expected
    )
    return _draft(stored)


def patch(*, table: Table, clock: Clock, patch: dict[str, Any], expected: Expected) -> Rendered:
    """Apply a JSON merge patch to the draft; the result must still be valid JSON Resume."""
    current = repository.get(table=table, consistent=True)
    if current is None:
        raise NotFound(NO_RESUME)
    if isinstance(expected, int) and expected != current.version:
        raise repository.mismatch(current)
    check_json(patch)
    with _field_errors():
        # A builder-shaped patch changes the JSON Resume paths its properties map to, rather
        # than adding them to the draft as unknown top-level properties.
        if builder.is_builder_shape(patch):
            patch = builder.to_json_resume_patch(patch)
        resume = Resume.model_validate(merge_patch(current.draft, patch))
    try:
        stored = repository.save_draft(
            table=table, document=resume.document(), now=iso(clock.now()), expected=current.version
        )
    except PreconditionFailed as lost:
        if expected is not None:
            raise
        # The client sent no If-Match: losing to a concurrent write is a conflict, not a 412.
        raise Conflict(
            "The resume changed while this patch was applied; retry", details=lost.details
        ) from None
    return _draft(stored)


def publish(*, table: Table, clock: Clock, expected: Expected) -> Rendered:
    """Publish the draft as it is now."""
    return _published(repository.publish(table=table, now=iso(clock.now()), expected=expected))


def pdf_object_key(*, version: int, document: dict[str, Any]) -> str:
    """The S3 key of a published version's PDF; it changes with the content and the layout."""
    canonical = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(f"{pdf.RENDER_REVISION}\n{canonical}".encode()).hexdigest()[:16]
    return f"resume/pdf/v{version}-{digest}.pdf"


def pdf_filename(name: str | None) -> str:
    """An ASCII download name such as `ada-lovelace-resume.pdf`."""
    decomposed = unicodedata.normalize("NFKD", (name or "").translate(_LATIN_LETTERS))
    ascii_name = decomposed.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return f"{slug}-resume.pdf" if slug else "resume.pdf"


def pdf_link(
    *, table: Table, store: PdfStore, clock: Clock, expires_in: int = PDF_LINK_SECONDS
) -> PdfLink:
    """A pre-signed link to the published resume's PDF, rendered once per published version."""
    published = get(table=table, draft=False)
    key = pdf_object_key(version=published.view.version, document=published.document)
    if not store.exists(key):
        resume = published.view.resume
        name = resume.basics.name if resume.basics else None
        store.put(key, pdf.render(resume), filename=pdf_filename(name))
    # SigV4 dates a URL in whole seconds (X-Amz-Date, rounded down) when it is signed: the
    # second read before signing is never later, so the link expires no earlier than this.
    signed_from = clock.now().replace(microsecond=0)
    return PdfLink(
        url=store.url(key, expires_in=expires_in),
        expires_at=iso(signed_from + timedelta(seconds=expires_in)),
    )
