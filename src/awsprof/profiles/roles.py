"""A role profile's AssumeRole arguments, checked before any call to STS, and the part of them
that names the AWS CLI's cache entry: the resolution assumes with them, `sso logout` finds the
cached sessions of the roles it logs out of with them."""

from __future__ import annotations

import re
import time

from awsprof.errors import ResolutionError
from awsprof.profiles.model import Profile

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

ROLE_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:iam::(\d{12}):role/[\w+=,.@/-]{1,512}$")


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
