"""keys rotate deletes a key: it needs the profile named, and in a protected account it asks for
the account (or refuses) as the guard does for `aws iam delete-access-key`."""

from __future__ import annotations

import subprocess

import pexpect
import pytest

from fixtures_sandbox import BIN_DIR, Sandbox
from keys.conftest import KeyUser

DEV = "111111111111"


def _awsprof(sandbox: Sandbox, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN_DIR / "awsprof"), *args],
        env=sandbox.env(**env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _file_key(sandbox: Sandbox, profile: str) -> str:
    done = sandbox.run_aws("configure", "get", "aws_access_key_id", "--profile", profile)
    return done.stdout.strip()


def _account(sandbox: Sandbox, profile: str) -> str:
    done = sandbox.run_aws("sts", "get-caller-identity", "--profile", profile, "--query", "Account")
    return done.stdout.strip().strip('"')


def test_rotate_without_a_named_profile_is_a_usage_error_and_rotates_nothing(
    sandbox: Sandbox, key_user: KeyUser
) -> None:
    done = _awsprof(sandbox, "keys", "rotate", AWS_PROFILE=key_user.profile)
    assert done.returncode == 2
    assert f"--profile {key_user.profile}" in done.stderr
    assert _file_key(sandbox, key_user.profile) == key_user.access_key_id
    bare = _awsprof(sandbox, "keys", "rotate")
    assert bare.returncode == 2 and "--profile" in bare.stderr


def test_rotate_on_a_protected_profile_asks_and_a_wrong_answer_changes_nothing(
    sandbox: Sandbox, key_user: KeyUser
) -> None:
    protect = _awsprof(sandbox, "protect", key_user.profile, "--level", "writes")
    assert protect.returncode == 0, protect.stderr
    without_terminal = _awsprof(sandbox, "keys", "rotate", "--profile", key_user.profile)
    assert without_terminal.returncode == 7, without_terminal.stderr
    assert _file_key(sandbox, key_user.profile) == key_user.access_key_id

    child = pexpect.spawn(
        str(BIN_DIR / "awsprof"),
        ["keys", "rotate", "--profile", key_user.profile],
        env=sandbox.env(),
        encoding="utf-8",
        timeout=90,
    )
    child.expect_exact("PROTECTED ACCOUNT")
    child.expect_exact("Type the account alias or ID")
    child.sendline("not-the-account")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 7
    assert _file_key(sandbox, key_user.profile) == key_user.access_key_id

    account = _account(sandbox, key_user.profile)
    child = pexpect.spawn(
        str(BIN_DIR / "awsprof"),
        ["keys", "rotate", "--profile", key_user.profile],
        env=sandbox.env(),
        encoding="utf-8",
        timeout=120,
    )
    child.expect_exact("Type the account alias or ID")
    child.sendline(account)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert _file_key(sandbox, key_user.profile) != key_user.access_key_id


@pytest.mark.parametrize("level", ["refuse-writes"])
def test_rotate_is_refused_at_refuse_writes_even_with_the_account(
    sandbox: Sandbox, key_user: KeyUser, level: str
) -> None:
    assert _awsprof(sandbox, "protect", key_user.profile, "--level", level).returncode == 0
    account = _account(sandbox, key_user.profile)
    done = _awsprof(
        sandbox, "keys", "rotate", "--profile", key_user.profile, "--confirm-account", account
    )
    assert done.returncode == 7, done.stderr
    assert _file_key(sandbox, key_user.profile) == key_user.access_key_id


def test_rotate_with_the_confirmed_account_runs_without_a_terminal(
    sandbox: Sandbox, key_user: KeyUser
) -> None:
    assert _awsprof(sandbox, "protect", key_user.profile, "--level", "writes").returncode == 0
    account = _account(sandbox, key_user.profile)
    done = _awsprof(
        sandbox, "keys", "rotate", "--profile", key_user.profile, "--confirm-account", account
    )
    assert done.returncode == 0, done.stderr
    assert _file_key(sandbox, key_user.profile) != key_user.access_key_id
