"""Cold start and warm per-call overhead of the Lambda handler, beside two references.

Cold: each run is a fresh interpreter that imports a handler and answers one
`GET /v1/visitors/count` (an HTTP API v2 event) with a real GetItem against moto in server
mode on 127.0.0.1. Variants are interleaved so that load from other processes hits them alike.
Warm: the handlers are called in-process many times with DynamoDB replaced by an in-memory
fake, so only the FastAPI + Mangum + our own code path is timed.

    uv run python benchmarks/cold_start.py                # both tables
    uv run python benchmarks/cold_start.py --importtime   # plus the app's top-15 imports
    uv run python benchmarks/cold_start.py --runs 25 --calls 5000 --skip-warm
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from mangum import Mangum

# Nothing below reads the settings at import; `portfolio_api.main` is imported lazily.
from portfolio_api.config import Settings
from portfolio_api.db.table import Table
from portfolio_api.visitors import service
from portfolio_api.visitors.schemas import VisitorCount

TABLE_NAME = "portfolio-bench"
REGION = "us-east-1"
COUNT = 1247
FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_REGION": REGION,
    "AWS_DEFAULT_REGION": REGION,
    "DYNAMODB_TABLE_NAME": TABLE_NAME,
    "ENVIRONMENT": "bench",
    "CURSOR_SECRET": "bench-cursor-secret",
}


def http_api_event(path: str, method: str = "GET") -> dict[str, Any]:
    """An API Gateway HTTP API (payload v2) event, as Lambda receives it."""
    host = "abc123.execute-api.us-east-1.amazonaws.com"
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {
            "accept": "application/json",
            "host": host,
            "user-agent": "cold-start-bench",
            "x-forwarded-for": "203.0.113.7",
            "x-forwarded-port": "443",
            "x-forwarded-proto": "https",
        },
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "abc123",
            "domainName": host,
            "domainPrefix": "abc123",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": "cold-start-bench",
            },
            "requestId": "bench-request",
            "routeKey": "$default",
            "stage": "$default",
            "time": "22/Nov/2026:00:00:00 +0000",
            "timeEpoch": 1795305600000,
        },
        "isBase64Encoded": False,
    }


class LambdaContext:
    """The few attributes of Lambda's context object that Mangum and our middleware read."""

    aws_request_id = "bench-request"
    function_name = "portfolio-api"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:portfolio-api"


COUNT_EVENT = http_api_event("/v1/visitors/count")

# ---------------------------------------------------------------------------------------------
# Cold start: the child programs. Each one is run with `python -c`; times are read from
# CLOCK_MONOTONIC (perf_counter), which is system-wide on Linux, relative to the instant the
# parent called Popen (BENCH_T0_NS), so "startup" includes fork/exec and interpreter start.

CHILD_PRELUDE = f"""
import os, time
_T0 = int(os.environ["BENCH_T0_NS"])
def _ms():
    return (time.perf_counter_ns() - _T0) / 1e6
_started = _ms()
class Context:
    aws_request_id = "bench-request"
    function_name = "portfolio-api"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:portfolio-api"
EVENT = {COUNT_EVENT!r}
COUNTER_KEY = {{"PK": {{"S": "VISITORS"}}, "SK": {{"S": "TOTAL"}}}}
"""

CHILD_MEASURE = """
_inited = _ms()
_response = handler(EVENT, Context())
_answered = _ms()
assert _response["statusCode"] == 200, _response
assert '"count":%COUNT%' in _response["body"].replace(" ", ""), _response
print("BENCH", _started, _inited, _answered, flush=True)
""".replace("%COUNT%", str(COUNT))

KEY = '{"PK": {"S": "VISITORS"}, "SK": {"S": "TOTAL"}}'

CHILD_VARIANTS: dict[str, str] = {
    # (a) The smallest thing that answers: boto3, client created at init as the docs show.
    "bare boto3": f"""
import boto3
client = boto3.client("dynamodb")
def handler(event, context):
    item = client.get_item(TableName=os.environ["DYNAMODB_TABLE_NAME"], Key={KEY}).get("Item")
    count = int(item["count"]["N"]) if item else 0
    return {{"statusCode": 200, "headers": {{"content-type": "application/json"}},
            "body": '{{"count": %d}}' % count}}
""",
    # (a') The same with botocore alone (what our app uses: no s3transfer).
    "bare botocore": f"""
import botocore.session
client = botocore.session.get_session().create_client("dynamodb")
def handler(event, context):
    item = client.get_item(TableName=os.environ["DYNAMODB_TABLE_NAME"], Key={KEY}).get("Item")
    count = int(item["count"]["N"]) if item else 0
    return {{"statusCode": 200, "headers": {{"content-type": "application/json"}},
            "body": '{{"count": %d}}' % count}}
""",
    # (b) Hello-world FastAPI + Mangum: no DynamoDB, no models, no settings.
    "hello FastAPI+Mangum": f"""
from fastapi import FastAPI
from mangum import Mangum
app = FastAPI()
@app.get("/v1/visitors/count")
async def count():
    return {{"count": {COUNT}}}
handler = Mangum(app, lifespan="off")
""",
    # (b') Hello-world plus a lazily created botocore client: the floor our design can reach.
    "hello + botocore GetItem": f"""
from fastapi import FastAPI
from mangum import Mangum
app = FastAPI()
_client = None
@app.get("/v1/visitors/count")
async def count():
    global _client
    if _client is None:
        import botocore.session
        _client = botocore.session.get_session().create_client("dynamodb")
    item = _client.get_item(TableName=os.environ["DYNAMODB_TABLE_NAME"], Key={KEY})
    return {{"count": int(item["Item"]["count"]["N"])}}
handler = Mangum(app, lifespan="off")
""",
    "portfolio_api": """
from portfolio_api.main import handler
""",
}
REFERENCE = "hello FastAPI+Mangum"
APP = "portfolio_api"
NO_PYC = " (no .pyc)"
"""Suffix of the variants run without bytecode caches, like a zip built without .pyc files."""
COLD_VARIANTS = [*CHILD_VARIANTS, REFERENCE + NO_PYC, APP + NO_PYC]

# Where the app's cold start goes, one phase at a time, in the order the real import runs.
CHILD_PHASES = """
import warnings
_marks = [("interpreter start", _started)]
def _mark(name):
    _marks.append((name, _ms()))
import fastapi, fastapi.middleware.cors, fastapi.responses, mangum, pydantic
_mark("import fastapi, starlette, mangum, pydantic")
import pydantic_settings
_mark("import pydantic_settings")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import pydantic.v1
_mark("import pydantic.v1 (FastAPI's v1 check, 1st response model)")
import portfolio_api.config, portfolio_api.errors, portfolio_api.observability
_mark("import our config/errors/observability")
import portfolio_api.main
_mark("import the rest of main, create_app(), Mangum")
from portfolio_api import aws
from portfolio_api.config import get_settings
_settings = get_settings()
import botocore.session, botocore.config
_mark("1st request: import botocore.session")
_client = aws.dynamodb_client(_settings)
_mark("1st request: create the DynamoDB client")
_client.get_item(TableName=_settings.dynamodb_table_name, Key=COUNTER_KEY)
_mark("1st request: 1st GetItem (botocore alone)")
portfolio_api.main.app.state.routers.include_for(EVENT["rawPath"])
_mark("1st request: include the visitors router (import, routes)")
_response = portfolio_api.main.handler(EVENT, Context())
assert _response["statusCode"] == 200, _response
_mark("1st request through the handler (2nd GetItem)")
portfolio_api.main.handler(EVENT, Context())
_mark("2nd request (warm, GetItem on moto)")
print("PHASES", repr(_marks), flush=True)
"""


@dataclass
class ColdRun:
    startup: float
    init: float
    response: float


def run_child(code: str, env: dict[str, str], *, flags: tuple[str, ...] = ()) -> tuple[str, str]:
    """Run one fresh interpreter on `code` and return its stdout and stderr."""
    child_env = dict(env)
    child_env["BENCH_T0_NS"] = str(time.perf_counter_ns())
    proc = subprocess.run(
        [sys.executable, *flags, "-c", code],
        env=child_env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc.stdout, proc.stderr


def without_pyc(env: dict[str, str], empty_dir: str) -> dict[str, str]:
    """`env` with bytecode caches neither read nor written (an empty cache prefix)."""
    return {**env, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": empty_dir}


def cold_run(variant: str, env: dict[str, str], no_pyc_env: dict[str, str]) -> ColdRun:
    """One cold start of `variant`: startup, import+init and first response, in ms."""
    code = CHILD_VARIANTS[variant.removesuffix(NO_PYC)]
    child_env = no_pyc_env if variant.endswith(NO_PYC) else env
    stdout, _ = run_child(CHILD_PRELUDE + code + CHILD_MEASURE, child_env)
    line = next(line for line in stdout.splitlines() if line.startswith("BENCH "))
    started, inited, answered = (float(part) for part in line.split()[1:])
    return ColdRun(startup=started, init=inited, response=answered)


def percentile(values: list[float], fraction: float) -> float:
    """The `fraction` quantile of `values` (nearest rank, no interpolation)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table, first column left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        cells = [row[0].ljust(widths[0]), *rest]
        return " | ".join(cells)

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([title, line(header), rule, *(line(row) for row in rows)])


def start_moto() -> tuple[Any, str]:
    """moto in server mode on a free local port, with the app's table and one counter item."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"

    import botocore.session

    from portfolio_api.db import codec, keys, schema

    client = botocore.session.get_session().create_client(
        "dynamodb", region_name=REGION, endpoint_url=endpoint
    )
    schema.create_table(client, TABLE_NAME)
    item = {**keys.visitor_total(), "count": COUNT}
    client.put_item(TableName=TABLE_NAME, Item=codec.to_item(item))
    return server, endpoint


def measure_cold(runs: int, env: dict[str, str], no_pyc_env: dict[str, str]) -> None:
    """Interleaved fresh processes per variant; print the cold-start and phase tables."""
    variants = COLD_VARIANTS
    for variant in variants:  # fill the page cache and the bytecode cache; not counted
        cold_run(variant, env, no_pyc_env)
    results: dict[str, list[ColdRun]] = {variant: [] for variant in variants}
    phases: list[list[tuple[str, float]]] = []
    rng = random.Random(14)
    for _ in range(runs):
        order = variants[:]
        rng.shuffle(order)
        for variant in order:
            results[variant].append(cold_run(variant, env, no_pyc_env))
        stdout, _ = run_child(CHILD_PRELUDE + CHILD_PHASES, env)
        line = next(line for line in stdout.splitlines() if line.startswith("PHASES "))
        phases.append(eval(line.removeprefix("PHASES ")))  # noqa: S307 - our own child's repr

    def summary(metric: str) -> list[list[str]]:
        ref = statistics.median(getattr(r, metric) for r in results[REFERENCE])
        rows = []
        for variant in variants:
            values = [getattr(r, metric) for r in results[variant]]
            median = statistics.median(values)
            rows.append(
                [
                    variant,
                    f"{median:.1f}",
                    f"{percentile(values, 0.9):.1f}",
                    f"{median / ref:.2f}",
                ]
            )
        return rows

    header = ["variant", "median ms", "p90 ms", "ratio to hello-world"]
    print()
    print(
        table(
            f"Cold start: process start -> first response ({runs} fresh processes per variant)",
            header,
            summary("response"),
        )
    )
    print()
    print(
        table(
            "Cold start: process start -> handler imported and initialised (Lambda's Init phase)",
            header,
            summary("init"),
        )
    )
    startups = [r.startup for rs in results.values() for r in rs]
    print(f"(interpreter start alone, all variants: median {statistics.median(startups):.1f} ms)")

    rows = []
    previous = [0.0] * len(phases)
    for index, (name, _) in enumerate(phases[0]):
        deltas = [run[index][1] - previous[i] for i, run in enumerate(phases)]
        previous = [run[index][1] for run in phases]
        rows.append([name, f"{statistics.median(deltas):.1f}", f"{percentile(deltas, 0.9):.1f}"])
    total = [run[-2][1] for run in phases]
    rows.append(["= first response", f"{statistics.median(total):.1f}", ""])
    print()
    print(
        table(
            f"Where the app's cold start goes (phases in import order, {runs} processes)",
            ["phase", "median ms", "p90 ms"],
            rows,
        )
    )


def measure_importtime(env: dict[str, str], top: int = 15) -> None:
    """Run the app's child under `-X importtime` and print its most expensive imports."""
    code = CHILD_PRELUDE + CHILD_VARIANTS[APP] + CHILD_MEASURE
    _, stderr = run_child(code, env, flags=("-X", "importtime"))
    rows: list[tuple[int, int, str]] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        self_us, cumulative_us, name = line.removeprefix("import time:").split("|")
        rows.append((int(self_us), int(cumulative_us), name.rstrip()))
    total = sum(cumulative for _, cumulative, name in rows if not name.startswith("  "))
    for title, key in (("self", 0), ("cumulative", 1)):
        ranked = sorted(rows, key=lambda row: row[key], reverse=True)[:top]
        print()
        print(
            table(
                f"Top {top} imports of the full app by {title} time (-X importtime, one run; "
                f"all imports {total / 1000:.0f} ms)",
                ["module", "self ms", "cumulative ms"],
                [[name.strip(), f"{s / 1000:.1f}", f"{c / 1000:.1f}"] for s, c, name in ranked],
            )
        )


# ---------------------------------------------------------------------------------------------
# Warm per-call overhead, in-process, DynamoDB replaced by an in-memory fake.


class FakeDynamoDB:
    """Answers GetItem instantly: the visitor counter, or an item it was given."""

    def __init__(self, items: list[dict[str, Any]] | None = None) -> None:
        counter = {"PK": {"S": "VISITORS"}, "SK": {"S": "TOTAL"}, "count": {"N": str(COUNT)}}
        self.items = {(i["PK"]["S"], i["SK"]["S"]): i for i in [counter, *(items or [])]}

    def get_item(self, **request: Any) -> dict[str, Any]:
        key = request["Key"]
        item = self.items.get((key["PK"]["S"], key["SK"]["S"]))
        return {"Item": item} if item else {}


def stored_blog_post() -> tuple[str, dict[str, Any]]:
    """The id and the DynamoDB item of a published post of real prose, as the app stores it
    (compressed), written through the content service on a throwaway moto table."""
    from datetime import UTC, datetime
    from pathlib import Path

    from moto import mock_aws

    from portfolio_api import aws
    from portfolio_api.blog.service import BLOG
    from portfolio_api.config import Settings
    from portfolio_api.content import service as content
    from portfolio_api.db import keys, schema

    markdown = (Path(__file__).parents[1] / "tests" / "fixtures" / "realistic-post.md").read_text()
    now = datetime(2026, 11, 1, tzinfo=UTC)
    fields = {
        "title": "Serverless APIs with FastAPI",
        "excerpt": "What a portfolio backend on Lambda costs, and why.",
        "content": markdown.split("\n", 1)[1],
        "category": "Backend",
        "tags": ["python", "aws"],
    }
    aws.reset_clients()
    with mock_aws():
        client = aws.dynamodb_client(Settings(aws_region="us-east-1"))
        schema.create_table(client, TABLE_NAME)
        table_ = Table(client=client, name=TABLE_NAME, cursor_secret=b"bench")
        post = content.create(table=table_, kind=BLOG, fields=fields, now=now)
        content.publish(
            table=table_,
            kind=BLOG,
            item_id=post["id"],
            publish_at=None,
            expected_version=None,
            now=now,
        )
        key = keys.content_item(BLOG.name, post["id"])
        item = client.get_item(
            TableName=TABLE_NAME, Key={name: {"S": value} for name, value in key.items()}
        )["Item"]
    aws.reset_clients()
    return str(post["id"]), item


def hello_handler(*, use_async: bool) -> Callable[..., dict[str, Any]]:
    """The hello-world FastAPI + Mangum handler, with an `async def` or a `def` route."""
    from fastapi import FastAPI

    app = FastAPI()
    if use_async:

        @app.get("/v1/visitors/count")
        async def count_async() -> dict[str, int]:
            return {"count": COUNT}

    else:

        @app.get("/v1/visitors/count")
        def count_sync() -> dict[str, int]:
            return {"count": COUNT}

    return Mangum(app, lifespan="off")  # type: ignore[no-any-return]


# Copies of the count route, wired like `portfolio_api.deps` (settings -> table) but with each
# piece `def` or `async def`, independently of how deps.py and the router are written today.
bench_router = APIRouter(prefix="/v1/bench")


def _settings_sync(request: Request) -> Settings:
    ready: Settings = request.app.state.settings
    return ready


def _table_sync(request: Request, settings: Annotated[Settings, Depends(_settings_sync)]) -> Table:
    ready: Table = request.app.state.table
    return ready


async def _settings_async(request: Request) -> Settings:
    ready: Settings = request.app.state.settings
    return ready


async def _table_async(
    request: Request, settings: Annotated[Settings, Depends(_settings_async)]
) -> Table:
    ready: Table = request.app.state.table
    return ready


@bench_router.get("/def-deps")
def _count_def_deps(table: Annotated[Table, Depends(_table_sync)]) -> VisitorCount:
    return VisitorCount(count=service.count(table=table))


@bench_router.get("/async-deps")
def _count_async_deps(table: Annotated[Table, Depends(_table_async)]) -> VisitorCount:
    return VisitorCount(count=service.count(table=table))


@bench_router.get("/all-async")
async def _count_all_async(table: Annotated[Table, Depends(_table_async)]) -> VisitorCount:
    return VisitorCount(count=service.count(table=table))


def async_variants_handler(table: Any) -> Callable[..., dict[str, Any]]:
    """Our app as a server builds it (blocking code in the thread pool), plus the copies of the
    count route in `bench_router`."""
    from portfolio_api.main import create_app

    app = create_app()
    app.state.table = table
    shipped = len(app.router.routes)
    app.include_router(bench_router)
    # Routes match in order: put the copies first so they do not pay for scanning the others.
    routes = app.router.routes
    routes[:] = routes[shipped:] + routes[:shipped]
    return Mangum(app, lifespan="off")  # type: ignore[no-any-return]


def time_calls(handler: Callable[..., Any], event: dict[str, Any], calls: int) -> list[float]:
    """Per-call times in ms of `calls` invocations, after a few unrecorded ones."""
    context = LambdaContext()
    for _ in range(20):
        response = handler(event, context)
        assert response["statusCode"] == 200, response
    times = []
    for _ in range(calls):
        started = time.perf_counter_ns()
        handler(event, context)
        times.append((time.perf_counter_ns() - started) / 1e6)
    return times


_DEVNULL = open(os.devnull, "w")  # noqa: SIM115 - the app's log handler keeps it for good


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Send what the app logs to stdout (it binds sys.stdout when configured) to nowhere."""
    saved = sys.stdout
    sys.stdout = _DEVNULL
    try:
        yield
    finally:
        sys.stdout = saved


def measure_warm(calls: int, rounds: int = 3) -> None:
    """Median and p99 per call of each handler, rounds interleaved."""
    with quiet_stdout():
        from portfolio_api.main import app, handler

        post_id, post_item = stored_blog_post()
        table_ = Table(client=FakeDynamoDB([post_item]), name=TABLE_NAME, cursor_secret=b"bench")
        app.state.table = table_
        alt = async_variants_handler(table_)
    access_log = logging.getLogger("portfolio_api.access")

    def without_access_log(event: dict[str, Any], context: Any) -> dict[str, Any]:
        access_log.disabled = True
        try:
            return handler(event, context)  # type: ignore[no-any-return]
        finally:
            access_log.disabled = False

    health = http_api_event("/health")
    post_event = http_api_event(f"/v1/blog/posts/{post_id}")
    cases: list[tuple[str, Callable[..., Any], dict[str, Any]]] = [
        ("hello, async def route", hello_handler(use_async=True), COUNT_EVENT),
        ("hello, def route", hello_handler(use_async=False), COUNT_EVENT),
        ("app GET /health (async def)", handler, health),
        ("app GET /health, access log off", without_access_log, health),
        ("app GET /v1/visitors/count (as shipped)", handler, COUNT_EVENT),
        ("  same route, server app (thread pool)", alt, COUNT_EVENT),
        ("app GET /v1/blog/posts/{id} (as shipped)", handler, post_event),
        ("  copy: def route, 2 def deps", alt, http_api_event("/v1/bench/def-deps")),
        ("  copy: def route, 2 async def deps", alt, http_api_event("/v1/bench/async-deps")),
        ("  copy: async def route and deps", alt, http_api_event("/v1/bench/all-async")),
    ]
    times: dict[str, list[float]] = {name: [] for name, _, _ in cases}
    with quiet_stdout():
        for _ in range(rounds):
            for name, case_handler, event in cases:
                times[name].extend(time_calls(case_handler, event, calls // rounds))
    ref = statistics.median(times[cases[0][0]])
    rows = []
    for name, _, _ in cases:
        median = statistics.median(times[name])
        rows.append(
            [
                name,
                f"{median:.3f}",
                f"{percentile(times[name], 0.99):.3f}",
                f"{median / ref:.2f}",
            ]
        )
    print()
    print(
        table(
            f"Warm handler overhead per call, in-process, DynamoDB faked ({len(times[name])} "
            f"calls each, {rounds} interleaved rounds; Python {sys.version.split()[0]}, "
            f"event loop {type(asyncio.new_event_loop()).__name__})",
            ["variant", "median ms", "p99 ms", "ratio to hello async"],
            rows,
        )
    )


def main() -> None:
    """Parse the options, run the measurements and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh processes per variant")
    parser.add_argument("--calls", type=int, default=3000, help="warm calls per variant")
    parser.add_argument("--importtime", action="store_true", help="top-15 imports of the app")
    parser.add_argument("--skip-cold", action="store_true")
    parser.add_argument("--skip-warm", action="store_true")
    args = parser.parse_args()

    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "DYNAMODB_ENDPOINT_URL", "LOG_LEVEL"):
        os.environ.pop(name, None)
    os.environ.update(FAKE_ENV)
    print(f"{sys.executable}: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")

    if not args.skip_warm:
        measure_warm(args.calls)
    if args.skip_cold and not args.importtime:
        return
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's access log
    server, endpoint = start_moto()
    # uv installs without .pyc and this environment may set PYTHONDONTWRITEBYTECODE: give the
    # children a private bytecode cache, as a Lambda package built with compiled .pyc has.
    with tempfile.TemporaryDirectory(prefix="cold-start-") as scratch:
        pyc_dir, empty_dir = os.path.join(scratch, "pyc"), os.path.join(scratch, "none")
        env = {**os.environ, "AWS_ENDPOINT_URL": endpoint, "PYTHONPYCACHEPREFIX": pyc_dir}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        try:
            if not args.skip_cold:
                measure_cold(args.runs, env, without_pyc(env, empty_dir))
            if args.importtime:
                if args.skip_cold:
                    run_child(CHILD_PRELUDE + CHILD_VARIANTS[APP] + CHILD_MEASURE, env)
                measure_importtime(env)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
