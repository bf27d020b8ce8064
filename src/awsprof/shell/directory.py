"""Per-directory profiles: a `.awsprof` file names the profile for shells inside its directory.

    # .awsprof at the top of a project
    profile = team-dev
    region = eu-west-1          # optional

Like direnv, a file takes effect only once the person trusts that exact content (`awsprof trust`
records its SHA-256 in ``$XDG_CONFIG_HOME/awsprof/trusted-directories.json``); a changed file
does nothing but say so until it is trusted again. Leaving the directory puts back the
``AWS_PROFILE`` (and ``AWS_REGION``) the shell had before. The shell integration asks
``awsprof directory --shell SHELL`` whenever the working directory changes and evaluates what it
prints: only assignments awsprof builds here, with every value quoted for that shell.
"""

from __future__ import annotations

import os

from awsprof.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping

FILE_NAME = ".awsprof"
MAX_BYTES = 64 * 1024
KEYS = ("profile", "region")
APPLIED = "AWSPROF_DIR_FILE"  # the file in effect
PREVIOUS_PROFILE = "AWSPROF_DIR_PREVIOUS_PROFILE"
PREVIOUS_REGION = "AWSPROF_DIR_PREVIOUS_REGION"
ANNOUNCED = "AWSPROF_DIR_ANNOUNCED"  # path:hash already reported as untrusted
UNSET = "-"  # the variable was not set before


def state_file(environ: Mapping[str, str]) -> str:
    from awsprof.files.paths import home_dir

    base = environ.get("XDG_CONFIG_HOME") or os.path.join(home_dir(environ), ".config")
    return os.path.join(base, "awsprof", "trusted-directories.json")


def find(start: str) -> str | None:
    """The nearest `.awsprof` from ``start`` upwards (a regular file only)."""
    current = os.path.abspath(start)
    while True:
        candidate = os.path.join(current, FILE_NAME)
        try:
            import stat

            if stat.S_ISREG(os.stat(candidate).st_mode):
                return candidate
        except OSError:
            pass
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def read(path: str) -> tuple[str, dict[str, str]]:
    """(SHA-256 of the content, its settings); UsageError naming the line when it is wrong."""
    import hashlib

    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UsageError(f"{path} is larger than {MAX_BYTES} bytes", "A .awsprof names a profile.")
    settings: dict[str, str] = {}
    for number, raw in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        key, sep, value = (part.strip() for part in line.partition("="))
        if not sep or key not in KEYS or not value:
            raise UsageError(
                f"{path}, line {number}: expected `profile = NAME` or `region = REGION`",
                "Fix the line, then `awsprof trust` the file again.",
            )
        if not value.isprintable() or any(c in value for c in "'\"`$\\;|&<>(){} \t"):
            raise UsageError(f"{path}, line {number}: {key} holds characters a name never has")
        settings[key] = value
    if "profile" not in settings:
        raise UsageError(f"{path} names no profile", "Add a line `profile = NAME`.")
    return hashlib.sha256(data).hexdigest(), settings


def _trusted(environ: Mapping[str, str]) -> dict[str, str]:
    import json

    try:
        with open(state_file(environ), encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def trust(environ: Mapping[str, str], path: str, revoke: bool = False) -> dict[str, str]:
    """Record (or forget) the current content of ``path``; returns its settings."""
    import json
    from pathlib import Path

    from awsprof.files.atomic import locked, write_atomic

    real = os.path.realpath(path)
    digest, settings = read(real)
    state = Path(state_file(environ))
    with locked(state) as target:
        known = _trusted(environ)
        if revoke:
            known.pop(real, None)
        else:
            known[real] = digest
        write_atomic(target, (json.dumps(known, indent=2) + "\n").encode())
    return settings


def _quote(shell: str, value: str) -> str:
    if shell == "fish":
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    import shlex

    return shlex.quote(value)


def _set(shell: str, name: str, value: str) -> str:
    if shell == "fish":
        return f"set -gx {name} {_quote(shell, value)}"
    return f"export {name}={_quote(shell, value)}"


def _unset(shell: str, name: str) -> str:
    return f"set -e {name}" if shell == "fish" else f"unset {name}"


def _restore(shell: str, name: str, previous: str | None) -> str:
    if previous is None or previous == UNSET:
        return _unset(shell, name)
    return _set(shell, name, previous)


def code(environ: Mapping[str, str], shell: str, cwd: str) -> tuple[list[str], list[str]]:
    """(shell lines to evaluate, messages for the person) for entering or leaving ``cwd``."""
    lines: list[str] = []
    messages: list[str] = []
    applied = environ.get(APPLIED)
    found = find(cwd)
    if found is not None and os.path.realpath(found) == applied:
        return lines, messages  # still inside the directory in effect
    if applied:
        # Left it (or entered another): put back what the shell had before.
        lines.append(_restore(shell, "AWS_PROFILE", environ.get(PREVIOUS_PROFILE)))
        lines.append(_restore(shell, "AWS_REGION", environ.get(PREVIOUS_REGION)))
        lines += [_unset(shell, n) for n in (APPLIED, PREVIOUS_PROFILE, PREVIOUS_REGION)]
        messages.append(f"left {os.path.dirname(applied)}: AWS_PROFILE restored")
    if found is None:
        return lines, messages
    real = os.path.realpath(found)
    try:
        digest, settings = read(real)
    except (UsageError, OSError) as error:
        messages.append(f"{real} is ignored: {getattr(error, 'message', error)}")
        return lines, messages
    if _trusted(environ).get(real) != digest:
        announced = f"{real}:{digest[:12]}"
        if environ.get(ANNOUNCED) != announced:
            changed = real in _trusted(environ)
            what = "changed since you trusted it" if changed else "is not trusted"
            messages.append(
                f"{real} sets profile {settings['profile']} but {what}; "
                f"`awsprof trust {os.path.dirname(real)}` to use it"
            )
            lines.append(_set(shell, ANNOUNCED, announced))
        return lines, messages
    before_profile = environ.get("AWS_PROFILE") if not applied else environ.get(PREVIOUS_PROFILE)
    before_region = environ.get("AWS_REGION") if not applied else environ.get(PREVIOUS_REGION)
    lines.append(_set(shell, PREVIOUS_PROFILE, before_profile or UNSET))
    lines.append(_set(shell, PREVIOUS_REGION, before_region or UNSET))
    lines.append(_set(shell, "AWS_PROFILE", settings["profile"]))
    if "region" in settings:
        lines.append(_set(shell, "AWS_REGION", settings["region"]))
    lines.append(_set(shell, APPLIED, real))
    messages.append(f"AWS_PROFILE={settings['profile']} from {real}")
    return lines, messages


POSIX_HOOK = r"""_awsprof_dir() {
  [ "${_awsprof_dir_pwd:-}" = "$PWD" ] && return 0
  _awsprof_dir_pwd="$PWD"
  local _awsprof_code
  _awsprof_code="$(_awsprof_bin directory --shell SHELL)" || return 0
  [ -n "$_awsprof_code" ] && eval "$_awsprof_code"
  return 0
}
"""
BASH_REGISTER = r"""case ";${PROMPT_COMMAND:-};" in
  *";_awsprof_dir;"*) ;;
  *) PROMPT_COMMAND="_awsprof_dir${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
esac
_awsprof_dir
"""
ZSH_REGISTER = r"""autoload -Uz add-zsh-hook && add-zsh-hook precmd _awsprof_dir
_awsprof_dir
"""
FISH_HOOK = r"""function _awsprof_dir --on-variable PWD
    set -l code (_awsprof_bin directory --shell fish); or return 0
    test (count $code) -gt 0; and printf '%s\n' $code | source
end
_awsprof_dir
"""


def hook(shell: str) -> str:
    """The shell code that asks `awsprof directory` when the working directory changes."""
    if shell == "bash":
        return POSIX_HOOK.replace("SHELL", "bash") + BASH_REGISTER
    if shell == "zsh":
        return POSIX_HOOK.replace("SHELL", "zsh") + ZSH_REGISTER
    if shell == "fish":
        return FISH_HOOK
    return ""  # PowerShell: not yet
