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

import sys
from collections.abc import Mapping
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from awsprof.files import paths
from awsprof.files.paths import expand_path, home_dir

__all__ = [
    "aws_files",
    "cache_dir",
    "config_file",
    "credentials_file",
    "expand_path",
    "home_dir",
]


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
    return Path(paths.cache_dir(environ))
