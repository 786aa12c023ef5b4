"""The template's table: it agrees with the schema module local runs and moto use, it is
retained, and its capacity is on demand unless the operator chooses provisioned capacity."""

from __future__ import annotations

import json
from typing import Any

from portfolio_api.db import schema
from tests.test_template import (
    condition_holds,
    deployed,
    parameter_values,
    resources_of_type,
)

# The schema module is the table as local runs and moto create it: on demand, which is the
# template's default. Capacity (BillingMode, ProvisionedThroughput) is the operator's choice at
# deploy time; the tests further down pin it.


def without_capacity(definition: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in definition.items() if key != "ProvisionedThroughput"}


def test_table_matches_the_schema_module(template: dict[str, Any]) -> None:
    table = template["Resources"]["PortfolioTable"]
    properties = table["Properties"]
    assert table["Type"] == "AWS::DynamoDB::Table"
    assert properties["AttributeDefinitions"] == schema.ATTRIBUTE_DEFINITIONS
    assert properties["KeySchema"] == schema.KEY_SCHEMA
    assert [
        without_capacity(index) for index in properties["GlobalSecondaryIndexes"]
    ] == schema.GLOBAL_SECONDARY_INDEXES
    assert properties["BillingMode"] == {"Ref": "TableBillingMode"}
    assert template["Parameters"]["TableBillingMode"]["Default"] == schema.BILLING_MODE
    assert properties["TimeToLiveSpecification"] == {
        "AttributeName": schema.TTL_ATTRIBUTE,
        "Enabled": True,
    }
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    request = schema.create_table_request("any")
    assert properties["SSESpecification"] == {"SSEEnabled": request["SSESpecification"]["Enabled"]}


def test_table_declares_no_property_the_schema_module_lacks(template: dict[str, Any]) -> None:
    properties = template["Resources"]["PortfolioTable"]["Properties"]
    assert set(without_capacity(properties)) == {
        "AttributeDefinitions",
        "KeySchema",
        "GlobalSecondaryIndexes",
        "BillingMode",
        "TimeToLiveSpecification",
        "PointInTimeRecoverySpecification",
        "SSESpecification",
        "Tags",
    }


def test_table_survives_stack_deletion_and_replacement(template: dict[str, Any]) -> None:
    table = template["Resources"]["PortfolioTable"]
    assert table["DeletionPolicy"] == "Retain"
    assert table["UpdateReplacePolicy"] == "Retain"


# Table capacity: on demand by default; with TableBillingMode=PROVISIONED the table and every
# index get provisioned capacity and Application Auto Scaling for reads and for writes.

AUTO_SCALING_ROLE = {
    "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/"
    "dynamodb.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable"
}


def table_and_indexes(template: dict[str, Any]) -> list[tuple[str, str]]:
    """(ResourceId, dimension prefix) of the table and of each index the template declares."""
    indexes = template["Resources"]["PortfolioTable"]["Properties"]["GlobalSecondaryIndexes"]
    return [("table/${PortfolioTable}", "dynamodb:table")] + [
        (f"table/${{PortfolioTable}}/index/{index['IndexName']}", "dynamodb:index")
        for index in indexes
    ]


def test_table_is_on_demand_with_no_provisioned_throughput_by_default(
    template: dict[str, Any],
) -> None:
    assert template["Parameters"]["TableBillingMode"]["AllowedValues"] == [
        "PAY_PER_REQUEST",
        "PROVISIONED",
    ]
    resources = deployed(template, template["Resources"])
    assert resources["PortfolioTable"]["Properties"]["BillingMode"] == "PAY_PER_REQUEST"
    assert "ProvisionedThroughput" not in json.dumps(resources)


def test_provisioned_table_and_every_index_start_at_the_minimum_capacity(
    template: dict[str, Any],
) -> None:
    table = deployed(
        template,
        template["Resources"]["PortfolioTable"]["Properties"],
        TableBillingMode="PROVISIONED",
        TableMinReadCapacity="3",
        TableMinWriteCapacity="2",
    )
    minimum = {"ReadCapacityUnits": "3", "WriteCapacityUnits": "2"}
    assert table["BillingMode"] == "PROVISIONED"
    assert table["ProvisionedThroughput"] == minimum
    for index in table["GlobalSecondaryIndexes"]:
        assert index.get("ProvisionedThroughput") == minimum, index["IndexName"]


def test_auto_scaling_exists_only_with_provisioned_capacity(transformed: dict[str, Any]) -> None:
    assert not condition_holds(transformed, "UseProvisionedCapacity", parameter_values(transformed))
    assert condition_holds(
        transformed,
        "UseProvisionedCapacity",
        parameter_values(transformed, TableBillingMode="PROVISIONED"),
    )
    scaling = {
        name: resource
        for name, resource in transformed["Resources"].items()
        if resource["Type"].startswith("AWS::ApplicationAutoScaling::")
    }
    assert scaling
    assert {name: r.get("Condition") for name, r in scaling.items()} == dict.fromkeys(
        scaling, "UseProvisionedCapacity"
    )


def test_table_and_every_index_scale_reads_and_writes_between_the_parameters(
    transformed: dict[str, Any],
) -> None:
    targets = resources_of_type(transformed, "AWS::ApplicationAutoScaling::ScalableTarget")
    scaled = {
        (target["ResourceId"]["Fn::Sub"], target["ScalableDimension"]): target
        for target in (resource["Properties"] for resource in targets.values())
    }
    expected = {
        (resource, f"{prefix}:{kind}CapacityUnits"): kind
        for resource, prefix in table_and_indexes(transformed)
        for kind in ("Read", "Write")
    }
    assert set(scaled) == set(expected)
    assert len(targets) == len(expected)
    for key, kind in expected.items():
        assert scaled[key] == {
            "ServiceNamespace": "dynamodb",
            "ResourceId": {"Fn::Sub": key[0]},
            "ScalableDimension": key[1],
            "MinCapacity": {"Ref": f"TableMin{kind}Capacity"},
            "MaxCapacity": {"Ref": f"TableMax{kind}Capacity"},
            "RoleARN": AUTO_SCALING_ROLE,
        }, key


def test_every_scalable_target_tracks_its_utilisation_at_the_target_parameter(
    transformed: dict[str, Any],
) -> None:
    targets = resources_of_type(transformed, "AWS::ApplicationAutoScaling::ScalableTarget")
    policies = resources_of_type(transformed, "AWS::ApplicationAutoScaling::ScalingPolicy")
    tracked = [p["Properties"]["ScalingTargetId"]["Ref"] for p in policies.values()]
    assert sorted(tracked) == sorted(targets)
    for policy in policies.values():
        properties = policy["Properties"]
        target = targets[properties["ScalingTargetId"]["Ref"]]["Properties"]
        kind = "Read" if target["ScalableDimension"].endswith(":ReadCapacityUnits") else "Write"
        assert properties["PolicyType"] == "TargetTrackingScaling"
        assert properties["TargetTrackingScalingPolicyConfiguration"] == {
            "TargetValue": {"Ref": "TableTargetUtilization"},
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": f"DynamoDB{kind}CapacityUtilization"
            },
        }


def test_capacity_defaults_suit_a_personal_site(template: dict[str, Any]) -> None:
    parameters = template["Parameters"]
    for kind in ("Read", "Write"):
        minimum = parameters[f"TableMin{kind}Capacity"]
        maximum = parameters[f"TableMax{kind}Capacity"]
        assert minimum["MinValue"] == maximum["MinValue"] == 1
        assert 1 <= minimum["Default"] <= 5
        assert minimum["Default"] < maximum["Default"] <= 50
    utilization = parameters["TableTargetUtilization"]
    assert utilization["Default"] == 70
    # DynamoDB auto scaling accepts target values from 20 to 90 percent.
    assert (utilization["MinValue"], utilization["MaxValue"]) == (20, 90)
