"""The SAM template: it lints, it transforms offline, and it agrees with the code it deploys."""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cfnlint.decode import decode_str
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

from portfolio_api.config import Settings

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
INTEGRATION = "x-amazon-apigateway-integration"
NO_VALUE = {"Ref": "AWS::NoValue"}


def load_template() -> dict[str, Any]:
    """The template as plain JSON-like data, short-form tags (`!Ref`) in long form."""
    template, errors = decode_str(TEMPLATE.read_text())
    assert not errors, errors
    plain: dict[str, Any] = json.loads(json.dumps(template))
    return plain


def transform(template: dict[str, Any]) -> dict[str, Any]:
    """The CloudFormation that `sam deploy` would submit, translated offline.

    `sam package` replaces the local CodeUri with the uploaded zip; the translator insists on
    that. No managed policies are referenced by name, so the policy map is empty.
    """
    packaged = copy.deepcopy(template)
    packaged["Resources"]["PortfolioFunction"]["Properties"]["CodeUri"] = "s3://bucket/api.zip"
    translator = Translator(managed_policy_map={}, sam_parser=Parser())
    result: dict[str, Any] = translator.translate(packaged, parameter_values={})
    return result


def resources_of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        name: resource
        for name, resource in template["Resources"].items()
        if resource["Type"] == kind
    }


def parameter_values(template: dict[str, Any], **overrides: str) -> dict[str, str]:
    """Every parameter's value: its default unless overridden (CloudFormation passes strings)."""
    defaults = {name: str(p.get("Default")) for name, p in template["Parameters"].items()}
    return defaults | overrides


def condition_holds(template: dict[str, Any], condition: Any, values: dict[str, str]) -> bool:
    """A condition (name or Equals/Not/And/Or/Condition) evaluated with parameter `values`."""
    if isinstance(condition, str):
        return condition_holds(template, template["Conditions"][condition], values)
    ((function, arguments),) = condition.items()
    if function == "Condition":
        return condition_holds(template, arguments, values)
    if function == "Fn::Equals":
        left, right = (values[a["Ref"]] if isinstance(a, dict) else str(a) for a in arguments)
        return left == right
    results = [condition_holds(template, argument, values) for argument in arguments]
    return {"Fn::Not": not results[0], "Fn::And": all(results), "Fn::Or": any(results)}[function]


def deployed(template: dict[str, Any], value: Any, **parameters: str) -> Any:
    """`value` as CloudFormation deploys it with `parameters` (defaults otherwise): parameters
    substituted, each `Fn::If` decided, `AWS::NoValue` left out, `Fn::Split`/`Fn::Select` of
    known strings computed and the known variables of a `Fn::Sub` filled in (pseudo
    parameters and resources stay as they are)."""
    values = parameter_values(template, **parameters)

    def substitute(text: str, variables: dict[str, Any]) -> Any:
        known = {name: item for name, item in variables.items() if isinstance(item, str)}
        for name, item in known.items():
            text = text.replace(f"${{{name}}}", item)
        unknown = {name: item for name, item in variables.items() if name not in known}
        return {"Fn::Sub": [text, unknown] if unknown else text}

    def resolve(node: Any) -> Any:
        if isinstance(node, list):
            return [item for item in map(resolve, node) if item != NO_VALUE]
        if not isinstance(node, dict):
            return node
        if list(node) == ["Ref"] and node["Ref"] in values:
            return values[node["Ref"]]
        if list(node) == ["Fn::If"]:
            name, if_true, if_false = node["Fn::If"]
            return resolve(if_true if condition_holds(template, name, values) else if_false)
        resolved = {key: resolve(item) for key, item in node.items()}
        if list(resolved) == ["Fn::Split"]:
            delimiter, source = resolved["Fn::Split"]
            if isinstance(source, str):
                return source.split(delimiter)
        if list(resolved) == ["Fn::Select"]:
            index, items = resolved["Fn::Select"]
            if isinstance(items, list):
                return items[int(index)]
        if list(resolved) == ["Fn::Sub"] and isinstance(resolved["Fn::Sub"], list):
            return substitute(*resolved["Fn::Sub"])
        return {key: item for key, item in resolved.items() if item != NO_VALUE}

    return resolve(value)


def function_environment(template: dict[str, Any]) -> dict[str, Any]:
    variables: dict[str, Any] = template["Resources"]["PortfolioFunction"]["Properties"][
        "Environment"
    ]["Variables"]
    return variables


def test_cfn_lint_passes_without_errors_or_warnings() -> None:
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        [str(cfn_lint), str(TEMPLATE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def version_logical_ids(template: dict[str, Any], code_uri: str, **parameters: str) -> list[str]:
    """Logical ids of the `AWS::Lambda::Version` that SAM's AutoPublishAlias would create when
    the stack is deployed with `parameters` (CloudFormation runs the transform with the
    stack's parameter values)."""
    packaged = copy.deepcopy(template)
    packaged["Resources"]["PortfolioFunction"]["Properties"]["CodeUri"] = code_uri
    translator = Translator(managed_policy_map={}, sam_parser=Parser())
    result = translator.translate(
        packaged, parameter_values=parameter_values(template, **parameters)
    )
    return sorted(resources_of_type(result, "AWS::Lambda::Version"))


def test_parameter_only_changes_publish_no_new_version_for_the_live_alias(
    template: dict[str, Any],
) -> None:
    """Pins the finding behind docs/operations.md, "Changes that do not reach `live`" (and
    docs/deploy.md, "What reaches the `live` alias"): AutoPublishAlias hashes the function's
    Environment, MemorySize and SnapStart as written, `!Ref`/`!If` unresolved, so a deploy
    that changes only parameters keeps the Version's logical id: no new version is published
    and `live` keeps the old configuration. Only new code (a new S3 key) publishes one. If
    this test fails, SAM now publishes on parameter changes: simplify those runbook sections
    (no more manual publish-version / update-alias after a parameter-only deploy)."""
    code = "s3://bucket/api.zip"
    (baseline,) = version_logical_ids(template, code)
    for name, value in {
        "LogLevel": "DEBUG",
        "CorsOrigins": "https://jane.example",
        "FunctionTimeout": "20",
        "FunctionMemorySize": "2048",
        "EnableSnapStart": "true",
        "DocsEnabled": "false",
    }.items():
        assert version_logical_ids(template, code, **{name: value}) == [baseline], name
    assert version_logical_ids(template, "s3://bucket/api-v2.zip") != [baseline]


def test_transform_yields_arm64_python313_function(transformed: dict[str, Any]) -> None:
    functions = resources_of_type(transformed, "AWS::Lambda::Function")
    assert list(functions) == ["PortfolioFunction"]
    properties = functions["PortfolioFunction"]["Properties"]
    assert properties["Runtime"] == "python3.13"
    assert properties["Architectures"] == ["arm64"]
    assert properties["Handler"] == "portfolio_api.main.handler"
    assert properties["MemorySize"] == {"Ref": "FunctionMemorySize"}
    assert properties["Timeout"] == {"Ref": "FunctionTimeout"}
    assert properties["TracingConfig"] == {"Mode": "Active"}
    assert properties["LoggingConfig"] == {"LogGroup": {"Ref": "PortfolioFunctionLogGroup"}}


def test_memory_and_timeout_default_to_1024_mb_and_10_seconds(template: dict[str, Any]) -> None:
    parameters = template["Parameters"]
    assert parameters["FunctionMemorySize"]["Default"] == 1024
    assert parameters["FunctionTimeout"]["Default"] == 10
    # The HTTP API stops waiting after 30 s; a longer function timeout would only cost money.
    assert parameters["FunctionTimeout"]["MaxValue"] < 30


def test_concurrency_settings_are_optional(transformed: dict[str, Any]) -> None:
    function = transformed["Resources"]["PortfolioFunction"]["Properties"]
    alias = transformed["Resources"]["PortfolioFunctionAliaslive"]["Properties"]
    no_value = {"Ref": "AWS::NoValue"}
    assert function["ReservedConcurrentExecutions"] == {
        "Fn::If": ["HasReservedConcurrency", {"Ref": "ReservedConcurrency"}, no_value]
    }
    assert alias["ProvisionedConcurrencyConfig"] == {
        "Fn::If": [
            "HasProvisionedConcurrency",
            {"ProvisionedConcurrentExecutions": {"Ref": "ProvisionedConcurrency"}},
            no_value,
        ]
    }
    assert function["SnapStart"] == {
        "ApplyOn": {"Fn::If": ["UseSnapStart", "PublishedVersions", "None"]}
    }


def test_snapstart_and_provisioned_concurrency_are_mutually_exclusive(
    template: dict[str, Any],
) -> None:
    rule = template["Rules"]["SnapStartExcludesProvisionedConcurrency"]
    assert rule["RuleCondition"] == {"Fn::Equals": [{"Ref": "EnableSnapStart"}, "true"]}
    assert rule["Assertions"][0]["Assert"] == {
        "Fn::Equals": [{"Ref": "ProvisionedConcurrency"}, "0"]
    }
    assert template["Parameters"]["EnableSnapStart"]["Default"] == "false"


def test_transform_yields_one_http_api_with_no_gateway_cors(transformed: dict[str, Any]) -> None:
    apis = resources_of_type(transformed, "AWS::ApiGatewayV2::Api")
    assert list(apis) == ["PortfolioHttpApi"]
    body = apis["PortfolioHttpApi"]["Properties"]["Body"]
    # With a gateway CORS configuration API Gateway drops the app's CORS headers, and with
    # them the public counter's own policy; the app's CORS middleware answers instead.
    assert "x-amazon-apigateway-cors" not in body
    assert "CorsConfiguration" not in apis["PortfolioHttpApi"]["Properties"]


def test_cors_origins_reach_the_app_from_parameters(template: dict[str, Any]) -> None:
    variables = function_environment(template)
    assert variables["CORS_ORIGINS"] == {"Ref": "CorsOrigins"}
    assert variables["COUNTER_CORS_ORIGINS"] == {"Ref": "CounterCorsOrigins"}
    assert "*" not in template["Parameters"]["CorsOrigins"]["Default"]


def test_api_invokes_the_function_through_one_permission(transformed: dict[str, Any]) -> None:
    permissions = resources_of_type(transformed, "AWS::Lambda::Permission")
    assert list(permissions) == ["HttpApiInvokePermission"]
    properties = permissions["HttpApiInvokePermission"]["Properties"]
    assert properties["FunctionName"] == {"Ref": "PortfolioFunctionAliaslive"}
    assert properties["Principal"] == "apigateway.amazonaws.com"
    assert properties["SourceArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}"
        ":${PortfolioHttpApi}/*"
    }


def test_stage_writes_json_access_logs_to_a_retained_log_group(
    transformed: dict[str, Any],
) -> None:
    (stage,) = resources_of_type(transformed, "AWS::ApiGatewayV2::Stage").values()
    settings = stage["Properties"]["AccessLogSettings"]
    assert settings["DestinationArn"] == {"Fn::GetAtt": ["HttpApiAccessLogGroup", "Arn"]}
    fields = json.loads(settings["Format"])
    assert {"requestId", "routeKey", "status", "latency", "authorizerError"} <= set(fields)
    group = transformed["Resources"]["HttpApiAccessLogGroup"]["Properties"]
    assert group["RetentionInDays"] == {"Fn::If": ["IsProd", 90, 14]}


def test_access_log_records_neither_the_client_ip_nor_the_user_agent(
    transformed: dict[str, Any],
) -> None:
    """IP + User-Agent is the input of the visitor hash; docs/visitor-counter.md promises the
    IP is never logged, and the access log is kept 90 days in prod."""
    (stage,) = resources_of_type(transformed, "AWS::ApiGatewayV2::Stage").values()
    log_format = stage["Properties"]["AccessLogSettings"]["Format"]
    variables = {variable.lower() for variable in re.findall(r"\$context\.[\w.]+", log_format)}
    assert variables, "the access log format has no $context variables"
    assert "$context.identity.sourceip" not in variables
    assert "$context.identity.useragent" not in variables
    # $context.identity.* is the caller (IP, User-Agent, ...): none of it belongs here.
    assert not {v for v in variables if v.startswith("$context.identity.")}, variables
    assert not {"ip", "userAgent", "sourceIp"} & set(json.loads(log_format))


def test_stage_throttles_every_route_by_default(transformed: dict[str, Any]) -> None:
    (stage,) = resources_of_type(transformed, "AWS::ApiGatewayV2::Stage").values()
    assert stage["Properties"]["DefaultRouteSettings"] == {
        "ThrottlingRateLimit": {"Ref": "ThrottlingRateLimit"},
        "ThrottlingBurstLimit": {"Ref": "ThrottlingBurstLimit"},
        "DetailedMetricsEnabled": False,
    }


def test_http_api_stage_comes_from_the_stage_parameter(transformed: dict[str, Any]) -> None:
    stages = resources_of_type(transformed, "AWS::ApiGatewayV2::Stage")
    assert [stage["Properties"]["StageName"] for stage in stages.values()] == [{"Ref": "StageName"}]


def test_function_role_reaches_the_table_by_key_only(transformed: dict[str, Any]) -> None:
    role = transformed["Resources"]["PortfolioFunctionRole"]["Properties"]
    statements = [
        statement
        for policy in role["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
    ]
    dynamodb = [s for s in statements if any(a.startswith("dynamodb:") for a in s["Action"])]
    assert len(dynamodb) == 1
    assert set(dynamodb[0]["Action"]) == {
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:TransactWriteItems",
    }
    assert dynamodb[0]["Resource"] == [
        {"Fn::GetAtt": ["PortfolioTable", "Arn"]},
        {"Fn::Sub": "${PortfolioTable.Arn}/index/*"},
    ]


def test_function_environment_names_only_settings_fields(template: dict[str, Any]) -> None:
    variables = function_environment(template)
    assert set(variables) <= {name.upper() for name in Settings.model_fields}
    assert {"DYNAMODB_TABLE_NAME", "CURSOR_SECRET", "API_BASE_PATH", "CORS_ORIGINS"} <= set(
        variables
    )


def test_cursor_secret_is_resolved_from_secrets_manager(template: dict[str, Any]) -> None:
    variables = function_environment(template)
    assert variables["CURSOR_SECRET"] == {"Fn::Sub": "{{resolve:secretsmanager:${CursorSecret}}}"}
    assert template["Resources"]["CursorSecret"]["Type"] == "AWS::SecretsManager::Secret"


def test_api_base_path_is_empty_on_default_stage_and_the_stage_otherwise(
    template: dict[str, Any],
) -> None:
    variables = function_environment(template)
    assert template["Conditions"]["IsDefaultStage"] == {
        "Fn::Equals": [{"Ref": "StageName"}, "$default"]
    }
    assert variables["API_BASE_PATH"] == {
        "Fn::If": ["IsDefaultStage", "", {"Fn::Sub": "/${StageName}"}]
    }


def test_every_parameter_is_in_exactly_one_console_group(template: dict[str, Any]) -> None:
    groups = template["Metadata"]["AWS::CloudFormation::Interface"]["ParameterGroups"]
    grouped = [name for group in groups for name in group["Parameters"]]
    assert sorted(grouped) == sorted(template["Parameters"])


def test_outputs_give_a_frontend_what_it_needs(template: dict[str, Any]) -> None:
    assert set(template["Outputs"]) == {
        "ApiUrl",
        "CustomDomainUrl",
        "CustomDomainTarget",
        "TableName",
        "FunctionName",
        "FunctionRoleArn",
        "UserPoolId",
        "UserPoolClientId",
        "FilesBucketName",
        "CursorSecretArn",
        "AlarmNotificationTopicArn",
    }
    assert template["Outputs"]["CustomDomainUrl"]["Condition"] == "HasCustomDomain"


# The Makefile build leaves out the SDK that the Lambda runtime provides. That is only safe
# while nothing else in the bundle needs those packages.


def makefile_runtime_provided() -> set[str]:
    match = re.search(r"^RUNTIME_PROVIDED := (.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert match, "Makefile lost its RUNTIME_PROVIDED list"
    return set(match.group(1).split())


def locked_runtime_closure(*, without: set[str]) -> set[str]:
    """Packages the project needs at run time per uv.lock, not walking into `without`."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    packages = {package["name"]: package for package in lock["package"]}

    def requirements(name: str, extras: list[str]) -> list[tuple[str, list[str]]]:
        package = packages[name]
        entries = list(package.get("dependencies", []))
        for extra in extras:
            entries += package.get("optional-dependencies", {}).get(extra, [])
        return [(entry["name"], entry.get("extra", [])) for entry in entries]

    seen: set[str] = set()
    pending = requirements("portfolio-api", [])
    while pending:
        name, extras = pending.pop()
        if name in without:
            continue
        seen.add(name)
        pending += requirements(name, extras)
    return seen


def test_build_leaves_out_boto3_and_botocore() -> None:
    assert {"boto3", "botocore"} <= makefile_runtime_provided()


def test_build_leaves_out_only_packages_nothing_else_needs() -> None:
    left_out = makefile_runtime_provided()
    needed = locked_runtime_closure(without={"boto3", "botocore"})
    assert left_out.isdisjoint(needed), left_out & needed


# sam local: env.json only overrides variables the template declares.


def test_env_json_overrides_only_declared_variables_and_targets_the_host_emulator(
    template: dict[str, Any],
) -> None:
    overrides = json.loads((ROOT / "env.json").read_text())
    assert list(overrides) == ["PortfolioFunction"]
    variables = overrides["PortfolioFunction"]
    assert set(variables) <= set(function_environment(template))
    for name in ("DYNAMODB_ENDPOINT_URL", "S3_ENDPOINT_URL", "COGNITO_ENDPOINT_URL"):
        assert variables[name] == "http://host.docker.internal:4566", name
    assert set(variables) <= {name.upper() for name in Settings.model_fields}


def test_endpoint_overrides_are_empty_in_aws_and_mean_the_real_endpoints(
    template: dict[str, Any],
) -> None:
    variables = function_environment(template)
    empty = dict.fromkeys(("DYNAMODB_ENDPOINT_URL", "S3_ENDPOINT_URL", "COGNITO_ENDPOINT_URL"), "")
    assert {name: variables[name] for name in empty} == empty
    settings = Settings.model_validate({**{k.lower(): v for k, v in empty.items()}})
    assert settings.endpoint_for("dynamodb") is None
    assert settings.endpoint_for("s3") is None
    assert settings.endpoint_for("cognito-idp") is None


def test_sam_local_reads_env_json_and_skips_the_jwt_authorizer() -> None:
    config = tomllib.loads((ROOT / "samconfig.toml").read_text())["default"]
    assert config["local_start_api"]["parameters"]["env_vars"] == "env.json"
    assert config["local_start_api"]["parameters"]["disable_authorizer"] is True
    assert config["local_invoke"]["parameters"]["env_vars"] == "env.json"


# Environments: the reference's ENVIRONMENT values, each with a samconfig config env.

ENVIRONMENTS = ("dev", "staging", "prod")


def environment_comparisons(node: Any) -> Iterator[str]:
    """The values each `Fn::Equals` under `node` compares `Environment` with."""
    if isinstance(node, list):
        for item in node:
            yield from environment_comparisons(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "Fn::Equals" and {"Ref": "Environment"} in value:
                yield from (str(v) for v in value if v != {"Ref": "Environment"})
            else:
                yield from environment_comparisons(value)


def test_environment_takes_the_references_values(template: dict[str, Any]) -> None:
    assert template["Parameters"]["Environment"]["AllowedValues"] == list(ENVIRONMENTS)
    compared = set(environment_comparisons(template))
    assert compared, "no condition reads Environment"
    assert compared <= set(ENVIRONMENTS), compared


def test_staging_protects_the_user_pool_like_prod_and_keeps_logs_like_dev(
    template: dict[str, Any],
) -> None:
    resources = template["Resources"]
    expected = {"dev": ("INACTIVE", 14), "staging": ("ACTIVE", 14), "prod": ("ACTIVE", 90)}
    for environment, (protection, days) in expected.items():
        pool = deployed(template, resources["UserPool"]["Properties"], Environment=environment)
        assert pool["DeletionProtection"] == protection, environment
        for group in ("PortfolioFunctionLogGroup", "HttpApiAccessLogGroup"):
            logs = deployed(template, resources[group]["Properties"], Environment=environment)
            assert logs["RetentionInDays"] == days, (environment, group)


def test_samconfig_deploys_each_environment_to_its_own_stack() -> None:
    config = tomllib.loads((ROOT / "samconfig.toml").read_text())
    for environment in ENVIRONMENTS:
        assert config[environment]["global"]["parameters"]["stack_name"] == (
            f"portfolio-api-{environment}"
        )
        deploy = config[environment]["deploy"]["parameters"]
        overrides = deploy["parameter_overrides"].split()
        assert f"Environment={environment}" in overrides, environment
        assert deploy["s3_prefix"] == f"portfolio-api-{environment}"
        assert config[environment]["build"]["parameters"]["build_in_source"] is True


def test_staging_deploys_with_prods_safety_settings() -> None:
    config = tomllib.loads((ROOT / "samconfig.toml").read_text())
    staging, prod = (config[env]["deploy"]["parameters"] for env in ("staging", "prod"))
    for setting in ("capabilities", "confirm_changeset", "resolve_s3", "region"):
        assert staging[setting] == prod[setting], setting
    assert staging["confirm_changeset"] is True
    assert "LogLevel=INFO" in staging["parameter_overrides"].split()
