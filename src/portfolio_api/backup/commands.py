"""The `export` and `import` subcommands of `portfolio-api`.

Both read the environment's settings (`DYNAMODB_TABLE_NAME`, `AWS_ENDPOINT_URL`, `AWS_REGION`,
credentials...), so they work against AWS and against `portfolio-api dev`'s emulator alike.
botocore and tqdm are imported only when a command runs.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, TextIO

EXIT_FAILED = 1
EXIT_USAGE = 2
TABLE_ENV = "DYNAMODB_TABLE_NAME"


def _client_and_table(args: argparse.Namespace) -> tuple[Any, str]:
    from portfolio_api import aws
    from portfolio_api.config import get_settings

    settings = get_settings()
    return aws.dynamodb_client(settings, patient=True), args.table or settings.dynamodb_table_name


def _fail(command: str, message: object, code: int = EXIT_FAILED) -> int:
    print(f"portfolio-api {command}: {message}", file=sys.stderr)
    return code


def table_origin(option: str | None) -> str:
    """Where a command's table name came from, for its error messages."""
    if option:
        return "named by --table"
    if any(name.upper() == TABLE_ENV for name in os.environ):  # read case-insensitively
        return f"named by ${TABLE_ENV}"
    return f"the default name, as ${TABLE_ENV} is not set"


def aws_error(error: Exception, *, client: Any, table: str, origin: str) -> str:
    """botocore's error; for a table that does not exist, one that names it and its origin
    (botocore says only "Requested resource not found")."""
    from botocore.exceptions import ClientError

    if not (
        isinstance(error, ClientError)
        and error.response.get("Error", {}).get("Code") == "ResourceNotFoundException"
    ):
        return str(error)
    region, endpoint = client.meta.region_name, str(client.meta.endpoint_url)
    where = region if endpoint.endswith(".amazonaws.com") else f"{region} at {endpoint}"
    return (
        f"table {table!r} ({origin}) does not exist in {where}; check the name, the region "
        "and the account of your credentials"
    )


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _export_to(args: argparse.Namespace, client: Any, table: str, out: TextIO) -> None:
    from portfolio_api.backup import progress, service

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
        client, table = _client_and_table(args)
        if args.output is not None:
            return _export_file(args, client, table, args.output)
        _export_to(args, client, table, sys.stdout)
        sys.stdout.flush()
    except ClientError as error:
        origin = table_origin(args.table)
        return _fail("export", aws_error(error, client=client, table=table, origin=origin))
    except (BotoCoreError, OSError) as error:
        return _fail("export", error)
    return 0


def _export_file(args: argparse.Namespace, client: Any, table: str, output: Path) -> int:
    # Written beside the target and renamed at the end: a failed export leaves no file. Errors
    # name `output`: the temporary file's name would mean nothing to whoever typed the command.
    try:
        fd, temp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.")
    except OSError as error:
        return _fail("export", f"cannot write {output} ({error.strerror or error})", EXIT_USAGE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            _export_to(args, client, table, out)
        os.replace(temp, output)
    except OSError as error:
        message = f"cannot write {output} ({error.strerror or error}); no file was written"
        return _fail("export", message)
    finally:
        Path(temp).unlink(missing_ok=True)
    return 0


def _import(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    from portfolio_api.backup import progress, service
    from portfolio_api.backup.jsonl import BackupFormatError

    try:
        mode = args.path.stat().st_mode
    except OSError as error:
        return _fail("import", f"cannot read {args.path} ({error.strerror})", EXIT_USAGE)
    if not stat.S_ISREG(mode):
        return _fail(
            "import",
            f"{args.path} must be a regular file (it is read twice: checked, then imported); "
            "save it to a file first",
            EXIT_USAGE,
        )
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
    except ClientError as error:
        origin = table_origin(args.table)
        return _fail("import", aws_error(error, client=client, table=table, origin=origin))
    except (service.BackupError, BotoCoreError, OSError) as error:
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
    if report.skipped:
        print(
            f"skipped {report.skipped} visitor salts and de-dup markers (a file of an earlier "
            "release): they never leave their table"
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
