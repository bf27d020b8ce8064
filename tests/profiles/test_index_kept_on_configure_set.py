"""``configure set`` of a key keeps the index entry of a big file instead of rewriting it.

The entry holds every section name (100,000 of them in a generated config); a write that keeps
the names only records the new identity and digest beside it, and the next read is still
answered from the index.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprof.files import index
from awsprof.profiles import model
from awsprof.profiles.configure import Change, address, apply_changes
from awsprof.profiles.model import list_profile_names, load_files
from home_files import files_environ, settle

COUNT = 300


def _indexed_config(home: Path) -> Path:
    config = home / "config"
    config.write_text("".join(f"[profile p{i}]\nregion = r{i}\n\n" for i in range(COUNT)))
    settle(config)  # the index only trusts a settled file
    assert list_profile_names(files_environ(home)) == [f"p{i}" for i in range(COUNT)]
    return config


def _entry_file(home: Path, config: Path) -> Path:
    return index._entry(home / "cache" / "awsprof", config)


def _written(path: Path) -> tuple[int, int, bytes]:
    info = path.stat()
    return info.st_ino, info.st_mtime_ns, path.read_bytes()


def _no_validation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the file was validated again")

    monkeypatch.setattr(model, "header_names", refuse)
    monkeypatch.setattr(model, "plain_index", refuse)


def test_configure_set_does_not_rewrite_the_index_entry(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environ = files_environ(isolated_home)
    config = _indexed_config(isolated_home)
    entry = _entry_file(isolated_home, config)
    before = _written(entry)
    apply_changes(environ, [Change(address("region", "p150"), "eu-west-3")])
    apply_changes(environ, [Change(address("output", "p7"), "json")])  # a new key, twice
    assert _written(entry) == before
    _no_validation(monkeypatch)
    assert list_profile_names(environ) == [f"p{i}" for i in range(COUNT)]
    files = load_files(environ)
    assert files.profile("p150").get("region") == "eu-west-3"  # type: ignore[union-attr]
    assert files.profile("p7").get("output") == "json"  # type: ignore[union-attr]
    assert files.profile("p8").get("output") is None  # type: ignore[union-attr]


def test_a_new_profile_is_indexed_with_its_name(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environ = files_environ(isolated_home)
    config = _indexed_config(isolated_home)
    apply_changes(environ, [Change(address("region", "brand-new"), "eu-west-1")])
    _no_validation(monkeypatch)
    assert list_profile_names(environ)[-1] == "brand-new"
    assert config.read_text().endswith("[profile brand-new]\nregion = eu-west-1\n")


def test_an_edit_by_another_program_after_the_set_is_not_served_from_the_index(
    isolated_home: Path,
) -> None:
    environ = files_environ(isolated_home)
    config = _indexed_config(isolated_home)
    apply_changes(environ, [Change(address("region", "p3"), "eu-west-2")])
    with config.open("a") as handle:
        handle.write("[profile by-hand]\nregion = x\n")
    assert list_profile_names(environ)[-1] == "by-hand"
    assert load_files(environ).profile("by-hand") is not None


def _no_validation_in_the_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    from awsprof.files import ini

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("the writer validated the whole file again")

    monkeypatch.setattr(ini, "plain_index", refuse)


def test_the_writer_does_not_validate_a_file_the_index_knows(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    environ = files_environ(isolated_home)
    config = _indexed_config(isolated_home)
    _no_validation_in_the_writer(monkeypatch)
    apply_changes(environ, [Change(address("region", "p42"), "eu-west-3")])
    apply_changes(environ, [Change(address("output", "p42"), "json")])  # after awsprof's write
    assert "[profile p42]\nregion = eu-west-3\noutput = json\n" in config.read_text()


def test_a_file_broken_behind_the_index_is_still_refused(isolated_home: Path) -> None:
    from awsprof.errors import ConfigFileError

    environ = files_environ(isolated_home)
    config = _indexed_config(isolated_home)
    text = config.read_text()
    broken = text.replace("[profile p9]\n", "[profile p9]\n  indented first line\n")
    config.write_text(broken)  # same names, new identity: the index no longer holds
    with pytest.raises(ConfigFileError) as raised:
        apply_changes(environ, [Change(address("region", "p200"), "x")])
    assert raised.value.line == text[: text.index("[profile p9]")].count("\n") + 2
    assert config.read_text() == broken  # nothing written
