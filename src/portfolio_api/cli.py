"""The `portfolio-api` command: `dev` on the embedded AWS emulator, `serve` against AWS,
`openapi` to export the OpenAPI document, `export` and `import` to back up the table,
`reindex` to give older items the keys this release reads, `sign-out` to end a user's
sessions from the command line."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from portfolio_api.backup import commands as backup_commands

if TYPE_CHECKING:
    from portfolio_api.content.service import Reindexed
    from portfolio_api.db.table import Table

APP_FACTORY = "portfolio_api.main:create_app"
PACKAGE_DIR = Path(__file__).resolve().parent


def serve(*, host: str, port: int, reload: bool = False, factory: str = APP_FACTORY) -> None:
    """Run the app under uvicorn until it is told to stop."""
    import uvicorn

    uvicorn.run(
        factory,
        factory=True,
        host=host,
        port=port,
        reload=reload,
        reload_dirs=[str(PACKAGE_DIR)] if reload else None,
        # The app reads X-Forwarded-For itself, as TRUSTED_PROXY_HOPS says; uvicorn's default
        # would trust it from 127.0.0.1 and hand the app a client address anyone can choose.
        proxy_headers=False,
        # uvicorn's access log starts each line with the client's address and port; the app
        # writes its own access line (request id, route, status), which carries neither.
        access_log=False,
    )


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _dev(args: argparse.Namespace) -> int:
    from portfolio_api.local import worker
    from portfolio_api.local.data_dir import DataDirError
    from portfolio_api.local.dev import ServeError, running
    from portfolio_api.local.emulator import EmulatorError
    from portfolio_api.local.snapshot import SnapshotError

    # SIGTERM ends the session like Ctrl-C does, so the final snapshot is written either way
    # (uvicorn hands back to these handlers once it has shut down).
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with running(
            data_dir=args.data_dir,
            emulator_port=args.emulator_port,
            api_address=(args.host, args.port),
        ) as session:
            if session.restored:
                _reindex_snapshot()
            if args.demo:
                _load_demo()
            print(session.banner(host=args.host, port=args.port), flush=True)
            if args.reload:  # the worker process stops by itself if this one is killed
                os.environ[worker.PARENT_ENV] = str(os.getpid())
            else:
                os.environ.pop(worker.PARENT_ENV, None)
            serve(host=args.host, port=args.port, reload=args.reload, factory=worker.FACTORY)
    except KeyboardInterrupt:
        pass
    except (DataDirError, EmulatorError, ServeError, SnapshotError) as error:
        print(f"portfolio-api dev: {error}", file=sys.stderr)
        return 2
    return 0


def _load_demo() -> None:
    from portfolio_api.content.seed import seed_configured_table

    created = seed_configured_table().created
    if any(created.values()):
        print("Demo content loaded: " + ", ".join(f"{n} {k}" for k, n in created.items()))
    else:
        print("Demo content skipped: the table already has content")


def _reindex_snapshot() -> None:
    from portfolio_api.content.service import reindex
    from portfolio_api.db.table import configured_table

    # A snapshot saved by an older version may hold items without the keys this one reads.
    done = reindex(table=configured_table())
    if done.site_pages or done.list_heads or done.view_counters or done.stale_counts:
        print(f"Snapshot reindexed: {_reindexed(done)}")


def _reindex(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    from portfolio_api.content.service import reindex
    from portfolio_api.db.table import configured_table
    from portfolio_api.errors import AppError

    try:
        table = configured_table(args.table)
    except BotoCoreError as error:  # e.g. a profile that does not exist
        print(f"portfolio-api reindex: {error}", file=sys.stderr)
        return 1
    try:
        done = reindex(table=table)
    except (BotoCoreError, ClientError, AppError) as error:  # AppError: throttled, unavailable
        print(f"portfolio-api reindex: {_table_error(error, table, args.table)}", file=sys.stderr)
        return 1
    print(f"reindexed: {_reindexed(done)}")
    return 0


def _sign_out(args: argparse.Namespace) -> int:
    """Sign a user out everywhere without one of their tokens (an administrator acting on a
    lost device or a compromised account), with the operator's AWS credentials."""
    from datetime import UTC, datetime

    from botocore.exceptions import BotoCoreError, ClientError

    from portfolio_api import aws
    from portfolio_api.auth import sessions
    from portfolio_api.config import Settings
    from portfolio_api.db.table import configured_table
    from portfolio_api.errors import AppError

    settings = Settings()
    pool = settings.cognito_user_pool_id
    if not pool:
        print(
            "portfolio-api sign-out: COGNITO_USER_POOL_ID is not set: set it to the id of the "
            "user pool (the stack's UserPoolId output)",
            file=sys.stderr,
        )
        return 2
    try:
        cognito = aws.cognito_client(settings, patient=True)
        table = configured_table(args.table)
    except BotoCoreError as error:  # e.g. a profile that does not exist
        print(f"portfolio-api sign-out: {error}", file=sys.stderr)
        return 1
    try:
        user = cognito.admin_get_user(UserPoolId=pool, Username=args.email)
        sub = next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub")
        cognito.admin_user_global_sign_out(UserPoolId=pool, Username=args.email)
    except cognito.exceptions.UserNotFoundException:
        print(f"portfolio-api sign-out: no user {args.email!r} in pool {pool!r}", file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as error:
        print(f"portfolio-api sign-out: {error}", file=sys.stderr)
        return 1
    at = datetime.now(UTC)
    try:
        sessions.record_sign_out(table=table, sub=sub, at=at)
    except (BotoCoreError, ClientError, AppError) as error:
        print(
            f"portfolio-api sign-out: Cognito signed {args.email} out (refresh tokens revoked), "
            f"but the sign-out could not be recorded: {_table_error(error, table, args.table)}. "
            "ID and access tokens already issued stay accepted by the API until they expire, "
            "or until this command is run again successfully",
            file=sys.stderr,
        )
        return 1
    print(
        f"signed out {args.email}: refresh tokens revoked, tokens issued until "
        f"{at.isoformat(timespec='seconds')} refused"
    )
    return 0


def _table_error(error: Exception, table: Table, option: str | None) -> str:
    """An AWS error of a command on `table`; a missing table is named, with its origin."""
    return backup_commands.aws_error(
        error, client=table.client, table=table.name, origin=backup_commands.table_origin(option)
    )


def _reindexed(done: Reindexed) -> str:
    return (
        f"{done.site_pages} published items added to the site index, "
        f"{done.list_heads} counter items put at the head of their list, "
        f"{done.view_counters} view counters moved onto their items, "
        f"{done.stale_counts} stale counter attributes removed, "
        f"{done.recounted} counter attributes recounted"
    )


def _serve(args: argparse.Namespace) -> int:
    serve(host=args.host, port=args.port)
    return 0


def openapi_document() -> str:
    """The app's OpenAPI document as committed in `openapi.json` (docs on, no base path)."""
    from portfolio_api.config import Settings
    from portfolio_api.main import create_app

    app = create_app(Settings(docs_enabled=True, api_base_path=""))
    return json.dumps(app.openapi(), indent=2, ensure_ascii=False) + "\n"


def _openapi(args: argparse.Namespace) -> int:
    document = openapi_document()
    if args.output is None:
        sys.stdout.write(document)
        return 0
    try:
        args.output.write_text(document, encoding="utf-8")
    except OSError as error:
        print(
            f"portfolio-api openapi: cannot write {args.output} ({error.strerror or error})",
            file=sys.stderr,
        )
        return 2
    return 0


def _port(text: str) -> int:
    """A TCP port for the API: 1 to 65535."""
    return _port_in(text, lowest=1)


def _port_or_zero(text: str) -> int:
    """A TCP port, or 0 for a free one chosen when the server starts."""
    return _port_in(text, lowest=0)


def _port_in(text: str, *, lowest: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not lowest <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be from {lowest} to 65535, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The command line: `dev`, `serve`, `openapi`, `reindex`, `export` and `import`."""
    parser = argparse.ArgumentParser(prog="portfolio-api", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    dev = commands.add_parser(
        "dev", help="run the API locally on an embedded AWS emulator (moto) with saved data"
    )
    dev.add_argument("--host", default="127.0.0.1", help="address to serve on (127.0.0.1)")
    dev.add_argument("--port", type=_port, default=8000, help="API port (8000)")
    dev.add_argument(
        "--data-dir",
        type=Path,
        default=Path(".local"),
        help="where the snapshot and the owner credentials are kept (.local)",
    )
    dev.add_argument(
        "--emulator-port",
        type=_port_or_zero,
        default=0,
        help="AWS emulator port (default, or 0: a free one)",
    )
    dev.add_argument(
        "--no-reload", dest="reload", action="store_false", help="do not restart on code changes"
    )
    dev.add_argument(
        "--demo",
        action="store_true",
        help="load a small demo portfolio (posts, projects, certifications) if the table has none",
    )
    dev.set_defaults(handler=_dev)

    serve_cmd = commands.add_parser(
        "serve", help="run the API against real AWS, configured by the environment"
    )
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to serve on (127.0.0.1)")
    serve_cmd.add_argument("--port", type=_port, default=8000, help="port (8000)")
    serve_cmd.set_defaults(handler=_serve)

    openapi = commands.add_parser("openapi", help="print the OpenAPI document (or write it)")
    openapi.add_argument(
        "--output", type=Path, default=None, help="file to write, e.g. openapi.json (stdout)"
    )
    openapi.set_defaults(handler=_openapi)

    reindex = commands.add_parser(
        "reindex",
        help="give items saved by an earlier release the keys this one reads (site index, list "
        "heads, views on the publication markers); once after deploying, and after importing "
        "an older backup",
    )
    reindex.add_argument(
        "--table", default=None, help="table name (default: $DYNAMODB_TABLE_NAME's table)"
    )
    reindex.set_defaults(handler=_reindex)

    sign_out = commands.add_parser(
        "sign-out",
        help="sign a user out everywhere at once, without one of their tokens: Cognito revokes "
        "the refresh tokens and the API refuses every token issued until now",
    )
    sign_out.add_argument("email", help="the user's e-mail (their Cognito username)")
    sign_out.add_argument(
        "--table", default=None, help="table name (default: $DYNAMODB_TABLE_NAME's table)"
    )
    sign_out.set_defaults(handler=_sign_out)

    backup_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `portfolio-api` console script."""
    args = build_parser().parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
