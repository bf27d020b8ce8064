"""End of input at a prompt is a usage error (exit 2) naming the flag that answers it; Ctrl-C at
any prompt, the guard's account question included, is an interrupt (130). Real processes on a
pseudo-terminal (pexpect) or with stdin at end of input."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pexpect
import pytest

from fixtures_sandbox import BIN_DIR, Sandbox
from guard.guard_helpers import ASK, bucket_exists, new_bucket

AWSPROF = str(BIN_DIR / "awsprof")


def _no_input(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AWSPROF, *args],
        stdin=subprocess.DEVNULL,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_configure_sso_at_end_of_input_names_the_flag(isolated_home: Path) -> None:
    done = _no_input("configure", "sso", "--profile", "x")
    assert done.returncode == 2, done.stderr
    assert "end of input" in done.stderr and "--sso-session" in done.stderr
    assert "interrupted" not in done.stderr
    later = _no_input("configure", "sso", "--profile", "x", "--sso-session", "org")
    assert later.returncode == 2 and "--start-url" in later.stderr


def test_configure_wizard_and_secret_at_end_of_input_write_nothing(isolated_home: Path) -> None:
    done = _no_input("configure", "--profile", "x")
    assert done.returncode == 2, done.stderr
    assert "configure set aws_access_key_id" in done.stderr
    secret = _no_input("configure", "set", "aws_secret_access_key", "--profile", "x")
    assert secret.returncode == 2, secret.stderr
    assert not (isolated_home / ".aws" / "credentials").exists()


def test_ctrl_c_at_a_wizard_prompt_is_an_interrupt(isolated_home: Path) -> None:
    child = pexpect.spawn(
        AWSPROF, ["configure", "sso", "--profile", "x"], encoding="utf-8", timeout=30
    )
    child.expect_exact("SSO session name")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


@pytest.fixture
def logged_in(sandbox: Sandbox) -> Sandbox:
    sandbox.login_sso()
    return sandbox


def _ask_about_prod_bucket(sandbox: Sandbox, bucket: str) -> pexpect.spawn:
    child = pexpect.spawn(
        AWSPROF,
        ["guard", "--", "aws", "s3", "rb", f"s3://{bucket}", "--profile", "prod"],
        env=sandbox.env(),
        encoding="utf-8",
        timeout=90,
    )
    child.expect_exact(ASK)
    return child


def test_ctrl_c_at_the_guard_question_is_an_interrupt_not_a_refusal(logged_in: Sandbox) -> None:
    bucket = new_bucket()
    child = _ask_about_prod_bucket(logged_in, bucket)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "interrupted" in str(child.before)
    assert bucket_exists(bucket)


def test_end_of_input_at_the_guard_question_names_confirm_account(logged_in: Sandbox) -> None:
    bucket = new_bucket()
    child = _ask_about_prod_bucket(logged_in, bucket)
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2
    assert "--confirm-account 888899990000" in str(child.before)
    assert bucket_exists(bucket)


MFA_CONFIG = """\
[profile src]
region = us-east-1
[profile mfa]
role_arn = arn:aws:iam::888899990000:role/Admin
source_profile = src
mfa_serial = arn:aws:iam::222233334444:mfa/alice
"""


@pytest.mark.parametrize("how", ["eof", "interrupt"])
def test_the_mfa_prompt_at_end_of_input_or_ctrl_c(aws_dir: Path, how: str) -> None:
    (aws_dir / "config").write_text(MFA_CONFIG)
    (aws_dir / "credentials").write_text(
        "[src]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
    )
    child = pexpect.spawn(AWSPROF, ["whoami", "--profile", "mfa"], encoding="utf-8", timeout=60)
    child.expect_exact("Enter MFA code")
    if how == "eof":
        child.sendeof()
    else:
        child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    if how == "eof":
        assert child.exitstatus == 2
        assert "end of input" in str(child.before)
    else:
        assert child.exitstatus == 130
