"""The template's security and operations resources: IAM, Cognito, the PDF bucket, alarms and
the custom domain."""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path
from typing import Any

import pytest

from portfolio_api.auth import service as auth_service
from portfolio_api.resume import service as resume_service
from tests.test_template import (
    condition_holds,
    deployed,
    function_environment,
    parameter_values,
    resources_of_type,
)

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "src" / "portfolio_api"
NO_VALUE = {"Ref": "AWS::NoValue"}
POOL_ID = {"Fn::If": ["CreateUserPool", {"Ref": "UserPool"}, {"Ref": "CognitoUserPoolId"}]}
POOL_REGION = {
    "Fn::If": [
        "CreateUserPool",
        {"Ref": "AWS::Region"},
        {"Fn::Select": [0, {"Fn::Split": ["_", {"Ref": "CognitoUserPoolId"}]}]},
    ]
}

# What each SDK call the app makes needs from IAM. Cognito calls authorised by the user's
# password or tokens need nothing; a pre-signed GET is signed with the role's GetObject.
IAM_ACTION_OF_CALL = {
    "get_item": "dynamodb:GetItem",
    "batch_get_item": "dynamodb:BatchGetItem",
    "query": "dynamodb:Query",
    "put_item": "dynamodb:PutItem",
    "update_item": "dynamodb:UpdateItem",
    "delete_item": "dynamodb:DeleteItem",
    "transact_write_items": "dynamodb:TransactWriteItems",
    "condition_check": "dynamodb:ConditionCheckItem",
    "head_object": "s3:GetObject",
    "put_object": "s3:PutObject",
    "generate_presigned_url": "s3:GetObject",
    "admin_user_global_sign_out": "cognito-idp:AdminUserGlobalSignOut",
    "initiate_auth": None,
    "respond_to_auth_challenge": None,
    "global_sign_out": None,
    "get_user": None,
    # Authorized by the user's access token, like get_user: no IAM permission involved.
    "associate_software_token": None,
    "verify_software_token": None,
    "set_user_mfa_preference": None,
}


def statements(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    policies = template["Resources"]["PortfolioFunction"]["Properties"]["Policies"]
    assert len(policies) == 1, "one inline policy document, no managed policies"
    return {statement["Sid"]: statement for statement in policies[0]["Statement"]}


def actions(statement: dict[str, Any]) -> set[str]:
    action = statement["Action"]
    return {action} if isinstance(action, str) else set(action)


def sdk_calls_of_the_app() -> set[str]:
    """Operations the app's code calls: `self._call("op", ...)` and `self._client.op(...)`."""
    calls: set[str] = set()
    for path in SOURCES.rglob("*.py"):
        if {"local", "backup"} & set(path.relative_to(SOURCES).parts):
            continue  # operator tooling (emulator, export/import) that never runs in Lambda
        text = path.read_text()
        calls |= set(re.findall(r"\b_call\(\s*\"(\w+)\"", text))
        calls |= set(re.findall(r"\b_client\.(\w+)\(", text))
        if '"ConditionCheck"' in text:  # a transaction action with its own IAM permission
            calls.add("condition_check")
    return calls - {"cache_clear"}


def test_role_allows_every_sdk_call_the_app_makes(template: dict[str, Any]) -> None:
    calls = sdk_calls_of_the_app()
    unknown = calls - set(IAM_ACTION_OF_CALL)
    assert not unknown, f"New SDK calls: map them in IAM_ACTION_OF_CALL and the role: {unknown}"
    granted = set().union(*(actions(s) for s in statements(template).values()))
    needed = {IAM_ACTION_OF_CALL[call] for call in calls} - {None}
    assert needed <= granted, needed - granted


def test_role_grants_no_dynamodb_action_the_app_does_not_use(template: dict[str, Any]) -> None:
    granted = actions(statements(template)["SingleTableAccessByKey"])
    needed = {IAM_ACTION_OF_CALL[call] for call in sdk_calls_of_the_app()} - {None}
    assert granted == {action for action in needed if action.startswith("dynamodb:")}


def test_role_allows_no_wildcard_action_or_resource(template: dict[str, Any]) -> None:
    for sid, statement in statements(template).items():
        assert statement["Effect"] == "Allow"
        assert not any("*" in action for action in actions(statement)), sid
        assert statement["Resource"] != "*", sid


def test_role_reaches_only_the_bucket_prefix_of_the_pdfs(template: dict[str, Any]) -> None:
    objects = statements(template)["RenderedResumes"]
    assert actions(objects) == {"s3:GetObject", "s3:PutObject"}
    assert objects["Resource"] == {"Fn::Sub": "${FilesBucket.Arn}/resume/pdf/*"}
    key = resume_service.pdf_object_key(version=1, document={})
    assert fnmatch.fnmatchcase(key, "resume/pdf/*"), key
    # S3 decides 404 or 403 for a missing key with ListBucket and the key as s3:prefix.
    listing = statements(template)["MissingObjectsAreNotFound"]
    assert actions(listing) == {"s3:ListBucket"}
    assert listing["Resource"] == {"Fn::GetAtt": ["FilesBucket", "Arn"]}
    assert listing["Condition"] == {"StringLike": {"s3:prefix": "resume/pdf/*"}}


def test_role_calls_cognito_only_for_the_owner_sign_out_on_its_pool(
    template: dict[str, Any],
) -> None:
    cognito = [s for s in statements(template).values() if "cognito-idp:" in str(s["Action"])]
    assert len(cognito) == 1
    assert actions(cognito[0]) == {"cognito-idp:AdminUserGlobalSignOut"}
    assert cognito[0]["Resource"] == {
        "Fn::Sub": [
            "arn:${AWS::Partition}:cognito-idp:${PoolRegion}:${AWS::AccountId}:userpool/${PoolId}",
            {"PoolId": POOL_ID, "PoolRegion": POOL_REGION},
        ]
    }


OTHER_REGION_POOL = {"CognitoUserPoolId": "eu-west-1_AbCd1234", "CognitoClientId": "abc123"}


def test_an_existing_pool_in_another_region_is_called_and_trusted_in_its_region(
    template: dict[str, Any],
) -> None:
    variables = deployed(template, function_environment(template), **OTHER_REGION_POOL)
    assert variables["COGNITO_REGION"] == "eu-west-1"
    assert variables["COGNITO_USER_POOL_ID"] == "eu-west-1_AbCd1234"
    (grant,) = (
        deployed(template, s, **OTHER_REGION_POOL)["Resource"]
        for s in statements(template).values()
        if "cognito-idp:" in str(s["Action"])
    )
    assert grant == {
        "Fn::Sub": "arn:${AWS::Partition}:cognito-idp:eu-west-1:${AWS::AccountId}"
        ":userpool/eu-west-1_AbCd1234"
    }
    body = template["Resources"]["PortfolioHttpApi"]["Properties"]["DefinitionBody"]
    authorizer = body["components"]["securitySchemes"]["OwnerJwt"]["x-amazon-apigateway-authorizer"]
    issuer = deployed(template, authorizer["jwtConfiguration"]["issuer"], **OTHER_REGION_POOL)
    assert issuer == {"Fn::Sub": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCd1234"}


def test_the_created_pool_is_in_the_stack_region(template: dict[str, Any]) -> None:
    assert deployed(template, function_environment(template))["COGNITO_REGION"] == {
        "Ref": "AWS::Region"
    }


def test_an_existing_pool_id_names_its_region(template: dict[str, Any]) -> None:
    pattern = re.compile(template["Parameters"]["CognitoUserPoolId"]["AllowedPattern"])
    for good in ("", "us-east-1_AbCd1234", "eu-west-1_x9", "us-gov-west-1_Ab", "ap-southeast-2_Z"):
        assert pattern.fullmatch(good), good
    for bad in ("AbCd1234", "_AbCd1234", "us-east-1_", "us-east-1-AbCd", "EU-west-1_Ab"):
        assert not pattern.fullmatch(bad), bad


def test_function_uses_the_stack_pool_or_the_given_one(template: dict[str, Any]) -> None:
    variables = function_environment(template)
    assert variables["COGNITO_USER_POOL_ID"] == POOL_ID
    assert variables["COGNITO_CLIENT_ID"] == {
        "Fn::If": ["CreateUserPool", {"Ref": "UserPoolClient"}, {"Ref": "CognitoClientId"}]
    }
    assert template["Conditions"]["CreateUserPool"] == {
        "Fn::Equals": [{"Ref": "CognitoUserPoolId"}, ""]
    }
    rule = template["Rules"]["ExistingUserPoolNeedsItsClient"]
    assert rule["Assertions"][0]["Assert"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "CognitoClientId"}, ""]}]
    }


def test_user_pool_admits_no_self_sign_up_and_demands_strong_passwords(
    template: dict[str, Any],
) -> None:
    pool = template["Resources"]["UserPool"]
    properties = pool["Properties"]
    assert pool["Condition"] == "CreateUserPool"
    assert properties["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    policy = properties["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] >= 12
    for requirement in ("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols"):
        assert policy[requirement] is True, requirement
    assert properties["MfaConfiguration"] == {"Ref": "CognitoMfa"}
    assert properties["EnabledMfas"] == {
        "Fn::If": ["CreateUserPoolWithMfa", ["SOFTWARE_TOKEN_MFA"], NO_VALUE]
    }


def test_user_pool_has_the_owner_group_the_app_checks(template: dict[str, Any]) -> None:
    group = template["Resources"]["OwnerGroup"]["Properties"]
    assert group["GroupName"] == auth_service.OWNER_GROUP
    assert group["UserPoolId"] == {"Ref": "UserPool"}


def test_app_client_allows_exactly_the_auth_flows_the_app_uses(template: dict[str, Any]) -> None:
    used = set(re.findall(r'AuthFlow="(\w+)"', (SOURCES / "auth" / "cognito.py").read_text()))
    assert used == {"USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"}
    client = template["Resources"]["UserPoolClient"]["Properties"]
    assert set(client["ExplicitAuthFlows"]) == {f"ALLOW_{flow}" for flow in used}
    assert client["GenerateSecret"] is False
    assert client["EnableTokenRevocation"] is True


def test_app_client_tokens_are_short_lived(template: dict[str, Any]) -> None:
    client = template["Resources"]["UserPoolClient"]["Properties"]
    assert client["TokenValidityUnits"] == {
        "IdToken": "minutes",
        "AccessToken": "minutes",
        "RefreshToken": "days",
    }
    assert client["IdTokenValidity"] <= 60
    assert client["AccessTokenValidity"] <= 60
    assert client["RefreshTokenValidity"] <= 30


def test_bucket_is_private_encrypted_and_retained(template: dict[str, Any]) -> None:
    bucket = template["Resources"]["FilesBucket"]
    properties = bucket["Properties"]
    assert bucket["DeletionPolicy"] == "Retain"
    assert bucket["UpdateReplacePolicy"] == "Retain"
    assert properties["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    (rule,) = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert properties["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]


def test_bucket_refuses_plain_http(template: dict[str, Any]) -> None:
    (statement,) = template["Resources"]["FilesBucketPolicy"]["Properties"]["PolicyDocument"][
        "Statement"
    ]
    assert statement["Effect"] == "Deny"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_rendered_pdfs_expire_under_the_prefix_the_app_writes(template: dict[str, Any]) -> None:
    rules = template["Resources"]["FilesBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    expiry = next(rule for rule in rules if rule["Id"] == "ExpireRenderedResumes")
    assert expiry["ExpirationInDays"] == {"Ref": "RenderedFileRetentionDays"}
    key = resume_service.pdf_object_key(version=3, document={"basics": {"name": "Ada"}})
    assert key.startswith(expiry["Prefix"])
    assert function_environment(template)["S3_BUCKET_NAME"] == {"Ref": "FilesBucket"}


# The reference's monitoring table: metric -> threshold.
REFERENCE_THRESHOLDS = {
    "FunctionErrorRateAlarm": 1,  # Lambda errors > 1% of invocations
    "FunctionThrottlesAlarm": 0,  # Lambda throttles > 0
    "FunctionDurationAlarm": 90,  # Lambda p99 duration >= 90% of FunctionTimeout
    "Api4xxRateAlarm": 5,  # 4xx > 5% of requests
    "Api5xxRateAlarm": 1,  # 5xx > 1% of requests
    "ApiLatencyAlarm": 2_000,  # latency > 2 s
    "TableThrottlesAlarm": 0,  # DynamoDB throttles > 0
}


def test_alarms_match_the_reference_thresholds(template: dict[str, Any]) -> None:
    alarms = {
        name: resource["Properties"]
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::CloudWatch::Alarm"
    }
    assert {name: alarm["Threshold"] for name, alarm in alarms.items()} == REFERENCE_THRESHOLDS


GIVEN_TOPIC = "arn:aws:sns:us-east-1:123456789012:ops-alarms"


def test_every_alarm_always_notifies_the_given_topic_or_the_stacks_own(
    template: dict[str, Any],
) -> None:
    """An alarm without actions notifies nobody: with AlarmTopicArn empty (the default, and
    prod's samconfig) the alarms go to the topic the stack creates."""
    alarms = [
        name
        for name, resource in template["Resources"].items()
        if resource["Type"] == "AWS::CloudWatch::Alarm"
    ]
    assert sorted(alarms) == sorted(REFERENCE_THRESHOLDS)
    for parameters, topic in (
        ({}, {"Ref": "AlarmTopic"}),
        ({"AlarmEmail": "ops@example.com"}, {"Ref": "AlarmTopic"}),
        ({"AlarmTopicArn": GIVEN_TOPIC}, GIVEN_TOPIC),
    ):
        for name in alarms:
            alarm = deployed(template, template["Resources"][name]["Properties"], **parameters)
            assert alarm["AlarmActions"] == [topic], (name, parameters)
            assert alarm["OKActions"] == [topic], (name, parameters)
            assert alarm["TreatMissingData"] == "notBreaching", name
    output = template["Outputs"]["AlarmNotificationTopicArn"]["Value"]
    assert deployed(template, output) == {"Ref": "AlarmTopic"}
    assert deployed(template, output, AlarmTopicArn=GIVEN_TOPIC) == GIVEN_TOPIC


def test_the_alarm_topic_exists_only_without_a_given_topic(template: dict[str, Any]) -> None:
    topics = resources_of_type(template, "AWS::SNS::Topic")
    assert list(topics) == ["AlarmTopic"]
    condition = topics["AlarmTopic"]["Condition"]
    assert condition_holds(template, condition, parameter_values(template))
    given = parameter_values(template, AlarmTopicArn=GIVEN_TOPIC)
    assert not condition_holds(template, condition, given)


def test_the_email_subscription_exists_only_with_an_alarm_email(template: dict[str, Any]) -> None:
    subscriptions = resources_of_type(template, "AWS::SNS::Subscription")
    assert list(subscriptions) == ["AlarmEmailSubscription"]
    subscription = subscriptions["AlarmEmailSubscription"]
    assert subscription["Properties"] == {
        "TopicArn": {"Ref": "AlarmTopic"},
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
    }
    email = "ops@example.com"
    cases = {
        (): False,
        (("AlarmEmail", email),): True,
        (("AlarmTopicArn", GIVEN_TOPIC),): False,
        (("AlarmEmail", email), ("AlarmTopicArn", GIVEN_TOPIC)): False,
    }
    for overrides, exists in cases.items():
        values = parameter_values(template, **dict(overrides))
        assert condition_holds(template, subscription["Condition"], values) is exists, overrides


def test_alarm_email_is_one_address_or_empty(template: dict[str, Any]) -> None:
    pattern = re.compile(template["Parameters"]["AlarmEmail"]["AllowedPattern"])
    assert template["Parameters"]["AlarmEmail"]["Default"] == ""
    for good in ("", "ops@example.com", "first.last+alarms@mail.example.co.uk"):
        assert pattern.fullmatch(good), good
    for bad in ("ops", "ops@example", "a@b.c,d@e.f", "ops @example.com"):
        assert not pattern.fullmatch(bad), bad


def test_duration_alarm_follows_the_function_timeout(template: dict[str, Any]) -> None:
    """FunctionTimeout is 1-29 s: a fixed threshold would never fire below a 10 s timeout
    and fire on healthy requests above it. The alarm compares p99 duration with 90% of it."""
    alarm = template["Resources"]["FunctionDurationAlarm"]["Properties"]
    assert "MetricName" not in alarm, "a fixed-millisecond threshold on Duration"
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    (expression,) = (m for m in alarm["Metrics"] if "Expression" in m)
    (duration,) = (m for m in alarm["Metrics"] if "MetricStat" in m)
    assert duration["Id"] == "duration"
    assert duration["ReturnData"] is False
    assert duration["MetricStat"]["Metric"]["MetricName"] == "Duration"
    assert duration["MetricStat"]["Stat"] == "p99"
    assert duration["MetricStat"]["Unit"] == "Milliseconds"
    template_text = expression["Expression"]["Fn::Sub"]
    for timeout in (1, 10, 29):
        text = template_text.replace("${FunctionTimeout}", str(timeout))
        match = re.fullmatch(r"100 \* duration / \((\d+) \* 1000\)", text)
        assert match, text
        # The p99 duration (ms) at which the alarm fires: 90% of the timeout.
        firing_ms = alarm["Threshold"] / 100 * int(match[1]) * 1000
        assert firing_ms == pytest.approx(0.9 * timeout * 1000), timeout


def test_rate_alarms_divide_errors_by_traffic(template: dict[str, Any]) -> None:
    expressions = {
        name: next(m["Expression"] for m in template["Resources"][name]["Properties"]["Metrics"])
        for name in ("FunctionErrorRateAlarm", "Api4xxRateAlarm", "Api5xxRateAlarm")
    }
    assert expressions == {
        "FunctionErrorRateAlarm": "IF(invocations > 0, 100 * errors / invocations, 0)",
        "Api4xxRateAlarm": "IF(requests > 0, 100 * clientErrors / requests, 0)",
        "Api5xxRateAlarm": "IF(requests > 0, 100 * serverErrors / requests, 0)",
    }


def test_the_cost_of_the_alarms_in_operations_md_counts_the_templates_metrics(
    template: dict[str, Any],
) -> None:
    """CloudWatch bills $0.10 a month per metric an alarm watches: one for a single-metric
    alarm, one per `MetricStat` of a metric math alarm (its expressions are free)."""
    metrics = sum(
        sum("MetricStat" in query for query in alarm["Metrics"]) if "Metrics" in alarm else 1
        for alarm in (template["Resources"][name]["Properties"] for name in REFERENCE_THRESHOLDS)
    )
    text = " ".join((ROOT / "docs" / "operations.md").read_text().split())
    match = re.search(
        r"CloudWatch alarms \$(\d+\.\d\d) \((\d+) metrics across the (\d+) alarms at \$0\.10\)",
        text,
    )
    assert match, "operations.md no longer prices the alarms"
    assert (int(match[2]), int(match[3])) == (metrics, len(REFERENCE_THRESHOLDS))
    assert match[1] == f"{metrics * 0.10:.2f}"


def failed_rules(template: dict[str, Any], **parameters: str) -> list[str]:
    """Names of the template's rules that refuse a deploy with `parameters`."""
    values = parameter_values(template, **parameters)
    return sorted(
        name
        for name, rule in template["Rules"].items()
        if condition_holds(template, rule.get("RuleCondition", {"Fn::Equals": ["", ""]}), values)
        and not all(condition_holds(template, a["Assert"], values) for a in rule["Assertions"])
    )


DOMAIN = "api.jane.example"
ZONE = "Z0123456789ABCDEFGHIJ"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"


def custom_domain_resources(template: dict[str, Any], **parameters: str) -> set[str]:
    """The custom-domain resources CloudFormation creates with `parameters`."""
    values = parameter_values(template, **parameters)
    return {
        name
        for name, resource in template["Resources"].items()
        if name.startswith("ApiDomain") or name == "ApiCertificate"
        if condition_holds(template, resource.get("Condition", "HasCustomDomain"), values)
    }


def test_custom_domain_resources_exist_only_with_a_domain(template: dict[str, Any]) -> None:
    assert custom_domain_resources(template) == set()
    assert custom_domain_resources(template, DomainName=DOMAIN, HostedZoneId=ZONE) == {
        "ApiCertificate",
        "ApiDomainName",
        "ApiDomainMapping",
        "ApiDomainRecordA",
        "ApiDomainRecordAAAA",
    }
    certificate = template["Resources"]["ApiCertificate"]["Properties"]
    assert certificate["ValidationMethod"] == "DNS"
    rule = template["Rules"]["CustomDomainNeedsZoneOrCertificateAndDefaultStage"]
    assert {"Fn::Equals": [{"Ref": "StageName"}, "$default"]} in [
        assertion["Assert"] for assertion in rule["Assertions"]
    ]


def test_a_given_certificate_replaces_the_created_one_and_needs_no_zone(
    template: dict[str, Any],
) -> None:
    given = {"DomainName": DOMAIN, "CertificateArn": CERTIFICATE}
    assert custom_domain_resources(template, **given) == {"ApiDomainName", "ApiDomainMapping"}
    domain = deployed(template, template["Resources"]["ApiDomainName"]["Properties"], **given)
    assert domain["DomainNameConfigurations"][0]["CertificateArn"] == CERTIFICATE
    created = deployed(
        template,
        template["Resources"]["ApiDomainName"]["Properties"],
        DomainName=DOMAIN,
        HostedZoneId=ZONE,
    )
    assert created["DomainNameConfigurations"][0]["CertificateArn"] == {"Ref": "ApiCertificate"}
    # With a zone as well, the stack still writes the alias records there.
    assert custom_domain_resources(template, **given, HostedZoneId=ZONE) == {
        "ApiDomainName",
        "ApiDomainMapping",
        "ApiDomainRecordA",
        "ApiDomainRecordAAAA",
    }


def test_the_stack_outputs_the_cname_target_of_the_custom_domain(template: dict[str, Any]) -> None:
    output = template["Outputs"]["CustomDomainTarget"]
    assert output["Condition"] == "HasCustomDomain"
    assert output["Value"] == {"Fn::GetAtt": ["ApiDomainName", "RegionalDomainName"]}
    assert "CNAME" in output["Description"]


def test_rules_refuse_a_custom_domain_without_a_zone_or_a_certificate(
    template: dict[str, Any],
) -> None:
    assert failed_rules(template) == []
    assert failed_rules(template, DomainName=DOMAIN) == [
        "CustomDomainNeedsZoneOrCertificateAndDefaultStage"
    ]
    assert failed_rules(template, DomainName=DOMAIN, HostedZoneId=ZONE) == []
    assert failed_rules(template, DomainName=DOMAIN, CertificateArn=CERTIFICATE) == []
    assert failed_rules(template, CertificateArn=CERTIFICATE) == ["CertificateIsForTheCustomDomain"]
    assert failed_rules(template, DomainName=DOMAIN, HostedZoneId=ZONE, StageName="prod") == [
        "CustomDomainNeedsZoneOrCertificateAndDefaultStage"
    ]


def test_certificate_arn_is_an_acm_arn_or_empty(template: dict[str, Any]) -> None:
    pattern = re.compile(template["Parameters"]["CertificateArn"]["AllowedPattern"])
    for good in ("", CERTIFICATE, CERTIFICATE.replace("arn:aws:", "arn:aws-us-gov:")):
        assert pattern.fullmatch(good), good
    for bad in ("0b1c2d3e", CERTIFICATE.replace(":acm:", ":iam:"), f"{CERTIFICATE} "):
        assert not pattern.fullmatch(bad), bad


def test_docs_switch_is_a_parameter_on_by_default(template: dict[str, Any]) -> None:
    assert function_environment(template)["DOCS_ENABLED"] == {"Ref": "DocsEnabled"}
    assert template["Parameters"]["DocsEnabled"]["Default"] == "true"
