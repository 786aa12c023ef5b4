"""Time to render a 30-entry resume to PDF, and how many pages it takes.

Cold: a fresh interpreter imports the renderer and renders once, so the time includes
importing fpdf2 (and fontTools) and parsing the two DejaVu Sans fonts: what the first PDF
of a Lambda container costs. Warm: later renders in the same process.

    uv run python benchmarks/resume_pdf.py
    uv run python benchmarks/resume_pdf.py --entries 60 --runs 20
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from typing import Any

from pypdf import PdfReader

from portfolio_api.resume import pdf
from portfolio_api.resume.schemas import Resume


def sample(entries: int) -> dict[str, Any]:
    """A resume of `entries` jobs, each with a summary and three highlights."""
    return {
        "basics": {
            "name": "Zoë Łukasiewicz-Ångström",
            "label": "Backend Engineer",
            "email": "zoe@example.com",
            "summary": "Builds serverless systems that stay cheap and boring.",
        },
        "work": [
            {
                "name": f"Employer {i}",
                "position": f"Senior Engineer {i}",
                "location": "Berlin",
                "startDate": f"{1990 + i}-01",
                "endDate": f"{1991 + i}-01",
                "summary": "Owned the booking API, its data model and its on-call rotation.",
                "highlights": [
                    "Cut p99 latency by 40% by moving hot reads to DynamoDB",
                    "Replaced a nightly batch with an event-driven pipeline",
                    "Mentored four engineers",
                ],
            }
            for i in range(entries)
        ],
    }


COLD = """
import sys, time, json
start = time.perf_counter()
from portfolio_api.resume import pdf
from portfolio_api.resume.schemas import Resume
pdf.render(Resume.model_validate(json.loads(sys.stdin.read())))
print(time.perf_counter() - start)
"""


def cold(document: dict[str, Any], runs: int) -> list[float]:
    """Seconds for import + first render, each in a fresh interpreter."""
    import json

    payload = json.dumps(document)
    return [
        float(
            subprocess.run(
                [sys.executable, "-c", COLD],
                input=payload,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for _ in range(runs)
    ]


def warm(resume: Resume, runs: int) -> tuple[list[float], bytes]:
    """Seconds per render once fpdf2 is imported, and the last PDF."""
    data = pdf.render(resume)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        data = pdf.render(resume)
        times.append(time.perf_counter() - start)
    return times, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=30)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args()

    document = sample(args.entries)
    resume = Resume.model_validate(document)
    warm_times, data = warm(resume, args.runs)
    cold_times = cold(document, args.cold_runs)
    pages = len(PdfReader(io.BytesIO(data)).pages)

    print(f"Resume PDF, {args.entries} work entries: {pages} pages, {len(data) / 1024:.0f} KiB")
    print(f"{'case':<34} {'median':>9} {'min':>9} {'max':>9}")
    for label, times in (
        (f"warm render ({args.runs} runs)", warm_times),
        (f"cold: import + render ({args.cold_runs} runs)", cold_times),
    ):
        print(
            f"{label:<34} {statistics.median(times) * 1000:>7.0f}ms "
            f"{min(times) * 1000:>7.0f}ms {max(times) * 1000:>7.0f}ms"
        )


if __name__ == "__main__":
    main()
