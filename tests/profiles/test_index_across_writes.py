"""The index of validated files stays valid across awsprof's own writes.

After an atomic write awsprof stores the new text's names with a digest of that text, so the next
read (the first after the change) is answered from the index instead of validating the whole
file again; a reader checks the digest, so an entry never serves another text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from awsprof.files import entries, index
from awsprof.profiles import model
from awsprof.profiles.configure import Change, address, apply_changes
from awsprof.profiles.model import list_profile_names, load_files
from home_files import files_environ


def _no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the file was validated again")

    monkeypatch.setattr(model, "header_names", refuse)


def test_the_first_read_after_configure_set_uses_the_index(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environ = files_environ(isolated_home)
    config = isolated_home / "config"
    config.write_text("".join(f"[profile p{i}]\nregion = r{i}\n" for i in range(50)))
    apply_changes(environ, [Change(address("region", "p49"), "eu-west-3")])
    apply_changes(environ, [Change(address("output", "new"), "json")])
    entry = index.load(isolated_home / "cache" / "awsprof", config, os.stat(config))
    assert entry is not None and entry[1] == index.digest(config.read_bytes())
    _no_validation(monkeypatch)
    assert list_profile_names(environ) == [f"p{i}" for i in range(50)] + ["new"]
    profile = load_files(environ, keep="p49").profile("p49")
    assert profile is not None and profile.get("region") == "eu-west-3"


def test_an_entry_whose_digest_does_not_match_the_text_is_not_used(isolated_home: Path) -> None:
    environ = files_environ(isolated_home)
    config = isolated_home / "config"
    config.write_text("[profile real]\nregion = r\n")
    # What a foreign write in the same clock tick as awsprof's would leave: an entry for this
    # identity, recorded for another text.
    cache = isolated_home / "cache" / "awsprof"
    index.save(cache, config, os.stat(config), ["profile ghost"], ["ghost"], "0" * 40)
    assert list_profile_names(environ) == ["real"]
    assert load_files(environ, keep="ghost").profile("ghost") is None
    assert load_files(environ, keep="real").profile("real") is not None


def test_a_checked_entry_is_stored_plain_once_the_file_has_settled(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environ = files_environ(isolated_home)
    config = isolated_home / "config"
    config.write_text("[profile a]\nregion = r\n")
    apply_changes(environ, [Change(address("region", "a"), "s")])
    cache = isolated_home / "cache" / "awsprof"
    assert index.load(cache, config, os.stat(config))[1] is not None  # type: ignore[index]
    monkeypatch.setattr(entries, "SETTLED_NS", 0)
    assert list_profile_names(environ) == ["a"]
    assert index.load(cache, config, os.stat(config)) == ((["profile a"], ["a"]), None)
    _no_validation(monkeypatch)
    assert list_profile_names(environ) == ["a"]
