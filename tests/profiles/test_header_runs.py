"""The bulk reading of section headers gives, header for header, what the one rule gives.

A big config's ``profile NAME`` headers are classified in bulk (two expressions over the joined
names) instead of one call per header; every other header still goes through the rule. These
tests hold the bulk path to the rule on headers of every awkward kind.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from awsprof.files.ini import IniFile, Section
from awsprof.files.sections import Kind
from awsprof.profiles import model

# Characters that decide a header's meaning: spaces, quotes, backslashes, brackets, controls
# that do not end a line, non-ASCII.
_CHARS = st.sampled_from([*"ab-_.]['\"\\ \t\x0b\x0cé\u2028", "profile ", "sso-session "])
HEADERS = st.lists(st.lists(_CHARS, max_size=6).map("".join), max_size=12, unique=True)


def _by_rule(names: list[str]) -> list[str]:
    found: dict[str, None] = {}
    for header in names:
        kind, name = model._section_meaning(header)
        if kind is Kind.PROFILE:
            found[name] = None
    return list(found)


@given(HEADERS)
def test_profile_names_in_bulk_are_the_rules(names: list[str]) -> None:
    assert model._profiles_of(names, is_config=True) == _by_rule(names)


@given(HEADERS)
def test_runs_keep_every_header_in_order(names: list[str]) -> None:
    seen: list[str] = []
    for run, other in model._runs(names, headers=True):
        for name, header in run:
            assert model._section_meaning(header) == (Kind.PROFILE, name)
            seen.append(header)
        if other is not None:
            seen.append(other)
    assert seen == names


def test_a_big_config_indexes_every_profile_and_both_defaults() -> None:
    names = ["default", "sso-session org"]
    names += [f"profile acct-{i:05d}" for i in range(2000)]
    names += ["profile default", "profile 'quoted name'", "profile x"]
    files = model.AwsFiles(
        Path("config"),
        Path("credentials"),
        IniFile([Section(n, i + 1, i + 1, {}) for i, n in enumerate(names)], {}, None, 0),
        None,
    )
    deferred = model.AwsFiles(Path("config"), Path("credentials"), None, None)
    deferred._config = _DeferredNames(names)  # type: ignore[assignment]
    deferred._index_deferred(deferred._config)  # type: ignore[arg-type]
    assert list(deferred._profile_sections) == list(files._profile_sections)
    assert deferred._default_headers == ["default", "profile default"]
    assert list(deferred._sessions) == ["org"]
    assert model._profiles_of(names, True)[-2:] == ["quoted name", "x"]


class _DeferredNames:
    def __init__(self, names: list[str]) -> None:
        self.names = names
