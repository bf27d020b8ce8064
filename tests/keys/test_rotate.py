"""keys rotate against the sandbox with moto's signature enforcement on: the new key works, the
old one is rejected, and a failure at any step leaves the profile with a working key (checked
with the real AWS CLI) and no stray key in IAM."""

from __future__ import annotations

import errno
import json
import os
import subprocess

import pytest

from awsprof.cli.main import run
from awsprof.errors import AwsprofError
from awsprof.keys.rotate import STEPS, rotate
from fixtures_sandbox import Sandbox
from keys.conftest import KeyUser, make_user


def _identity_with_cli(sandbox: Sandbox, profile: str) -> subprocess.CompletedProcess[str]:
    return sandbox.run_aws("sts", "get-caller-identity", "--profile", profile, "--output", "json")


def _user_keys(sandbox: Sandbox, user: KeyUser) -> list[dict[str, str]]:
    iam = sandbox.moto_client("iam", "dev")
    return list(iam.list_access_keys(UserName=user.user_name)["AccessKeyMetadata"])


def _profile_key(sandbox: Sandbox, profile: str) -> str:
    done = sandbox.run_aws("configure", "get", "aws_access_key_id", "--profile", profile)
    return done.stdout.strip()


def test_rotation_replaces_the_key_and_the_old_one_is_rejected(
    sandbox: Sandbox, key_user: KeyUser, capfd: pytest.CaptureFixture[str]
) -> None:
    assert run(["keys", "rotate", "--profile", key_user.profile]) == 0
    out, err = capfd.readouterr()
    assert out == ""
    assert key_user.secret_access_key not in err
    new_key = _profile_key(sandbox, key_user.profile)
    assert new_key != key_user.access_key_id
    assert new_key in err and key_user.access_key_id in err
    identity = _identity_with_cli(sandbox, key_user.profile)
    assert identity.returncode == 0, identity.stderr
    assert json.loads(identity.stdout)["Arn"].endswith(f"user/{key_user.user_name}")
    assert [k["AccessKeyId"] for k in _user_keys(sandbox, key_user)] == [new_key]
    # The old key, used directly, is refused by moto's enforcement.
    old = subprocess.run(
        [str(sandbox.env()["PATH"].split(os.pathsep)[0] + "/aws"), "sts", "get-caller-identity"],
        env=sandbox.env(
            AWS_ACCESS_KEY_ID=key_user.access_key_id,
            AWS_SECRET_ACCESS_KEY=key_user.secret_access_key,
            AWS_ENDPOINT_URL=sandbox.moto_url,
            AWS_DEFAULT_REGION="us-east-1",
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    assert old.returncode != 0
    assert (sandbox.credentials_file.stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize("failing_step", STEPS)
def test_a_failure_at_any_step_leaves_a_working_key(sandbox: Sandbox, failing_step: str) -> None:
    user = make_user(sandbox, f"rot-{failing_step}")

    def before(step: str) -> None:
        if step == failing_step:
            raise AwsprofError(f"injected failure at {step}")

    with pytest.raises(AwsprofError):
        rotate(os.environ, user.profile, before=before, sleep=lambda s: None)
    identity = _identity_with_cli(sandbox, user.profile)
    assert identity.returncode == 0, identity.stderr
    in_profile = _profile_key(sandbox, user.profile)
    keys = {k["AccessKeyId"]: k["Status"] for k in _user_keys(sandbox, user)}
    if failing_step in ("create", "verify", "save"):
        assert in_profile == user.access_key_id
        assert keys == {user.access_key_id: "Active"}  # the new key was deleted again
    else:
        assert in_profile != user.access_key_id
        assert keys[in_profile] == "Active"
        expected_old = "Active" if failing_step == "deactivate" else "Inactive"
        assert keys[user.access_key_id] == expected_old


def test_a_credentials_file_that_cannot_be_written_deletes_the_new_key(
    sandbox: Sandbox,
    key_user: KeyUser,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real_replace = os.replace

    def disk_full(source: str, target: str, *args: object, **kwargs: object) -> None:
        if os.fspath(target) != str(sandbox.credentials_file):
            return real_replace(source, target)  # caches (the guard's account lookup) still work
        raise OSError(errno.ENOSPC, "No space left on device")

    # The real atomic writer, failing at its replace of the credentials file (a full disk).
    monkeypatch.setattr(os, "replace", disk_full)
    before = sandbox.credentials_file.read_bytes()
    assert run(["keys", "rotate", "--profile", key_user.profile]) != 0
    monkeypatch.undo()
    assert sandbox.credentials_file.read_bytes() == before
    assert [k["AccessKeyId"] for k in _user_keys(sandbox, key_user)] == [key_user.access_key_id]
    assert _identity_with_cli(sandbox, key_user.profile).returncode == 0
    out, err = capfd.readouterr()
    assert key_user.secret_access_key not in out + err
    assert "deleted the new key" in err


def test_a_user_with_two_keys_is_refused_with_the_reason(
    sandbox: Sandbox, key_user: KeyUser, capfd: pytest.CaptureFixture[str]
) -> None:
    iam = sandbox.moto_client("iam", "dev")
    second = iam.create_access_key(UserName=key_user.user_name)["AccessKey"]
    assert run(["keys", "rotate", "--profile", key_user.profile]) == 6
    out, err = capfd.readouterr()
    assert "already has two access keys" in err
    assert second["AccessKeyId"] in err
    assert second["SecretAccessKey"] not in out + err
    assert _profile_key(sandbox, key_user.profile) == key_user.access_key_id
    assert len(_user_keys(sandbox, key_user)) == 2
