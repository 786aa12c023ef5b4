"""The `export` and `import` subcommands of `portfolio-api`.

Both read the environment's settings (`DYNAMODB_TABLE_NAME`, `AWS_ENDPOINT_URL`, `AWS_REGION`,
credentials...), so they work against AWS and against `portfolio-api dev`'s emulator alike.
botocore and tqdm are imported only when a command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

EXIT_FAILED = 1


def _client_and_table(args: argparse.Namespace) -> tuple[Any, str]:
    from portfolio_api import aws
    from portfolio_api.config import get_settings

    settings = get_settings()
    return aws.dynamodb_client(settings), args.table or settings.dynamodb_table_name


def _fail(command: str, message: object) -> int:
    print(f"portfolio-api {command}: {message}", file=sys.stderr)
    return EXIT_FAILED


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _export_to(args: argparse.Namespace, out: TextIO) -> None:
    from portfolio_api.backup import progress, service

    client, table = _client_and_table(args)
    started = time.perf_counter()
    count = service.export_table(
        client=client,
        table=table,
        out=out,
        segments=args.segments,
        page_size=args.page_size,
        progress=progress.bar("export", stream=sys.stderr, enabled=args.progress),
    )
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(f"exported {count} items from {table} in {elapsed:.1f} s", file=sys.stderr)


def _export(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        if args.output is None:
            _export_to(args, sys.stdout)
            sys.stdout.flush()
            return 0
        # Written beside the target and renamed at the end: a failed export leaves no file.
        fd, temp = tempfile.mkstemp(dir=args.output.parent, prefix=f".{args.output.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                _export_to(args, out)
            os.replace(temp, args.output)
        finally:
            Path(temp).unlink(missing_ok=True)
    except (BotoCoreError, ClientError, OSError) as error:
        return _fail("export", error)
    return 0


def _import(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    from portfolio_api.backup import progress, service
    from portfolio_api.backup.jsonl import BackupFormatError

    try:
        client, table = _client_and_table(args)
        report = service.import_file(
            client=client,
            table=table,
            path=args.path,
            dry_run=args.dry_run,
            progress=progress.bar("import", stream=sys.stderr, enabled=args.progress),
        )
    except BackupFormatError as error:
        return _fail("import", f"{args.path}: {error}; nothing was written")
    except (service.BackupError, BotoCoreError, ClientError, OSError) as error:
        return _fail("import", error)
    for change in report.changes:
        print(change.describe())
    verb = "would write" if report.dry_run else "written"
    print(
        f"{args.path}: backup of {report.source_table} taken {report.exported_at}, "
        f"{report.items} items into {table}\n"
        f"created {report.created}, updated {report.updated}, unchanged {report.unchanged}: "
        f"{report.written} {verb}"
    )
    return 0


def _progress_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--table", default=None, help="table name (default: $DYNAMODB_TABLE_NAME's table)"
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress bar on stderr (default: when stderr is a terminal and the run is long)",
    )


def register(commands: Any) -> None:
    """Add `export` and `import` to the `portfolio-api` subcommands."""
    export = commands.add_parser(
        "export", help="write every item of the table to stdout as a JSON Lines backup"
    )
    _progress_flags(export)
    export.add_argument(
        "--output", "-o", type=Path, default=None, help="file to write instead of stdout"
    )
    export.add_argument(
        "--segments", type=_positive, default=1, help="parallel Scan segments, one thread each (1)"
    )
    export.add_argument(
        "--page-size",
        type=_positive,
        default=None,
        help="items per Scan page (DynamoDB's 1 MB pages)",
    )
    export.add_argument("--quiet", "-q", action="store_true", help="no summary on stderr")
    export.set_defaults(handler=_export)

    import_cmd = commands.add_parser(
        "import", help="put the items of a backup file into the table (only those that differ)"
    )
    import_cmd.add_argument("path", type=Path, help="a file written by `portfolio-api export`")
    _progress_flags(import_cmd)
    import_cmd.add_argument(
        "--dry-run", action="store_true", help="list what would change and write nothing"
    )
    import_cmd.set_defaults(handler=_import)
