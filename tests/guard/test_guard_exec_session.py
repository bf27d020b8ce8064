"""`awsprof exec` into a protected account shows who and where; a Python session is guarded too."""

from __future__ import annotations

import subprocess

import pytest

import awsprof
from awsprof.errors import GuardRefusedError
from awsprof.profiles.configure import Change, address, apply_changes
from fixtures_sandbox import BIN_DIR, Sandbox
from guard.guard_helpers import ASK, PROD, Terminal, bucket_exists, new_bucket, plain
from resolution.helpers import append_config


def exec_(sandbox: Sandbox, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN_DIR / "awsprof"), "exec", *args],
        env=sandbox.env(**env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_exec_into_a_protected_account_shows_the_identity_box(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    done = exec_(sandbox, "prod", "--", "true")
    assert done.returncode == 0, done.stderr
    assert "PROTECTED ACCOUNT" in done.stderr
    assert PROD in done.stderr and "arn:aws:sts::888899990000:assumed-role/" in done.stderr
    assert "alias      prod" in done.stderr
    quiet = exec_(sandbox, "dev", "--", "true")
    assert (quiet.returncode, quiet.stderr) == (0, "")


def test_exec_of_a_destructive_aws_command_asks_like_the_guard(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    bucket = new_bucket()
    refused = exec_(sandbox, "prod", "--", str(BIN_DIR / "aws"), "s3", "rb", f"s3://{bucket}")
    assert refused.returncode == 7
    assert "refused without a terminal" in refused.stderr
    assert bucket_exists(bucket)
    terminal = Terminal(sandbox, "bash", sandbox.home)
    try:
        terminal.start(f"awsprof exec prod -- aws s3 rb s3://{bucket}")
        assert "PROTECTED ACCOUNT" in plain(terminal.expect(ASK))
        terminal.child.sendline("prod")
        code, output = terminal.exit_code()
        assert code == 0, output
        assert not bucket_exists(bucket)
    finally:
        terminal.close()


def test_exec_of_any_program_at_the_writes_level_needs_the_account(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    append_config(
        sandbox.config_file,
        "[profile strict]\nrole_arn = arn:aws:iam::888899990000:role/"
        "OrganizationAccountAccessRole\nsource_profile = work\nawsprof_protected = writes\n"
        f"endpoint_url = {sandbox.moto_url}\nservices = sandbox\n",
    )
    refused = exec_(sandbox, "strict", "--", "true")
    assert refused.returncode == 7
    assert "`exec` runs true, which may change anything" in refused.stderr
    confirmed = exec_(sandbox, "--confirm-account", PROD, "strict", "--", "true")
    assert confirmed.returncode == 0, confirmed.stderr


def test_python_session_refuses_destructive_calls_in_a_protected_account(
    sandbox: Sandbox,
) -> None:
    sandbox.login_sso()
    bucket = new_bucket()
    s3 = awsprof.session("prod").client("s3")
    assert bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]]  # reads pass
    with pytest.raises(GuardRefusedError, match=r"s3\.DeleteBucket"):
        s3.delete_bucket(Bucket=bucket)
    assert bucket_exists(bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")  # a write: allowed at the default level
    confirmed = awsprof.session("prod", confirm_account=PROD).client("s3")
    confirmed.delete_object(Bucket=bucket, Key="k")
    confirmed.delete_bucket(Bucket=bucket)
    assert not bucket_exists(bucket)


def test_python_session_wrong_confirmation_unguarded_and_expect_account(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    bucket = new_bucket()
    wrong = awsprof.session("prod", confirm_account="888899990001").client("s3")
    with pytest.raises(GuardRefusedError):
        wrong.delete_bucket(Bucket=bucket)
    with pytest.raises(GuardRefusedError, match="not the expected"):
        awsprof.session("prod", expect_account="888899990001")
    awsprof.session("prod", guard=False).client("s3").delete_bucket(Bucket=bucket)
    assert not bucket_exists(bucket)


def test_python_session_through_the_implicit_default_to_prod_is_refused(
    sandbox: Sandbox,
) -> None:
    apply_changes(sandbox.env(), [Change(address("awsprof_protected", "default"), "true")])
    with pytest.raises(GuardRefusedError, match="implicit 'default'"):
        awsprof.session(environ=sandbox.env())
