"""awsprof's INI reader against botocore's own: same files rejected, same sections, same values.

botocore is the reference: every generated file is written to disk and read by
``botocore.configloader.raw_config_parse`` exactly as the AWS CLI reads it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from botocore import configloader
from botocore.exceptions import ConfigParseError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ini_strategies import HEADERS, ini_texts

from awsprof.files.ini import DEFAULT_SECTION, IniFile, header_names, parse, split_lines

Parsed = dict[str, dict[str, object]] | None

_DIR = Path(tempfile.mkdtemp(prefix="awsprof-agree-"))


def botocore_reads(text: str) -> Parsed:
    path = _DIR / "config"
    path.write_bytes(text.encode("utf-8"))
    try:
        return configloader.raw_config_parse(str(path))  # type: ignore[no-any-return]
    except ConfigParseError:
        return None


def as_dict(parsed: IniFile) -> Parsed:
    if parsed.error is not None:
        return None
    return {s.name: dict(parsed.values(s)) for s in parsed.sections if s.name != DEFAULT_SECTION}


def check_positions(text: str, parsed: IniFile) -> None:
    """Every section and key points at the line it was read from."""
    lines = split_lines(text)
    for section in parsed.sections:
        assert f"[{section.name}]" in lines[section.line - 1]
        assert section.line <= section.last_line <= len(lines)
        if section.name == DEFAULT_SECTION:
            continue  # every [DEFAULT] header shares one dict of keys
        for key, option in section.options.items():
            assert section.line < option.line <= option.last_line <= section.last_line
            written = lines[option.line - 1].strip()
            assert written.lower().startswith(key), (key, option.line)


def check_agreement(text: str, keep: str) -> None:
    expected = botocore_reads(text)
    full = parse(text)
    assert as_dict(full) == expected
    if expected is not None:
        check_positions(text, full)
        assert header_names(text) == list(expected)
    else:
        assert full.error is not None
        assert 1 <= full.error.line <= max(1, len(split_lines(text)))
        assert not isinstance(header_names(text), list)
    # keep="" keeps every section: the same answer as keep=None.
    assert as_dict(parse(text, "")) == expected
    # keep=NAME validates the whole file but keeps only the sections whose name contains NAME.
    partial = parse(text, keep)
    if expected is None:
        assert partial.error is not None
        return
    assert partial.error is None
    kept = {s.name: dict(partial.values(s)) for s in partial.sections if keep in s.name}
    assert kept == {name: values for name, values in expected.items() if keep in name}


KEEP_NAMES = st.sampled_from(["a", "default", "dev", "a b", "s", "svc", "it's", "profile", "x"])


@settings(
    max_examples=3000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=ini_texts(), keep=KEEP_NAMES)
@example(text="[default]\nregion = us-east-1 # x\n", keep="default")
@example(text="[DEFAULT]\ns3 =\n  bad\n[a]\ns3 = ok\n", keep="a")
@example(text="[DEFAULT]\ns3 =\n  bad\n", keep="a")
@example(text="[a]\ns3 =\n  x = 1\n\n  y = 2\n", keep="a")
@example(text="[a]\nk = 1\n  more\n\n", keep="a")
@example(text="[a]\ns3 =\n  k = v\x1cw\n", keep="a")
@example(text="\ufeff[default]\n", keep="default")
def test_reader_agrees_with_botocore(text: str, keep: str) -> None:
    check_agreement(text, keep)


@pytest.mark.parametrize("header", HEADERS)
def test_every_header_fragment_reads_as_botocore_reads_it(header: str) -> None:
    check_agreement(f"{header}\nregion = r\n[other]\nk = v\n", "a")
