"""Role profiles: ``role_arn`` with a ``source_profile`` or ``credential_source``.

Temporary credentials are cached in ``~/.aws/cli/cache`` under the AWS CLI's file name for the same
AssumeRole arguments, so the AWS CLI and awsprof use each other's sessions. A per-entry lock makes
concurrent processes share one AssumeRole call; the others wait, then read what it cached.
"""

from __future__ import annotations

import re
import time

from awsprof.aws.clients import call
from awsprof.credentials import (
    Credentials,
    format_botocore_cache,
)
from awsprof.errors import ResolutionError
from awsprof.files.jsoncache import assume_role_key
from awsprof.profiles.model import Profile
from awsprof.resolution.providers import mfa_session
from awsprof.resolution.providers.context import Context, Link, Step, cached_credentials, used

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

ROLE_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:iam::(\d{12}):role/[\w+=,.@/-]{1,512}$")
ROLE_KEYS = (
    "role_arn",
    "source_profile",
    "credential_source",
    "role_session_name",
    "external_id",
    "mfa_serial",
    "duration_seconds",
)


def role_account(role_arn: str) -> str | None:
    match = ROLE_ARN.match(role_arn)
    return match.group(1) if match else None


def check_role_arn(profile: Profile) -> str:
    """The profile's role ARN, checked before any call to STS."""
    role_arn = profile.text("role_arn") or ""
    if not ROLE_ARN.match(role_arn):
        where = profile.settings["role_arn"].source
        raise ResolutionError(
            f"profile '{profile.name}' has a malformed role_arn ({where})",
            "A role ARN looks like arn:aws:iam::123456789012:role/NAME.",
        )
    return role_arn


def duration(profile: Profile) -> int | None:
    text = profile.text("duration_seconds")
    if text is None:
        return None
    where = profile.settings["duration_seconds"].source
    try:
        seconds = int(text)
    except ValueError:
        seconds = -1
    if not 900 <= seconds <= 43200:
        raise ResolutionError(
            f"profile '{profile.name}' has an invalid duration_seconds ({where})",
            "Use a whole number of seconds from 900 (15 minutes) to 43200 (12 hours).",
        )
    return seconds


def assume_arguments(profile: Profile) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the AssumeRole call's arguments, the ones that name its cache entry)."""
    role_arn = check_role_arn(profile)
    session_name = profile.text("role_session_name")
    arguments: dict[str, Any] = {
        "RoleArn": role_arn,
        "RoleSessionName": session_name or f"botocore-session-{int(time.time())}",
    }
    if profile.text("external_id"):
        arguments["ExternalId"] = profile.text("external_id")
    if profile.text("mfa_serial"):
        arguments["SerialNumber"] = profile.text("mfa_serial")
    seconds = duration(profile)
    if seconds is not None:
        arguments["DurationSeconds"] = seconds
    key_arguments = dict(arguments)
    if not session_name:
        del key_arguments["RoleSessionName"]  # generated: not part of the cache name
    return arguments, key_arguments


def assume_role(context: Context, profile: Profile, source: Credentials) -> Step:
    arguments, key_arguments = assume_arguments(profile)
    key = assume_role_key(key_arguments)
    path = context.cli_cache.path(key)
    link = Link(profile.name, "assume-role", used(profile, *ROLE_KEYS), cache_file=path)
    credentials = cached_credentials(context, key)
    if credentials is not None:
        return Step(credentials, link.replace(expiration=credentials.expiration, from_cache=True))
    with context.cli_cache.lock(key):
        credentials = cached_credentials(context, key)  # another process may have refreshed it
        if credentials is not None:
            return Step(
                credentials, link.replace(expiration=credentials.expiration, from_cache=True)
            )
        if "SerialNumber" in arguments:
            serial = arguments["SerialNumber"]
            seconds = mfa_session.session_seconds(context, source)
            if seconds:  # MFA once: the device's session assumes the role, without a code
                source = mfa_session.session_credentials(
                    context, serial, source, seconds, lambda: _mfa_code(context, profile, serial)
                )
                del arguments["SerialNumber"]
            else:
                arguments["TokenCode"] = _mfa_code(context, profile, serial)
        sts = context.clients.client("sts", source)
        response = call("AssumeRole", sts.assume_role, **arguments)
        credentials = _store(context, key, response, role_account(arguments["RoleArn"]))
    return Step(credentials, link.replace(expiration=credentials.expiration))


def _mfa_code(context: Context, profile: Profile, serial: str) -> str:
    if context.prompt_mfa is None:
        raise ResolutionError(
            f"profile '{profile.name}' needs an MFA code and there is no terminal to ask for it",
            "Run the command in a terminal once; the session is cached afterwards.",
        )
    return context.prompt_mfa(f"Enter MFA code for {serial}: ").strip()


def _store(
    context: Context, key: str, response: dict[str, Any], account: str | None
) -> Credentials:
    raw = response["Credentials"]
    expiration = raw["Expiration"]
    credentials = Credentials(
        raw["AccessKeyId"], raw["SecretAccessKey"], raw.get("SessionToken"), expiration, account
    )
    entry: dict[str, Any] = {
        "Credentials": {
            "AccessKeyId": credentials.access_key_id,
            "SecretAccessKey": credentials.secret_access_key,
            "SessionToken": credentials.session_token,
            "Expiration": format_botocore_cache(expiration),
        },
    }
    if account:
        entry["Credentials"]["AccountId"] = account
    if "AssumedRoleUser" in response:
        entry["AssumedRoleUser"] = response["AssumedRoleUser"]
    context.cli_cache.put(key, entry)
    return credentials
