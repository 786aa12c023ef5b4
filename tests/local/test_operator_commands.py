"""The operator commands of `portfolio-api` (openapi, reindex, sign-out) fail with one line
naming what is wrong, never a traceback or botocore's bare message."""

from __future__ import annotations

from pathlib import Path

import pytest

from portfolio_api import aws
from portfolio_api.cli import main
from tests.conftest import OWNER_EMAIL, CognitoPool

NOT_RECORDED = (
    f"portfolio-api sign-out: Cognito signed {OWNER_EMAIL} out (refresh tokens revoked), but the "
    "sign-out could not be recorded: table 'no-such-table' (named by --table) does not exist in "
    "us-east-1; check the name, the region and the account of your credentials. ID and access "
    "tokens already issued stay accepted by the API until they expire, or until this command is "
    "run again successfully\n"
)


def test_openapi_to_a_file_that_cannot_be_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "missing" / "openapi.json"

    assert main(["openapi", "--output", str(output)]) == 2

    assert capsys.readouterr().err == (
        f"portfolio-api openapi: cannot write {output} (No such file or directory)\n"
    )


def test_reindex_of_a_missing_table_names_it_and_the_variable(
    aws_mock: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DYNAMODB_TABLE_NAME", "gone")

    assert main(["reindex"]) == 1

    assert capsys.readouterr().err == (
        "portfolio-api reindex: table 'gone' (named by $DYNAMODB_TABLE_NAME) does not exist in "
        "us-east-1; check the name, the region and the account of your credentials\n"
    )


def test_sign_out_without_a_user_pool_says_which_variable_to_set(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("COGNITO_USER_POOL_ID", raising=False)

    assert main(["sign-out", OWNER_EMAIL]) == 2

    assert capsys.readouterr().err == (
        "portfolio-api sign-out: COGNITO_USER_POOL_ID is not set: set it to the id of the user "
        "pool (the stack's UserPoolId output)\n"
    )


def test_sign_out_that_cannot_be_recorded_says_cognito_did_its_part(
    cognito_pool: CognitoPool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tokens = cognito_pool.login(cognito_pool.owner_email, cognito_pool.owner_password)
    monkeypatch.setenv("COGNITO_USER_POOL_ID", cognito_pool.pool_id)

    assert main(["sign-out", OWNER_EMAIL, "--table", "no-such-table"]) == 1

    assert capsys.readouterr().err == NOT_RECORDED
    with pytest.raises(cognito_pool.client.exceptions.NotAuthorizedException):
        cognito_pool.client.initiate_auth(
            ClientId=cognito_pool.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
        )


def test_sign_out_with_a_profile_that_does_not_exist(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    monkeypatch.setenv("COGNITO_USER_POOL_ID", "us-east-1_nothing")
    aws.reset_clients()  # clients are cached with the session that read the profile
    try:
        assert main(["sign-out", OWNER_EMAIL]) == 1
    finally:
        aws.reset_clients()

    assert capsys.readouterr().err == (
        "portfolio-api sign-out: The config profile (no-such-profile) could not be found\n"
    )
