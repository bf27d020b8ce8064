"""The journey's promise, through a real bash and zsh, the real AWS CLI and the sandbox: with
`eval "$(awsprof shell-init SHELL)"`, nobody deletes the prod bucket by mistake, and read-only
commands run with no question."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from awsprof.guard.marks import PROTECTED_KEY
from awsprof.profiles.configure import Change, address, apply_changes
from awsprof.sandbox import accounts as world
from fixtures_sandbox import Sandbox
from guard.guard_helpers import (
    ASK,
    PROD,
    Terminal,
    bucket_exists,
    new_bucket,
    plain,
    prod_environment_keys,
    run_in_shell,
)

SHELLS = ["bash", "zsh"]


@pytest.fixture
def logged_in(sandbox: Sandbox) -> Sandbox:
    sandbox.login_sso()  # prod is a role assumed from the SSO profile `work`
    return sandbox


def _default_is_prod(sandbox: Sandbox) -> None:
    """The gotcha itself: `[default]` is the production role chain."""
    apply_changes(
        sandbox.env(),
        [
            Change(address("role_arn", "default"), world.org_role_arn(world.PROD)),
            Change(address("source_profile", "default"), "work"),
        ],
    )


# Ways to reach prod: (shell code before the command, extra `aws` arguments, extra environment).
WAYS = {
    "--profile prod": ("", "--profile prod"),
    "AWS_PROFILE=prod": ("export AWS_PROFILE=prod", ""),
    "prod env keys, AWS_PROFILE=dev": ("export AWS_PROFILE=dev", ""),
}


def _setup(sandbox: Sandbox, way: str) -> tuple[str, str]:
    before, arguments = WAYS[way]
    if way.startswith("prod env keys"):
        keys = prod_environment_keys(sandbox)
        before = "; ".join([before, *(f"export {k}='{v}'" for k, v in keys.items())])
    return before, arguments


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("way", list(WAYS))
def test_rb_of_a_prod_bucket_without_a_terminal_is_refused(
    logged_in: Sandbox, shell: str, way: str
) -> None:
    bucket = new_bucket()
    before, arguments = _setup(logged_in, way)
    done = run_in_shell(logged_in, shell, f"{before or ':'}; aws s3 rb s3://{bucket} {arguments}")
    assert done.returncode == 7, done.stderr
    assert "refused without a terminal" in done.stderr
    assert PROD in done.stderr
    assert bucket_exists(bucket)


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("way", list(WAYS))
def test_rb_of_a_prod_bucket_asks_refuses_a_wrong_answer_and_runs_on_the_right_one(
    logged_in: Sandbox, shell: str, way: str
) -> None:
    bucket = new_bucket()
    before, arguments = _setup(logged_in, way)
    terminal = Terminal(logged_in, shell, logged_in.home)
    try:
        if before:
            terminal.run(before)
        for wrong in ("prod-ish", "88889999000", "nonprod", ""):
            terminal.start(f"aws s3 rb s3://{bucket} {arguments}")
            box = plain(terminal.expect(ASK))
            assert "PROTECTED ACCOUNT" in box
            assert PROD in box and "arn:aws:sts::888899990000:assumed-role/" in box
            assert f"aws s3 rb s3://{bucket}" in box
            terminal.child.sendline(wrong)
            code, _ = terminal.exit_code()
            assert code == 7
            assert bucket_exists(bucket)
        terminal.start(f"aws s3 rb s3://{bucket} {arguments}")
        terminal.expect(ASK)
        terminal.child.sendline("prod")  # the account alias
        code, output = terminal.exit_code()
        assert code == 0, output
        assert f"remove_bucket: {bucket}" in output
        assert not bucket_exists(bucket)
    finally:
        terminal.close()


@pytest.mark.parametrize("shell", SHELLS)
def test_implicit_default_reaching_prod_is_refused_for_every_command(
    logged_in: Sandbox, shell: str
) -> None:
    _default_is_prod(logged_in)
    bucket = new_bucket()
    done = run_in_shell(logged_in, shell, f"aws s3 rb s3://{bucket}")
    assert done.returncode == 7
    assert "implicit 'default'" in done.stderr and PROD in done.stderr
    assert "--profile NAME" in done.stderr  # the fix
    terminal = Terminal(logged_in, shell, logged_in.home)
    try:
        for command in (f"aws s3 rb s3://{bucket}", "aws s3 ls"):
            terminal.start(command)
            code, output = terminal.exit_code()
            assert code == 7, output
            assert ASK not in output  # no question: there is nothing to confirm
        assert bucket_exists(bucket)
        # Naming the profile is the way through, with the question.
        terminal.start(f"aws s3 rb s3://{bucket} --profile prod")
        terminal.expect(ASK)
        terminal.child.sendline(PROD)
        code, output = terminal.exit_code()
        assert code == 0, output
        assert not bucket_exists(bucket)
    finally:
        terminal.close()


@pytest.mark.parametrize("shell", SHELLS)
def test_read_only_commands_run_with_no_question(logged_in: Sandbox, shell: str) -> None:
    bucket = new_bucket()
    terminal = Terminal(logged_in, shell, logged_in.home)
    try:
        for command in ("aws s3 ls --profile prod", "AWS_PROFILE=prod aws s3 ls"):
            terminal.start(command)
            code, output = terminal.exit_code()
            assert code == 0, output
            assert bucket in output
            assert ASK not in output and "awsprof:" not in output
        # The implicit default (not protected here) says where it ran, in one line.
        terminal.start("aws s3 ls")
        code, output = terminal.exit_code()
        assert code == 0, output
        assert "no profile named: using the implicit 'default'" in output
    finally:
        terminal.close()
    done = run_in_shell(logged_in, shell, "aws s3 ls --profile prod", AWSPROF_QUIET_DEFAULT="1")
    assert done.returncode == 0 and bucket in done.stdout and done.stderr == ""


def test_protect_marks_are_the_sandbox_key(sandbox: Sandbox) -> None:
    assert f"{PROTECTED_KEY} = true" in sandbox.config_file.read_text()


@pytest.fixture
def terminal_bash(logged_in: Sandbox) -> Iterator[Terminal]:
    terminal = Terminal(logged_in, "bash", logged_in.home)
    yield terminal
    terminal.close()


def test_confirm_account_flag_and_variable_run_without_a_terminal(logged_in: Sandbox) -> None:
    first, second = new_bucket(), new_bucket()
    done = run_in_shell(
        logged_in,
        "bash",
        f"awsprof guard --confirm-account {PROD} -- aws s3 rb s3://{first} --profile prod",
    )
    assert done.returncode == 0, done.stderr
    assert not bucket_exists(first)
    wrong = run_in_shell(
        logged_in,
        "bash",
        f"aws s3 rb s3://{second} --profile prod",
        AWSPROF_CONFIRM_ACCOUNT="888899990001",
    )
    assert wrong.returncode == 7 and "does not name the target account" in wrong.stderr
    assert bucket_exists(second)
    right = run_in_shell(
        logged_in, "bash", f"aws s3 rb s3://{second} --profile prod", AWSPROF_CONFIRM_ACCOUNT=PROD
    )
    assert right.returncode == 0, right.stderr
    assert not bucket_exists(second)
