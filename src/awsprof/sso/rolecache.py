"""Which profiles of a session have role credentials in the shared cache (``~/.aws/cli/cache``).

A cache file is named by the SHA-1 of its role's (account, role, session): one-way, so finding
the entries of 100,000 profiles means computing 100,000 keys. The few entries there are change
rarely, though, so what each one stands for is remembered in awsprof's own cache directory
(``sso-role-keys.marshal``): the (account, role, session name, start URL) of an SSO entry found
before, or None for an entry that is not SSO role credentials (those say ``"ProviderType":
"sso"``). A record cannot go stale (a key is a function of what it stands for), and
each one used is checked by hashing it again. Only an entry no record explains (new since the
last look, or left by a profile that no longer exists) costs the walk over every key.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

from awsprof.files import entries as stored
from awsprof.files.jsoncache import JsonCache, sso_role_keys

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

Member = tuple[str, str, str]  # a profile of a session, with its account and role
Record = tuple[str, str, str | None, str] | None  # (account, role, session, start URL) or None
FORMAT = 1


def listed(cli_cache: JsonCache) -> set[str] | None:
    """The keys of the cache's entries, listed once: 100,000 profiles then cost a set lookup
    each, not a failed ``open``. None when it cannot be listed."""
    try:
        names = os.listdir(cli_cache.directory)
    except OSError:
        return None
    return {name[:-5] for name in names if name.endswith(".json")}


class KnownKeys:
    """What each cache key found before stands for (see the module's notes)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.records: dict[str, Record] = self._load()
        self.changed = False

    def _load(self) -> dict[str, Record]:
        if self.path is None:
            return {}
        try:
            data = marshal.loads(self.path.read_bytes())  # noqa: S302 - our own 0700 cache
            version, records = data
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        return records if version == FORMAT and isinstance(records, dict) else {}

    def remember(self, key: str, record: Record) -> None:
        if self.records.get(key, ...) != record:
            self.records[key] = record
            self.changed = True

    def save(self, present: set[str]) -> None:
        """Keep the records of the entries still there (silently skipped when not possible)."""
        if self.path is None or not self.changed:
            return
        kept = {key: record for key, record in self.records.items() if key in present}
        data = marshal.dumps((FORMAT, kept))
        stored.store(str(self.path.parent), str(self.path), data)


def is_sso_role_entry(entry: dict[str, Any]) -> bool:
    """An entry of SSO role credentials: the AWS CLI, boto3 and awsprof all mark them so."""
    return entry.get("ProviderType") == "sso"


def cached_members(
    members: list[Member],
    session: str | None,
    start_url: str,
    cli_cache: JsonCache,
    present: set[str] | None,
    known: KnownKeys,
) -> dict[int, str]:
    """The members (by index, in order) whose role credentials have an entry in the cache,
    with its key. ``present``: the cache's keys (None: it cannot be listed, so each member's
    entry is looked up on its own)."""
    if present is None:
        return dict(enumerate(role_keys(members, session, start_url)))
    if not present or not members:
        return {}
    quiet = JsonCache(cli_cache.directory, lambda message: None)  # not this command's entries
    mine: dict[tuple[str, str], str] = {}
    for key in present:
        record = known.records.get(key, ...)
        if record is ...:
            entry = quiet.get(key)
            if entry is None:
                continue  # unreadable now: no expiry to show, whoever's it is
            if not is_sso_role_entry(entry):
                known.remember(key, None)
                continue
            return _walk(members, session, start_url, present, known)
        if not isinstance(record, tuple) or len(record) != 4:
            continue  # not SSO role credentials (or a record not to trust: never used)
        account, role, its_session, its_url = record
        if its_session != session or (not session and its_url != start_url):
            continue  # another session's entry
        if sso_role_keys(session, start_url, [(account, role)])[0] != key:
            return _walk(members, session, start_url, present, known)  # a record not to trust
        mine[(account, role)] = key
    if not mine:
        return {}
    return {
        index: mine[(account, role)]
        for index, (_, account, role) in enumerate(members)
        if (account, role) in mine
    }


def _walk(
    members: list[Member],
    session: str | None,
    start_url: str,
    present: set[str],
    known: KnownKeys,
) -> dict[int, str]:
    """Every member's key, for an entry no record explains; what is found is remembered."""
    keys = role_keys(members, session, start_url)
    found = {index: key for index, key in enumerate(keys) if key in present}
    for index, key in found.items():
        _, account, role = members[index]
        known.remember(key, (account, role, session, start_url))
    return found


def role_keys(members: list[Member], session: str | None, start_url: str) -> list[str]:
    """Every member's cache key, in order."""
    return sso_role_keys(session, start_url, [(account, role) for _, account, role in members])


def known_keys(cache_dir: Path | None) -> KnownKeys:
    return KnownKeys(None if cache_dir is None else cache_dir / "sso-role-keys.marshal")
