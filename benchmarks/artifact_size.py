"""Size of the Lambda artefact that `sam build` makes: total, zipped, and the largest packages.

Runs `sam build` first when the SAM CLI is available (`sam` on PATH, or the path in `SAM_CLI`),
then measures `.aws-sam/build/PortfolioFunction`. Zipped sizes are what `sam package` uploads
(deflate, level 9 is close to what it uses); Lambda's limits are 50 MB zipped for a direct
upload and 250 MB unzipped.

    uv run python benchmarks/artifact_size.py              # build, then measure
    uv run python benchmarks/artifact_size.py --no-build   # measure the last build
    uv run python benchmarks/artifact_size.py --top 20
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTEFACT = ROOT / ".aws-sam" / "build" / "PortfolioFunction"
RUNTIME_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3")
UNZIPPED_LIMIT = 250 * 1024 * 1024
ZIPPED_LIMIT = 50 * 1024 * 1024
_DIST_INFO = re.compile(r"^(?P<name>.+?)-[^-]+\.dist-info$")


@dataclass
class Entry:
    """One top-level package of the artefact (its dist-info folded in)."""

    name: str
    files: int = 0
    size: int = 0
    zipped: int = 0


def sam_cli() -> str | None:
    """The SAM CLI to run: `SAM_CLI`, else `sam` on PATH."""
    return os.environ.get("SAM_CLI") or shutil.which("sam")


def build(sam: str) -> None:
    """`sam build` with the repository's samconfig.toml; exits on failure."""
    print(f"$ {sam} build", file=sys.stderr, flush=True)
    # The build log goes to stderr so that stdout is only the tables.
    result = subprocess.run([sam, "build"], cwd=ROOT, check=False, stdout=sys.stderr)
    if result.returncode != 0:
        sys.exit(f"sam build failed with exit code {result.returncode}")


def owner(relative: Path) -> str:
    """The package a file belongs to: its top-level folder, dist-info folded into it."""
    top = relative.parts[0]
    match = _DIST_INFO.match(top)
    if match:
        return match.group("name").lower().replace("-", "_")
    if len(relative.parts) == 1:
        return top.split(".")[0].lower()  # a top-level module or extension file
    return top.lower()


def measure(artefact: Path) -> tuple[dict[str, Entry], int]:
    """Per-package sizes and the size of the whole zip."""
    entries: dict[str, Entry] = defaultdict(lambda: Entry(""))
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as whole:
        for path in sorted(p for p in artefact.rglob("*") if p.is_file()):
            relative = path.relative_to(artefact)
            data = path.read_bytes()
            whole.writestr(str(relative), data)
            info = whole.getinfo(str(relative))
            entry = entries[owner(relative)]
            entry.name = owner(relative)
            entry.files += 1
            entry.size += len(data)
            entry.zipped += info.compress_size
    return dict(entries), archive.getbuffer().nbytes


def mb(size: int) -> str:
    return f"{size / 1024 / 1024:8.2f}"


def report(entries: dict[str, Entry], zipped_total: int, *, top: int) -> str:
    """The plain-text tables."""
    size = sum(e.size for e in entries.values())
    files = sum(e.files for e in entries.values())
    present = sorted(name for name in RUNTIME_PROVIDED if name in entries)
    lines = [
        f"artefact: {ARTEFACT.relative_to(ROOT)}",
        "",
        "| what | files | MB | limit MB |",
        "|---|---:|---:|---:|",
        f"| unzipped | {files} | {mb(size)} | {mb(UNZIPPED_LIMIT)} |",
        f"| zipped | {files} | {mb(zipped_total)} | {mb(ZIPPED_LIMIT)} |",
        "",
        f"runtime-provided packages in the artefact: {', '.join(present) or 'none'}",
        "",
        f"| largest packages (top {top}) | files | MB | zipped MB | share of zip |",
        "|---|---:|---:|---:|---:|",
    ]
    for entry in sorted(entries.values(), key=lambda e: e.zipped, reverse=True)[:top]:
        share = 100 * entry.zipped / zipped_total
        lines.append(
            f"| {entry.name} | {entry.files} | {mb(entry.size)} | {mb(entry.zipped)} "
            f"| {share:5.1f}% |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build (when possible) and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true", help="measure the last build")
    parser.add_argument("--top", type=int, default=12, help="packages to list (12)")
    args = parser.parse_args(argv)
    sam = sam_cli()
    if not args.no_build:
        if sam is None:
            print("SAM CLI not found (PATH or SAM_CLI); measuring the last build", file=sys.stderr)
        else:
            build(sam)
    if not ARTEFACT.is_dir():
        sys.exit(f"No build at {ARTEFACT}; install the SAM CLI and run `sam build`")
    entries, zipped_total = measure(ARTEFACT)
    print(report(entries, zipped_total, top=args.top))
    sources = list(ARTEFACT.rglob("*.py"))
    compiled = {p.parent.parent / f"{p.name.split('.')[0]}.py" for p in ARTEFACT.rglob("*.pyc")}
    missing = [p for p in sources if p not in compiled]
    print(f"\n.py files without a compiled .pyc: {len(missing)} of {len(sources)}")
    unwanted = any(name in entries for name in ("boto3", "botocore", "pil"))
    return 1 if unwanted or len(missing) > len(sources) // 20 else 0


if __name__ == "__main__":
    sys.exit(main())
