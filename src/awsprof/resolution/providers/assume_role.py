"""Role profiles: ``role_arn`` with a ``source_profile`` or ``credential_source``.

Temporary credentials are cached in ``~/.aws/cli/cache`` under the AWS CLI's file name for the same
AssumeRole arguments, so the AWS CLI and awsprof use each other's sessions. A per-entry lock makes
concurrent processes share one AssumeRole call; the others wait, then read what it cached.
"""

from __future__ import annotations

from awsprof.aws.clients import call
from awsprof.credentials import (
    Credentials,
    format_botocore_cache,
)
from awsprof.errors import ResolutionError
from awsprof.files.jsoncache import assume_role_key
from awsprof.profiles.model import Profile
from awsprof.profiles.roles import (
    assume_arguments,
    role_account,
)
from awsprof.resolution.providers import mfa_session
from awsprof.resolution.providers.context import Context, Link, Step, cached_credentials, used

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

ROLE_KEYS = (
    "role_arn",
    "source_profile",
    "credential_source",
    "role_session_name",
    "external_id",
    "mfa_serial",
    "duration_seconds",
)


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
