"""``configure mfa-login``'s rules, without a terminal: the profile name the AWS CLI v2 suggests,
the GetSessionToken call and the profile it writes.

The AWS CLI v2 (``aws configure mfa-login``) trades long-term keys and one MFA code for temporary
keys and stores them, with their session token, under a profile of the credentials file: the one
named by ``--update-profile``, else one the person confirms (``ACCOUNT-DEVICE`` for an MFA ARN,
``session-SERIAL`` for a hardware serial). Nothing else is written: no expiry, no config entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from awsprof.aws.clients import Clients
from awsprof.credentials import Credentials
from awsprof.errors import UsageError
from awsprof.files.document import Target, check_text
from awsprof.profiles.configure import Address, Change, apply_changes
from awsprof.resolution.providers.mfa_session import get_session_token

DEFAULT_SECONDS = 43200  # the AWS CLI's default: 12 hours
MIN_SECONDS, MAX_SECONDS = 900, 129600  # what STS accepts for an IAM user
FALLBACK_PROFILE = "session-temp"  # the AWS CLI's suggestion when no serial is known yet
WRITTEN_KEYS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")


def check_duration(seconds: int) -> None:
    """Refused before any prompt (the AWS CLI asks for the code first and then fails)."""
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise UsageError(
            f"--duration-seconds {seconds} is outside what STS accepts",
            f"Use {MIN_SECONDS} (15 minutes) to {MAX_SECONDS} (36 hours) seconds.",
        )


def suggested_profile(serial: str | None) -> str:
    """``arn:aws:iam::123456789012:mfa/alice`` -> ``123456789012-alice``; a hardware serial
    ``GAHT12345678`` -> ``session-GAHT12345678``; nothing known -> ``session-temp``."""
    if not serial:
        return FALLBACK_PROFILE
    parts = serial.split(":")
    if serial.startswith("arn:aws:iam::") and len(parts) >= 6:
        return f"{parts[4]}-{parts[5].rsplit('/', 1)[-1]}"
    return f"session-{serial}"


def session_token(
    clients: Clients, source: Credentials, serial: str, code: str, seconds: int
) -> Credentials:
    """One GetSessionToken with the code: the MFA session's own call."""
    return get_session_token(clients, source, serial, code, seconds)


def check_target(
    profile: str, stored_key: str | None, stored_token: str | None, source: Credentials
) -> None:
    """Refuse to overwrite the long-term keys this login was made with (the AWS CLI does, and
    the next ``mfa-login`` then has nothing to start from)."""
    check_text("profile name", profile)
    if not profile:
        raise UsageError("the profile name is empty")
    if stored_key and stored_key == source.access_key_id and not stored_token:
        raise UsageError(
            f"profile '{profile}' holds the long-term keys this MFA login uses; writing the "
            "temporary keys there would lose them",
            "Give another name at the prompt or with --update-profile.",
        )


def write_profile(environ: Mapping[str, str], profile: str, temporary: Credentials) -> list[Path]:
    """The three keys into ``[profile]`` of the credentials file, edited in place, losslessly."""
    values = (temporary.access_key_id, temporary.secret_access_key, temporary.session_token)
    target = Target.profile(profile, True)
    return apply_changes(
        environ,
        [
            Change(Address(True, target, key), value)
            for key, value in zip(WRITTEN_KEYS, values, strict=True)
        ],
    )
