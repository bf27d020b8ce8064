"""Commands that visit every profile of a big plain file parse it once, in one pass.

A deferred file (validated, sections parsed when looked up) answers a lookup by searching the
whole text; `sso sessions` and `doctor` visit 100,000 profiles, so they must not search the text
once per profile first: the walk parses the file whole, once, and never looks a section up.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsprof.files import ini
from awsprof.files.jsoncache import JsonCache, sso_role_key
from awsprof.profiles import model
from awsprof.profiles.model import load_files
from awsprof.sso import sessions
from awsprof.sso.session import all_sessions
from home_files import files_environ

COUNT = 200


def _write(home: Path) -> None:
    session = (
        "[sso-session org]\nsso_start_url = https://org.example/start\nsso_region = eu-west-1\n"
    )
    profiles = "".join(
        f"\n[profile p{i}]\nsso_session = org\nsso_account_id = {100000000000 + i}\n"
        "sso_role_name = Reader\nregion = eu-west-1\n"
        for i in range(COUNT)
    )
    (home / "config").write_text(session + profiles)
    (home / "credentials").write_text("[p3]\naws_access_key_id = AKIAEXAMPLEEXAMPLE12\n")


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"lookups": 0, "whole": 0, "columns": 0}
    lookup, whole = ini.parse_validated, ini.parse_plain  # what model calls them by
    columns, sections = ini.plain_columns, ini.sections_at

    def counted_columns(text: str, keys: tuple[str, ...]) -> object:
        calls["columns"] += 1
        return columns(text, keys)

    def counted_lookup(*args: object) -> ini.IniFile:
        calls["lookups"] += 1
        return lookup(*args)  # type: ignore[arg-type]

    def counted_sections(padded: str, names: list[str]) -> list[ini.Section] | None:
        calls["lookups"] += len(names)  # one section looked up by its header line each
        return sections(padded, names)

    def counted_whole(text: str) -> ini.IniFile:
        calls["whole"] += 1
        return whole(text)

    monkeypatch.setattr(model, "parse_validated", counted_lookup)
    monkeypatch.setattr(model, "sections_at", counted_sections)
    monkeypatch.setattr(model, "parse_plain", counted_whole)
    monkeypatch.setattr(model, "plain_columns", counted_columns)
    return calls


def test_visiting_every_profile_parses_each_file_once(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(isolated_home)
    files = load_files(files_environ(isolated_home))
    calls = _counting(monkeypatch)
    profiles = list(files.profiles())
    assert len(profiles) == COUNT
    assert profiles[3].text("aws_access_key_id") == "AKIAEXAMPLEEXAMPLE12"  # merged as before
    assert profiles[-1].text("sso_account_id") == str(100000000000 + COUNT - 1)
    assert calls == {"lookups": 0, "whole": 2, "columns": 0}  # config and credentials, once each
    list(files.profiles())
    assert calls == {"lookups": 0, "whole": 2, "columns": 0}


def test_sso_sessions_parses_once_and_opens_only_cached_role_credentials(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(isolated_home)
    environ = files_environ(isolated_home)
    files = load_files(environ)
    cli_cache = isolated_home / ".aws" / "cli" / "cache"
    cli_cache.mkdir(parents=True)
    settings = all_sessions(files, environ)[0]
    cached = sessions._roles(files, settings)[7]
    key = sso_role_key(cached[1], cached[2], settings.name, settings.start_url)
    expires = "2099-01-01T00:00:00Z"
    (cli_cache / f"{key}.json").write_text(  # as botocore writes SSO role credentials
        '{"ProviderType": "sso", "Credentials": {"Expiration": "' + expires + '"}}'
    )
    opened: list[str] = []
    get = JsonCache.get

    def counted_get(self: JsonCache, key: str) -> object:
        if self.directory.name == "cache" and self.directory.parent.name == "cli":
            opened.append(key)  # the role-credential cache (the token cache is read too)
        return get(self, key)

    monkeypatch.setattr(JsonCache, "get", counted_get)
    calls = _counting(monkeypatch)
    found = sessions.statuses(load_files(environ), environ, dt.datetime.now(dt.timezone.utc), print)
    roles = found[0].roles
    assert len(roles) == COUNT
    assert [r.profile for r in roles if r.expires_at is not None] == [cached[0]]
    assert set(opened) == {key}  # the one cache entry there, not one open per profile
    assert found[0].cached_roles() == [roles[7]]
    opened.clear()  # the next time, that entry is known: it is opened once
    again = sessions.statuses(load_files(environ), environ, dt.datetime.now(dt.timezone.utc), print)
    assert opened == [key] and again[0].cached_roles() == [roles[7]]
    # Before the walk: the sso-session and the first profile (whose endpoints the SSO clients
    # use); no lookup per profile, and the keys of every profile read once per file, without
    # parsing every section.
    assert calls["lookups"] <= 4 and calls["whole"] == 0 and calls["columns"] == 4


def test_sso_sessions_reads_each_entry_when_the_cache_cannot_be_listed(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(isolated_home)
    environ = files_environ(isolated_home)
    files = load_files(environ)
    opened: list[str] = []
    get = JsonCache.get

    def counted_get(self: JsonCache, key: str) -> object:
        if self.directory.name == "cache" and self.directory.parent.name == "cli":
            opened.append(key)  # the role-credential cache (the token cache is read too)
        return get(self, key)

    monkeypatch.setattr(JsonCache, "get", counted_get)
    assert not os.path.exists(isolated_home / ".aws" / "cli" / "cache")
    found = sessions.statuses(files, environ, dt.datetime.now(dt.timezone.utc), print)
    assert all(r.expires_at is None for r in found[0].roles)
    assert len(opened) == COUNT  # no listing: each entry is asked for, as before


@pytest.mark.parametrize(
    ("account", "role", "session", "start_url"),
    [
        ("123456789012", "Reader", "org", "https://org.example/start"),
        ("123456789012", "Ré/ader", None, 'https://org.example/"start'),
        ("000000000000", "", None, ""),
    ],
)
def test_the_sso_role_cache_key_is_botocores(
    account: str, role: str, session: str | None, start_url: str
) -> None:
    """The key is computed with one shared encoder now (a key per profile in `sso sessions`):
    still the file name botocore gives the same role credentials."""
    from botocore.credentials import SSOCredentialFetcher

    fetcher = SSOCredentialFetcher(
        start_url, "eu-west-1", role, account, None, sso_session_name=session
    )
    assert sso_role_key(account, role, session, start_url) == fetcher._create_cache_key()


@settings(max_examples=300, deadline=None)
@given(
    account=st.text(max_size=14),
    role=st.text(max_size=10),
    session=st.none() | st.text(max_size=10),
    start_url=st.text(max_size=20),
)
def test_every_sso_role_cache_key_is_botocores(
    account: str, role: str, session: str | None, start_url: str
) -> None:
    """Written out with json's string escaping, for any text: botocore's key, byte for byte."""
    from botocore.credentials import SSOCredentialFetcher

    fetcher = SSOCredentialFetcher(
        start_url, "eu-west-1", role, account, None, sso_session_name=session
    )
    assert sso_role_key(account, role, session, start_url) == fetcher._create_cache_key()
