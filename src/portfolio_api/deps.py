"""Dependencies shared by every domain: settings and the table, as `Annotated` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from portfolio_api import aws
from portfolio_api.config import Settings
from portfolio_api.db.table import Table

# These dependencies are `async def` on purpose: they do no I/O, and a `def` dependency costs
# a thread-pool round trip on every request (see benchmarks/README.md).


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]


async def get_table(request: Request, settings: SettingsDep) -> Table:
    """The single table, created on first use and kept for the life of the container."""
    # The first call builds the botocore client on the event loop: CPU only (credentials come
    # from the environment), once per container.
    table: Table | None = getattr(request.app.state, "table", None)
    if table is None:
        table = Table(
            client=aws.dynamodb_client(settings),
            name=settings.dynamodb_table_name,
            cursor_secret=settings.cursor_secret.get_secret_value().encode(),
        )
        request.app.state.table = table
    return table


TableDep = Annotated[Table, Depends(get_table)]
