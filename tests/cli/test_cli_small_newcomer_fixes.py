"""Smaller things a newcomer trips over: an unclosed section header, a typo in AWS_PROFILE, a
protection pinned to an account the profile never reaches, and the console into a protected
account. Real processes; the sandbox where AWS answers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from awsprof.files.ini import parse
from fixtures_sandbox import BIN_DIR, Sandbox


def _awsprof(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsprof", *args],
        env=env if env is not None else dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("before", ["", "[default]\nregion = us-east-1\n"])
def test_a_header_without_its_closing_bracket_is_named_as_such(aws_dir: Path, before: str) -> None:
    (aws_dir / "config").write_text(f"{before}[profile dev\nregion = eu-west-1\n")
    line = before.count("\n") + 1
    done = _awsprof("configure", "list-profiles")
    assert done.returncode == 3
    assert f"line {line}: this section header has no closing ']'" in done.stderr
    assert "before any" not in done.stderr
    # A key that starts with '[' and has a value stays a key, as configparser reads it.
    assert parse("[default]\n[odd = 1\n").error is None


def test_a_typo_in_aws_profile_is_fixed_in_aws_profile(aws_dir: Path) -> None:
    (aws_dir / "config").write_text("[profile dev]\nregion = eu-west-1\n")
    env = dict(os.environ, AWS_PROFILE="dve")
    for command in (["whoami"], ["configure", "get", "region"]):
        done = _awsprof(*command, env=env)
        assert done.returncode == 4, done.stderr
        assert "`export AWS_PROFILE=dev`" in done.stderr
        assert "--profile" not in done.stderr
    flag = _awsprof("whoami", "--profile", "dve")
    assert "`--profile dev`" in flag.stderr


def test_protect_refuses_an_account_the_profile_does_not_reach(sandbox: Sandbox) -> None:
    before = sandbox.config_file.read_bytes()
    for profile in ("work", "prod"):  # an SSO profile, and a role
        done = _awsprof("protect", profile, "--account", "111122223333", env=sandbox.env())
        assert done.returncode == 2, done.stderr
        assert sandbox.accounts[profile] in done.stderr
    assert sandbox.config_file.read_bytes() == before
    agreeing = _awsprof("protect", "work", "--account", sandbox.accounts["work"], env=sandbox.env())
    assert agreeing.returncode == 0, agreeing.stderr


def test_console_warns_for_a_protected_account(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    prod = subprocess.run(
        [str(BIN_DIR / "awsprof"), "console", "--profile", "prod", "--url"],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert prod.returncode == 0, prod.stderr
    assert f"PROTECTED account {sandbox.accounts['prod']}" in prod.stderr
    assert prod.stdout.startswith("http")
    work = subprocess.run(
        [str(BIN_DIR / "awsprof"), "console", "--profile", "work", "--url"],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert work.returncode == 0, work.stderr
    assert "PROTECTED" not in work.stderr
