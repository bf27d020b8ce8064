"""Who the credentials are: STS GetCallerIdentity, the account alias, and a per-key account cache.

An access key never changes account, so the account of long-term keys is cached per access key ID
in awsprof's own cache directory; later lookups (the prompt, the guard) need no network.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from awsprof.aws.clients import Clients, call
from awsprof.credentials import Credentials
from awsprof.files import locate
from awsprof.files.jsoncache import JsonCache


@dataclass(frozen=True)
class Identity:
    user_id: str
    account: str
    arn: str

    def sts_json(self) -> dict[str, str]:
        """The GetCallerIdentity response, keys in the AWS CLI's order."""
        return {"UserId": self.user_id, "Account": self.account, "Arn": self.arn}


def identity_cache(environ: Mapping[str, str]) -> JsonCache:
    return JsonCache(locate.cache_dir(environ))


def caller_identity(
    clients: Clients, credentials: Credentials, environ: Mapping[str, str]
) -> Identity:
    """Call STS and remember the account of long-term keys."""
    sts = clients.client("sts", credentials)
    response = call("GetCallerIdentity", sts.get_caller_identity)
    identity = Identity(response["UserId"], response["Account"], response["Arn"])
    if not credentials.temporary:
        remember_account(environ, credentials.access_key_id, identity)
    return identity


def _accounts(environ: Mapping[str, str]) -> tuple[JsonCache, dict[str, Any]]:
    cache = identity_cache(environ)
    return cache, cache.get("accounts") or {}


def remember_account(environ: Mapping[str, str], access_key_id: str, identity: Identity) -> None:
    cache, known = _accounts(environ)
    if known.get(access_key_id, {}).get("Arn") == identity.arn:
        return
    with cache.lock("accounts"):
        cache, known = _accounts(environ)
        known[access_key_id] = {"Account": identity.account, "Arn": identity.arn}
        cache.put("accounts", known)


def known_account(environ: Mapping[str, str], access_key_id: str) -> str | None:
    """The account of a long-term access key seen before, without any network call."""
    _, known = _accounts(environ)
    entry = known.get(access_key_id)
    return entry.get("Account") if isinstance(entry, dict) else None


def account_alias(
    clients: Clients, credentials: Credentials, environ: Mapping[str, str], account: str
) -> str | None:
    """The IAM account alias (cached per account); None when there is none or IAM refuses."""
    cache = identity_cache(environ)
    aliases = cache.get("aliases") or {}
    if account in aliases:
        return aliases[account] or None
    try:
        iam = clients.client("iam", credentials)
        response = call("ListAccountAliases", iam.list_account_aliases)
    except Exception:  # an alias is a nicety: no permission or no network must not fail whoami
        return None
    names = response.get("AccountAliases") or []
    alias = names[0] if names else ""
    with cache.lock("aliases"):
        aliases = cache.get("aliases") or {}
        aliases[account] = alias
        cache.put("aliases", aliases)
    return alias or None
