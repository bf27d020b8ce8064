"""awsprof's own cache directory and the AWS CLI's SSO token cache, read without the network.

Missing, unreadable or malformed entries read as "not known": the callers decide what an unknown
costs (the guard fails closed, the prompt shows less).
"""

from __future__ import annotations

import os

from awsprof.files.paths import cache_dir, home_dir
from awsprof.files.regular import open_binary

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping


def _json_file(path: str) -> dict[str, object]:
    try:
        with open_binary(path) as handle:  # a FIFO planted here is refused, never waited on
            data = handle.read(4 * 1024 * 1024)
    except (OSError, ValueError):
        return {}
    import json

    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def read_cache(environ: Mapping[str, str], name: str) -> dict[str, object]:
    """One JSON file of awsprof's cache (``accounts``, ``aliases``), or an empty dict."""
    return _json_file(os.path.join(cache_dir(environ), f"{name}.json"))


def sso_token(environ: Mapping[str, str], session: str) -> dict[str, object]:
    """The AWS CLI's cached SSO token for an ``sso-session`` name or a legacy start URL."""
    from awsprof.hashing import sha1_hex

    name = sha1_hex(session.encode())  # the AWS CLI's file name
    return _json_file(os.path.join(home_dir(environ), ".aws", "sso", "cache", f"{name}.json"))


def parse_time(text: str) -> float | None:
    """A timestamp of the AWS caches (``...Z``, ``...+00:00``, v2's ``...UTC``) in seconds."""
    import datetime as dt

    value = text.strip().replace("UTC", "+00:00").replace("Z", "+00:00")
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.timestamp()


def sso_token_expiry(environ: Mapping[str, str], session: str) -> float | None:
    """When the cached SSO login of ``session`` ends (None: no usable token cached)."""
    expires = sso_token(environ, session).get("expiresAt")
    return parse_time(expires) if isinstance(expires, str) else None
