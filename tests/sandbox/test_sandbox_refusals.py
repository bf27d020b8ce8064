"""The sandbox refuses what AWS refuses: AssumeRole of a missing role or of a role whose trust
policy does not name the caller, DurationSeconds beyond the limits, and sessions of a role that
no longer exists. Checked with boto3, the AWS CLI v1, the AWS CLI v2 and awsprof."""

from __future__ import annotations

import json
import subprocess
import uuid
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from awsprof.sandbox import accounts as world
from fixtures_awscli_v2 import Clis
from fixtures_sandbox import BIN_DIR, Sandbox

PROD_ROLE = world.org_role_arn(world.PROD)  # trusts the work and management accounts only
MISSING_ROLE = f"arn:aws:iam::{world.PROD.account_id}:role/DoesNotExist"


def client(sandbox: Sandbox, service: str, keys: dict[str, str]) -> Any:
    return boto3.client(
        service,
        region_name=world.REGION,
        endpoint_url=sandbox.moto_url,
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
        aws_session_token=keys.get("SessionToken"),
    )


def static(sandbox: Sandbox, profile: str = "dev") -> dict[str, str]:
    keys = sandbox.static_keys[profile]
    return {"AccessKeyId": keys.access_key_id, "SecretAccessKey": keys.secret_access_key}


def refused(call: Any, **kwargs: Any) -> ClientError:
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return caught.value


def work_session(sandbox: Sandbox) -> dict[str, str]:
    """The SSO role session of the work profile (what prod's chain assumes the role with)."""
    sandbox.login_sso()
    done = subprocess.run(
        [str(BIN_DIR / "awsprof"), "configure", "export-credentials", "--profile", "work"],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    data: dict[str, str] = json.loads(done.stdout)
    return data


def dev_role(sandbox: Sandbox, max_session: int = 3600) -> str:
    """A new role in the dev account that trusts the dev account."""
    iam = client(sandbox, "iam", static(sandbox))
    name = f"DevRole{uuid.uuid4().hex[:8]}"
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{world.DEV.account_id}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    role = iam.create_role(
        RoleName=name, AssumeRolePolicyDocument=json.dumps(trust), MaxSessionDuration=max_session
    )
    return str(role["Role"]["Arn"])


# -- boto3 --------------------------------------------------------------------------------------


def test_assume_missing_role_is_access_denied(sandbox: Sandbox) -> None:
    sts = client(sandbox, "sts", static(sandbox))
    error = refused(sts.assume_role, RoleArn=MISSING_ROLE, RoleSessionName="sess")
    assert error.response["Error"]["Code"] == "AccessDenied"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    user = f"arn:aws:iam::{world.DEV.account_id}:user/{world.IAM_USER}"
    assert error.response["Error"]["Message"] == (
        f"User: {user} is not authorized to perform: sts:AssumeRole on resource: {MISSING_ROLE}"
    )


def test_assume_role_whose_trust_policy_does_not_name_the_caller_is_access_denied(
    sandbox: Sandbox,
) -> None:
    sts = client(sandbox, "sts", static(sandbox))  # dev is not trusted by prod's role
    error = refused(sts.assume_role, RoleArn=PROD_ROLE, RoleSessionName="sess")
    assert error.response["Error"]["Code"] == "AccessDenied"


def test_trusted_chain_work_to_prod_still_works(sandbox: Sandbox) -> None:
    sts = client(sandbox, "sts", work_session(sandbox))
    answer = sts.assume_role(RoleArn=PROD_ROLE, RoleSessionName="chain")
    identity = client(sandbox, "sts", answer["Credentials"]).get_caller_identity()
    assert identity["Account"] == world.PROD.account_id


def test_role_chaining_is_limited_to_one_hour(sandbox: Sandbox) -> None:
    sts = client(sandbox, "sts", work_session(sandbox))
    error = refused(
        sts.assume_role, RoleArn=PROD_ROLE, RoleSessionName="chain", DurationSeconds=7200
    )
    assert error.response["Error"]["Code"] == "ValidationError"
    assert "role chaining" in error.response["Error"]["Message"]


def test_duration_beyond_the_roles_maximum_is_refused(sandbox: Sandbox) -> None:
    role = dev_role(sandbox, max_session=3600)
    sts = client(sandbox, "sts", static(sandbox))
    error = refused(sts.assume_role, RoleArn=role, RoleSessionName="sess", DurationSeconds=7200)
    assert error.response["Error"]["Code"] == "ValidationError"
    assert "MaxSessionDuration" in error.response["Error"]["Message"]
    assert sts.assume_role(RoleArn=role, RoleSessionName="sess", DurationSeconds=3600)


def test_session_of_a_deleted_role_is_an_invalid_token_not_a_500(sandbox: Sandbox) -> None:
    role = dev_role(sandbox)
    session = client(sandbox, "sts", static(sandbox)).assume_role(
        RoleArn=role, RoleSessionName="sess"
    )["Credentials"]
    client(sandbox, "iam", static(sandbox)).delete_role(RoleName=role.split("/")[-1])
    for service, call, code in (
        ("sts", "get_caller_identity", "InvalidClientTokenId"),
        ("iam", "list_roles", "InvalidClientTokenId"),
        ("s3", "list_buckets", "InvalidToken"),
    ):
        error = refused(getattr(client(sandbox, service, session), call))
        assert error.response["Error"]["Code"] == code, service
        assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 403, service


def test_a_wrong_secret_is_still_refused_first(sandbox: Sandbox) -> None:
    keys = static(sandbox)
    keys["SecretAccessKey"] = keys["SecretAccessKey"][:-4] + "WXYZ"
    error = refused(
        client(sandbox, "sts", keys).assume_role, RoleArn=MISSING_ROLE, RoleSessionName="sess"
    )
    assert error.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_refused_assume_role_leaves_no_usable_session(sandbox: Sandbox) -> None:
    from moto.sts.models import sts_backends

    before = len(sts_backends[world.PROD.account_id]["aws"].assumed_roles)
    sts = client(sandbox, "sts", static(sandbox))
    refused(sts.assume_role, RoleArn=PROD_ROLE, RoleSessionName="sess")
    assert len(sts_backends[world.PROD.account_id]["aws"].assumed_roles) == before


# -- the two AWS CLIs and awsprof ---------------------------------------------------------------


def _role_profiles(sandbox: Sandbox) -> None:
    with sandbox.config_file.open("a") as handle:
        for name, role in (("missing", MISSING_ROLE), ("untrusted", PROD_ROLE)):
            handle.write(
                f"\n[profile {name}]\nrole_arn = {role}\nsource_profile = dev\n"
                f"region = {world.REGION}\nendpoint_url = {sandbox.moto_url}\n"
            )


@pytest.mark.parametrize("profile", ["missing", "untrusted"])
def test_every_client_is_refused_with_access_denied(clis: Clis, profile: str) -> None:
    _role_profiles(clis.sandbox)
    for run in (clis.v1, clis.v2):
        done = run("sts", "get-caller-identity", "--profile", profile)
        assert done.returncode != 0
        assert "AccessDenied" in done.stderr, done.stderr
        assert "500" not in done.stderr
    ours = clis.awsprof("whoami", "--profile", profile)
    assert ours.returncode == 6, ours.stderr
    assert "AccessDenied" in ours.stderr


def test_aws_cli_v1_through_the_trusted_chain(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    done = sandbox.run_aws("sts", "get-caller-identity", "--profile", "prod")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Account"] == world.PROD.account_id


def test_aws_cli_v2_through_the_trusted_chain(clis: Clis) -> None:
    clis.sandbox.login_sso()
    done = clis.v2("sts", "get-caller-identity", "--profile", "prod", "--output", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Account"] == world.PROD.account_id
