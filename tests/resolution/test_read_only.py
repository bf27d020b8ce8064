"""Read-only credentials for automation, narrowed at AWS (the sandbox enforces session policies):
the child can list and cannot delete, for role, SSO and key profiles; no login is ever started."""

from __future__ import annotations

import json

from awsprof.sandbox import accounts as world
from fixtures_sandbox import Sandbox
from guard.guard_helpers import bucket_exists, new_bucket


def test_a_read_only_role_session_lists_and_cannot_delete(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    bucket = new_bucket(world.PROD.account_id)
    listed = sandbox.run_awsprof(
        "exec", "--read-only", "prod", "--", "aws", "s3api", "list-buckets"
    )
    assert listed.returncode == 0, listed.stderr
    assert bucket in listed.stdout
    deleted = sandbox.run_awsprof(
        "exec",
        "--read-only",
        "prod",
        "--",
        "aws",
        "s3api",
        "delete-bucket",
        "--bucket",
        bucket,
    )
    assert deleted.returncode != 0
    assert "AccessDenied" in deleted.stderr
    assert "PROTECTED ACCOUNT" not in deleted.stderr  # AWS refuses it; nothing to ask
    assert bucket_exists(bucket, world.PROD.account_id)
    # The same role without --read-only can delete it: the narrowing is what stopped it.
    full = sandbox.run_awsprof(
        "exec",
        "--confirm-account",
        world.PROD.account_id,
        "prod",
        "--",
        "aws",
        "s3api",
        "delete-bucket",
        "--bucket",
        bucket,
    )
    assert full.returncode == 0, full.stderr
    assert not bucket_exists(bucket, world.PROD.account_id)


def test_a_read_only_sso_profile_takes_the_read_only_permission_set(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    bucket = new_bucket(world.WORK.account_id)
    who = sandbox.run_awsprof(
        "exec", "--read-only", "work", "--", "aws", "sts", "get-caller-identity"
    )
    assert who.returncode == 0, who.stderr
    assert "ReadOnlyAccess" in json.loads(who.stdout)["Arn"]
    deleted = sandbox.run_awsprof(
        "exec", "--read-only", "work", "--", "aws", "s3", "rb", f"s3://{bucket}"
    )
    assert deleted.returncode != 0
    assert bucket_exists(bucket, world.WORK.account_id)


def test_the_profile_setting_makes_every_resolution_read_only_and_explain_says_so(
    sandbox: Sandbox,
) -> None:
    marked = sandbox.run_awsprof(
        "configure", "set", "awsprof_read_only", "true", "--profile", "prod"
    )
    assert marked.returncode == 0, marked.stderr
    sandbox.login_sso()
    explained = sandbox.run_awsprof("whoami", "--profile", "prod", "--explain")
    assert explained.returncode == 0, explained.stderr
    assert "read-only" in explained.stdout + explained.stderr
    assert "awsprof_read_only" in explained.stdout + explained.stderr


def test_long_lived_keys_become_federation_credentials(sandbox: Sandbox) -> None:
    """The sandbox's STS issues federation credentials but cannot verify them afterwards (a
    moto limitation): checked here is what the child receives, never the long-lived key."""
    done = sandbox.run_awsprof("exec", "--read-only", "dev", "--", "env")
    assert done.returncode == 0, done.stderr
    child = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    assert child["AWS_ACCESS_KEY_ID"] != sandbox.static_keys["dev"].access_key_id
    assert child["AWS_SESSION_TOKEN"]
    assert sandbox.static_keys["dev"].secret_access_key not in done.stdout


def test_no_login_is_started_for_read_only_credentials(sandbox: Sandbox) -> None:
    sandbox.login_sso(expires_in=-60, refreshable=False)
    sandbox.identity_center.clear_log()
    done = sandbox.run_awsprof("exec", "--read-only", "work", "--", "true")
    assert done.returncode == 5, done.stderr
    assert "sso login" in done.stderr
    log = [entry.operation for entry in sandbox.request_log()]
    assert "StartDeviceAuthorization" not in log and "Authorize" not in log
