"""Where the two files are.

The AWS CLI v2 and boto3 take ``AWS_CONFIG_FILE`` and ``AWS_SHARED_CREDENTIALS_FILE`` (else
``~/.aws/config`` and ``~/.aws/credentials``), expand ``$VARS`` and then ``~``.

The home directory follows Python's own rule, which is what the AWS CLI v2 and boto3 use: ``HOME``
on POSIX; on Windows ``USERPROFILE``, else ``HOMEDRIVE`` + ``HOMEPATH``, and ``HOME`` is ignored.
Other SDKs look at ``HOME`` first on Windows too; awsprof deliberately picks the AWS CLI's rule
because it must open the same files as the AWS CLI on the same machine.

Every function takes the environment as a mapping so that tests and callers never depend on the
process environment by accident.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

_POSIX_VAR = re.compile(r"\$(\w+|\{[^}]*\})")
_WINDOWS_VAR = re.compile(r"%([^%]+)%")


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


def expand_path(raw: str, environ: Mapping[str, str], platform: str = sys.platform) -> str:
    """``$VAR`` (and ``%VAR%`` on Windows) first, then a leading ``~``, as botocore does."""

    def variable(match: re.Match[str]) -> str:
        name = match.group(1).strip("{}")
        return environ.get(name, match.group(0))

    windows = platform.startswith("win")
    text = _POSIX_VAR.sub(variable, raw)
    if windows:
        text = _WINDOWS_VAR.sub(variable, text)
    separators = ("/", "\\") if windows else ("/",)
    if text == "~" or text.startswith(tuple("~" + s for s in separators)):
        text = home_dir(environ, platform) + text[1:]
    return text


def _path(raw: str, environ: Mapping[str, str], platform: str) -> PurePath:
    expanded = expand_path(raw, environ, platform)
    if platform == sys.platform:
        return Path(expanded)
    return PureWindowsPath(expanded) if platform.startswith("win") else PurePosixPath(expanded)


def config_file(environ: Mapping[str, str], platform: str = sys.platform) -> PurePath:
    """The config file: ``AWS_CONFIG_FILE`` or ``~/.aws/config`` (a ``Path`` on this platform)."""
    return _path(environ.get("AWS_CONFIG_FILE") or "~/.aws/config", environ, platform)


def credentials_file(environ: Mapping[str, str], platform: str = sys.platform) -> PurePath:
    """The credentials file: ``AWS_SHARED_CREDENTIALS_FILE`` or ``~/.aws/credentials``."""
    raw = environ.get("AWS_SHARED_CREDENTIALS_FILE") or "~/.aws/credentials"
    return _path(raw, environ, platform)


def aws_files(environ: Mapping[str, str]) -> tuple[Path, Path]:
    """Both files on this machine: (config, credentials)."""
    return Path(config_file(environ)), Path(credentials_file(environ))


def cache_dir(environ: Mapping[str, str]) -> Path:
    """awsprof's own cache (never the AWS CLI's): ``$XDG_CACHE_HOME/awsprof`` or ``~/.cache``."""
    base = environ.get("XDG_CACHE_HOME") or os.path.join(home_dir(environ), ".cache")
    return Path(base) / "awsprof"
