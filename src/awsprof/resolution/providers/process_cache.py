"""``credential_process`` output cached until its ``Expiration``, shared by every caller.

A slow credential_process (a password manager, a hardware token, an SSO helper) would otherwise
run once per command and per SDK client. Its output, when it has an ``Expiration``, is kept in
awsprof's own cache (``$XDG_CACHE_HOME/awsprof/credential-process``, 0600 files in a 0700
directory; the AWS CLI never caches this output, so its directory is not used) under the SHA-1 of
the command and the profile, as the AWS CLI names its role cache. It is reused while more than the
AWS CLI's advisory window remains (botocore would run the command again inside it); under the
entry's lock one process runs the command and the others wait and read what it wrote.
Output without an ``Expiration`` (long-term keys) is never written to disk.
"""

from __future__ import annotations

import json
from pathlib import Path

from awsprof.credentials import ADVISORY_REFRESH, Credentials, parse_expiration
from awsprof.files.jsoncache import JsonCache, sha1_key
from awsprof.files.paths import cache_dir
from awsprof.profiles.model import Profile
from awsprof.resolution.providers import process
from awsprof.resolution.providers.context import Context, Link, Step, used

# Set to 0 to run the command every time (the AWS CLI's behaviour).
SWITCH = "AWSPROF_CREDENTIAL_PROCESS_CACHE"


def cache_key(command: str, profile: str) -> str:
    return sha1_key(json.dumps({"credential_process": command, "profile": profile}, sort_keys=True))


def process_cache(context: Context) -> JsonCache:
    return JsonCache(Path(cache_dir(context.environ)) / "credential-process", context.report)


def _cached(cache: JsonCache, key: str, context: Context) -> Credentials | None:
    entry = cache.get(key)
    if entry is None:
        return None
    try:  # what process_json() wrote
        token, account = entry.get("SessionToken"), entry.get("AccountId")
        credentials = Credentials(
            str(entry["AccessKeyId"]),
            str(entry["SecretAccessKey"]),
            str(token) if token else None,
            parse_expiration(str(entry["Expiration"])),
            str(account) if account else None,
        )
    except (KeyError, TypeError, ValueError):
        context.report(f"cache entry {cache.path(key)} is malformed; it will be replaced")
        return None
    if credentials.expires_within(ADVISORY_REFRESH, context.now()):
        return None
    return credentials


def from_process(context: Context, profile: Profile) -> Step:
    """:func:`process.from_process`, through the shared cache."""
    command = profile.text("credential_process") or ""
    if context.environ.get(SWITCH, "1") == "0" or not command:
        return process.from_process(context, profile)
    # A command from a file others can write is refused before anything, cached or not.
    process.check_not_writable_by_others(
        profile.settings["credential_process"].source.path, profile.name
    )
    cache = process_cache(context)
    key = cache_key(command, profile.name)
    link = Link(
        profile.name,
        "credential_process",
        used(profile, "credential_process"),
        cache_file=cache.path(key),
    )
    credentials = _cached(cache, key, context)
    if credentials is None:
        with cache.lock(key):
            credentials = _cached(cache, key, context)  # another caller may have just run it
            if credentials is None:
                step = process.from_process(context, profile)
                if step.credentials.expiration is not None:
                    cache.put(key, step.credentials.process_json())
                return Step(step.credentials, step.link.replace(cache_file=cache.path(key)))
    return Step(credentials, link.replace(expiration=credentials.expiration, from_cache=True))
