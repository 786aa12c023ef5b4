"""A small, realistic portfolio for local development (`portfolio-api dev --demo`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from portfolio_api.clock import Clock
from portfolio_api.content import repository, service
from portfolio_api.content.kind import ContentKind
from portfolio_api.content.registry import all_kinds
from portfolio_api.db.table import Table, configured_table

POSTS: list[dict[str, Any]] = [
    {
        "title": "Building Scalable APIs with FastAPI",
        "excerpt": "Dependencies, validation and async where it pays: a tour of a production API.",
        "content": (
            "# Why FastAPI\n\nType hints become validation, documentation and editor help.\n\n"
            "## Dependencies\n\n```python\nTableDep = Annotated[Table, Depends(get_table)]\n```\n\n"
            "Keep routes thin and services plain."
        ),
        "category": "Backend",
        "tags": ["python", "fastapi", "api"],
    },
    {
        "title": "Single-Table Design on DynamoDB, Without Tears",
        "excerpt": "Write the access patterns first; the keys follow.",
        "content": "Every list is a **Query** on a key. Every get is one **GetItem**. No Scan.",
        "category": "Cloud",
        "tags": ["aws", "dynamodb"],
        "metaDescription": "Designing a DynamoDB single table from its access patterns.",
    },
    {
        "title": "Serverless Cold Starts: What Actually Matters",
        "excerpt": "Measure before you optimise: lazy imports beat provisioned concurrency.",
        "content": "Import heavy modules lazily and keep the package small.",
        "category": "Cloud",
        "tags": ["aws", "lambda", "performance"],
    },
    {
        "title": "Notes on Event Sourcing (draft)",
        "excerpt": "Half-written thoughts on event stores.",
        "content": "Unfinished: the section on snapshots is still to be written.",
        "category": "Architecture",
        "tags": ["ddd"],
    },
]
PROJECTS: list[dict[str, Any]] = [
    {
        "name": "Agriculture Cooperative Platform",
        "description": "Django REST API powering cooperative and farmer onboarding workflows.",
        "longDescription": "Onboarding, payments and reporting for **12,000 farmers**.",
        "tech": ["Python", "Django", "PostgreSQL", "Docker"],
        "company": "HAMWE EA",
        "featured": True,
        "githubUrl": "https://github.com/example/agri-platform",
    },
    {
        "name": "Serverless Portfolio API",
        "description": "This API: FastAPI on Lambda with a DynamoDB single table.",
        "longDescription": "Blog, projects, certifications and analytics, deployed with SAM.",
        "tech": ["Python", "FastAPI", "AWS Lambda", "DynamoDB"],
        "company": "Personal",
        "featured": True,
        "liveUrl": "https://portfolio.example",
    },
    {
        "name": "Data Pipeline Toolkit",
        "description": "Reusable Airflow operators for ingestion jobs.",
        "longDescription": "Operators and hooks with tests and typed configuration.",
        "tech": ["Python", "Airflow"],
        "company": "Open source",
        "featured": False,
    },
]
CERTIFICATIONS: list[dict[str, Any]] = [
    {
        "name": "AWS Certified Solutions Architect - Associate",
        "issuer": "Amazon Web Services (AWS)",
        "icon": "🏅",
        "type": "certification",
        "featured": True,
        "description": "Validates expertise in designing distributed systems on AWS.",
        "credentialUrl": "https://aws.amazon.com/verification",
        "dateEarned": "2023-06-15",
    },
    {
        "name": "Certified Kubernetes Application Developer",
        "issuer": "The Linux Foundation",
        "icon": "☸️",
        "type": "certification",
        "featured": False,
        "description": "Designing and deploying cloud-native applications on Kubernetes.",
        "dateEarned": "2022-11-02",
    },
    {
        "name": "Deep Learning Specialization",
        "issuer": "Coursera",
        "icon": "🎓",
        "type": "course",
        "featured": False,
        "description": "Neural networks, CNNs, sequence models.",
        "dateEarned": "2021-08-20",
    },
]


@dataclass(frozen=True)
class Seeded:
    """How many items of each kind `seed` wrote (all zero when content already existed)."""

    created: dict[str, int]


def seed(*, table: Table, clock: Clock) -> Seeded:
    """Load the demo portfolio once: most items published over the past weeks, one draft post
    and one post scheduled for tomorrow. Does nothing if any content exists already."""
    kinds = all_kinds()
    if any(repository.get_counters(table=table, kind=kind) for kind in kinds.values()):
        return Seeded(created=dict.fromkeys(kinds, 0))
    now = clock.now()
    created = {
        "blog": _load(table, kinds["blog"], POSTS, now=now, drafts=1, scheduled=1),
        "project": _load(table, kinds["project"], PROJECTS, now=now, drafts=0, scheduled=0),
        "certification": _load(
            table, kinds["certification"], CERTIFICATIONS, now=now, drafts=0, scheduled=0
        ),
    }
    return Seeded(created=created)


def _load(
    table: Table,
    kind: ContentKind,
    entries: list[dict[str, Any]],
    *,
    now: datetime,
    drafts: int,
    scheduled: int,
) -> int:
    published = len(entries) - drafts
    for index, fields in enumerate(entries):
        at = now - timedelta(days=7 * (len(entries) - index))
        item = service.create(table=table, kind=kind, fields=fields, now=at)
        if index >= published:
            continue
        publish_at = now + timedelta(days=1) if index >= published - scheduled else at
        service.publish(
            table=table,
            kind=kind,
            item_id=item["id"],
            publish_at=publish_at,
            expected_version=item["version"],
            now=at,
        )
    return len(entries)


def seed_configured_table() -> Seeded:
    """Seed the table the environment points at (the dev command's emulator)."""
    from portfolio_api.clock import SystemClock

    return seed(table=configured_table(), clock=SystemClock())
