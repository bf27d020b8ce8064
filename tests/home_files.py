"""Helpers for tests that keep both AWS files, and awsprof's cache, straight in their home."""

from __future__ import annotations

import os
from pathlib import Path


def files_environ(home: Path) -> dict[str, str]:
    """The environment naming ``home/config``, ``home/credentials`` and ``home/cache``."""
    return {
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
    }


def settle(path: Path) -> None:
    """Date the file an hour back: the index (and what is kept beside it) trusts a file's
    identity alone only once the file has not changed for a while."""
    settled = path.stat().st_mtime - 3600
    os.utime(path, (settled, settled))
