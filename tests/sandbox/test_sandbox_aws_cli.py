"""The real AWS CLI (from PyPI) against the sandbox home: accounts, roles, buckets, enforcement."""

from __future__ import annotations

import json

from fixtures_sandbox import Sandbox


def identity(sandbox: Sandbox, *args: str) -> dict[str, str]:
    result = sandbox.run_aws("sts", "get-caller-identity", "--output", "json", *args)
    assert result.returncode == 0, result.stderr
    answer: dict[str, str] = json.loads(result.stdout)
    return answer


def test_dev_profile_lands_in_the_dev_account(sandbox: Sandbox) -> None:
    answer = identity(sandbox, "--profile", "dev")
    assert answer["Account"] == "222233334444"
    assert answer["Arn"] == "arn:aws:iam::222233334444:user/alice"


def test_implicit_default_profile_is_the_sandbox_account(sandbox: Sandbox) -> None:
    assert identity(sandbox)["Account"] == "111122223333"


def test_prod_role_via_sso_source_profile_is_an_assumed_role_in_prod(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    answer = identity(sandbox, "--profile", "prod")
    assert answer["Account"] == "888899990000"
    assert answer["Arn"].startswith(
        "arn:aws:sts::888899990000:assumed-role/OrganizationAccountAccessRole/"
    )
    # The AWS CLI cached the role's credentials in the sandbox home, not in a real ~/.aws.
    assert list(sandbox.paths.cli_cache.glob("*.json"))


def test_work_sso_profile_has_the_reserved_sso_role_arn(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    answer = identity(sandbox, "--profile", "work")
    assert answer["Account"] == "555566667777"
    prefix = "arn:aws:sts::555566667777:assumed-role/AWSReservedSSO_PowerUserAccess_"
    assert answer["Arn"].startswith(prefix)
    suffix, user = answer["Arn"][len(prefix) :].split("/")
    assert len(suffix) == 16 and int(suffix, 16) >= 0
    assert user == "alice"


def test_s3_ls_lists_only_the_profiles_own_buckets(sandbox: Sandbox) -> None:
    result = sandbox.run_aws("s3", "ls", "--profile", "dev")
    assert result.returncode == 0, result.stderr
    assert "dev-app-222233334444" in result.stdout
    assert "dev-scratch-222233334444" in result.stdout
    assert "prod-data-888899990000" not in result.stdout
    assert "sandbox-assets-111122223333" not in result.stdout


def test_another_accounts_bucket_is_access_denied(sandbox: Sandbox) -> None:
    result = sandbox.run_aws("s3", "ls", "s3://prod-data-888899990000", "--profile", "dev")
    assert result.returncode != 0
    assert "AccessDenied" in result.stderr


def test_wrong_secret_is_rejected(sandbox: Sandbox) -> None:
    text = sandbox.credentials_file.read_text()
    secret = sandbox.static_keys["dev"].secret_access_key
    sandbox.credentials_file.write_text(text.replace(secret, secret[:-4] + "WXYZ"))
    result = sandbox.run_aws("sts", "get-caller-identity", "--profile", "dev")
    assert result.returncode != 0
    assert "SignatureDoesNotMatch" in result.stderr
    assert secret not in result.stderr


def test_unknown_access_key_is_rejected(sandbox: Sandbox) -> None:
    text = sandbox.credentials_file.read_text()
    key = sandbox.static_keys["dev"].access_key_id
    sandbox.credentials_file.write_text(text.replace(key, "AKIAIOSFODNN7EXAMPLE"))
    result = sandbox.run_aws("sts", "get-caller-identity", "--profile", "dev")
    assert result.returncode != 0
    assert "InvalidClientTokenId" in result.stderr


def test_account_alias_is_seeded(sandbox: Sandbox) -> None:
    result = sandbox.run_aws("iam", "list-account-aliases", "--profile", "dev", "--output", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["AccountAliases"] == ["dev"]
