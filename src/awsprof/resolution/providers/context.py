"""What every provider needs: the files, the environment, clients, caches, a clock and prompts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

from awsprof.aws.clients import Clients
from awsprof.credentials import ADVISORY_REFRESH, Credentials, parse_expiration
from awsprof.files.jsoncache import JsonCache
from awsprof.profiles.model import AwsFiles, Profile, Setting
from awsprof.values import Value


class Context:
    """Shared by the providers of one resolution."""

    def __init__(
        self,
        files: AwsFiles,
        environ: Mapping[str, str],
        clients: Clients,
        cli_cache: JsonCache,
        sso_cache: JsonCache,
        now: Callable[[], dt.datetime],
        # Asks a person for an MFA code; None where nobody can answer (MFA profiles then fail).
        prompt_mfa: Callable[[str], str] | None = None,
        report: Callable[[str], None] | None = None,
        process_timeout: float = 60.0,
    ) -> None:
        self.files = files
        self.environ = environ
        self.clients = clients
        self.cli_cache = cli_cache
        self.sso_cache = sso_cache
        self.now = now
        self.prompt_mfa = prompt_mfa
        self.report: Callable[[str], None] = report or (lambda message: None)
        self.process_timeout = process_timeout


class Used(Value):
    """One setting a link of the chain relied on, for ``--explain``."""

    __slots__ = ("key", "shown", "where")

    def __init__(self, key: str, shown: str, where: str) -> None:
        self.key = key
        self.shown = shown  # the value, masked when secret
        self.where = where  # file:line, or the environment variable


class Link(Value):
    """One step of a credential chain: which profile, which provider, from what."""

    __slots__ = ("cache_file", "expiration", "from_cache", "note", "profile", "provider", "used")

    def __init__(
        self,
        profile: str | None,
        provider: str,
        used: tuple[Used, ...] = (),
        expiration: dt.datetime | None = None,
        cache_file: Path | None = None,
        from_cache: bool = False,
        note: str | None = None,
    ) -> None:
        self.profile = profile
        self.provider = provider
        self.used = used
        self.expiration = expiration
        self.cache_file = cache_file
        self.from_cache = from_cache
        self.note = note


class Step(Value):
    """A provider's answer: the credentials and the link that explains them."""

    __slots__ = ("credentials", "link")

    def __init__(self, credentials: Credentials, link: Link) -> None:
        self.credentials = credentials
        self.link = link


def used(profile: Profile, *keys: str, secret: bool = False) -> tuple[Used, ...]:
    """The settings ``keys`` of ``profile`` that are set, with their file and line."""
    from awsprof.secrets import mask

    result = []
    for key in keys:
        setting: Setting | None = profile.settings.get(key)
        if setting is None:
            continue
        value = setting.value if isinstance(setting.value, str) else "(nested)"
        shown = (mask(value) or "") if secret and key != "aws_access_key_id" else value
        result.append(Used(key, shown, str(setting.source)))
    return tuple(result)


def cached_credentials(
    context: Context, key: str, account_id: str | None = None
) -> Credentials | None:
    """Cached role credentials (AWS CLI JSON) with more than the refresh window left, else None."""
    entry = context.cli_cache.get(key)
    if entry is None:
        return None
    try:
        raw = entry["Credentials"]
        # The file is outside data (another tool, or a hand edit): every field is checked, so a
        # null or a number never becomes "credentials" that fail later, far from here.
        if not isinstance(raw, dict):
            raise TypeError("Credentials is not an object")
        key_id, secret, token = raw["AccessKeyId"], raw["SecretAccessKey"], raw.get("SessionToken")
        account = raw.get("AccountId") or account_id
        if not (isinstance(key_id, str) and key_id and isinstance(secret, str) and secret):
            raise TypeError("AccessKeyId and SecretAccessKey must be non-empty strings")
        if not (token is None or isinstance(token, str)) or not (
            account is None or isinstance(account, str)
        ):
            raise TypeError("SessionToken and AccountId must be strings")
        if not isinstance(raw["Expiration"], str):
            raise TypeError("Expiration must be a string")
        expiration = parse_expiration(raw["Expiration"])
        credentials = Credentials(key_id, secret, token or None, expiration, account)
    except (KeyError, TypeError, ValueError):
        context.report(
            f"cache entry {context.cli_cache.path(key)} is malformed; it will be replaced"
        )
        return None
    if credentials.expires_within(ADVISORY_REFRESH, context.now()):
        return None
    return credentials
