"""``configure sso`` through a real pseudo-terminal (pexpect): the AWS CLI's prompts, a login,
the account and role pickers; and the non-interactive form, which edits the section in force."""

from __future__ import annotations

import sys

import pexpect
from sso_helpers import awsprof

from fixtures_sandbox import Sandbox

DOWN, ENTER = "\x1b[B", "\r"


def _spawn(sandbox: Sandbox, *args: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "awsprof", *args],
        env=sandbox.env(TERM="xterm", COLUMNS="120", LINES="40"),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )


def test_wizard_in_a_terminal_with_both_pickers(sandbox: Sandbox) -> None:
    sandbox.configure_identity_center(auto_approve=True)
    child = _spawn(sandbox, "configure", "sso", "--use-device-code", "--no-browser")
    child.expect_exact("SSO session name (Recommended): ")
    child.sendline("my-org")
    child.expect_exact("SSO start URL [https://my-org.awsapps.com/start]: ")
    child.sendline("")
    child.expect_exact("SSO region [us-east-1]: ")
    child.sendline("")
    child.expect_exact("SSO registration scopes [sso:account:access]: ")
    child.sendline("")
    child.expect_exact("Successfully logged in to my-org")
    child.expect_exact("There are 6 AWS accounts available to you.")
    child.expect_exact("Workloads, aws-work@my-org.example (555566667777)")
    child.send(DOWN * 5)
    child.send(ENTER)
    child.expect_exact("Using the account ID 555566667777")
    child.expect_exact("There are 2 roles available to you.")
    child.expect_exact("ReadOnlyAccess")
    child.send(DOWN)
    child.send(ENTER)
    child.expect_exact('Using the role name "ReadOnlyAccess"')
    # The defaults in brackets are [default]'s, as in the AWS CLI v2.
    child.expect_exact("Default client Region [us-east-1]: ")
    child.sendline("eu-central-1")
    child.expect_exact("CLI default output format (json if not specified) [json]: ")
    child.sendline("json")
    child.expect_exact("Profile name [ReadOnlyAccess-555566667777]: ")
    child.sendline("")
    child.expect_exact("awsprof whoami --profile ReadOnlyAccess-555566667777")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    text = sandbox.config_file.read_text()
    assert (
        "[profile ReadOnlyAccess-555566667777]\nsso_session = my-org\n"
        "sso_account_id = 555566667777\nsso_role_name = ReadOnlyAccess\n"
        "region = eu-central-1\noutput = json\n"
    ) in text


def test_single_account_and_role_are_chosen_without_a_picker(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    result = awsprof(
        sandbox, "configure", "sso", "--profile", "stage", "--sso-session", "my-org",
        "--start-url", sandbox.start_url, "--sso-region", "us-east-1", "--scopes",
        "sso:account:access", "--account-id", "333344445555", "--region", "us-east-1",
        "--output", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert 'Using the role name "ReadOnlyAccess"' in result.stderr
    assert "Already logged in to my-org" in result.stderr  # the valid token was reused


def test_several_accounts_without_a_terminal_need_the_flag(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    result = awsprof(
        sandbox, "configure", "sso", "--profile", "x", "--sso-session", "my-org",
        "--start-url", sandbox.start_url, "--sso-region", "us-east-1", "--scopes", "",
        "--region", "us-east-1", "--output", "json",
    )  # fmt: skip
    assert result.returncode == 2
    assert "there are 6 accounts: choose one with --account-id" in result.stderr


def test_configure_sso_edits_the_default_section_in_force(sandbox: Sandbox) -> None:
    text = sandbox.config_file.read_text()
    sandbox.config_file.write_text(text.replace("[default]\n", "[profile default]\n", 1))
    sandbox.login_sso()
    result = awsprof(
        sandbox, "configure", "sso", "--profile", "default", "--sso-session", "my-org",
        "--start-url", sandbox.start_url, "--sso-region", "us-east-1", "--scopes",
        "sso:account:access", "--account-id", "333344445555", "--role-name", "ReadOnlyAccess",
        "--region", "us-east-1", "--output", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    after = sandbox.config_file.read_text()
    assert "[default]" not in after and after.count("[profile default]") == 1
    assert "sso_account_id = 333344445555" in after


def test_configure_sso_session_writes_only_the_block(sandbox: Sandbox) -> None:
    before = sandbox.config_file.read_text()
    result = awsprof(
        sandbox, "configure", "sso-session", "--sso-session", "team",
        "--start-url", "https://team.awsapps.com/start", "--sso-region", "eu-west-1",
        "--scopes", "sso:account:access",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sandbox.config_file.read_text() == before + (
        "[sso-session team]\nsso_start_url = https://team.awsapps.com/start\n"
        "sso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n"
    )
    assert "awsprof sso login --sso-session team" in result.stderr
