"""The columns of a big plain file (a few keys of every section) are kept in awsprof's cache
directory, keyed by the file's identity (and its digest while it has not settled), so a walk
over 100,000 profiles (``sso sessions``) does not read them from the text on every run; a
changed file is read again, and a secret's column is never written there."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprof.profiles import model
from awsprof.profiles.model import Deferred, load_files
from home_files import files_environ, settle

KEYS = ("sso_session", "sso_account_id")


def _write(home: Path, count: int, account: int = 100000000000) -> Path:
    config = home / "config"
    config.write_text(
        "".join(
            f"[profile p{i}]\nsso_session = org\nsso_account_id = {account + i}\n"
            for i in range(count)
        )
    )
    return config


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    monkeypatch.setattr(Deferred, "KEEP_FROM", 1)  # every file counts as big here
    reads: list[tuple[str, ...]] = []
    columns = model.plain_columns

    def counting(text: str, keys: tuple[str, ...]) -> object:
        reads.append(keys)
        return columns(text, keys)

    monkeypatch.setattr(model, "plain_columns", counting)
    return reads


def _texts(environ: dict[str, str], keys: tuple[str, ...] = KEYS) -> list[tuple[str, object]]:
    return [(name, list(values)) for name, values in load_files(environ).texts(keys)]


def test_columns_are_read_once_for_an_unchanged_file(
    isolated_home: Path, counted: list[tuple[str, ...]]
) -> None:
    environ = files_environ(isolated_home)
    settle(_write(isolated_home, 40))
    first = _texts(environ)
    assert first[5] == ("p5", ["org", "100000000005"])
    assert _texts(environ) == first
    assert _texts(environ) == first
    assert counted == [KEYS]  # read from the text once, then from the cache


def test_a_changed_file_is_read_again(isolated_home: Path, counted: list[tuple[str, ...]]) -> None:
    environ = files_environ(isolated_home)
    config = _write(isolated_home, 40)
    settle(config)
    _texts(environ)
    settle(_write(isolated_home, 40, account=200000000000))  # same size, new identity
    assert _texts(environ)[5] == ("p5", ["org", "200000000005"])
    assert counted == [KEYS, KEYS]


def test_a_file_being_written_is_kept_with_its_digest(
    isolated_home: Path, counted: list[tuple[str, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two writes within one tick of the clock can leave the same identity: for a file that has
    not settled, the kept answer holds only for a text of the same digest."""
    from awsprof.files import index

    monkeypatch.setattr(index, "_identity", lambda stat: (1, 2, 3))  # every text looks alike
    environ = files_environ(isolated_home)
    _write(isolated_home, 40)  # just written
    assert _texts(environ)[5] == ("p5", ["org", "100000000005"])
    assert _texts(environ)[5] == ("p5", ["org", "100000000005"])
    assert counted == [KEYS]  # kept, and used for the same text
    _write(isolated_home, 40, account=200000000000)  # another text, the same "identity"
    assert _texts(environ)[5] == ("p5", ["org", "200000000005"])
    assert counted == [KEYS, KEYS]


def test_a_secret_column_is_never_written_to_the_cache(
    isolated_home: Path, counted: list[tuple[str, ...]]
) -> None:
    environ = files_environ(isolated_home)
    config = isolated_home / "config"
    config.write_text(
        "".join(
            f"[profile p{i}]\naws_access_key_id = AKIA{i:016d}\n"
            f"aws_secret_access_key = secret{i:036d}\n"
            for i in range(40)
        )
    )
    settle(config)
    keys = ("aws_access_key_id", "aws_secret_access_key")
    assert _texts(environ, keys)[1] == ("p1", ["AKIA0000000000000001", f"secret{1:036d}"])
    _texts(environ, keys)
    assert counted == [keys, keys]
    kept = b"".join(p.read_bytes() for p in (isolated_home / "cache").rglob("*") if p.is_file())
    assert b"secret" not in kept


def test_the_profiles_holding_a_key_are_found_once_for_an_unchanged_file(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Deferred, "KEEP_FROM", 1)
    searches: list[tuple[tuple[str, ...], str | None]] = []
    search = model.plain_headers_where

    def counting(text: str, keys: tuple[str, ...], value: str | None) -> object:
        searches.append((keys, value))
        return search(text, keys, value)

    monkeypatch.setattr(model, "plain_headers_where", counting)
    environ = files_environ(isolated_home)
    config = _write(isolated_home, 40)
    with config.open("a") as handle:
        handle.write("[profile odd]\nsso_session = nowhere\nrole_arn = arn:aws:iam::1:role/r\n")
    settle(config)
    for _ in range(3):
        files = load_files(environ)
        assert files.where(("role_arn",)) == ["odd"]
        assert files.where(("sso_session",), "nowhere") == ["odd"]
        assert files.where(("sso_session",), None)[:2] == ["p0", "p1"]
    assert searches == [
        (("role_arn",), None),
        (("sso_session",), "nowhere"),
        (("sso_session",), None),
    ]
    with config.open("a") as handle:
        handle.write("[profile later]\nrole_arn = arn:aws:iam::1:role/r\n")
    settle(config)
    assert load_files(environ).where(("role_arn",)) == ["odd", "later"]
    assert len(searches) == 4


def test_sso_sessions_right_after_populate_reads_no_column_from_the_text(
    isolated_home: Path, counted: list[tuple[str, ...]]
) -> None:
    """populate's write keeps what ``sso sessions`` reads of every profile (with the new text's
    digest: the file has not settled), so its next run does not read the whole text."""
    import datetime as dt

    from awsprof.sso import populate, sessions
    from awsprof.sso.session import SESSION_KEYS

    environ = files_environ(isolated_home)
    config = isolated_home / "config"
    config.write_text(
        "[sso-session org]\nsso_start_url = https://org.example/start\nsso_region = eu-west-1\n"
    )
    assignments = [
        populate.Assignment(str(100000000000 + i), f"account {i}", f"a{i}@example.com", "Reader")
        for i in range(30)
    ]
    request = populate.PopulateRequest("org")
    result = populate.write(config, [(request, assignments, "eu-west-1")], [], environ=environ)
    assert len(result.added) == 30
    assert counted == [SESSION_KEYS]  # read once, by the write
    found = sessions.statuses(load_files(environ), environ, dt.datetime.now(dt.timezone.utc), print)
    assert len(found[0].members) == 30
    assert counted == [SESSION_KEYS]  # and kept for the next command
