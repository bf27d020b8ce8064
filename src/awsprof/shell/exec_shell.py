"""``awsprof exec PROFILE`` with no command: the person's own shell, marked as an exec shell.

The child environment already carries ``AWSPROF_PROFILE`` (how `exec` and the prompt know they
are inside one); the shell also shows ``(awsprof:PROFILE)`` in front of its prompt. The person's
own rc files run first, then the prefix is added, through a small rc file per shell kept in
awsprof's cache (bash ``--rcfile``, zsh ``ZDOTDIR``, fish ``--init-command``; other shells get
``PS1`` in the environment). The profile name reaches the prompt through a variable, never as
code: a name like ``$(...)`` is shown, not run.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

PREFIX_VARIABLE = "AWSPROF_PROFILE"
USER_ZDOTDIR_VARIABLE = "AWSPROF_USER_ZDOTDIR"

_BASHRC = """\
# awsprof exec: your own ~/.bashrc, then the profile in front of the prompt.
if [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi
PS1='(awsprof:${AWSPROF_PROFILE}) '"${PS1-\\$ }"
"""

_ZSHENV = """\
# awsprof exec: your own .zshenv (ZDOTDIR points here only to add the prompt prefix).
_awsprof_exec_dir="$ZDOTDIR"
ZDOTDIR="${AWSPROF_USER_ZDOTDIR:-$HOME}"
[ -f "$ZDOTDIR/.zshenv" ] && . "$ZDOTDIR/.zshenv"
ZDOTDIR="$_awsprof_exec_dir"
"""

_ZSHRC = """\
# awsprof exec: your own .zshrc, then the profile in front of the prompt.
ZDOTDIR="${AWSPROF_USER_ZDOTDIR:-$HOME}"
[ -f "$ZDOTDIR/.zshrc" ] && . "$ZDOTDIR/.zshrc"
_awsprof_exec_profile="${AWSPROF_PROFILE//\\%/%%}"
if [[ -o promptsubst ]]; then
  PROMPT='(awsprof:${_awsprof_exec_profile}) '"$PROMPT"
else
  PROMPT="(awsprof:${_awsprof_exec_profile}) $PROMPT"
fi
"""

_FISH_INIT = (
    "functions -q fish_prompt; and functions -c fish_prompt _awsprof_exec_prompt; "
    "function fish_prompt; printf '(awsprof:%s) ' $AWSPROF_PROFILE; "
    "functions -q _awsprof_exec_prompt; and _awsprof_exec_prompt; end"
)


def _write(path: Path, text: str) -> None:
    """Write a small rc file atomically (0600) unless it already holds ``text``."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    temporary.chmod(0o600)
    os.replace(temporary, path)


def user_shell(environ: Mapping[str, str]) -> str:
    shell = environ.get("SHELL") or ""
    return shell if shell and os.path.isabs(shell) else "/bin/sh"


def shell_command(
    environ: Mapping[str, str], cache: Path, profile: str
) -> tuple[list[str], dict[str, str]]:
    """(argv, extra environment) that open the person's shell with the exec marker."""
    shell = user_shell(environ)
    name = os.path.basename(shell)
    directory = cache / "exec-shell"
    if name == "bash":
        rcfile = directory / "bashrc"
        _write(rcfile, _BASHRC)
        return [shell, "--rcfile", str(rcfile), "-i"], {}
    if name == "zsh":
        zdotdir = directory / "zsh"
        _write(zdotdir / ".zshenv", _ZSHENV)
        _write(zdotdir / ".zshrc", _ZSHRC)
        own = environ.get("ZDOTDIR") or environ.get("HOME") or ""
        return [shell, "-i"], {"ZDOTDIR": str(zdotdir), USER_ZDOTDIR_VARIABLE: own}
    if name == "fish":
        return [shell, "--init-command", _FISH_INIT], {}
    return [shell, "-i"], {"PS1": f"(awsprof:{_plain(profile)}) {environ.get('PS1', '$ ')}"}


def _plain(profile: str) -> str:
    """The name for a PS1 that a shell may expand: only characters no shell treats specially."""
    return "".join(c if c.isalnum() or c in "-_.@+=," else "?" for c in profile)
