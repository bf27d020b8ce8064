"""The shell functions of `shell-init` pass `--help` and every other command through to awsprof,
and evaluate only the code `awsprof use` prints for that purpose."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from awsprof.shell.init import script
from awsprof.shell.use import CODE_MARKER
from fixtures_sandbox import Sandbox
from guard.guard_helpers import Terminal, plain


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_use_help_is_printed_not_run_as_shell_code(sandbox: Sandbox, shell: str) -> None:
    terminal = Terminal(sandbox, shell, sandbox.home)
    try:
        for line in ("awsprof use --help", "awsprof use dev -h"):
            output = plain(terminal.run(line))
            assert "Usage: awsprof use" in output, output
            assert "command not found" not in output and "not found" not in output, output
        assert "code=0" in terminal.run("awsprof use --help >/dev/null; echo code=$?")
        assert "profile=none" in terminal.run('echo "profile=${AWS_PROFILE:-none}"')
        # `use` itself still changes the shell; any other command runs as itself.
        terminal.run("awsprof use dev")
        assert "profile=dev" in terminal.run('echo "profile=${AWS_PROFILE:-none}"')
        assert "awsprof " in plain(terminal.run("awsprof --version"))
    finally:
        terminal.close()


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_output_without_the_marker_is_never_evaluated(tmp_path: Path, shell: str) -> None:
    planted = tmp_path / "planted"
    # A binary that answers `use` with shell code but without the marker (as help text would).
    code = (
        script(shell, "awsprof")
        + f"_awsprof_bin() {{ printf 'touch %s\\n' '{planted}'; }}\n"
        + "awsprof use dev\n"
    )
    done = subprocess.run([shell, "-c", code], capture_output=True, text=True, check=False)
    assert not planted.exists()
    assert f"touch {planted}" in done.stdout
    marked = code.replace("printf 'touch", f"printf '{CODE_MARKER}\\ntouch")
    subprocess.run([shell, "-c", marked], capture_output=True, text=True, check=True)
    assert planted.exists()  # the same line with the marker is run: the check is what stops it


def test_fish_passes_help_through_and_evaluates_only_marked_code(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    fish = shutil.which("fish")
    assert fish is not None, "fish is installed by scripts/install-system-deps.sh"
    done = subprocess.run(
        [
            fish,
            "--no-config",
            "-c",
            "awsprof shell-init fish | source; awsprof use --help; echo code=$status; "
            "awsprof use dev; echo profile=$AWS_PROFILE",
        ],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert "Usage: awsprof use" in done.stdout
    assert "code=0" in done.stdout
    assert "Unknown command" not in done.stderr, done.stderr
    assert "profile=dev" in done.stdout
    planted = tmp_path / "planted"
    fake = script("fish", "awsprof") + (
        f"function _awsprof_bin; printf 'touch %s\\n' '{planted}'; end\nawsprof use dev\n"
    )
    subprocess.run([fish, "--no-config", "-c", fake], capture_output=True, text=True, check=False)
    assert not planted.exists()


def test_powershell_function_checks_help_and_the_marker() -> None:
    text = script("powershell", "/usr/bin/awsprof")
    assert f"$code[0] -ceq '{CODE_MARKER}'" in text
    assert "'--help'" in text and "Invoke-Expression" in text
    pwsh = shutil.which("pwsh")
    if pwsh:  # not in Debian; checked for real where it is installed
        check = (
            "$errors = $null; [System.Management.Automation.Language.Parser]::ParseInput("
            "[Console]::In.ReadToEnd(), [ref]$null, [ref]$errors) | Out-Null; exit $errors.Count"
        )
        subprocess.run([pwsh, "-NoProfile", "-Command", check], input=text, text=True, check=True)
