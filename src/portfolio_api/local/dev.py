"""One local session: emulator up, resources provisioned, data restored, app env exported.

`running()` undoes it in reverse on the way out: the final snapshot is written with
SIGINT/SIGTERM ignored so that a second Ctrl-C cannot cut it short.
"""

from __future__ import annotations

import errno
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from portfolio_api.local import snapshot
from portfolio_api.local.data_dir import (
    OWNER_EMAIL_ENV,
    OWNER_PASSWORD_ENV,
    DataDir,
    DataDirError,
    OwnerCredentials,
)
from portfolio_api.local.emulator import (
    FAKE_CREDENTIALS,
    REGION,
    Emulator,
    OwnerEmailRefused,
    OwnerRefused,
    Provisioned,
    bind_error,
    client,
    provision,
)

DEFAULT_CORS_ORIGINS = "http://localhost:3000,http://localhost:5173"

# Variables that would point the app somewhere other than the emulator.
_OVERRIDDEN = (
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
    "DYNAMODB_ENDPOINT_URL",
    "COGNITO_ENDPOINT_URL",
    "S3_ENDPOINT_URL",
    "COGNITO_CLIENT_SECRET",
)


@dataclass(frozen=True)
class LocalSession:
    """What a running local session offers, for the banner and for callers."""

    endpoint_url: str
    data_dir: DataDir
    owner: OwnerCredentials
    provisioned: Provisioned
    environment: dict[str, str]
    restored: bool

    def banner(self, *, host: str, port: int) -> str:
        """The lines printed once the app is about to serve."""
        base = f"http://{host}:{port}"
        if self.owner.source == "generated":
            password = (
                f"password {self.owner.password}  (generated now and kept in "
                f"{self.data_dir.owner_file}; it is not printed again)"
            )
        elif self.owner.source == "stored":
            password = f"password in {self.data_dir.owner_file}"
        else:
            password = f"password from ${OWNER_PASSWORD_ENV}"
        data_note = "restored from snapshot" if self.restored else "no snapshot yet"
        return "\n".join(
            [
                "Portfolio API on the local AWS emulator",
                f"  API       {base}/v1",
                f"  Docs      {base}/docs",
                f"  Health    {base}/health",
                f"  Owner     {self.owner.email}",
                f"            {password}",
                f"  Emulator  {self.endpoint_url}  (region {REGION})",
                f"  Data      {self.data_dir.path}  ({data_note}; delete it to start over)",
            ]
        )


def app_environment(
    *, endpoint_url: str, jwks_url: str, provisioned: Provisioned, cursor_secret: str
) -> dict[str, str]:
    """The environment variables that point the app at the emulator."""
    return {
        **FAKE_CREDENTIALS,
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_ENDPOINT_URL": endpoint_url,
        # The emulator serves one call at a time: under parallel requests a call waits for
        # the others longer than the Lambda limits allow a call to take.
        "AWS_CALL_LIMITS": "patient",
        "ENVIRONMENT": "local",
        "DYNAMODB_TABLE_NAME": provisioned.table_name,
        "S3_BUCKET_NAME": provisioned.bucket_name,
        "COGNITO_USER_POOL_ID": provisioned.user_pool_id,
        "COGNITO_CLIENT_ID": provisioned.client_id,
        "COGNITO_REGION": REGION,
        "COGNITO_JWKS_URL": jwks_url,
        "CURSOR_SECRET": cursor_secret,
        "CORS_ORIGINS": os.environ.get("CORS_ORIGINS", DEFAULT_CORS_ORIGINS),
    }


@contextmanager
def _shutdown_signals_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class ServeError(Exception):
    """The API cannot listen where it was asked to."""


def check_api_address(host: str, port: int) -> None:
    """Fail now, before anything starts, when uvicorn could not bind `host:port`."""
    error = bind_error(host, port)
    if error is None:
        return
    reason = error.strerror or str(error)
    if error.errno == errno.EADDRINUSE:
        raise ServeError(
            f"API port {port} is not free on {host} ({reason}); stop what uses it, "
            "or pass another --port"
        ) from error
    raise ServeError(
        f"cannot serve the API on {host}:{port} ({reason}); pass another --host"
    ) from error


@contextmanager
def running(
    *,
    data_dir: Path,
    emulator_port: int = 0,
    autosave_interval: float = 30.0,
    api_address: tuple[str, int] | None = None,
) -> Iterator[LocalSession]:
    """Start and provision the emulator, restore the snapshot and export the app's env.

    Everything that can be refused is checked before the emulator starts: the data directory
    (held exclusively for the whole session), the snapshot, and `api_address` when given.
    """
    data = DataDir(data_dir.resolve())
    data.ensure()
    with data.exclusive():
        owner = data.owner_credentials(dict(os.environ))
        cursor_secret = data.cursor_secret()
        # Read (and checked) before anything starts; a bad one stops here, left as it is.
        stored = snapshot.load(data.snapshot_file)
        if api_address is not None:
            check_api_address(*api_address)
        with _emulator_session(
            data=data,
            owner=owner,
            cursor_secret=cursor_secret,
            stored=stored,
            emulator_port=emulator_port,
            autosave_interval=autosave_interval,
        ) as session:
            yield session


@contextmanager
def _emulator_session(
    *,
    data: DataDir,
    owner: OwnerCredentials,
    cursor_secret: str,
    stored: snapshot.Snapshot | None,
    emulator_port: int,
    autosave_interval: float,
) -> Iterator[LocalSession]:
    emulator = Emulator(emulator_port)
    emulator.start()
    autosaver: snapshot.Autosaver | None = None
    try:
        endpoint = emulator.endpoint_url
        provisioned = _provision(endpoint, data=data, owner=owner)
        s3 = client("s3", endpoint)
        if stored is not None:
            _restore(stored, endpoint=endpoint, provisioned=provisioned, path=data.snapshot_file)
        # Created only once the old data is back, so no save can overwrite it with less.
        autosaver = snapshot.Autosaver(
            path=data.snapshot_file,
            s3=s3,
            table_name=provisioned.table_name,
            bucket_name=provisioned.bucket_name,
            interval=autosave_interval,
        )
        if stored is not None:
            autosaver.mark_saved()
        autosaver.start()

        environment = app_environment(
            endpoint_url=endpoint,
            jwks_url=emulator.jwks_url(provisioned.user_pool_id),
            provisioned=provisioned,
            cursor_secret=cursor_secret,
        )
        for name in _OVERRIDDEN:
            os.environ.pop(name, None)
        os.environ.update(environment)
        yield LocalSession(
            endpoint_url=endpoint,
            data_dir=data,
            owner=owner,
            provisioned=provisioned,
            environment=environment,
            restored=stored is not None,
        )
    finally:
        with _shutdown_signals_ignored():
            if autosaver is not None:
                autosaver.stop()
                autosaver.save_if_changed()
            emulator.stop()


def _restore(
    stored: snapshot.Snapshot, *, endpoint: str, provisioned: Provisioned, path: Path
) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        snapshot.restore(
            stored,
            dynamodb=client("dynamodb", endpoint),
            s3=client("s3", endpoint),
            table_name=provisioned.table_name,
            bucket_name=provisioned.bucket_name,
        )
    except (BotoCoreError, ClientError) as error:
        # No autosaver yet: the file is left as it is, never overwritten with part of it.
        raise snapshot.SnapshotError(
            f"{path} could not be restored ({error}); it was left as it is: fix it, or move it "
            "aside to start empty"
        ) from error


def _provision(endpoint: str, *, data: DataDir, owner: OwnerCredentials) -> Provisioned:
    try:
        return provision(endpoint_url=endpoint, owner=owner)
    except OwnerRefused as error:
        raise DataDirError(_owner_refused(error, data=data, owner=owner)) from error


def _owner_refused(error: OwnerRefused, *, data: DataDir, owner: OwnerCredentials) -> str:
    """The pool's refusal, naming where the e-mail or password came from and what to do."""
    if owner.source == "env":
        variable = OWNER_EMAIL_ENV if isinstance(error, OwnerEmailRefused) else OWNER_PASSWORD_ENV
        return f"${variable}: {error}; set one that does"
    field = "e-mail" if isinstance(error, OwnerEmailRefused) else "password"
    return (
        f"the {field} in {data.owner_file}: {error}; change it there, or delete the file to "
        "have the owner generated again"
    )
