"""`awsprof use [--for]`, lease expiry, the prompt segment, and the fish and PowerShell scripts."""

from __future__ import annotations

import re
import shutil
import subprocess
import time

import pytest

from awsprof.errors import UsageError
from awsprof.shell.init import script
from awsprof.shell.prompt import DEFAULT_FORMAT, RED, RESET, left, segment
from awsprof.shell.use import parse_duration, switch
from fixtures_sandbox import BIN_DIR, Sandbox
from guard.guard_helpers import PROD, Terminal, plain
from resolution.helpers import append_config


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("30m", 1800), ("2h", 7200), ("1h30m", 5400), ("45", 2700), (" 1H ", 3600)],
)
def test_durations(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "0m", "soon", "-5m", "1d", "m"])
def test_bad_durations_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_duration(text)


def test_use_clears_what_would_override_aws_profile() -> None:
    environ = {
        "AWS_ACCESS_KEY_ID": "AKIA",
        "AWS_SECRET_ACCESS_KEY": "s",
        "AWS_DEFAULT_PROFILE": "x",
    }
    change = switch("bash", environ, "dev", None, 0)
    assert change.lines == [
        "unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY",
        "unset AWS_DEFAULT_PROFILE",
        "export AWS_PROFILE='dev'",
    ]
    assert any("override AWS_PROFILE" in message for message in change.messages)
    assert switch("fish", {}, "it's", None, 0).lines == ["set -gx AWS_PROFILE 'it\\'s'"]
    assert switch("powershell", {}, "dev", None, 0).lines == ["$Env:AWS_PROFILE = 'dev'"]


def test_a_new_lease_falls_back_to_what_was_there_before_any_lease() -> None:
    first = switch("bash", {"AWS_PROFILE": "dev"}, "prod", 60, 1000)
    assert "export AWSPROF_USE_UNTIL='1060'" in first.lines
    assert "export AWSPROF_USE_PREVIOUS='dev'" in first.lines
    leased = {
        "AWS_PROFILE": "prod",
        "AWSPROF_USE_PROFILE": "prod",
        "AWSPROF_USE_UNTIL": "1060",
        "AWSPROF_USE_PREVIOUS": "dev",
    }
    assert "export AWSPROF_USE_PREVIOUS='dev'" in switch("bash", leased, "work", 60, 1000).lines


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_use_sets_the_shell_and_a_lease_expires_with_a_warning(
    sandbox: Sandbox, shell: str
) -> None:
    terminal = Terminal(
        sandbox, shell, sandbox.home, AWS_ACCESS_KEY_ID="AKIAX", AWS_SECRET_ACCESS_KEY="x"
    )
    try:
        terminal.run("export AWS_PROFILE=dev")
        output = plain(terminal.run("awsprof use prod --for 2s"))
        assert "cleared AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY" in output
        assert f"AWS_PROFILE=prod: account {PROD}, PROTECTED (destructive)" in output
        assert "prod" in terminal.run('echo "profile=$AWS_PROFILE keys=${AWS_ACCESS_KEY_ID:-none}"')
        assert "keys=none" in terminal.run('echo "keys=${AWS_ACCESS_KEY_ID:-none}"')
        time.sleep(3)
        output = terminal.run("echo after-lease")
        assert "the lease on profile prod has expired; AWS_PROFILE is now dev" in output
        assert "profile=dev" in terminal.run('echo "profile=$AWS_PROFILE"')
        assert "expired" not in terminal.run("echo again")  # warned once
        terminal.run("awsprof use --clear")
        assert "profile=none" in terminal.run('echo "profile=${AWS_PROFILE:-none}"')
    finally:
        terminal.close()


def test_use_without_the_integration_says_how_to_enable_it(sandbox: Sandbox) -> None:
    done = subprocess.run(
        [str(BIN_DIR / "awsprof"), "use", "dev"],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert 'eval "$(awsprof shell-init bash)"' in done.stderr
    assert done.stdout == ""


def test_use_of_an_unknown_profile_changes_nothing(sandbox: Sandbox) -> None:
    done = subprocess.run(
        [str(BIN_DIR / "awsprof"), "use", "--shell", "bash", "prdo"],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 4
    assert done.stdout == ""
    assert "awsprof use prod" in done.stderr  # did you mean


# -- the prompt ---------------------------------------------------------------------------------


def test_prompt_segment_for_a_protected_profile_is_red_with_alias_region_and_login_left(
    sandbox: Sandbox,
) -> None:
    sandbox.login_sso(expires_in=3600)
    env = sandbox.env(AWS_PROFILE="prod")
    text = segment(env, DEFAULT_FORMAT, "bash", now=time.time())
    assert text.startswith(f"\001{RED}\002") and text.endswith(f"\001{RESET}\002")
    inner = text[len(f"\001{RED}\002") : -len(f"\001{RESET}\002")]
    assert re.fullmatch(r"!prod@…0000 us-east-1 (59|60)m", inner), inner
    zsh = segment(env, DEFAULT_FORMAT, "zsh")
    assert zsh.startswith(f"%{{{RED}%}}")
    assert segment(env, colour=False).startswith("!prod@")
    assert (
        segment(env, "{profile}|{account_id}|{level}|{region}", colour=False)
        == f"prod|{PROD}|destructive|us-east-1"
    )


def test_prompt_uses_the_cached_alias_and_marks_shadowing_env_keys(sandbox: Sandbox) -> None:
    cache = sandbox.home / ".cache" / "awsprof"
    cache.mkdir(parents=True)
    (cache / "aliases.json").write_text(f'{{"{PROD}": "prod"}}')
    env = sandbox.env(AWS_PROFILE="prod")
    assert segment(env, "{account}", colour=False) == "prod"
    shadowed = sandbox.env(AWS_PROFILE="dev", AWS_ACCESS_KEY_ID="AKIAX", AWS_SECRET_ACCESS_KEY="x")
    assert segment(shadowed, colour=False) == "dev(env keys) us-east-1"
    dev = segment(sandbox.env(AWS_PROFILE="dev"))
    assert RED not in dev and dev == "dev us-east-1"


def test_prompt_is_empty_without_any_profile_and_rejects_unknown_placeholders(
    sandbox: Sandbox, tmp_path: object
) -> None:
    assert (
        segment(sandbox.env(AWS_CONFIG_FILE="/nonexistent", AWS_SHARED_CREDENTIALS_FILE="/x")) == ""
    )
    with pytest.raises(UsageError):
        segment(sandbox.env(), "{nope}")


def test_prompt_command_prints_the_segment(sandbox: Sandbox) -> None:
    append_config(sandbox.config_file, "[profile staging]\nawsprof_protected = refuse-writes\n")
    done = subprocess.run(
        [str(BIN_DIR / "awsprof"), "prompt", "--format", "{profile}:{level}", "--no-color"],
        env=sandbox.env(AWS_PROFILE="staging"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (0, "staging:refuse-writes\n")


def test_left() -> None:
    assert (left(0), left(59), left(61), left(3 * 3600 + 5 * 60)) == (
        "expired",
        "0m",
        "1m",
        "3h05m",
    )


# -- the scripts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_posix_scripts_parse(shell: str) -> None:
    for prompt in (False, True):
        subprocess.run([shell, "-n"], input=script(shell, "awsprof", prompt), text=True, check=True)


def test_fish_script_parses_and_use_works_in_fish(sandbox: Sandbox) -> None:
    fish = shutil.which("fish")
    assert fish is not None, "fish is installed by scripts/install-system-deps.sh"
    for prompt in (False, True):
        subprocess.run([fish, "-n"], input=script("fish", "awsprof", prompt), text=True, check=True)
    done = subprocess.run(
        [
            fish,
            "--no-config",
            "-c",
            "awsprof shell-init fish | source; awsprof use dev --for 30m; "
            "echo profile=$AWS_PROFILE lease=$AWSPROF_USE_PROFILE",
        ],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "profile=dev lease=dev" in done.stdout


def test_powershell_script_is_balanced_and_runs_if_pwsh_exists() -> None:
    for prompt in (False, True):
        text = script("powershell", "/usr/bin/awsprof", prompt)
        for opening, closing in ("{}", "()", "[]"):
            assert text.count(opening) == text.count(closing)
        assert text.count('"') % 2 == 0 and text.count("'") % 2 == 0
        assert "function global:aws" in text and "guard -- aws @args" in text
        pwsh = shutil.which("pwsh")
        if pwsh:  # not in Debian; checked for real where it is installed
            check = (
                "$errors = $null; [System.Management.Automation.Language.Parser]::ParseInput("
                "[Console]::In.ReadToEnd(), [ref]$null, [ref]$errors) | Out-Null; "
                "exit $errors.Count"
            )
            subprocess.run(
                [pwsh, "-NoProfile", "-Command", check], input=text, text=True, check=True
            )
