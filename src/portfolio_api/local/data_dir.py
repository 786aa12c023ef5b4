"""The dev command's data directory: owner credentials, cursor secret and the snapshot.

Every file here may hold a secret, so each is written owner-only (0600) and atomically
(temporary file in the same directory, then rename), and the directory itself is 0700.

One dev server at a time may use a directory (`DataDir.exclusive`): two would each keep their
own data in memory, and the last to stop would overwrite the other's snapshot.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

if sys.platform != "win32":
    import fcntl

OWNER_FILE = "owner.json"
CURSOR_SECRET_FILE = "cursor-secret"  # noqa: S105 - a file name
SNAPSHOT_FILE = "snapshot.json"
LOCK_FILE = "dev.lock"

OWNER_EMAIL_ENV = "PORTFOLIO_OWNER_EMAIL"
OWNER_PASSWORD_ENV = "PORTFOLIO_OWNER_PASSWORD"  # noqa: S105 - a variable name
DEFAULT_OWNER_EMAIL = "owner@example.com"
DEFAULT_OWNER_NAME = "Portfolio Owner"

_PASSWORD_CLASSES = (
    "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "abcdefghijkmnopqrstuvwxyz",
    "23456789",
    "-_.+=%",  # symbols Cognito accepts that need no quoting in a shell
)


class DataDirError(Exception):
    """The data directory or the environment holds something the dev command cannot use."""


@dataclass(frozen=True)
class OwnerCredentials:
    """The owner's sign-in; `source` says where it came from (env, generated or stored)."""

    email: str
    password: str
    name: str = DEFAULT_OWNER_NAME
    source: str = "env"


def generate_password(length: int = 24) -> str:
    """A random password with every character class the pool's policy requires."""
    rng = secrets.SystemRandom()
    alphabet = "".join(_PASSWORD_CLASSES)
    chars = [rng.choice(group) for group in _PASSWORD_CLASSES]
    chars += [rng.choice(alphabet) for _ in range(length - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically; the file is readable by its owner only."""
    fd, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as temp:  # mkstemp creates the file with mode 0600
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class DataDir:
    """One data directory and the files the dev command keeps in it."""

    path: Path

    @property
    def owner_file(self) -> Path:
        return self.path / OWNER_FILE

    @property
    def cursor_secret_file(self) -> Path:
        return self.path / CURSOR_SECRET_FILE

    @property
    def snapshot_file(self) -> Path:
        return self.path / SNAPSHOT_FILE

    @property
    def lock_file(self) -> Path:
        return self.path / LOCK_FILE

    def ensure(self) -> None:
        """Create the directory (owner-only) if it does not exist yet."""
        if self.path.exists() and not self.path.is_dir():
            raise DataDirError(
                f"{self.path} is not a directory; pass --data-dir a directory "
                "(it is created if missing)"
            )
        try:
            self.path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            raise DataDirError(
                f"cannot create the data directory {self.path} ({error.strerror}); "
                "pass --data-dir a directory you can write to"
            ) from error

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold the directory for one dev server; another one that tries is refused.

        An advisory lock (flock) on `dev.lock`, which also records the holder's pid. The OS
        drops the lock with the process, so a server killed with SIGKILL leaves none behind.
        """
        try:
            fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as error:
            raise DataDirError(
                f"cannot create {self.lock_file} ({error.strerror}); "
                "pass --data-dir a directory you can write to"
            ) from error
        try:
            self._lock(fd)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # releases the lock

    def _lock(self, fd: int) -> None:
        if sys.platform == "win32":  # pragma: no cover - no flock; the directory is not guarded
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise DataDirError(
                    f"cannot lock {self.lock_file} ({error.strerror}); "
                    "pass --data-dir a directory on a local file system"
                ) from error
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            pid = f" (pid {holder})" if holder.isdigit() else ""
            raise DataDirError(
                f"{self.path} is in use by another portfolio-api dev{pid}; stop that one first, "
                "or pass another --data-dir"
            ) from None

    def cursor_secret(self) -> str:
        """The pagination-cursor HMAC key, created on first use and kept across restarts."""
        try:
            if self.cursor_secret_file.exists():
                return self.cursor_secret_file.read_text().strip()
            secret = secrets.token_hex(32)
            write_private(self.cursor_secret_file, secret.encode())
        except OSError as error:
            message = f"cannot use {self.cursor_secret_file} ({error.strerror})"
            raise DataDirError(message) from error
        return secret

    def owner_credentials(self, environ: dict[str, str]) -> OwnerCredentials:
        """The owner from the environment, else the stored one, else a new generated one."""
        email = environ.get(OWNER_EMAIL_ENV, "").strip()
        password = environ.get(OWNER_PASSWORD_ENV, "")
        if email and password:
            return OwnerCredentials(email=email, password=password, source="env")
        if email or password:
            raise DataDirError(
                f"set both {OWNER_EMAIL_ENV} and {OWNER_PASSWORD_ENV}, or neither "
                f"(then credentials are generated and kept in {self.owner_file})"
            )
        try:
            if self.owner_file.exists():
                return self._stored_owner()
            owner = OwnerCredentials(
                email=DEFAULT_OWNER_EMAIL, password=generate_password(), source="generated"
            )
            document = {"email": owner.email, "password": owner.password, "name": owner.name}
            write_private(self.owner_file, json.dumps(document, indent=2).encode())
        except OSError as error:
            raise DataDirError(f"cannot use {self.owner_file} ({error.strerror})") from error
        return owner

    def _stored_owner(self) -> OwnerCredentials:
        try:
            stored = json.loads(self.owner_file.read_text())
            return OwnerCredentials(
                email=stored["email"],
                password=stored["password"],
                name=stored.get("name", DEFAULT_OWNER_NAME),
                source="stored",
            )
        except (ValueError, KeyError, TypeError) as error:
            raise DataDirError(f"{self.owner_file} is not valid: {error}") from error
