"""The embedded AWS emulator (moto in server mode) and the resources the app expects in it.

`provision` talks only to the AWS APIs, so it works the same against the server started
here and against moto's in-process `mock_aws` in tests.
"""

from __future__ import annotations

import http.client
import logging
import socket
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from portfolio_api.db import schema
from portfolio_api.local.data_dir import OwnerCredentials

REGION = "us-east-1"
TABLE_NAME = "portfolio-local"
BUCKET_NAME = "portfolio-local-files"
POOL_NAME = "portfolio-local"
CLIENT_NAME = "portfolio-local-web"
OWNER_GROUP = "owner"
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local"}

PASSWORD_POLICY = {
    "MinimumLength": 12,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}
EXPLICIT_AUTH_FLOWS = ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@dataclass(frozen=True)
class Provisioned:
    """Identifiers of what `provision` created (the pool's change on every start)."""

    table_name: str
    bucket_name: str
    user_pool_id: str
    client_id: str


class EmulatorError(Exception):
    """The emulator cannot start."""


class OwnerRefused(EmulatorError):
    """The user pool refused the owner's e-mail or password; the message says why."""


class OwnerEmailRefused(OwnerRefused):
    """The user pool refused the owner's e-mail as a username."""


class OwnerPasswordRefused(OwnerRefused):
    """The user pool refused the owner's password: it does not meet PASSWORD_POLICY."""


def password_policy_text() -> str:
    """PASSWORD_POLICY in words: "at least 12 characters, with an upper-case letter, ..."."""
    required = [
        ("RequireUppercase", "an upper-case letter"),
        ("RequireLowercase", "a lower-case letter"),
        ("RequireNumbers", "a digit"),
        ("RequireSymbols", "a symbol such as - _ . + = % ! @ #"),
    ]
    classes = [text for name, text in required if PASSWORD_POLICY[name]]
    text = f"at least {PASSWORD_POLICY['MinimumLength']} characters"
    if classes:
        listed = classes[0] if len(classes) == 1 else f"{', '.join(classes[:-1])} and {classes[-1]}"
        text += f", with {listed}"
    return text


def bind_error(host: str, port: int) -> OSError | None:
    """Why a server could not bind `host:port` now, or None. The probe binds as the servers
    here do (SO_REUSEADDR, IPv6 for an address with a colon), so a port left in TIME_WAIT by a
    previous run is not taken for a busy one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error
    return None


def _ensure_free(port: int) -> None:
    # moto binds in its server thread and would wait forever for a port that is taken.
    error = bind_error("127.0.0.1", port)
    if error is not None:
        raise EmulatorError(f"emulator port {port} is not free ({error.strerror})") from error


BACKEND_LOCK = threading.Lock()
"""moto keeps every emulated resource in process-wide, unsynchronised backends: two
TransactWriteItems at once can fail half-applied ("dictionary changed size during
iteration"), where DynamoDB applies each atomically. Every emulated call, and every direct read
of a backend (the snapshot), holds this lock."""


class _OneCallAtATime:
    """A WSGI wrapper that runs the emulator's calls one at a time, under BACKEND_LOCK."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        with BACKEND_LOCK:
            result = self.app(environ, start_response)
            try:
                return [b"".join(result)]
            finally:
                if hasattr(result, "close"):
                    result.close()


class Emulator:
    """moto's server on 127.0.0.1, one call at a time; every AWS service on one endpoint.

    Connections are served by threads (botocore keeps several open), calls in turn.
    """

    def __init__(self, port: int = 0) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        if port:
            _ensure_free(port)
        # werkzeug would log every emulated AWS call; the app's own access log is enough.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        app = _OneCallAtATime(DomainDispatcherApplication(create_backend_app))
        self._server = make_server(
            "127.0.0.1", port, app, threaded=True, request_handler=MotoRequestHandler
        )
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start serving, empty, in a daemon thread (the socket already listens)."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="aws-emulator", daemon=True
        )
        self._thread.start()
        # moto's state lives in process-wide backends; a second emulator in the same process
        # would otherwise inherit the first one's resources.
        host, port = self._host_and_port()
        connection = http.client.HTTPConnection(host, port, timeout=10)
        try:
            connection.request("POST", "/moto-api/reset")
            connection.getresponse().read()
        finally:
            connection.close()

    def stop(self) -> None:
        """Stop the server thread."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def _host_and_port(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    @property
    def endpoint_url(self) -> str:
        host, port = self._host_and_port()
        return f"http://{host}:{port}"

    def jwks_url(self, user_pool_id: str) -> str:
        """Where the emulator serves the pool's signing keys."""
        return f"{self.endpoint_url}/{user_pool_id}/.well-known/jwks.json"


@lru_cache(maxsize=1)
def _session() -> Any:
    import botocore.session

    # One session: each new one would parse botocore's service models again.
    return botocore.session.get_session()


def client(service: str, endpoint_url: str | None, region: str = REGION) -> Any:
    """A botocore client for the emulator (or for `mock_aws` when `endpoint_url` is None)."""
    return _session().create_client(
        service,
        region_name=region,
        endpoint_url=endpoint_url,
        aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def provision(
    *,
    endpoint_url: str | None,
    owner: OwnerCredentials,
    table_name: str = TABLE_NAME,
    bucket_name: str = BUCKET_NAME,
) -> Provisioned:
    """Create the table, the bucket, and a user pool holding the owner."""
    schema.create_table(client("dynamodb", endpoint_url), table_name)
    client("s3", endpoint_url).create_bucket(Bucket=bucket_name)
    user_pool_id, client_id = provision_user_pool(client("cognito-idp", endpoint_url), owner=owner)
    return Provisioned(
        table_name=table_name,
        bucket_name=bucket_name,
        user_pool_id=user_pool_id,
        client_id=client_id,
    )


def provision_user_pool(cognito: Any, *, owner: OwnerCredentials) -> tuple[str, str]:
    """An admin-only pool with the `owner` group, a public app client and the owner in it."""
    pool = cognito.create_user_pool(
        PoolName=POOL_NAME,
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
        AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
        Policies={"PasswordPolicy": PASSWORD_POLICY},
    )["UserPool"]
    pool_id: str = pool["Id"]
    cognito.create_group(UserPoolId=pool_id, GroupName=OWNER_GROUP, Description="The site's owner")
    app_client = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=CLIENT_NAME,
        GenerateSecret=False,
        ExplicitAuthFlows=EXPLICIT_AUTH_FLOWS,
        # Without ReadAttributes moto leaves `name` out of ID tokens; real Cognito includes it.
        ReadAttributes=["email", "email_verified", "name"],
    )["UserPoolClient"]
    try:
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=owner.email,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "email", "Value": owner.email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": owner.name},
            ],
        )
    except cognito.exceptions.InvalidParameterException as error:
        message = error.response.get("Error", {}).get("Message", "")
        raise OwnerEmailRefused(
            f"{owner.email!r} is refused by the user pool ({message})"
        ) from error
    try:
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=owner.email, Password=owner.password, Permanent=True
        )
    except cognito.exceptions.InvalidPasswordException as error:
        raise OwnerPasswordRefused(
            f"the user pool's password policy requires {password_policy_text()}"
        ) from error
    cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=owner.email, GroupName=OWNER_GROUP)
    return pool_id, app_client["ClientId"]
