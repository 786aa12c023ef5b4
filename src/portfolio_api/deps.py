"""Dependencies shared by every domain: settings and the table, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from portfolio_api import aws
from portfolio_api.config import Settings
from portfolio_api.db.table import Table
from portfolio_api.etags import AnyVersion, parse_if_match

# These dependencies are `async def` on purpose: they do no I/O, and a `def` dependency costs
# a thread-pool round trip on every request (see benchmarks/README.md).


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


async def get_table(request: Request) -> Table:
    """The single table, created on first use and kept for the life of the container."""
    # The first call builds the botocore client on the event loop: CPU only (credentials come
    # from the environment), once per container. The settings are read here rather than
    # through SettingsDep: one dependency less to solve on every request.
    table: Table | None = getattr(request.app.state, "table", None)
    if table is None:
        settings: Settings = request.app.state.settings
        table = Table(
            client=aws.dynamodb_client(settings),
            name=settings.dynamodb_table_name,
            cursor_secret=settings.cursor_secret.get_secret_value().encode(),
        )
        request.app.state.table = table
    return table


TableDep = Annotated[Table, Depends(get_table)]


async def get_if_match(
    if_match: Annotated[
        str | None,
        Header(
            description=(
                'The `ETag` of the version this change is based on, e.g. `"v3"`; '
                "`*` for any current version"
            )
        ),
    ] = None,
) -> int | AnyVersion | None:
    """The version `If-Match` names (412 for a weak or foreign ETag)."""
    return parse_if_match(if_match)


IfMatch = Annotated[int | AnyVersion | None, Depends(get_if_match)]
"""`If-Match` with `*` kept apart from a missing header (the resume needs the difference)."""


async def get_expected_version(version: IfMatch) -> int | None:
    """The version a change requires, if any (`*` and no header both accept any version)."""
    return None if version == "*" else version


ExpectedVersion = Annotated[int | None, Depends(get_expected_version)]
