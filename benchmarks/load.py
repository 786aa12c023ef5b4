"""Load on the local server: throughput, latency and exact counters under concurrency.

Starts `portfolio-api dev --no-reload` on free loopback ports with a temporary data directory
and a known owner, signs in, seeds published posts and projects through the API, then runs
`--clients` threads for `--duration` seconds, each with its own keep-alive connection, drawing
requests from the mix of docs/operations.md's cost estimate:

    80% public reads   GET posts list, a post, projects list, visitor count (a quarter each)
    18% tracks         POST /v1/visitors/track, POST /v1/analytics/track (half each), every
                       one with a browser User-Agent never seen before, so each is a new visitor
                       (the server counts one visit per IP and User-Agent a day, robots never)
     2% owner writes   create a task, update the client's task, update the client's draft post

It prints per-class and overall throughput and p50/p95/p99 latency, then checks that every
counter equals the number of tracks answered `tracked: true` (visitor total, views of each
item, total views). Exit status 1 on any error or counter mismatch. The server is stopped
with SIGTERM at the end, whatever happened.

    uv run python benchmarks/load.py                       # 30 s, 20 clients
    uv run python benchmarks/load.py --duration 10 --clients 8
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import httpx

OWNER_EMAIL = "load@example.com"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
REQUEST_TIMEOUT = 10.0
CLASSES = ("read", "track", "owner write")
WEIGHTS = (80, 18, 2)
_browser_ids = itertools.count(1)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def browser(n: int) -> str:
    """The n-th distinct desktop Chrome User-Agent (never a robot to the server)."""
    return (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        f"Chrome/131.0.{n // 10_000}.{n % 10_000} Safari/537.36"
    )


def owner_password() -> str:
    """A random password that meets the local pool's policy."""
    return f"Load-{random.SystemRandom().randrange(10**12):012d}-Pw!"


class DevServer:
    """`portfolio-api dev --no-reload` in a child process, its output in a log file."""

    def __init__(self, data_dir: Path, log: Path, *, password: str) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "PORTFOLIO_OWNER_EMAIL": OWNER_EMAIL,
            "PORTFOLIO_OWNER_PASSWORD": password,
        }
        command = [sys.executable, "-m", "portfolio_api.cli", "dev", "--no-reload"]
        command += ["--port", str(self.port), "--data-dir", str(data_dir)]
        with log.open("wb") as out:
            self.process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the dev server exited early:\n{self.output()}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{self.base_url}/health", timeout=1).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"/health did not answer within {START_TIMEOUT:.0f} s")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> int | None:
        """SIGTERM (the dev command saves its snapshot and exits), then SIGKILL if it hangs.

        A second Ctrl-C or SIGTERM while it waits is ignored, so the server is never orphaned.
        """
        previous = {
            sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            return self._stop()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=STOP_TIMEOUT)
        return self.process.returncode


@contextlib.contextmanager
def dev_server(data_dir: Path, log: Path, *, password: str) -> Iterator[DevServer]:
    """A healthy dev server, always stopped on the way out."""
    server = DevServer(data_dir, log, password=password)
    try:
        server.wait_until_healthy()
        yield server
    finally:
        code = server.stop()
        print(f"\ndev server stopped with SIGTERM (exit status {code})")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process `pid` (Linux /proc; None elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _check(response: httpx.Response, *expected: int) -> dict[str, Any]:
    if response.status_code not in expected:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:300]}"
        )
    body: dict[str, Any] = response.json() if response.content else {}
    return body


@dataclass(frozen=True)
class Site:
    """What the seeding created: public items to read and track, per-client owner items."""

    posts: list[str]
    projects: list[str]
    drafts: list[str]
    tasks: list[str]
    owner_headers: dict[str, str]


def seed(base_url: str, *, password: str, posts: int, projects: int, clients: int) -> Site:
    """Sign in as the owner and create the content through the API."""
    with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT) as http:
        login = _check(
            http.post("/v1/auth/login", json={"email": OWNER_EMAIL, "password": password}), 200
        )
        owner = {"Authorization": f"Bearer {login['token']}"}

        def create(path: str, body: dict[str, Any], *, publish: bool) -> str:
            item_id: str = _check(http.post(path, json=body, headers=owner), 201)["id"]
            if publish:
                _check(http.post(f"{path}/{item_id}/publish", headers=owner), 200)
            return item_id

        def post(n: int, *, publish: bool) -> str:
            body = {
                "title": f"Load test post {n}",
                "excerpt": f"Excerpt of post {n}.",
                "content": f"# Post {n}\n\n" + "Some *markdown* text. " * 40,
                "category": "Backend",
                "tags": ["python", f"tag{n % 3}"],
            }
            return create("/v1/blog/posts", body, publish=publish)

        project = {
            "description": "A project.",
            "longDescription": "A longer description. " * 20,
            "tech": ["Python", "DynamoDB"],
            "company": "Example Ltd",
        }
        return Site(
            posts=[post(n, publish=True) for n in range(posts)],
            projects=[
                create("/v1/projects", {**project, "name": f"Project {n}"}, publish=True)
                for n in range(projects)
            ],
            drafts=[post(1000 + n, publish=False) for n in range(clients)],
            tasks=[
                _check(http.post("/v1/tasks", json={"title": f"Task {n}"}, headers=owner), 201)[
                    "id"
                ]
                for n in range(clients)
            ],
            owner_headers=owner,
        )


@dataclass
class Tally:
    """One client's results (merged at the end, so no lock on the hot path)."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    visits: int = 0
    views: Counter[tuple[str, str]] = field(default_factory=Counter)
    untracked: int = 0

    def merge(self, other: Tally) -> None:
        for name, values in other.latencies.items():
            self.latencies[name].extend(values)
        self.errors.update(other.errors)
        self.visits += other.visits
        self.views.update(other.views)
        self.untracked += other.untracked


Request = Callable[[httpx.Client, Tally], httpx.Response]


def requests_for(site: Site, client: int, rng: random.Random) -> dict[str, list[Request]]:
    """The request makers of each class, for one client."""
    owner = site.owner_headers

    def read_list(http: httpx.Client, _: Tally) -> httpx.Response:
        return http.get("/v1/blog/posts", params={"limit": 10})

    def read_post(http: httpx.Client, _: Tally) -> httpx.Response:
        return http.get(f"/v1/blog/posts/{rng.choice(site.posts)}")

    def read_projects(http: httpx.Client, _: Tally) -> httpx.Response:
        return http.get("/v1/projects")

    def read_count(http: httpx.Client, _: Tally) -> httpx.Response:
        return http.get("/v1/visitors/count")

    def track_visit(http: httpx.Client, tally: Tally) -> httpx.Response:
        agent = browser(next(_browser_ids))
        response = http.post("/v1/visitors/track", headers={"User-Agent": agent})
        if response.status_code == 200:
            if response.json()["tracked"]:
                tally.visits += 1
            else:
                tally.untracked += 1
        return response

    def track_view(http: httpx.Client, tally: Tally) -> httpx.Response:
        kind = rng.choice(("blog", "project"))
        item = rng.choice(site.posts if kind == "blog" else site.projects)
        response = http.post(
            "/v1/analytics/track",
            json={"contentType": kind, "contentId": item},
            headers={"User-Agent": browser(next(_browser_ids))},
        )
        if response.status_code == 200:
            if response.json()["tracked"]:
                tally.views[(kind, item)] += 1
            else:
                tally.untracked += 1
        return response

    def create_task(http: httpx.Client, _: Tally) -> httpx.Response:
        return http.post("/v1/tasks", json={"title": "Created under load"}, headers=owner)

    def update_task(http: httpx.Client, _: Tally) -> httpx.Response:
        body = {"title": f"Updated {rng.random():.6f}", "status": rng.choice(("todo", "doing"))}
        return http.patch(f"/v1/tasks/{site.tasks[client]}", json=body, headers=owner)

    def update_draft(http: httpx.Client, _: Tally) -> httpx.Response:
        body = {"excerpt": f"Edited under load {rng.random():.6f}"}
        return http.put(f"/v1/blog/posts/{site.drafts[client]}", json=body, headers=owner)

    return {
        "read": [read_list, read_post, read_projects, read_count],
        "track": [track_visit, track_view],
        "owner write": [create_task, update_task, update_draft],
    }


def client_loop(base_url: str, site: Site, client: int, deadline: float, seed_value: int) -> Tally:
    """One client: requests back to back on one keep-alive connection until the deadline."""
    rng = random.Random(seed_value * 1000 + client)
    makers = requests_for(site, client, rng)
    tally = Tally()
    headers = {"User-Agent": browser(0)}
    with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT, headers=headers) as http:
        while time.monotonic() < deadline:
            (kind,) = rng.choices(CLASSES, weights=WEIGHTS)
            make = rng.choice(makers[kind])
            started = time.perf_counter()
            try:
                response = make(http, tally)
                failed = None if response.status_code < 300 else str(response.status_code)
            except httpx.HTTPError as error:
                failed = type(error).__name__
            tally.latencies[kind].append(time.perf_counter() - started)
            if failed:
                tally.errors[f"{kind} {make.__name__}: {failed}"] += 1
    return tally


def run_load(
    base_url: str, site: Site, *, clients: int, duration: float, seed_value: int
) -> tuple[Tally, float]:
    """All clients at once for `duration` seconds: their merged results and the wall time."""
    started = time.monotonic()
    deadline = started + duration
    results: list[Tally] = [Tally() for _ in range(clients)]

    def work(client: int) -> None:
        results[client] = client_loop(base_url, site, client, deadline, seed_value)

    threads = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + REQUEST_TIMEOUT * 2)
    elapsed = time.monotonic() - started
    total = Tally()
    for result in results:
        total.merge(result)
    return total, elapsed


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of `values` (not empty)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table, first column left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: list[str]) -> str:
        rest = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        return " | ".join([row[0].ljust(widths[0]), *rest])

    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([title, line(header), rule, *(line(row) for row in rows)])


def latency_table(tally: Tally, elapsed: float) -> str:
    """Throughput (over the wall time `elapsed`) and latency per class and overall."""
    rows = []
    classes = [(name, tally.latencies.get(name, [])) for name in CLASSES]
    everything = [value for _, values in classes for value in values]
    for name, values in [*classes, ("overall", everything)]:
        errors = sum(
            n for key, n in tally.errors.items() if name == "overall" or key.startswith(name)
        )
        if not values:
            rows.append([name, "0", "0.0", "-", "-", "-", "-", str(errors)])
            continue
        ms = [value * 1000 for value in values]
        rows.append(
            [
                name,
                str(len(values)),
                f"{len(values) / elapsed:.1f}",
                f"{percentile(ms, 0.50):.1f}",
                f"{percentile(ms, 0.95):.1f}",
                f"{percentile(ms, 0.99):.1f}",
                f"{max(ms):.1f}",
                str(errors),
            ]
        )
    header = ["class", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors"]
    return table(f"Load: {elapsed:.1f} s wall time", header, rows)


def counter_checks(base_url: str, site: Site, tally: Tally) -> list[list[str]]:
    """Each counter beside the number of tracks answered `tracked: true`."""
    checks: list[tuple[str, int, int]] = []
    with httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT) as http:
        count = _check(http.get("/v1/visitors/count"), 200)["count"]
        checks.append(("visitors total", tally.visits, count))
        items = [("blog", item) for item in site.posts] + [("project", i) for i in site.projects]
        for kind, item in items:
            views = _check(http.get(f"/v1/analytics/views/{kind}/{item}"), 200)["views"]
            checks.append((f"views {kind} {item}", tally.views[(kind, item)], views))
        total = _check(http.get("/v1/analytics/total-views", headers=site.owner_headers), 200)
        checks.append(("views total", sum(tally.views.values()), total["totalViews"]))
    return [
        [name, str(expected), str(actual), "ok" if expected == actual else "MISMATCH"]
        for name, expected, actual in checks
    ]


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load (30)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--posts", type=int, default=5, help="published posts to seed (5)")
    parser.add_argument("--projects", type=int, default=3, help="published projects to seed (3)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the mix (1)")
    args = parser.parse_args()
    if args.duration <= 0 or args.clients < 1 or args.posts < 1 or args.projects < 1:
        parser.error("--duration, --clients, --posts and --projects must be positive")
    # SIGTERM ends the run like Ctrl-C, so the server is stopped either way.
    signal.signal(signal.SIGTERM, _interrupt)
    password = owner_password()

    with tempfile.TemporaryDirectory(prefix="portfolio-load-") as temp:
        log = Path(temp) / "dev.log"
        with dev_server(Path(temp) / "data", log, password=password) as server:
            print(f"dev server on {server.base_url} (pid {server.process.pid}), log {log}")
            started = time.perf_counter()
            site = seed(
                server.base_url,
                password=password,
                posts=args.posts,
                projects=args.projects,
                clients=args.clients,
            )
            print(
                f"seeded {len(site.posts)} published posts, {len(site.projects)} projects, "
                f"{len(site.drafts)} drafts and {len(site.tasks)} tasks "
                f"in {time.perf_counter() - started:.1f} s; "
                f"{args.clients} clients for {args.duration:.0f} s...\n"
            )
            server_cpu = cpu_seconds(server.process.pid)
            own_cpu = time.process_time()
            tally, elapsed = run_load(
                server.base_url,
                site,
                clients=args.clients,
                duration=args.duration,
                seed_value=args.seed,
            )
            print(latency_table(tally, elapsed))
            used = cpu_seconds(server.process.pid)
            if server_cpu is not None and used is not None:
                requests = sum(len(values) for values in tally.latencies.values())
                print(
                    f"\nCPU during the load: server {used - server_cpu:.1f} s "
                    f"({(used - server_cpu) / elapsed:.0%} of one core, "
                    f"{(used - server_cpu) / max(requests, 1) * 1000:.1f} ms per request), "
                    f"load generator {time.process_time() - own_cpu:.1f} s "
                    f"({os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})"
                )
            if tally.errors:
                print()
                rows = [[name, str(n)] for name, n in tally.errors.most_common()]
                print(table("Errors", ["request: failure", "count"], rows))
            checks = counter_checks(server.base_url, site, tally)
            print()
            print(table("Counters", ["counter", "tracked: true", "server", "check"], checks))
            print(f"\ntracks answered tracked: false (repeat visitors): {tally.untracked}")
    failed = bool(tally.errors) or any(row[3] != "ok" for row in checks)
    if failed:
        print("FAILED: errors or counter mismatches above", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
