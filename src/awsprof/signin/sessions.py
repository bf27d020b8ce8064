"""``awsprof login --list``: the console logins the profiles name, from the login cache alone.

The AWS CLI cannot list its ``aws login`` sessions; as ``sso sessions`` does for SSO, each status
comes from the cache without a network call: whether credentials are cached, until when, and
whether a refresh token would renew them. Several profiles may name one ``login_session``: they
share one cache entry, so they are one row.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from awsprof.credentials import format_iso
from awsprof.errors import AwsprofError
from awsprof.files.regular import read_bytes
from awsprof.profiles.model import AwsFiles
from awsprof.reader.accounts import principal_account
from awsprof.signin.token import cache_file, credentials_of

LIMIT = 1 << 20  # a login entry is about 2 KiB


@dataclass(frozen=True)
class LoginStatus:
    session: str  # the principal ARN written as ``login_session``
    profiles: tuple[str, ...]
    account_id: str | None
    cached: bool  # a readable entry with credentials exists
    logged_in: bool  # ... and its credentials have not expired
    expires_at: dt.datetime | None
    refreshable: bool  # the entry holds a refresh token and its DPoP key

    def as_dict(self) -> dict[str, Any]:
        return {
            "session": self.session,
            "profiles": list(self.profiles),
            "accountId": self.account_id,
            "cached": self.cached,
            "loggedIn": self.logged_in,
            "expiresAt": format_iso(self.expires_at) if self.expires_at else None,
            "refreshable": self.refreshable,
        }


def statuses(files: AwsFiles, environ: Mapping[str, str], now: dt.datetime) -> list[LoginStatus]:
    """One status per distinct ``login_session``, in the order the profiles appear."""
    named: dict[str, list[str]] = {}
    for profile in files.profiles():
        session = profile.text("login_session")
        if session:
            named.setdefault(session, []).append(profile.name)
    found = []
    for session, profiles in named.items():
        entry = _read(cache_file(environ, session))
        expires_at = None
        account = principal_account(session)  # the reader's rule
        if entry is not None:
            try:
                credentials = credentials_of(entry)
            except (KeyError, TypeError, ValueError):
                entry = None
            else:
                expires_at = credentials.expiration
                account = credentials.account_id or account
        refreshable = bool(entry is not None and entry.get("refreshToken") and entry.get("dpopKey"))
        cached = entry is not None
        logged_in = cached and expires_at is not None and expires_at > now
        found.append(
            LoginStatus(
                session, tuple(profiles), account, cached, logged_in, expires_at, refreshable
            )
        )
    return found


def _read(path: Path) -> dict[str, Any] | None:
    try:  # the safe reader: a FIFO or device planted in the cache is refused, never read
        entry = json.loads(read_bytes(path, LIMIT))
    except (OSError, ValueError, AwsprofError):
        return None
    return entry if isinstance(entry, dict) else None
