"""MFA once: one GetSessionToken per MFA device, and role assumptions from that session.

The AWS CLI sends the MFA code with every AssumeRole, so ten role profiles behind one device ask
for ten codes (and again at each expiry). Here the first role profile that needs a code calls
GetSessionToken with it (``AWSPROF_MFA_SESSION_SECONDS``, default 12 hours; 0 restores the AWS
CLI's behaviour) and caches that session in awsprof's own cache (0600); every role profile behind
the same device and source keys then assumes its role with the session, which carries the MFA
context a trust policy's ``aws:MultiFactorAuthPresent`` checks. GetSessionToken takes long-term
keys only, so a source that is itself temporary keeps the AWS CLI's behaviour.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from awsprof.credentials import ADVISORY_REFRESH, Credentials, parse_expiration
from awsprof.errors import ResolutionError
from awsprof.files.jsoncache import JsonCache, sha1_key
from awsprof.files.paths import cache_dir
from awsprof.resolution.providers.context import Context

TYPE_CHECKING = False
if TYPE_CHECKING:
    from awsprof.aws.clients import Clients

SECONDS_VARIABLE = "AWSPROF_MFA_SESSION_SECONDS"
DEFAULT_SECONDS = 43200


def session_seconds(context: Context, source: Credentials) -> int:
    """The MFA session's duration, or 0 when the AWS CLI's per-role MFA applies."""
    if source.session_token:
        return 0
    text = context.environ.get(SECONDS_VARIABLE, str(DEFAULT_SECONDS))
    try:
        seconds = int(text)
    except ValueError:
        seconds = -1
    if seconds != 0 and not 900 <= seconds <= 129600:
        raise ResolutionError(
            f"{SECONDS_VARIABLE}={text} is not a session duration",
            "Use whole seconds from 900 to 129600 (36 hours), or 0 to send the code per role.",
        )
    return seconds


def _cache(context: Context) -> JsonCache:
    return JsonCache(Path(cache_dir(context.environ)) / "mfa-session", context.report)


def _read(cache: JsonCache, key: str, context: Context) -> Credentials | None:
    entry = cache.get(key)
    if entry is None:
        return None
    try:
        credentials = Credentials(
            str(entry["AccessKeyId"]),
            str(entry["SecretAccessKey"]),
            str(entry["SessionToken"]),
            parse_expiration(str(entry["Expiration"])),
        )
    except (KeyError, TypeError, ValueError):
        context.report(f"cache entry {cache.path(key)} is malformed; it will be replaced")
        return None
    return None if credentials.expires_within(ADVISORY_REFRESH, context.now()) else credentials


def get_session_token(
    clients: Clients, source: Credentials, serial: str, code: str, seconds: int
) -> Credentials:
    """One GetSessionToken with the code (MFA once, and ``configure mfa-login``); AWS's refusal
    becomes a ServiceError (exit 6)."""
    from awsprof.aws.clients import call

    response = call(
        "GetSessionToken",
        clients.client("sts", source).get_session_token,
        DurationSeconds=seconds,
        SerialNumber=serial,
        TokenCode=code,
    )
    raw = response["Credentials"]
    return Credentials(
        raw["AccessKeyId"], raw["SecretAccessKey"], raw["SessionToken"], raw["Expiration"]
    )


def session_credentials(
    context: Context, serial: str, source: Credentials, seconds: int, ask_code: Callable[[], str]
) -> Credentials:
    """The device's MFA session for these source keys: cached, or one code and one call."""
    cache = _cache(context)
    key = sha1_key(json.dumps({"SerialNumber": serial, "AccessKeyId": source.access_key_id}))
    credentials = _read(cache, key, context)
    if credentials is not None:
        return credentials
    with cache.lock(key):
        credentials = _read(cache, key, context)  # another process may have asked already
        if credentials is not None:
            return credentials
        code = ask_code()
        credentials = get_session_token(context.clients, source, serial, code, seconds)
        entry = credentials.process_json()
        entry.pop("Version", None)
        cache.put(key, entry)
    return credentials
