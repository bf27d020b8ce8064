"""The whole-buffer validation of plain files (``plain_index``) against the per-line loop it
replaces, and the header search of ``parse_validated`` against reading the split lines.

The per-line loop is itself held to botocore by test_ini_agrees_with_botocore.py (which also
reaches ``plain_index`` through ``header_names`` and ``parse(text, keep)``); here the two fast
paths must give the loop's exact answer, positions included, on every generated file.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ini_strategies import ini_texts

from awsprof.files import ini
from awsprof.files.ini import (
    IniFile,
    _parse_plain,
    _plain_headers,
    _sections_plain,
    _skeletons_plain,
    parse_validated,
    plain_index,
    split_lines,
)

# Lines that are plain (column 0) most of the time, so plain files are common.
PLAIN_LINE = st.one_of(
    st.sampled_from(
        [
            "[default]",
            "[profile a]",
            "[profile b]",
            "[profile a] # x",
            "[profile a]b]",
            "[profile x=y]",
            "[sso-session s]",
            "[DEFAULT]",
            "[]",
            "[x",
            "[profile it's]",
        ]
    ),
    st.sampled_from(
        [
            "region = us-east-1",
            "REGION=eu-west-1",
            "region =",
            "Output = json",
            "x = [y]",
            "k: v",
            "k = a:b",
            "=v",
            ":v",
            "novalue",
            "a b = c",
            "s1 = 1",
            "s2 = 2",
            "region  = x",
            "[y",
        ]
    ),
    st.sampled_from(["# c", "; c", "#[profile z]", "", "", " indented = 1", "\tx", "\xa0a = b"]),
)


@st.composite
def plain_texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(PLAIN_LINE, max_size=16))
    ending = "" if lines and draw(st.booleans()) else "\n"
    return "\n".join(lines) + ending


def loop_index(text: str) -> list[str] | None:
    headers = _plain_headers(split_lines(text))
    return None if headers is None else [h[1 : h.rfind("]")] for h in headers]


def shape(parsed: IniFile) -> list[tuple[object, ...]]:
    return [
        (
            s.name,
            s.line,
            s.last_line,
            [(k, o.line, o.last_line, o.indent, o.parts) for k, o in s.options.items()],
        )
        for s in parsed.sections
    ] + [("lines", parsed.line_count, parsed.partial)]


SETTINGS = settings(
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
KEEP = st.sampled_from(["a", "b", "", "profile", "s", "it's", "x=y", "zzz"])


@SETTINGS
@given(text=st.one_of(plain_texts(), ini_texts()), keep=KEEP)
@example(text="[a]\nk=v\n[b]\nK =x\nk=y\n", keep="a")
@example(text="x=1\n[a]\n", keep="a")
@example(text="\ufeff[a]\nk = v\n", keep="a")
@example(text="[a]]\nk = v\n[a]\n", keep="a")
@example(text="[profile a]\n\n[default]\n", keep="a")
def test_whole_buffer_validation_equals_the_line_loop(text: str, keep: str) -> None:
    fast = plain_index(text)
    expected = loop_index(text)
    if "\r" in text:
        assert fast is None  # declined: the loop decides
        return
    assert fast == expected
    padded = "\n" + text
    if "\n[" in padded:  # both ways of checking the sections give one answer
        body = padded[padded.index("\n[") + 1 :].removesuffix("\n") + "\n"
        assert _sections_plain(body) == _skeletons_plain(padded)
    if expected is None:
        return
    lines = split_lines(text)
    headers = _plain_headers(lines)
    assert headers is not None
    assert shape(parse_validated(text, expected, keep)) == shape(_parse_plain(lines, headers, keep))


def test_a_generated_organisation_file_takes_the_whole_buffer_path() -> None:
    sections = [
        f"[profile acct-{i:05d}-ReadOnly]\nsso_session = org\nsso_account_id = {100000000000 + i}\n"
        f"sso_role_name = ReadOnly\nregion = us-east-1\nawsprof_account_name = Team {i}\n"
        for i in range(20_000)
    ]
    text = "[sso-session org]\nsso_region = us-east-1\n\n" + "\n".join(sections)
    names = plain_index(text)
    assert names is not None and len(names) == 20_001
    assert names[-1] == "profile acct-19999-ReadOnly"
    last = parse_validated(text, names, "acct-19999-").sections
    assert [s.name for s in last] == ["profile acct-19999-ReadOnly"]
    assert last[0].options["awsprof_account_name"].raw == "Team 19999"
    assert split_lines(text)[last[0].line - 1] == "[profile acct-19999-ReadOnly]"
    duplicated = text.replace("= Team 12345\n", "= Team 12345\nSSO_Role_Name = x\n")
    assert plain_index(duplicated) is None  # one duplicate key among 120,000 lines is found
    indented = text.replace("= Team 12345\n", "= Team 12345\n  more\n")
    assert plain_index(indented) is None and loop_index(indented) is None


def test_a_file_of_many_section_shapes_is_checked_skeleton_by_skeleton(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sections = [
        f"[profile p{i}]\n" + "".join(f"k{j} = v\n" for j in range(i % 7)) for i in range(70)
    ]
    text = "".join(sections)
    monkeypatch.setattr(ini, "MAX_SHAPES", 3)
    assert _sections_plain(text) is None  # more shapes than allowed: undecided
    assert plain_index(text) == [f"profile p{i}" for i in range(70)]
    bad = text.replace("[profile p69]\nk0 = v\n", "[profile p69]\nk0 = v\nK0 = w\n")
    assert plain_index(bad) is None


@SETTINGS
@given(text=st.one_of(plain_texts(), ini_texts()))
@example(text="[a]\nk = v\n\n\n# c\n[b]\n")
@example(text="# c\n\n[a] x\nK = v \n")
@example(text="[a]]\nk = [v]\n")
def test_the_plain_full_parse_equals_the_general_scanner(text: str) -> None:
    """``parse(text)`` of a plain file skips the scanner's checks (``parse_plain``): the same
    sections, options, positions and kept blank lines, and no error."""
    expected = ini._Scanner(None).run(split_lines(text))
    whole = ini.parse(text)
    assert shape(whole) == shape(expected)
    assert whole.defaults.keys() == expected.defaults.keys()
    assert (whole.error is None) == (expected.error is None)
    if plain_index(text) is not None:
        assert expected.error is None and not expected.defaults
        assert shape(ini.parse_plain(text)) == shape(expected)


COLUMN_KEYS = ("region", "output", "s1", "k", "x", "a b", "unset")


@SETTINGS
@given(text=st.one_of(plain_texts(), ini_texts()))
@example(text="[a]\nREGION\t= eu  \nregion_x = 1\n[b] # c\nregion=\n")
@example(text="[a]]\nregion = x = y\n\n[profile it's]\nregion =  \x0b\n")
def test_columns_of_a_plain_file_are_the_parsers_values(text: str) -> None:
    if plain_index(text) is None:
        return  # columns are read only from a valid plain file
    columns = ini.plain_columns(text, COLUMN_KEYS)
    if columns is None:
        assert not text.isascii()
        return
    expected = {
        section.name: [
            None if key not in section.options else str(section.options[key].value)
            for key in COLUMN_KEYS
        ]
        for section in ini.parse_plain(text).sections
    }
    assert columns == expected
