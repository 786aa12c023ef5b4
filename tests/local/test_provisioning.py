"""`provision` builds the table, the bucket and an owner-only user pool in an empty account."""

from __future__ import annotations

from typing import Any

import pytest

from portfolio_api.db import schema
from portfolio_api.local.data_dir import OwnerCredentials, generate_password
from portfolio_api.local.emulator import (
    EXPLICIT_AUTH_FLOWS,
    OWNER_GROUP,
    PASSWORD_POLICY,
    OwnerEmailRefused,
    OwnerPasswordRefused,
    Provisioned,
    client,
    password_policy_text,
    provision,
)

OWNER = OwnerCredentials(email="me@example.com", password=generate_password(), name="Me")


@pytest.fixture
def provisioned(aws_mock: None) -> Provisioned:
    return provision(endpoint_url=None, owner=OWNER)


@pytest.fixture
def cognito(aws_mock: None) -> Any:
    return client("cognito-idp", None)


def test_table_is_created_from_the_schema_definition(provisioned: Provisioned) -> None:
    dynamodb = client("dynamodb", None)
    table = dynamodb.describe_table(TableName=provisioned.table_name)["Table"]
    assert table["KeySchema"] == schema.KEY_SCHEMA
    assert sorted(table["AttributeDefinitions"], key=lambda a: a["AttributeName"]) == sorted(
        schema.ATTRIBUTE_DEFINITIONS, key=lambda a: a["AttributeName"]
    )
    assert [
        {k: index[k] for k in ("IndexName", "KeySchema", "Projection")}
        for index in table["GlobalSecondaryIndexes"]
    ] == schema.GLOBAL_SECONDARY_INDEXES
    assert table["BillingModeSummary"]["BillingMode"] == schema.BILLING_MODE
    ttl = dynamodb.describe_time_to_live(TableName=provisioned.table_name)
    assert ttl["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": schema.TTL_ATTRIBUTE,
    }


def test_bucket_is_created(provisioned: Provisioned) -> None:
    buckets = client("s3", None).list_buckets()["Buckets"]
    assert [bucket["Name"] for bucket in buckets] == [provisioned.bucket_name]


def test_pool_is_admin_only_with_the_password_policy(
    provisioned: Provisioned, cognito: Any
) -> None:
    pool = cognito.describe_user_pool(UserPoolId=provisioned.user_pool_id)["UserPool"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["Policies"]["PasswordPolicy"] == PASSWORD_POLICY


def test_owner_is_a_confirmed_member_of_the_owner_group(
    provisioned: Provisioned, cognito: Any
) -> None:
    groups = cognito.list_groups(UserPoolId=provisioned.user_pool_id)["Groups"]
    members = cognito.list_users_in_group(
        UserPoolId=provisioned.user_pool_id, GroupName=OWNER_GROUP
    )["Users"]
    assert [group["GroupName"] for group in groups] == [OWNER_GROUP]
    assert len(members) == 1
    assert members[0]["UserStatus"] == "CONFIRMED"
    attributes = {a["Name"]: a["Value"] for a in members[0]["Attributes"]}
    assert attributes["email"] == OWNER.email
    assert attributes["email_verified"] == "true"
    assert attributes["name"] == OWNER.name


def test_app_client_has_no_secret_and_allows_password_and_refresh_auth(
    provisioned: Provisioned, cognito: Any
) -> None:
    app_client = cognito.describe_user_pool_client(
        UserPoolId=provisioned.user_pool_id, ClientId=provisioned.client_id
    )["UserPoolClient"]
    assert "ClientSecret" not in app_client
    assert sorted(app_client["ExplicitAuthFlows"]) == sorted(EXPLICIT_AUTH_FLOWS)


def test_owner_signs_in_with_user_password_auth(provisioned: Provisioned, cognito: Any) -> None:
    result = cognito.initiate_auth(
        ClientId=provisioned.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": OWNER.email, "PASSWORD": OWNER.password},
    )["AuthenticationResult"]
    user = cognito.get_user(AccessToken=result["AccessToken"])
    assert {a["Name"]: a["Value"] for a in user["UserAttributes"]}["email"] == OWNER.email
    assert result["RefreshToken"]


def test_generated_passwords_satisfy_the_pool_policy() -> None:
    password = generate_password()
    assert len(password) >= PASSWORD_POLICY["MinimumLength"]
    assert any(c.isupper() for c in password)
    assert any(c.islower() for c in password)
    assert any(c.isdigit() for c in password)
    assert any(not c.isalnum() for c in password)


def test_owner_id_token_carries_the_name_like_real_cognito(
    provisioned: Provisioned, cognito: Any
) -> None:
    import base64
    import json

    result = cognito.initiate_auth(
        ClientId=provisioned.client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": OWNER.email, "PASSWORD": OWNER.password},
    )["AuthenticationResult"]
    payload = result["IdToken"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["name"] == OWNER.name
    assert claims["email"] == OWNER.email


def test_a_password_outside_the_policy_is_refused_saying_what_it_requires(
    aws_mock: None,
) -> None:
    weak = OwnerCredentials(email="me@example.com", password="short")
    with pytest.raises(OwnerPasswordRefused) as refused:
        provision(endpoint_url=None, owner=weak)
    assert str(refused.value) == (
        "the user pool's password policy requires at least 12 characters, with an upper-case "
        "letter, a lower-case letter, a digit and a symbol such as - _ . + = % ! @ #"
    )
    assert f"at least {PASSWORD_POLICY['MinimumLength']} characters" in password_policy_text()


def test_an_email_the_pool_does_not_take_as_a_username_is_refused(aws_mock: None) -> None:
    odd = OwnerCredentials(email="me@example", password=generate_password())
    with pytest.raises(OwnerEmailRefused, match="'me@example' is refused by the user pool"):
        provision(endpoint_url=None, owner=odd)
