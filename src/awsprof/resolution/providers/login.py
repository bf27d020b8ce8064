"""Console-credential profiles: ``login_session = <principal ARN>``, written by ``aws login``
(AWS CLI v2.32+), with the credentials the AWS CLI cached.

The cache is the AWS CLI's and botocore's: ``~/.aws/login/cache`` (``AWS_LOGIN_CACHE_DIRECTORY``
moves it), file name the SHA-256 of the ``login_session`` value, JSON with ``accessToken``
{accessKeyId, secretAccessKey, sessionToken, accountId, expiresAt}, ``refreshToken``,
``clientId`` and ``dpopKey``. Credentials with under five minutes left are refreshed through
the Sign-In token operation (awsprof.signin.token: DPoP-signed, single-flight, written back in
the AWS CLI's format); a refused refresh of expired credentials asks for a new login (exit 5).
Reading the cache imports neither botocore nor cryptography: only a refresh does.
"""

from __future__ import annotations

import json

from awsprof.credentials import Credentials, format_iso
from awsprof.errors import LoginRequiredError, ServiceError
from awsprof.profiles.model import Profile
from awsprof.resolution.providers.context import Context, Link, Step, used
from awsprof.signin.token import (
    CACHE_VARIABLE,
    REFRESH_WINDOW,
    cache_dir,
    cache_file,
    credentials_of,
)

__all__ = ["CACHE_VARIABLE", "cache_dir", "cache_file", "from_login", "is_login_profile"]


def is_login_profile(profile: Profile) -> bool:
    return bool(profile.text("login_session"))


def login_hint(profile: str) -> str:
    return f"Run `awsprof login --profile {profile}` (or `aws login --profile {profile}`)."


def from_login(context: Context, profile: Profile) -> Step:
    session = profile.text("login_session") or ""
    path = cache_file(context.environ, session)
    again = login_hint(profile.name)
    try:
        token = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LoginRequiredError(
            f"profile '{profile.name}' uses the console login session '{session}', but there is "
            f"no cached login for it ({path})",
            again,
        ) from None
    except (OSError, ValueError) as error:
        raise LoginRequiredError(
            f"the login cache {path} of profile '{profile.name}' cannot be read "
            f"({type(error).__name__})",
            again,
        ) from None
    try:
        credentials = credentials_of(token)
    except (KeyError, TypeError, ValueError):
        raise LoginRequiredError(
            f"the login cache {path} of profile '{profile.name}' has no usable credentials",
            again,
        ) from None
    expiration = credentials.expiration
    assert expiration is not None  # noqa: S101 - credentials_of parsed expiresAt
    refreshed = False
    if expiration - context.now() <= REFRESH_WINDOW:
        credentials, refreshed = _refreshed(context, profile.name, session, credentials, again)
        expiration = credentials.expiration or expiration
    link = Link(
        profile.name,
        "login",
        used(profile, "login_session"),
        expiration,
        cache_file=path,
        from_cache=not refreshed,
        note="refreshed through AWS Sign-In" if refreshed else None,
    )
    return Step(credentials, link)


def _refreshed(
    context: Context, name: str, session: str, current: Credentials, again: str
) -> tuple[Credentials, bool]:
    """Refreshed credentials; the current ones while they last if the refresh fails."""
    from awsprof.files.jsoncache import JsonCache
    from awsprof.signin.token import credentials_of, refresh

    try:
        entry = refresh(
            JsonCache(cache_dir(context.environ)),
            session,
            lambda: context.clients.client("signin", None),
            context.now,
            again,
        )
        return credentials_of(entry), True
    except (LoginRequiredError, ServiceError) as error:
        expiration = current.expiration
        if expiration is None or expiration <= context.now():
            raise LoginRequiredError(
                f"the console login of profile '{name}' expired at "
                f"{format_iso(expiration) if expiration else '?'}; {error.message}",
                again,
            ) from None
        context.report(f"the console login of profile '{name}' was not refreshed: {error.message}")
        return current, False
