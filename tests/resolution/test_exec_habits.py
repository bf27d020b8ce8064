"""`exec` as aws-vault users type it, `exec PROFILE` opening a marked shell, `exec` without a
profile saying which one it used, and the protected-account box once per shell session. Real
processes against the sandbox; shells on a pseudo-terminal (pexpect)."""

from __future__ import annotations

import shutil
import subprocess

import pexpect
import pytest

from fixtures_sandbox import BIN_DIR, Sandbox
from guard.guard_helpers import PROD, Terminal, plain

AWSPROF = str(BIN_DIR / "awsprof")


def _exec(sandbox: Sandbox, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AWSPROF, "exec", *args],
        env=sandbox.env(**env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _child_env(output: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)


def test_profile_then_command_without_separator_runs_with_that_profile(sandbox: Sandbox) -> None:
    done = _exec(sandbox, "dev", "env")
    assert done.returncode == 0, done.stderr
    child = _child_env(done.stdout)
    assert child["AWSPROF_PROFILE"] == "dev"
    assert child["AWS_ACCESS_KEY_ID"] == sandbox.static_keys["dev"].access_key_id
    with_separator = _exec(sandbox, "dev", "--", "env")
    assert _child_env(with_separator.stdout)["AWSPROF_PROFILE"] == "dev"


def test_exec_without_a_profile_says_which_one_and_why(sandbox: Sandbox) -> None:
    implicit = _exec(sandbox, "env")
    assert implicit.returncode == 0, implicit.stderr
    assert "exec uses profile 'default', implicitly" in implicit.stderr
    assert _child_env(implicit.stdout)["AWSPROF_PROFILE"] == "default"
    from_variable = _exec(sandbox, "--", "env", AWS_PROFILE="dev")
    assert "exec uses profile 'dev' from AWS_PROFILE" in from_variable.stderr
    assert _child_env(from_variable.stdout)["AWSPROF_PROFILE"] == "dev"
    named = _exec(sandbox, "dev", "env")
    assert "exec uses" not in named.stderr


def test_a_misspelt_profile_is_not_run_as_a_command(sandbox: Sandbox) -> None:
    done = _exec(sandbox, "dve", "env")
    assert done.returncode == 4
    assert "awsprof exec dev" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_exec_profile_opens_the_users_shell_with_a_marked_prompt(
    sandbox: Sandbox, shell: str
) -> None:
    path = shutil.which(shell)
    assert path is not None
    env = sandbox.env(SHELL=path, TERM="dumb")
    child = pexpect.spawn(AWSPROF, ["exec", "dev"], env=env, encoding="utf-8", timeout=60)
    try:
        child.expect_exact("(awsprof:dev)")
        child.sendline("echo profile=$AWSPROF_PROFILE key=$AWS_ACCESS_KEY_ID")
        child.expect(r"profile=dev key=(\S+)")
        assert child.match.group(1) == sandbox.static_keys["dev"].access_key_id
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_a_profile_name_in_the_prompt_is_shown_not_run(sandbox: Sandbox, tmp_path: object) -> None:
    planted = sandbox.home / "planted"
    name = "x$(touch planted)"
    with sandbox.config_file.open("a") as handle:
        handle.write(
            f"\n[profile {name}]\nsource_profile = dev\nrole_arn = arn:aws:iam::1:role/r\n"
        )
    with sandbox.credentials_file.open("a") as handle:
        keys = sandbox.static_keys["dev"]
        handle.write(
            f"\n[{name}]\naws_access_key_id = {keys.access_key_id}\n"
            f"aws_secret_access_key = {keys.secret_access_key}\n"
        )
    from awsprof.shell.exec_shell import shell_command

    argv, extra = shell_command(
        {"SHELL": shutil.which("bash") or "", "HOME": str(sandbox.home)},
        sandbox.home / ".cache",
        name,
    )
    child = pexpect.spawn(
        argv[0],
        argv[1:],
        env={**sandbox.env(TERM="dumb"), **extra, "AWSPROF_PROFILE": name},
        cwd=str(sandbox.home),
        encoding="utf-8",
        timeout=30,
    )
    try:
        child.expect_exact(f"(awsprof:{name})")
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert not planted.exists()


def test_the_protected_box_shows_once_per_shell_session(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    terminal = Terminal(sandbox, "bash", sandbox.home)
    try:
        first = plain(terminal.run("awsprof exec prod -- true; echo code=$?"))
        assert "PROTECTED ACCOUNT" in first and "code=0" in first, first
        second = plain(terminal.run("awsprof exec prod -- true; echo code=$?"))
        assert "PROTECTED ACCOUNT" not in second and "code=0" in second, second
        assert f"protected account {PROD}" in second and "shown earlier" in second
    finally:
        terminal.close()
    other = Terminal(sandbox, "bash", sandbox.home)  # a new shell session sees it again
    try:
        assert "PROTECTED ACCOUNT" in plain(other.run("awsprof exec prod -- true"))
    finally:
        other.close()
