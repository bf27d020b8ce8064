"""Where the two files are, as strings: the rule every caller uses (``locate`` wraps it in Paths).

The AWS CLI v2 and boto3 take ``AWS_CONFIG_FILE`` and ``AWS_SHARED_CREDENTIALS_FILE`` (else
``~/.aws/config`` and ``~/.aws/credentials``) and expand them as Python's ``os.path.expandvars``
then ``os.path.expanduser`` do: ``$VAR``/``${VAR}`` (and ``%VAR%`` on Windows), then a leading
``~`` (the home directory) or ``~user`` (that user's home directory, from the password database).

Lean on purpose (no pathlib): the guard and the prompt locate the files on every command.
"""

from __future__ import annotations

import os
import re
import sys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping

# Compiled on first use (``re``'s cache): most paths hold no variable at all.
_POSIX_VAR = r"\$(\w+|\{[^}]*\})"
_WINDOWS_VAR = r"%([^%]+)%"
CONFIG_VARIABLE = "AWS_CONFIG_FILE"
CREDENTIALS_VARIABLE = "AWS_SHARED_CREDENTIALS_FILE"


def home_dir(environ: Mapping[str, str], platform: str = sys.platform) -> str:
    """The home directory as the AWS CLI resolves it on ``platform``."""
    if platform.startswith("win"):
        if environ.get("USERPROFILE"):
            return environ["USERPROFILE"]
        drive, path = environ.get("HOMEDRIVE", ""), environ.get("HOMEPATH", "")
        if path:
            return drive + path
        raise OSError("cannot find the home directory: USERPROFILE and HOMEPATH are unset")
    home = environ.get("HOME")
    if home:
        return home
    return os.path.expanduser("~")


def _user_home(name: str) -> str | None:
    """``~name``: that user's home directory, or None when there is no such user (kept as is)."""
    try:
        import pwd
    except ImportError:  # Windows: Python takes the sibling of the current home directory
        return None
    try:
        return pwd.getpwnam(name).pw_dir
    except KeyError:
        return None


def expand_path(raw: str, environ: Mapping[str, str], platform: str = sys.platform) -> str:
    """``$VAR`` (and ``%VAR%`` on Windows) first, then a leading ``~`` or ``~user``."""

    def variable(match: re.Match[str]) -> str:
        name = match.group(1).strip("{}")
        return environ.get(name, match.group(0))

    windows = platform.startswith("win")
    text = re.sub(_POSIX_VAR, variable, raw) if "$" in raw else raw
    if windows and "%" in text:
        text = re.sub(_WINDOWS_VAR, variable, text)
    if not text.startswith("~"):
        return text
    separators = "/\\" if windows else "/"
    end = next((i for i, char in enumerate(text) if char in separators), len(text))
    if end == 1:
        return home_dir(environ, platform) + text[1:]
    if windows:
        return text
    home = _user_home(text[1:end])
    if home is None:
        return text
    return (home.rstrip("/") or "/") + text[end:] if text[end:] else home


def config_path(environ: Mapping[str, str], platform: str = sys.platform) -> str:
    """The config file: ``AWS_CONFIG_FILE`` or ``~/.aws/config``."""
    return expand_path(environ.get(CONFIG_VARIABLE) or "~/.aws/config", environ, platform)


def credentials_path(environ: Mapping[str, str], platform: str = sys.platform) -> str:
    """The credentials file: ``AWS_SHARED_CREDENTIALS_FILE`` or ``~/.aws/credentials``."""
    raw = environ.get(CREDENTIALS_VARIABLE) or "~/.aws/credentials"
    return expand_path(raw, environ, platform)


def cache_dir(environ: Mapping[str, str]) -> str:
    """awsprof's own cache (never the AWS CLI's): ``$XDG_CACHE_HOME/awsprof`` or ``~/.cache``."""
    base = environ.get("XDG_CACHE_HOME") or os.path.join(home_dir(environ), ".cache")
    return os.path.join(base, "awsprof")
