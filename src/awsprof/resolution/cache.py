"""Moved to :mod:`awsprof.files.jsoncache` (a bottom layer: the reader and the guard use it too)."""

from awsprof.files.jsoncache import *  # noqa: F403 - the old import path keeps working
from awsprof.files.jsoncache import JsonCache, assume_role_key, sha1_key, sso_role_key

__all__ = ["JsonCache", "assume_role_key", "sha1_key", "sso_role_key"]
