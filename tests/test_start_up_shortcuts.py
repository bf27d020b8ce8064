"""Shortcuts taken to keep the hot commands' start-up short must give the same answers as the
expressions they skip: terminal escaping, masking, and locating botocore's models."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

from hypothesis import example, given
from hypothesis import strategies as st

from awsprof import terminal
from awsprof.guard import grammar, masking
from awsprof.secrets import scrub


def test_escape_shortcut_agrees_with_the_expressions_on_every_code_point() -> None:
    values = re.compile(terminal._IN_VALUES)
    messages = re.compile(terminal._IN_MESSAGES)
    for code in range(0x110000):
        char = chr(code)
        text = f"a{char}b"
        assert terminal.escape(text) == values.sub(terminal._visible, text), hex(code)
        assert terminal.escape_message(text) == messages.sub(terminal._visible, text), hex(code)


def _mask_text_without_shortcuts(text: str) -> str:
    """mask_text as it was before its pre-checks: every substitution always runs."""
    stripped = text.strip()
    if stripped[:1] in ("{", "["):
        import json

        try:
            data = json.loads(stripped)
        except ValueError:
            pass
        else:
            masked = masking._mask_json(data)
            return scrub(json.dumps(masked) if masked != data else text)
    text = re.sub(
        masking._NAMED_VALUE,
        lambda m: (
            m.group("head") + masking._masked_value(m.group("value"))
            if masking.is_secret_name(m.group("name"))
            else m.group(0)
        ),
        text,
    )
    text = re.sub(
        masking._PAIR,
        lambda m: (
            m.group(0)[: m.start("value") - m.start()] + masking._masked_value(m.group("value"))
            if masking.is_secret_name(m.group("key"))
            else m.group(0)
        ),
        text,
    )
    text = re.sub(
        masking._URL_PASSWORD,
        lambda m: m.group("head") + masking._masked_value(m.group("value")),
        text,
    )
    return scrub(text)


_PIECES = st.sampled_from(
    [
        "Password",
        "pass-word",
        "DbPassword",
        "Key",
        "Name",
        "Value",
        "ParameterValue",
        "token",
        "NextToken",
        "secret",
        "Secret_Id",
        "=",
        ":",
        ",",
        " ",
        '"',
        "'",
        "]",
        "}",
        "://",
        "@",
        "user",
        "x",
        "https",
        "host",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "%2F",
        "İ",
        "Σ",
    ]
)


@given(st.lists(_PIECES | st.text(max_size=6), max_size=12).map("".join))
@example("Key=DbPassword,Value=hunter2")
@example("https://admin:hunter2@db.example.com/x")
@example("arn:aws:secretsmanager:us-east-1:888899990000:secret:db")
@example("Password=x")
def test_mask_text_pre_checks_change_no_answer(text: str) -> None:
    assert masking.mask_text(text) == _mask_text_without_shortcuts(text)


def test_botocore_found_without_importlib_util_is_where_the_import_system_finds_it() -> None:
    # In a fresh interpreter, as the guard runs (botocore not imported yet).
    code = (
        "import importlib.util; from awsprof.guard import grammar; "
        "found = grammar._botocore_dir(); import sys; assert 'botocore' not in sys.modules; "
        "spec = importlib.util.find_spec('botocore'); "
        "print(found == next(iter(spec.submodule_search_locations)), found)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("True "), done.stdout


def test_service_name_check_is_the_expression() -> None:
    names = ["s3", "rds-data", "", "-s3", "S3", "s3/../x", "a_b", "0abc", "route53", "é", "a-"]
    for name in names:
        expected = re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) is not None
        assert grammar._valid_name(name) == expected, name


def test_botocore_already_imported_is_found_where_it_was_imported_from() -> None:
    import botocore

    spec = importlib.util.find_spec("botocore")
    assert spec is not None and spec.submodule_search_locations
    assert grammar._botocore_dir() == next(iter(spec.submodule_search_locations))
    assert grammar._botocore_dir() == os.path.dirname(botocore.__file__)


@given(st.text())
@example("")
@example("it's")
@example("s3://bucket/key with space")
@example("caf\u00e9")
@example("a\u00b2")
def test_shell_quote_is_shlex_quote(word: str) -> None:
    import shlex

    from awsprof.guard.classify import shell_quote

    assert shell_quote(word) == shlex.quote(word)
