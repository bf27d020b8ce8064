"""``sso sessions`` finds the role credentials cached for 100,000 profiles without computing
100,000 cache keys on every run: what each entry of the cache stands for is remembered (and
checked) in awsprof's own cache directory. These tests hold the answer to the walk over every
key whatever the cache holds: new entries, STS entries, entries of no profile, forged records,
two sessions."""

from __future__ import annotations

import datetime as dt
import json
import marshal
from pathlib import Path

import pytest

from awsprof.files.jsoncache import sso_role_keys
from awsprof.profiles.model import load_files
from awsprof.sso import rolecache, sessions
from home_files import files_environ

COUNT = 60
NOW = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)


def _write(home: Path) -> None:
    text = ""
    for session in ("org", "lab"):
        text += f"[sso-session {session}]\nsso_start_url = https://{session}.example/start\n"
        text += "sso_region = eu-west-1\n\n"
        text += "".join(
            f"[profile {session}{i}]\nsso_session = {session}\n"
            f"sso_account_id = {100000000000 + i}\nsso_role_name = Reader\n\n"
            for i in range(COUNT)
        )
    (home / "config").write_text(text)


def _key(session: str, index: int) -> str:
    return sso_role_keys(session, "", [(str(100000000000 + index), "Reader")])[0]


def _cache(home: Path) -> Path:
    folder = home / ".aws" / "cli" / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _entry(home: Path, key: str, sts: bool = False) -> None:
    entry: dict[str, object] = {"Credentials": {"Expiration": "2099-01-01T00:00:00Z"}}
    if sts:  # an assumed role's, as botocore writes them
        entry["AssumedRoleUser"] = {"Arn": "arn:aws:sts::1:assumed-role/r/s"}
    else:
        entry["ProviderType"] = "sso"
    (_cache(home) / f"{key}.json").write_text(json.dumps(entry))


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many keys each run computes."""
    counts: list[int] = []
    real = rolecache.sso_role_keys

    def counting(session: str | None, url: str, roles: list[tuple[str, str]]) -> list[str]:
        counts[-1] += len(roles)
        return real(session, url, roles)

    monkeypatch.setattr(rolecache, "sso_role_keys", counting)
    return counts


def _cached(home: Path, hashed: list[int]) -> dict[str, list[str]]:
    hashed.append(0)
    environ = files_environ(home)
    found = sessions.statuses(load_files(environ), environ, NOW, print)
    return {s.settings.label: [r.profile for r in s.cached_roles()] for s in found}


def _the_walk(home: Path) -> dict[str, list[str]]:
    """The answer by computing every key (the cache as it is)."""
    present = {path.stem for path in _cache(home).glob("*.json")}
    return {
        session: [f"{session}{i}" for i in range(COUNT) if _key(session, i) in present]
        for session in ("org", "lab")
    }


def test_a_known_entry_costs_no_walk(isolated_home: Path, hashed: list[int]) -> None:
    _write(isolated_home)
    _entry(isolated_home, _key("org", 7))
    _entry(isolated_home, "0" * 40, sts=True)  # an assumed role's credentials
    (_cache(isolated_home) / f"{'1' * 40}.json").write_text("{trunc")  # being written
    first = _cached(isolated_home, hashed)
    assert first == _the_walk(isolated_home) == {"org": ["org7"], "lab": []}
    assert hashed[0] >= COUNT  # the new entry: every key of a session computed once
    assert _cached(isolated_home, hashed) == first
    assert hashed[1] <= 1  # then only the record in use is checked


def test_a_new_entry_is_found(isolated_home: Path, hashed: list[int]) -> None:
    _write(isolated_home)
    _entry(isolated_home, _key("org", 7))
    _cached(isolated_home, hashed)
    _entry(isolated_home, _key("lab", 3))
    _entry(isolated_home, _key("org", 50))
    assert _cached(isolated_home, hashed) == _the_walk(isolated_home)
    assert _the_walk(isolated_home) == {"org": ["org7", "org50"], "lab": ["lab3"]}
    assert _cached(isolated_home, hashed) == _the_walk(isolated_home)
    assert hashed[2] <= 3


def test_an_entry_of_no_profile_changes_nothing(isolated_home: Path, hashed: list[int]) -> None:
    _write(isolated_home)
    _entry(isolated_home, _key("org", 7))
    _entry(isolated_home, _key("org", COUNT + 5))  # a profile since removed
    for _ in range(2):
        assert _cached(isolated_home, hashed) == {"org": ["org7"], "lab": []}


def test_a_forged_record_is_not_trusted(isolated_home: Path, hashed: list[int]) -> None:
    _write(isolated_home)
    _entry(isolated_home, _key("org", 7))
    _cached(isolated_home, hashed)
    memo = isolated_home / "cache" / "awsprof" / "sso-role-keys.marshal"
    version, records = marshal.loads(memo.read_bytes())  # noqa: S302 - the test's own file
    records[_key("org", 7)] = (str(100000000000 + 9), "Reader", "org", "")  # says org9
    memo.write_bytes(marshal.dumps((version, records)))
    assert _cached(isolated_home, hashed) == {"org": ["org7"], "lab": []}


def test_a_cache_that_cannot_be_listed_reads_each_entry(
    isolated_home: Path, hashed: list[int]
) -> None:
    _write(isolated_home)
    _cache(isolated_home).parent.mkdir(parents=True, exist_ok=True)
    _cache(isolated_home).rmdir()
    (isolated_home / ".aws" / "cli" / "cache").write_text("not a directory")
    assert _cached(isolated_home, hashed) == {"org": [], "lab": []}
    assert not (isolated_home / "cache" / "awsprof" / "sso-role-keys.marshal").exists()
