"""Text read from a file never reaches a terminal raw (issue 12, case 7): a hand-edited profile
name full of terminal controls is shown escaped on a terminal (a real pseudo-terminal), kept
byte-exact for a pipe, and escaped for each shell's prompt (real zsh, bash and fish)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

AWSPROF = str(Path(sys.executable).with_name("awsprof"))
# Sets the window title, rings the bell, then hides the rest of the line.
EVIL = "evil\x1b]0;pwned\x07\x1b[8m\u202e"
SHOWN = "evil\\x1b]0;pwned\\x07\\x1b[8m\\u202e"


@pytest.fixture
def evil_config(aws_dir: Path) -> Path:
    config = aws_dir / "config"
    config.write_text(
        f"[profile {EVIL}]\nregion = eu-west-1\n"
        "[profile plain]\noutput = a\x1b[2Jb\n"
        "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
        f"source_profile = {EVIL}-gone\n"
    )
    return config


def on_terminal(*argv: str, env: dict[str, str] | None = None) -> str:
    child = pexpect.spawn(
        AWSPROF, list(argv), env={**os.environ, **(env or {})}, encoding="utf-8", timeout=20
    )
    child.expect(pexpect.EOF)
    child.close()
    return str(child.before)


def piped(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AWSPROF, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=20,
        check=False,
    )


def test_list_profiles_escapes_controls_on_a_terminal(evil_config: Path) -> None:
    shown = on_terminal("configure", "list-profiles")
    assert SHOWN in shown
    assert "\x1b" not in shown and "\x07" not in shown


def test_list_profiles_is_byte_exact_into_a_pipe(evil_config: Path) -> None:
    assert piped("configure", "list-profiles").stdout == f"{EVIL}\nplain\nrole\n"


def test_configure_get_escapes_a_value_on_a_terminal(evil_config: Path) -> None:
    shown = on_terminal("configure", "get", "output", "--profile", "plain")
    assert "a\\x1b[2Jb" in shown
    assert "\x1b" not in shown


def test_error_naming_a_profile_from_the_file_is_escaped(evil_config: Path) -> None:
    """The error names the source_profile as the file spells it."""
    done = piped("whoami", "--profile", "role")
    assert done.returncode == 4, done.stderr
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr
    assert SHOWN in done.stderr


def test_configure_list_escapes_values(evil_config: Path) -> None:
    done = piped("configure", "list", "--profile", EVIL)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout


# -- the prompt, per shell ------------------------------------------------------------------

PERCENT = "ops%F{red}%n%~"


@pytest.fixture
def percent_profile(aws_dir: Path) -> dict[str, str]:
    (aws_dir / "config").write_text(
        f"[profile {PERCENT}]\nregion = eu-west-1\n[profile {EVIL}]\nregion = eu-west-1\n"
    )
    return {"AWS_PROFILE": PERCENT}


def _shell(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is installed by `make system-deps`"
    return path


def test_zsh_prompt_shows_percent_sequences_literally(percent_profile: dict[str, str]) -> None:
    """zsh expands %-sequences in the segment (PROMPT_SUBST): each % must arrive doubled."""
    script = (
        f'AWSPROF_SEGMENT="$({AWSPROF} prompt --shell zsh --no-color --format "{{profile}}")"\n'
        'print -rn -- "${(%)AWSPROF_SEGMENT}"\n'  # the prompt expansion zsh applies to PROMPT
    )
    done = subprocess.run(
        [_shell("zsh"), "-f", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, **percent_profile},
        timeout=20,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == PERCENT


@pytest.mark.parametrize("shell", ["bash", "fish", "powershell", "plain"])
def test_prompt_escapes_controls_for_every_shell(
    percent_profile: dict[str, str], shell: str
) -> None:
    env = {"AWS_PROFILE": EVIL}
    done = piped("prompt", "--shell", shell, "--no-color", "--format", "{profile}", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == SHOWN


def test_bash_prompt_shows_the_escaped_name_in_a_real_bash(percent_profile: dict[str, str]) -> None:
    """bash decodes its backslash escapes before expanding the segment: the name stays inert."""
    script = (
        f'AWSPROF_SEGMENT="$({AWSPROF} prompt --shell bash --no-color --format "{{profile}}")"\n'
        "PS1='${AWSPROF_SEGMENT}'\nprintf %s \"${PS1@P}\"\n"
    )
    done = subprocess.run(
        [_shell("bash"), "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "AWS_PROFILE": EVIL},
        timeout=20,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == SHOWN


def test_fish_prompt_prints_the_escaped_name(percent_profile: dict[str, str]) -> None:
    script = (
        f"set -l segment ({AWSPROF} prompt --shell fish --no-color --format '{{profile}}')\n"
        "printf '%s' $segment\n"
    )
    done = subprocess.run(
        [_shell("fish"), "--no-config", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "AWS_PROFILE": EVIL},
        timeout=20,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == SHOWN


def test_doctor_findings_quote_names_escaped(aws_dir: Path) -> None:
    (aws_dir / "config").write_text(f"[profile {EVIL}]\nregoin = x\n[profilefoo\x1b[2J]\n")
    done = piped("doctor")
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout
    assert SHOWN in done.stdout
    assert "[profilefoo\\x1b[2J]" in done.stdout
