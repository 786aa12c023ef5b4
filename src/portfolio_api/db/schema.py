"""The table's definition, as `template.yaml` declares it.

The local emulator and the tests create the table from this; `tests/test_template.py`
proves it is identical to the `PortfolioTable` resource of the SAM template.
"""

from __future__ import annotations

from typing import Any

TTL_ATTRIBUTE = "expiresAt"
GSI1 = "GSI1"
GSI2 = "GSI2"

ATTRIBUTE_DEFINITIONS: list[dict[str, str]] = [
    {"AttributeName": "PK", "AttributeType": "S"},
    {"AttributeName": "SK", "AttributeType": "S"},
    {"AttributeName": "GSI1PK", "AttributeType": "S"},
    {"AttributeName": "GSI1SK", "AttributeType": "S"},
    {"AttributeName": "GSI2PK", "AttributeType": "S"},
    {"AttributeName": "GSI2SK", "AttributeType": "S"},
]
KEY_SCHEMA: list[dict[str, str]] = [
    {"AttributeName": "PK", "KeyType": "HASH"},
    {"AttributeName": "SK", "KeyType": "RANGE"},
]
GLOBAL_SECONDARY_INDEXES: list[dict[str, Any]] = [
    {
        "IndexName": GSI1,
        "KeySchema": [
            {"AttributeName": "GSI1PK", "KeyType": "HASH"},
            {"AttributeName": "GSI1SK", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    },
    {
        "IndexName": GSI2,
        "KeySchema": [
            {"AttributeName": "GSI2PK", "KeyType": "HASH"},
            {"AttributeName": "GSI2SK", "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    },
]
BILLING_MODE = "PAY_PER_REQUEST"


def create_table_request(table_name: str) -> dict[str, Any]:
    """Arguments for `CreateTable` that reproduce the template's table."""
    return {
        "TableName": table_name,
        "AttributeDefinitions": ATTRIBUTE_DEFINITIONS,
        "KeySchema": KEY_SCHEMA,
        "GlobalSecondaryIndexes": GLOBAL_SECONDARY_INDEXES,
        "BillingMode": BILLING_MODE,
        "SSESpecification": {"Enabled": True},
    }


def create_table(client: Any, table_name: str) -> None:
    """Create the table with its TTL and point-in-time recovery, as the template does."""
    client.create_table(**create_table_request(table_name))
    client.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 0.05, "MaxAttempts": 100}
    )
    client.update_time_to_live(
        TableName=table_name,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
    )
    client.update_continuous_backups(
        TableName=table_name,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )
