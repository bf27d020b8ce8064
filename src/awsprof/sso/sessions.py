"""``sso sessions`` and ``sso logout``: what is logged in until when, and ending one session.

The AWS CLI can only log out of everything at once and has no way to list sessions (aws-sdk
#371). Here a session's status comes from the caches alone (no network): its token, whether that
can be refreshed, and the role credentials cached for the profiles that use it. Logging out of one
session signs its token out at the portal, then deletes its token file and the role credentials of
its profiles; ``--all`` deletes every SSO token and SSO role-credential file, as the AWS CLI does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from awsprof.credentials import format_iso, parse_expiration
from awsprof.errors import AwsprofError
from awsprof.files.gcpause import paused_gc
from awsprof.files.jsoncache import JsonCache
from awsprof.files.locate import cache_dir
from awsprof.profiles.model import AwsFiles
from awsprof.sso import rolecache
from awsprof.sso.rolecache import Member
from awsprof.sso.session import SessionSettings, all_sessions, members
from awsprof.sso.token import SsoToken, TokenCache, sso_cache_dir

Report = Callable[[str], None]


def cli_cache_dir(sso_cache: Path) -> Path:
    return sso_cache.parent.parent / "cli" / "cache"


class RoleStatus(NamedTuple):
    """One profile's role credentials in the cache (a tuple: 100,000 are made at a time)."""

    profile: str
    account_id: str
    role_name: str
    expires_at: dt.datetime | None  # None: nothing cached

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "accountId": self.account_id,
            "roleName": self.role_name,
            "expiresAt": format_iso(self.expires_at) if self.expires_at else None,
        }


@dataclass(frozen=True, eq=False)
class SessionStatus:
    settings: SessionSettings
    logged_in: bool
    expires_at: dt.datetime | None
    refreshable: bool
    members: list[Member]  # each profile with an account and a role
    cached: dict[int, dt.datetime | None]  # the members (by index) with a role-cache entry

    @property
    def roles(self) -> tuple[RoleStatus, ...]:
        """Every member's role credentials, built when asked (100,000 in a generated config;
        the table needs only :meth:`cached_roles`)."""
        cached = self.cached
        return tuple(
            RoleStatus(profile, account, role, cached.get(index))
            for index, (profile, account, role) in enumerate(self.members)
        )

    def cached_roles(self) -> list[RoleStatus]:
        """The members with role credentials in the cache (unexpired or not)."""
        return [
            RoleStatus(*self.members[index], expires)
            for index, expires in self.cached.items()
            if expires is not None
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "session": self.settings.name,
            "startUrl": self.settings.start_url,
            "region": self.settings.region,
            "loggedIn": self.logged_in,
            "expiresAt": format_iso(self.expires_at) if self.expires_at else None,
            "refreshable": self.refreshable,
            "roleCredentials": [role.as_dict() for role in self.roles],
        }


def _role_expiry(cli_cache: JsonCache, key: str) -> dt.datetime | None:
    entry = cli_cache.get(key)
    try:
        return parse_expiration(entry["Credentials"]["Expiration"]) if entry else None
    except (KeyError, TypeError, ValueError):
        return None


def _roles(files: AwsFiles, settings: SessionSettings) -> list[Member]:
    """The profiles of the session with an account and a role."""
    return [
        member  # type: ignore[misc]  # account and role are set
        for member in members(files, settings)
        if member[1] and member[2]
    ]


def statuses(
    files: AwsFiles, environ: Mapping[str, str], now: dt.datetime, report: Report
) -> list[SessionStatus]:
    sso_cache = JsonCache(sso_cache_dir(environ), report)
    cli_cache = JsonCache(cli_cache_dir(sso_cache.directory), report)
    with paused_gc():  # every profile's objects stay alive to the end (see gcpause)
        return _statuses(files, environ, now, sso_cache, cli_cache)


def _statuses(
    files: AwsFiles,
    environ: Mapping[str, str],
    now: dt.datetime,
    sso_cache: JsonCache,
    cli_cache: JsonCache,
) -> list[SessionStatus]:
    result = []
    present = rolecache.listed(cli_cache)
    known = rolecache.known_keys(cache_dir(environ) if present else None)
    for settings in all_sessions(files, environ):
        token = TokenCache(sso_cache, settings.token_key).read()
        roles = _roles(files, settings)
        found = rolecache.cached_members(
            roles, settings.name, settings.start_url, cli_cache, present, known
        )
        cached = {index: _role_expiry(cli_cache, key) for index, key in found.items()}
        result.append(
            SessionStatus(
                settings,
                token is not None and token.usable(now),
                token.expires_at if token else None,
                token is not None and token.refreshable(now),
                roles,
                cached,
            )
        )
    if present:
        known.save(present)
    return result


@dataclass(frozen=True)
class LogoutResult:
    sessions: tuple[str, ...]
    signed_out: int  # portal Logout calls that succeeded
    deleted: tuple[Path, ...]
    role_credentials: int = 0  # of ``deleted``: role credentials (SSO roles and roles chained on)


def _chained_role_keys(files: AwsFiles, sessions: list[SessionSettings]) -> list[str]:
    """Cache keys of the AssumeRole credentials of profiles whose source_profile chain starts at
    an SSO profile of ``sessions``: left in place they reach the role for up to an hour after
    the logout, as the AWS CLI's do."""
    from awsprof.files.jsoncache import assume_role_key
    from awsprof.profiles.roles import assume_arguments

    roots = {name for settings in sessions for name, _, _ in members(files, settings)}
    keys = []
    for name in files.where(("role_arn",)):
        profile = files.profile(name)
        if profile is None or not profile.text("role_arn"):
            continue
        current, seen = profile, {name}
        while current.text("role_arn") and current.text("source_profile"):
            source = current.text("source_profile") or ""
            following = files.profile(source)
            if following is None or source in seen:
                break
            current = following
            seen.add(source)
        if current.name in roots:
            try:
                keys.append(assume_role_key(assume_arguments(profile)[1]))
            except AwsprofError:
                continue  # a role profile that cannot be assumed has nothing cached
    return keys


Portal = Callable[[SessionSettings, SsoToken], Any]


def _portal_logout(
    settings: SessionSettings, token: SsoToken | None, portal: Portal, report: Report
) -> bool:
    """Tell the portal the token is done (best effort: an expired token is already done)."""
    from awsprof.credentials import now_utc

    if token is None or not token.usable(now_utc()):
        return False
    try:
        portal(settings, token).logout(accessToken=token.access_token)
    except Exception as error:  # botocore's ClientError and transport errors; never the token
        report(
            f"the portal did not confirm the logout of {settings.label} ({type(error).__name__})"
        )
        return False
    return True


def logout(
    files: AwsFiles,
    environ: Mapping[str, str],
    sessions: list[SessionSettings],
    portal: Portal,
    report: Report,
    everything: bool = False,
) -> LogoutResult:
    """Sign out of ``sessions`` and delete their caches; with ``everything``, every SSO cache."""
    sso_cache = JsonCache(sso_cache_dir(environ), report)
    cli_cache = JsonCache(cli_cache_dir(sso_cache.directory), report)
    deleted: list[Path] = []
    signed_out = 0
    for settings in sessions:
        tokens = TokenCache(sso_cache, settings.token_key)
        with tokens.refresh_lock():
            token = tokens.read()
            signed_out += _portal_logout(settings, token, portal, report)
            if tokens.delete():
                deleted.append(tokens.path)
    # Every file named like a profile's role credentials goes, whatever it says it holds (so
    # not rolecache.cached_members, which trusts the entries' own marks); only the names there
    # are deleted, not 100,000 names that are not.
    present = rolecache.listed(cli_cache)
    role_keys = [
        key
        for settings in sessions
        for key in rolecache.role_keys(_roles(files, settings), settings.name, settings.start_url)
        if present is None or key in present
    ]
    roles: list[Path] = []
    for key in dict.fromkeys([*role_keys, *_chained_role_keys(files, sessions)]):
        if cli_cache.delete(key):
            roles.append(cli_cache.path(key))
    if everything:
        deleted += _delete_matching(sso_cache, lambda entry: "accessToken" in entry)
        roles += _delete_matching(cli_cache, rolecache.is_sso_role_entry)
    return LogoutResult(
        tuple(s.label for s in sessions), signed_out, tuple(deleted + roles), len(roles)
    )


def _delete_matching(cache: JsonCache, matches: Callable[[dict[str, Any]], bool]) -> list[Path]:
    deleted: list[Path] = []
    if not cache.directory.is_dir():
        return deleted
    for path in sorted(cache.directory.glob("*.json")):
        entry = cache.get(path.stem)
        if entry is not None and matches(entry) and cache.delete(path.stem):
            deleted.append(path)
    return deleted
