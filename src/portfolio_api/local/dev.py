"""One local session: emulator up, resources provisioned, data restored, app env exported.

`running()` undoes it in reverse on the way out: the final snapshot is written with
SIGINT/SIGTERM ignored so that a second Ctrl-C cannot cut it short.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from portfolio_api.local import snapshot
from portfolio_api.local.data_dir import OWNER_PASSWORD_ENV, DataDir, OwnerCredentials
from portfolio_api.local.emulator import (
    FAKE_CREDENTIALS,
    REGION,
    Emulator,
    Provisioned,
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


@contextmanager
def running(
    *, data_dir: Path, emulator_port: int = 0, autosave_interval: float = 30.0
) -> Iterator[LocalSession]:
    """Start and provision the emulator, restore the snapshot and export the app's env.

    The data directory is held for the whole session: another server on it is refused before
    it starts anything."""
    data = DataDir(data_dir.resolve())
    data.ensure()
    with data.exclusive():  # one server per directory, until the final snapshot is written
        owner = data.owner_credentials(dict(os.environ))
        cursor_secret = data.cursor_secret()
        emulator = Emulator(emulator_port)
        emulator.start()
        autosaver: snapshot.Autosaver | None = None
        try:
            endpoint = emulator.endpoint_url
            provisioned = provision(endpoint_url=endpoint, owner=owner)
            s3 = client("s3", endpoint)
            stored = snapshot.load(data.snapshot_file)
            if stored is not None:
                snapshot.restore(
                    stored,
                    dynamodb=client("dynamodb", endpoint),
                    s3=s3,
                    table_name=provisioned.table_name,
                    bucket_name=provisioned.bucket_name,
                )
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
