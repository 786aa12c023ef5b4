"""Warm handler latency per endpoint class, DynamoDB time excluded, on in-process moto.

The real app (`create_app(settings)`) runs on `moto.mock_aws` with the template's table and a
Cognito pool whose owner signs in for real. Content is seeded through the handler, then the
Mangum handler is called in-process with API Gateway HTTP API (v2) events. The app's DynamoDB
client is wrapped in a `TimingProxy`, so each call's time inside botocore (serialisation, moto,
parsing) is subtracted from the handler's time and its DynamoDB requests are counted.

    uv run --no-sync python benchmarks/warm.py [--calls 600] [--rounds 3]
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cold_start import FAKE_ENV, LambdaContext, http_api_event, percentile, quiet_stdout, table

REGION = "us-east-1"
TABLE_NAME = "portfolio-bench"
# Real prose, not a repeated sentence: content is stored compressed, so the bench's text must
# compress as real posts do (a 2.2 KB technical post, ~5 KB as an item with its HTML).
POST_BODY = (
    (Path(__file__).parents[1] / "tests" / "fixtures" / "realistic-post.md")
    .read_text()
    .split("\n", 1)[1]
)
PROJECT_LONG_DESCRIPTION = (
    "A serverless API for a personal portfolio: FastAPI behind API Gateway on AWS Lambda, "
    "with one DynamoDB table holding posts, projects, visitor counts and the owner's tasks. "
    "Every request reads or writes by key, so the bill grows with traffic rather than with "
    "the size of the table. The owner signs in with Cognito; public pages are cached at the "
    "edge and revalidated with ETags. Scheduled posts go live at their time without a job, "
    "and an Atom feed and a sitemap are generated from the same queries as the site's lists. "
    "Deployed with SAM from GitHub Actions using short-lived OIDC credentials."
)
OWNER_EMAIL = "owner@portfolio.example"
CLASSES = ("public GET list", "public GET item", "track", "owner write")


@dataclass
class DynamoCall:
    """One botocore call the app made: operation, request, time, and its error code if any."""

    operation: str
    request: dict[str, Any]
    ms: float
    error: str | None = None


@dataclass
class TimingProxy:
    """Stands in for the botocore DynamoDB client: times and records every operation.

    `before`/`after` hooks (used by cost.py to read item images) run outside the timed span.
    """

    client: Any
    calls: list[DynamoCall] = field(default_factory=list)
    before: Callable[[str, dict[str, Any]], Any] | None = None
    after: Callable[[DynamoCall, Any, Any], None] | None = None

    def __getattr__(self, name: str) -> Any:
        target = getattr(self.client, name)
        if not callable(target) or name.startswith("_") or name in {"can_paginate"}:
            return target

        def call(**request: Any) -> Any:
            state = self.before(name, request) if self.before else None
            started = time.perf_counter_ns()
            error: str | None = None
            response = None
            try:
                response = target(**request)
                return response
            except Exception as exc:
                error = (
                    getattr(exc, "response", {}).get("Error", {}).get("Code", type(exc).__name__)
                )
                raise
            finally:
                record = DynamoCall(name, request, (time.perf_counter_ns() - started) / 1e6, error)
                self.calls.append(record)
                if self.after:
                    self.after(record, state, response)

        return call


@dataclass
class Request:
    """One kind of request of a class; `event(i)` builds the i-th event (i never repeats)."""

    klass: str
    name: str
    event: Callable[[int], dict[str, Any]]
    expected: tuple[int, ...] = (200,)


def api_event(
    method: str,
    path: str,
    *,
    query: str = "",
    body: Any = None,
    headers: dict[str, str] | None = None,
    source_ip: str = "203.0.113.7",
) -> dict[str, Any]:
    """An API Gateway HTTP API v2 event with a method, query string, JSON body and headers."""
    event = http_api_event(path, method)
    event["rawQueryString"] = query
    event["headers"] = {**event["headers"], **(headers or {})}
    event["requestContext"]["http"]["sourceIp"] = source_ip
    if "user-agent" in event["headers"]:
        event["requestContext"]["http"]["userAgent"] = event["headers"]["user-agent"]
    if body is not None:
        event["body"] = json.dumps(body)
        event["headers"]["content-type"] = "application/json"
        event["headers"]["content-length"] = str(len(event["body"]))
    return event


def browser(i: int) -> str:
    """A distinct, non-robot User-Agent: each one is a new visitor."""
    return (
        f"Mozilla/5.0 (X11; Linux x86_64; bench {i}) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
    )


def visitor_ip(i: int) -> str:
    """A distinct documentation-range address per i."""
    return f"198.{18 + (i >> 16) % 2}.{(i >> 8) & 255}.{i & 255}"


class Bench:
    """The app on moto, its handler, the proxy around its DynamoDB client, and seeded content."""

    def __init__(self) -> None:
        from mangum import Mangum
        from moto.utilities.utils import load_resource
        from pydantic import SecretStr

        from portfolio_api import aws
        from portfolio_api.config import Settings
        from portfolio_api.db import schema
        from portfolio_api.db.table import Table
        from portfolio_api.main import create_app

        password = f"Bench-{secrets.token_urlsafe(12)}-9a"  # a fresh one for each run
        cognito = aws.cognito_client(Settings(cognito_region=REGION))
        pool_id = cognito.create_user_pool(
            PoolName="bench", UsernameAttributes=["email"], AutoVerifiedAttributes=["email"]
        )["UserPool"]["Id"]
        cognito.create_group(UserPoolId=pool_id, GroupName="owner")
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="bench-web",
            GenerateSecret=False,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        )["UserPoolClient"]["ClientId"]
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=OWNER_EMAIL,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": OWNER_EMAIL},
                {"Name": "email_verified", "Value": "true"},
            ],
        )
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=OWNER_EMAIL, Password=password, Permanent=True
        )
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=OWNER_EMAIL, GroupName="owner")
        token = cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": OWNER_EMAIL, "PASSWORD": password},
        )["AuthenticationResult"]["IdToken"]
        self._scratch = tempfile.TemporaryDirectory(prefix="bench-jwks-")
        jwks = Path(self._scratch.name) / "jwks.json"
        jwks.write_text(json.dumps(load_resource("cognitoidp/resources/jwks-public.json")))

        settings = Settings(
            environment="bench",
            log_level="INFO",
            dynamodb_table_name=TABLE_NAME,
            cursor_secret=SecretStr("bench-cursor-secret"),
            cognito_user_pool_id=pool_id,
            cognito_client_id=client_id,
            cognito_region=REGION,
            cognito_jwks_url=jwks.as_uri(),
        )
        self.client = aws.dynamodb_client(settings)
        schema.create_table(self.client, TABLE_NAME)
        self.proxy = TimingProxy(self.client)
        with quiet_stdout():
            self.app = create_app(settings, one_request_at_a_time=True)  # as main.py
        self.app.state.table = Table(
            client=self.proxy, name=TABLE_NAME, cursor_secret=b"bench-cursor-secret"
        )
        self.handler = Mangum(self.app, lifespan="off")
        self.context = LambdaContext()
        self.owner = {"authorization": f"Bearer {token}"}
        self.serial = itertools.count(1)
        self.posts: list[str] = []
        self.slugs: list[str] = []
        self.projects: list[str] = []
        self.drafts: list[str] = []
        self.tasks: list[str] = []

    def invoke(self, event: dict[str, Any], expected: tuple[int, ...] = (200, 201)) -> Any:
        """Call the handler; return the JSON body, or fail loudly on an unexpected status."""
        with quiet_stdout():
            response = self.handler(event, self.context)
        if response["statusCode"] not in expected:
            raise RuntimeError(f"{event['rawPath']}: {response['statusCode']} {response['body']}")
        body = response.get("body") or "null"
        return json.loads(body) if body.startswith(("{", "[")) else body

    def seed(self, *, posts: int = 12, projects: int = 6, drafts: int = 2, tasks: int = 3) -> None:
        """Create published posts and projects, drafts and tasks, through the API."""

        def create(path: str, body: dict[str, Any], *, publish: bool) -> dict[str, Any]:
            item = self.invoke(api_event("POST", path, body=body, headers=self.owner))
            if publish:
                item = self.invoke(
                    api_event("POST", f"{path}/{item['id']}/publish", headers=self.owner)
                )
            return dict(item)

        def post(n: int, *, publish: bool) -> dict[str, Any]:
            body = {
                "title": f"Bench post {n}",
                "excerpt": f"Excerpt of post {n}, one sentence long.",
                "content": f"# Post {n}\n" + POST_BODY,
                "category": "Backend",
                "tags": ["python", f"tag{n % 3}"],
            }
            return create("/v1/blog/posts", body, publish=publish)

        project = {
            "description": "A project.",
            "longDescription": PROJECT_LONG_DESCRIPTION,
            "tech": ["Python", "DynamoDB", "AWS Lambda"],
            "company": "Example Ltd",
        }
        for n in range(posts):
            item = post(n, publish=True)
            self.posts.append(item["id"])
            self.slugs.append(item["slug"])
        for n in range(projects):
            body = {**project, "name": f"Project {n}"}
            self.projects.append(create("/v1/projects", body, publish=True)["id"])
        self.drafts = [post(1000 + n, publish=False)["id"] for n in range(drafts)]
        self.tasks = [
            self.invoke(
                api_event("POST", "/v1/tasks", body={"title": f"Task {n}"}, headers=self.owner)
            )["id"]
            for n in range(tasks)
        ]

    def requests(self) -> list[Request]:
        """The requests of each class (equal shares within a class), as in benchmarks/load.py."""
        owner = self.owner
        posts, projects = self.posts, self.projects

        def track_view(i: int) -> dict[str, Any]:
            kind, ids = ("blog", posts) if i % 2 else ("project", projects)
            return api_event(
                "POST",
                "/v1/analytics/track",
                body={"contentType": kind, "contentId": ids[i % len(ids)]},
                headers={"user-agent": browser(i)},
                source_ip=visitor_ip(i),
            )

        return [
            Request(
                "public GET list",
                "GET /v1/blog/posts?limit=10",
                lambda i: api_event("GET", "/v1/blog/posts", query="limit=10"),
            ),
            Request(
                "public GET list", "GET /v1/projects", lambda i: api_event("GET", "/v1/projects")
            ),
            Request(
                "public GET item",
                "GET /v1/blog/posts/{id}",
                lambda i: api_event("GET", f"/v1/blog/posts/{posts[i % len(posts)]}"),
            ),
            Request(
                "public GET item",
                "GET /v1/visitors/count",
                lambda i: api_event("GET", "/v1/visitors/count"),
            ),
            Request(
                "track",
                "POST /v1/visitors/track (new)",
                lambda i: api_event(
                    "POST",
                    "/v1/visitors/track",
                    headers={"user-agent": browser(i)},
                    source_ip=visitor_ip(i),
                ),
            ),
            Request("track", "POST /v1/analytics/track (new)", track_view),
            Request(
                "owner write",
                "POST /v1/tasks",
                lambda i: api_event(
                    "POST", "/v1/tasks", body={"title": f"Created {i}"}, headers=owner
                ),
                (201,),
            ),
            Request(
                "owner write",
                "PATCH /v1/tasks/{id}",
                lambda i: api_event(
                    "PATCH",
                    f"/v1/tasks/{self.tasks[0]}",
                    body={"title": f"Updated {i}", "status": ("todo", "doing")[i % 2]},
                    headers=owner,
                ),
            ),
            Request(
                "owner write",
                "PUT /v1/blog/posts/{id} (draft)",
                lambda i: api_event(
                    "PUT",
                    f"/v1/blog/posts/{self.drafts[0]}",
                    body={"excerpt": f"Edited {i}"},
                    headers=owner,
                ),
            ),
        ]

    def call(self, request: Request) -> tuple[float, list[DynamoCall]]:
        """One handler call: its total ms and the DynamoDB calls it made."""
        event = request.event(next(self.serial))
        self.proxy.calls = []
        started = time.perf_counter_ns()
        with quiet_stdout():
            response = self.handler(event, self.context)
        elapsed = (time.perf_counter_ns() - started) / 1e6
        if response["statusCode"] not in request.expected:
            raise RuntimeError(f"{request.name}: {response['statusCode']} {response['body']}")
        return elapsed, self.proxy.calls


@contextmanager
def bench_app() -> Iterator[Bench]:
    """A seeded `Bench` inside an in-process moto account."""
    from moto import mock_aws

    from portfolio_api import aws

    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "DYNAMODB_ENDPOINT_URL", "LOG_LEVEL"):
        os.environ.pop(name, None)
    os.environ.update(FAKE_ENV)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with quiet_stdout():  # its module-level app binds the log handler to stdout: /dev/null
        import portfolio_api.main  # noqa: F401
    aws.reset_clients()
    with mock_aws():
        bench = Bench()
        bench.seed()
        yield bench
    aws.reset_clients()


@dataclass
class Sample:
    """Per-call measurements of one request kind."""

    total: list[float] = field(default_factory=list)
    dynamo: list[float] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)

    @property
    def own(self) -> list[float]:
        return [t - d for t, d in zip(self.total, self.dynamo, strict=True)]

    def extend(self, other: Sample) -> None:
        self.total += other.total
        self.dynamo += other.dynamo
        self.requests += other.requests


def measure(bench: Bench, calls: int, rounds: int, warmup: int = 10) -> dict[str, Sample]:
    """`calls` timed calls per request kind, in `rounds` interleaved rounds after a warm-up."""
    kinds = bench.requests()
    samples = {r.name: Sample() for r in kinds}
    for request in kinds:
        for _ in range(warmup):
            bench.call(request)
    for _ in range(rounds):
        for request in kinds:
            for _ in range(calls // rounds):
                elapsed, dynamo = bench.call(request)
                sample = samples[request.name]
                sample.total.append(elapsed)
                sample.dynamo.append(sum(c.ms for c in dynamo))
                sample.requests.append(len(dynamo))
    return samples


def by_class(bench: Bench, samples: dict[str, Sample]) -> dict[str, Sample]:
    """The samples of each class (its request kinds in equal shares)."""
    merged = {klass: Sample() for klass in CLASSES}
    for request in bench.requests():
        merged[request.klass].extend(samples[request.name])
    return merged


def rows(samples: dict[str, Sample]) -> list[list[str]]:
    """Table rows: median and p99 excluding DynamoDB, DynamoDB requests and time per call."""
    out = []
    for name, s in samples.items():
        out.append(
            [
                name,
                f"{statistics.median(s.own):.2f}",
                f"{percentile(s.own, 0.99):.2f}",
                f"{statistics.mean(s.requests):.2f}",
                f"{statistics.median(s.total):.2f}",
                f"{statistics.median(s.dynamo):.2f}",
            ]
        )
    return out


HEADER = [
    "class",
    "median ms (excl. DynamoDB)",
    "p99 ms",
    "DynamoDB requests/call",
    "total median ms",
    "botocore+moto median ms",
]


def main() -> None:
    """Parse the options, measure, and print the per-class and per-request tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=600, help="timed calls per request kind")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {os.uname().machine}")
    with bench_app() as bench:
        samples = measure(bench, args.calls, args.rounds)
        classes = by_class(bench, samples)
    n = len(next(iter(samples.values())).total)
    print()
    print(
        table(
            f"Warm handler time per endpoint class, DynamoDB (botocore call) time excluded "
            f"({n} calls per request kind, in-process moto)",
            HEADER,
            rows(classes),
        )
    )
    print()
    print(table("Per request kind", ["request", *HEADER[1:]], rows(samples)))


if __name__ == "__main__":
    main()
