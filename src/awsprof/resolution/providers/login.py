"""Console-credential profiles: ``login_session = <principal ARN>``, written by ``aws login``
(AWS CLI v2.32+), with the credentials the AWS CLI cached.

The cache is the AWS CLI's and botocore's: ``~/.aws/login/cache`` (``AWS_LOGIN_CACHE_DIRECTORY``
moves it), file name the SHA-256 of the ``login_session`` value, JSON with ``accessToken``
{accessKeyId, secretAccessKey, sessionToken, accountId, expiresAt}, ``refreshToken``,
``clientId`` and ``dpopKey``. awsprof reads valid credentials from it; it does not refresh them
(that needs the Sign-In service's DPoP-signed token call): an expired login asks for
``aws login`` again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from awsprof.credentials import Credentials, format_iso, parse_expiration
from awsprof.errors import LoginRequiredError
from awsprof.files import locate
from awsprof.profiles.model import Profile
from awsprof.resolution.providers.context import Context, Link, Step, used

CACHE_VARIABLE = "AWS_LOGIN_CACHE_DIRECTORY"


def is_login_profile(profile: Profile) -> bool:
    return bool(profile.text("login_session"))


def cache_dir(environ: Mapping[str, str]) -> Path:
    """botocore's rule: the variable (``$VARS`` and ``~`` expanded), else ~/.aws/login/cache."""
    home = locate.home_dir(environ)
    configured = environ.get(CACHE_VARIABLE)
    if configured is not None:
        expanded = os.path.expandvars(configured)
        if expanded == "~" or expanded.startswith("~/"):
            expanded = home + expanded[1:]
        return Path(os.path.expanduser(expanded))
    return Path(home) / ".aws" / "login" / "cache"


def cache_file(environ: Mapping[str, str], session: str) -> Path:
    return cache_dir(environ) / (hashlib.sha256(session.encode()).hexdigest() + ".json")


def from_login(context: Context, profile: Profile) -> Step:
    session = profile.text("login_session") or ""
    path = cache_file(context.environ, session)
    again = f"Run `aws login --profile {profile.name}` (AWS CLI v2.32 or later)."
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
        access = token["accessToken"]
        expiration = parse_expiration(access["expiresAt"])
        credentials = Credentials(
            access["accessKeyId"],
            access["secretAccessKey"],
            access["sessionToken"],
            expiration,
            access.get("accountId"),
        )
    except (KeyError, TypeError, ValueError):
        raise LoginRequiredError(
            f"the login cache {path} of profile '{profile.name}' has no usable credentials",
            again,
        ) from None
    if expiration <= context.now():
        raise LoginRequiredError(
            f"the console login of profile '{profile.name}' expired at {format_iso(expiration)}",
            again,
        )
    link = Link(
        profile.name,
        "login",
        used(profile, "login_session"),
        expiration,
        cache_file=path,
        from_cache=True,
    )
    return Step(credentials, link)
