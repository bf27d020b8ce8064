"""Per-directory profiles in real bash, zsh and fish under a pseudo-terminal: an untrusted or
changed `.awsprof` does nothing but say so; a trusted one sets AWS_PROFILE inside its directory
and the previous value comes back outside."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pexpect
import pytest

BIN = Path(sys.executable).parent
READY = "DIR-READY> "


class Shell:
    def __init__(self, shell: str, home: Path) -> None:
        env = {
            "HOME": str(home),
            "PATH": f"{BIN}:/usr/bin:/bin",
            "TERM": "dumb",
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "AWS_PROFILE": "before",
        }
        arguments = {"bash": ["--norc", "--noprofile"], "zsh": ["-f"], "fish": ["--no-config"]}
        self.shell = shell
        self.count = 0
        self.child = pexpect.spawn(
            shell, arguments[shell], env=env, cwd=str(home), encoding="utf-8", timeout=60
        )
        if shell == "fish":
            self.child.sendline("function fish_prompt; printf 'DIR-''READY> '; end")
        elif shell == "zsh":
            self.child.sendline("unsetopt zle; PROMPT='DIR-''READY> '")
        else:
            self.child.sendline("PS1='DIR-''READY> '")
        self.child.expect_exact(READY)
        init = (
            "awsprof shell-init fish | source"
            if shell == "fish"
            else f'eval "$(awsprof shell-init {shell})"'
        )
        self.run(init)

    def run(self, command: str) -> str:
        """Run a command; returns everything printed until it (and the prompt hooks) ended."""
        self.count += 1
        self.child.sendline(command)
        # The marker's own echo differs from its output, so only the output matches.
        self.child.sendline(f"printf '%s-%s\\n' END {self.count}")
        self.child.expect_exact(f"END-{self.count}")
        return str(self.child.before)

    def profile(self) -> str:
        out = self.run("printf 'P=<%s>\\n' \"$AWS_PROFILE\"")
        found = re.findall(r"P=<([^%>]*)>", out)
        return found[-1] if found else "?"

    def close(self) -> None:
        self.child.sendline("exit")
        self.child.close(force=True)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_a_trusted_awsprof_file_sets_the_profile_inside_its_directory(
    tmp_path: Path, shell: str
) -> None:
    home = tmp_path / "home"
    project = home / "project"
    (project / "src").mkdir(parents=True)
    (project / ".awsprof").write_text("profile = team-dev\n")
    terminal = Shell(shell, home)
    try:
        entered = terminal.run("cd project/src")
        assert "is not trusted" in entered
        assert terminal.profile() == "before"  # untrusted: nothing happens
        trusted = terminal.run("awsprof trust ..")
        assert "trusted" in trusted
        assert terminal.profile() == "team-dev"
        terminal.run("cd ~")
        assert terminal.profile() == "before"  # left: the previous value is back
        terminal.run("cd project")
        assert terminal.profile() == "team-dev"
        terminal.run("cd ~")
        (project / ".awsprof").write_text("profile = prod\n")  # changed behind our back
        changed = terminal.run("cd project")
        assert "changed since you trusted it" in changed
        assert terminal.profile() == "before"
    finally:
        terminal.close()
