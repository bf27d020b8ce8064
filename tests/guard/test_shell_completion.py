"""Tab completion after `shell-init` (or `awsprof completion SHELL`): commands, options and
profile names, pressed for real in bash and zsh on a pseudo-terminal, asked of fish with
`complete -C`, and the one candidate function the four shells share."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pexpect
import pytest

from awsprof.cli.completion import build_tree
from awsprof.shell.completion import candidates, script
from fixtures_sandbox import BIN_DIR

PROFILES = "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n"
PROFILES += "[profile prod-admin]\nregion = eu-west-1\n"
READY = "READY> "


@pytest.fixture
def home(aws_dir: Path, isolated_home: Path) -> Path:
    (aws_dir / "config").write_text(PROFILES)
    return isolated_home


def _environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(HOME=str(home), TERM="dumb", PATH=f"{BIN_DIR}{os.pathsep}{env['PATH']}")
    return env


def _shell(shell: str, home: Path) -> pexpect.spawn:
    arguments = ["--norc", "--noprofile"] if shell == "bash" else ["-f"]
    child = pexpect.spawn(shell, arguments, env=_environment(home), encoding="utf-8", timeout=60)
    child.sendline("PS1='READY''> '" if shell == "bash" else "PROMPT='READY''> '")
    child.expect_exact(READY)
    child.sendline(f'eval "$(awsprof shell-init {shell})"')
    child.expect_exact(READY)
    return child


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_tab_completes_commands_and_profile_names(home: Path, shell: str) -> None:
    child = _shell(shell, home)
    try:
        child.send("awsprof use prod-\t")  # a profile name from the config file
        child.expect_exact("prod-admin")
        child.sendline("")
        child.expect_exact(READY)
        child.sendline('echo "P=$AWS_PROFILE"')
        child.expect_exact("P=prod-admin")
        child.expect_exact(READY)
        child.send("awsprof whoam\t")  # a command
        child.send("--help\r")
        child.expect_exact("Usage: awsprof whoami")
        child.expect_exact(READY)
    finally:
        child.close(force=True)


def test_fish_completes_commands_options_and_profiles(home: Path) -> None:
    fish = shutil.which("fish")
    assert fish is not None, "fish is installed by scripts/install-system-deps.sh"

    def complete(line: str) -> list[str]:
        done = subprocess.run(
            [fish, "--no-config", "-c", f"awsprof shell-init fish | source; complete -C '{line}'"],
            env=_environment(home),
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return [entry.split("\t")[0] for entry in done.stdout.splitlines()]

    assert "whoami" in complete("awsprof who")
    assert set(complete("awsprof exec d")) == {"dev", "default"}
    assert "--sso-session" in complete("awsprof sso logout --")
    assert complete("awsprof whoami --profile prod") == ["prod-admin"]


def test_the_candidates_follow_the_click_application() -> None:
    tree = build_tree()

    def names() -> list[str]:
        return ["default", "dev", "prod"]

    assert "doctor" in candidates(tree, ["awsprof"], "", names)
    assert candidates(tree, ["awsprof", "shell-init"], "", names) == [
        "bash",
        "fish",
        "powershell",
        "zsh",
    ]
    assert candidates(tree, ["awsprof", "keys", "rotate", "--profile"], "d", names) == [
        "default",
        "dev",
    ]
    assert candidates(tree, ["awsprof", "exec", "dev"], "", names) == []  # the command's words
    assert candidates(tree, ["awsprof", "guard", "--"], "", names) == []
    assert "--confirm-account" in candidates(tree, ["awsprof", "exec"], "--", names)
    assert candidates(tree, ["awsprof", "whoami"], "--profile=p", names) == ["--profile=prod"]


def test_completion_command_prints_each_shells_script(home: Path) -> None:
    for shell in ("bash", "zsh", "fish", "powershell"):
        done = subprocess.run(
            [str(BIN_DIR / "awsprof"), "completion", shell],
            env=_environment(home),
            capture_output=True,
            text=True,
            check=True,
        )
        assert "__complete" in done.stdout and "--current=" in done.stdout
    for shell in ("bash", "zsh"):
        subprocess.run([shell, "-n"], input=script(shell, "awsprof"), text=True, check=True)
    text = script("powershell", "/usr/bin/awsprof")
    for opening, closing in ("{}", "()", "[]"):
        assert text.count(opening) == text.count(closing)
    pwsh = shutil.which("pwsh")
    if pwsh:  # not in Debian; checked for real where it is installed
        check = (
            "$errors = $null; [System.Management.Automation.Language.Parser]::ParseInput("
            "[Console]::In.ReadToEnd(), [ref]$null, [ref]$errors) | Out-Null; exit $errors.Count"
        )
        subprocess.run([pwsh, "-NoProfile", "-Command", check], input=text, text=True, check=True)
