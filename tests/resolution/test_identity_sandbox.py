"""whoami against the sandbox, side by side with unmodified botocore and the real AWS CLI."""

from __future__ import annotations

import contextlib
import json
import re

from fixtures_sandbox import Sandbox
from resolution.helpers import append_config, awsprof, botocore_identity

ROLE_ARN = "arn:aws:iam::888899990000:role/OrganizationAccountAccessRole"


def _identity(sandbox: Sandbox, *args: str, **env: str) -> dict[str, str]:
    done = awsprof(sandbox.env(**env), "whoami", *args)
    assert done.returncode == 0, done.stderr
    result: dict[str, str] = json.loads(done.stdout)
    return result


def _aws_identity(sandbox: Sandbox, profile: str) -> dict[str, str]:
    done = sandbox.run_aws("sts", "get-caller-identity", "--profile", profile)
    assert done.returncode == 0, done.stderr
    result: dict[str, str] = json.loads(done.stdout)
    return result


def test_static_profile_matches_aws_cli_and_botocore(sandbox: Sandbox) -> None:
    ours = _identity(sandbox, "--profile", "dev")
    assert ours["Account"] == "222233334444"
    assert ours == _aws_identity(sandbox, "dev")
    assert ours == botocore_identity(sandbox.env(), "dev")
    assert list(ours) == ["UserId", "Account", "Arn"]


def test_implicit_default_is_the_sandbox_account(sandbox: Sandbox) -> None:
    assert _identity(sandbox)["Account"] == "111122223333"


def test_environment_keys_beat_aws_profile(sandbox: Sandbox) -> None:
    keys = sandbox.static_keys["dev"]
    env = {
        "AWS_PROFILE": "default",
        "AWS_ACCESS_KEY_ID": keys.access_key_id,
        "AWS_SECRET_ACCESS_KEY": keys.secret_access_key,
        "AWS_ENDPOINT_URL": sandbox.moto_url,
    }
    done = awsprof(sandbox.env(**env), "whoami", "--explain")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Account"] == "222233334444"
    assert "override AWS_PROFILE=default" in done.stderr
    # --profile turns the environment provider off, as in the AWS CLI.
    flagged = awsprof(sandbox.env(**env), "whoami", "--profile", "default")
    assert json.loads(flagged.stdout)["Account"] == "111122223333"


def test_role_via_sso_source_matches_aws_cli_and_botocore(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    work = _identity(sandbox, "--profile", "work")
    assert work["Account"] == "555566667777"
    assert re.search(r":assumed-role/AWSReservedSSO_PowerUserAccess_[0-9a-f]{16}/", work["Arn"])
    assert work["Account"] == _aws_identity(sandbox, "work")["Account"]
    prod = _identity(sandbox, "--profile", "prod")
    assert prod["Account"] == "888899990000"
    assert ":assumed-role/OrganizationAccountAccessRole/" in prod["Arn"]
    boto = botocore_identity(sandbox.env(), "prod")
    assert boto["Account"] == prod["Account"]
    assert boto["Arn"].split("/")[1] == prod["Arn"].split("/")[1]


def _role_trusting_prod(sandbox: Sandbox) -> str:
    """A role in prod that prod's own sessions may assume (created with prod's credentials)."""
    import boto3

    exported = awsprof(sandbox.env(), "configure", "export-credentials", "--profile", "prod")
    creds = json.loads(exported.stdout)
    iam = boto3.client(
        "iam",
        region_name="us-east-1",
        endpoint_url=sandbox.moto_url,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                # moto matches "*" but not an account root against an assumed-role session.
                "Principal": {"AWS": "*"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    # The sandbox is shared by the session's tests: the role may exist already.
    with contextlib.suppress(iam.exceptions.EntityAlreadyExistsException):
        iam.create_role(RoleName="ChainTestRole", AssumeRolePolicyDocument=json.dumps(trust))
    return "arn:aws:iam::888899990000:role/ChainTestRole"


def test_three_link_chain(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    role = _role_trusting_prod(sandbox)
    append_config(
        sandbox.config_file,
        f"""
[profile prod-admin]
role_arn = {role}
source_profile = prod
role_session_name = admin-session
region = us-east-1
endpoint_url = {sandbox.moto_url}
services = sandbox
""",
    )
    done = awsprof(sandbox.env(), "whoami", "--profile", "prod-admin", "--explain")
    assert done.returncode == 0, done.stderr
    arn = json.loads(done.stdout)["Arn"]
    assert arn == "arn:aws:sts::888899990000:assumed-role/ChainTestRole/admin-session"
    assert "Chain:    prod-admin -> prod -> work" in done.stderr
    assert botocore_identity(sandbox.env(), "prod-admin")["Arn"] == arn


def test_credential_process_profile_matches_botocore(sandbox: Sandbox, tmp_path) -> None:  # type: ignore[no-untyped-def]
    keys = sandbox.static_keys["dev"]
    script = tmp_path / "creds.py"
    script.write_text(
        "import json\n"
        f"print(json.dumps({{'Version': 1, 'AccessKeyId': {keys.access_key_id!r}, "
        f"'SecretAccessKey': {keys.secret_access_key!r}}}))\n"
    )
    import sys

    append_config(
        sandbox.config_file,
        f"""
[profile tool]
credential_process = {sys.executable} {script}
endpoint_url = {sandbox.moto_url}
region = us-east-1
""",
    )
    ours = _identity(sandbox, "--profile", "tool")
    assert ours["Account"] == "222233334444"
    assert ours == botocore_identity(sandbox.env(), "tool")


def test_explain_names_files_lines_and_expiry(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    done = awsprof(sandbox.env(), "whoami", "--profile", "prod", "--explain")
    assert done.returncode == 0, done.stderr
    text = done.stderr
    config = str(sandbox.config_file)
    assert "Profile:  profile 'prod' from --profile" in text
    assert "Chain:    prod -> work" in text
    assert re.search(rf"role_arn = {re.escape(ROLE_ARN)}\s+{re.escape(config)}:\d+", text)
    assert re.search(rf"sso_start_url = \S+\s+{re.escape(config)}:\d+", text)
    assert "Account:  888899990000 (prod)" in text
    assert "SSO:      session 'my-org' token expires" in text
    assert text.count("credentials expire") == 2
    assert "Region:   us-east-1 (from " in text


def test_output_text_and_table_match_the_aws_cli(sandbox: Sandbox) -> None:
    for output in ("text", "table"):
        ours = awsprof(sandbox.env(), "whoami", "--profile", "dev", "--output", output)
        theirs = sandbox.run_aws(
            "sts", "get-caller-identity", "--profile", "dev", "--output", output
        )
        assert ours.returncode == 0 and theirs.returncode == 0
        assert ours.stdout == theirs.stdout
