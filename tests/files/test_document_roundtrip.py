"""Round-trip property of the lossless document, judged by botocore.

For any file botocore accepts, any sequence of set/unset edits gives a file that botocore still
accepts, where the edited key has its new value (or is gone) and nothing else botocore sees has
changed, and where every line the edit did not target is byte-identical. An unchanged document
writes back exactly the bytes it was read from, whatever they are.
"""

from __future__ import annotations

import configparser
import difflib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from botocore import configloader
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from ini_strategies import ini_texts

from awsprof.errors import ConfigFileError
from awsprof.files.document import IniDocument, Target
from awsprof.files.ini import parse
from awsprof.files.sections import Kind

_DIR = Path(tempfile.mkdtemp(prefix="awsprof-roundtrip-"))

TARGETS = [
    Target.profile("default"),
    Target.profile("a"),
    Target.profile("b"),
    Target.profile("a b"),
    Target.profile("dev"),
    Target.profile("new one"),
    Target.profile("it's"),
    Target(Kind.SSO_SESSION, "s"),
    Target(Kind.SERVICES, "svc"),
    Target(Kind.OTHER, "plugins"),
    Target.profile("a", credentials_file=True),
    Target.profile("a b", credentials_file=True),
    Target.profile("default", credentials_file=True),
    Target.profile("profile a", credentials_file=True),
]
KEYS = ["region", "Region", "output", "s3", "nested", "x", "new_key", "sp ace", "aws_access_key_id"]
SUB_KEYS = ["max_concurrent_requests", "addressing_style", "Endpoint_URL", "region", "new_sub"]
# Values as people write them: anything on one line, '#', ']', '=', ':' and quotes included.
VALUE = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=["Cc", "Cs", "Zl", "Zp"],
        # The writer refuses what reorders text on screen (awsprof.files.document.check_text).
        exclude_characters="\x85\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
        "\u2066\u2067\u2068\u2069",
    ),
    max_size=12,
).map(str.strip)
NESTED_VALUE = st.dictionaries(st.sampled_from(SUB_KEYS), VALUE, min_size=1, max_size=2)


@dataclass(frozen=True)
class Edit:
    target: Target
    key: str
    value: str | dict[str, str] | None  # None: unset
    sub_key: str | None = None  # for unset of one nested key

    def apply(self, document: IniDocument) -> bool:
        if self.value is None:
            return document.unset(self.target, self.key, self.sub_key)
        return document.set(self.target, self.key, self.value)


EDIT = st.builds(
    Edit,
    target=st.sampled_from(TARGETS),
    key=st.sampled_from(KEYS),
    value=st.one_of(VALUE, NESTED_VALUE, st.none()),
    sub_key=st.one_of(st.none(), st.sampled_from(SUB_KEYS)),
)


def botocore_view(text: str, credentials: bool) -> dict[str, dict[str, object]]:
    """What botocore sees: sections by (kind, name); raises on a file it rejects."""
    path = _DIR / "file"
    path.write_bytes(text.encode("utf-8"))
    raw = configloader.raw_config_parse(str(path))
    if credentials:
        return {f"credentials:{name}": values for name, values in raw.items()}
    mapped = configloader.build_profile_map(raw)
    view = {}
    for kind, group in (
        ("profile", mapped.pop("profiles")),
        ("sso-session", mapped.pop("sso_sessions")),
        ("services", mapped.pop("services")),
    ):
        view.update({f"{kind}:{name}": values for name, values in group.items()})
    view.update({f"other:{name}": values for name, values in mapped.items()})
    return view


def view_key(target: Target) -> str:
    if target.kind is None:
        return f"credentials:{target.name}"
    return f"{target.kind.value}:{target.name}"


def defaults_of(text: str, skip: str | None = None) -> dict[str, object]:
    """[DEFAULT]'s values as botocore reads them (``skip``: a key a section overrides, which
    botocore then never parses, so its latent nested error never shows)."""
    parser = configparser.RawConfigParser()
    parser.read_file(io.StringIO(text, newline=None))  # universal newlines, as botocore reads
    result: dict[str, object] = {}
    for key, value in parser.defaults().items():
        if key == skip:
            continue
        result[key] = configloader._parse_nested(value) if value.startswith("\n") else value
    return result


def has_latent_default_error(text: str) -> bool:
    try:
        defaults_of(text)
    except ValueError:
        return True
    return False


def expected_after(before: dict[str, dict[str, object]], text: str, edit: Edit) -> dict:
    """botocore's view after ``edit``: only the edited key of the edited section differs."""
    after = {name: dict(values) for name, values in before.items()}
    name = view_key(edit.target)
    if edit.value is None and name not in after:
        return after  # unset never creates a section (nor reads [DEFAULT]'s latent values)
    key = edit.key.lower()
    if name not in after:
        after[name] = dict(defaults_of(text, skip=key))
    section = after[name]
    current = section.get(key)
    if edit.value is None:
        if edit.sub_key is None:
            section.pop(key, None)
            if key in defaults_of(text):
                section[key] = defaults_of(text)[key]
        elif isinstance(current, dict) and edit.sub_key in current:
            nested = {k: v for k, v in current.items() if k != edit.sub_key}
            section[key] = nested or ""
    elif isinstance(edit.value, dict):
        merged = dict(current) if isinstance(current, dict) and _own(text, edit) else {}
        merged.update(edit.value)
        section[key] = merged
    else:
        section[key] = edit.value
    return after


def _own(text: str, edit: Edit) -> bool:
    """Whether the target section itself (not [DEFAULT]) holds the key."""
    parsed = parse(text)
    section = edit.target.find(parsed)
    return section is not None and edit.key.lower() in section.options


def pieces(document: IniDocument) -> list[tuple[str, str]]:
    return list(zip(document.lines, document.endings, strict=True))


def check_only_target_lines_changed(
    old: list[tuple[str, str]], new: list[tuple[str, str]], text: str, edit: Edit
) -> None:
    """Lines outside the edited key's lines are untouched, bar a newline added to the last line."""
    parsed = parse(text)
    section = edit.target.find(parsed)
    option = section.options.get(edit.key.lower()) if section is not None else None
    targeted = set(range(option.line - 1, option.last_line)) if option is not None else set()
    moved = {old[i][0] for i in targeted}
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for index in range(a0, a1):
            ending_added = index == len(old) - 1 and not old[index][1]
            assert index in targeted or (ending_added and old[index][0] in [n for n, _ in new]), (
                f"untargeted line {index + 1} changed",
                old[index],
            )
        for line, _ in new[b0:b1]:
            assert line in moved or _written_by(line, edit) or line == old[-1][0], (
                "unexpected new line",
                line,
            )


def _written_by(line: str, edit: Edit) -> bool:
    stripped = line.strip()
    if stripped.startswith("[") and stripped.endswith("]"):
        return edit.target.matches(stripped[1:-1])
    key = stripped.partition("=")[0].strip()
    subs = set(edit.value) if isinstance(edit.value, dict) else set()
    return key.lower() == edit.key.lower() or key in subs


@settings(
    max_examples=1200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(text=ini_texts(), edits=st.lists(EDIT, min_size=1, max_size=4), credentials=st.booleans())
@example(
    text="[profile a]\ns3 =\n    a = 1\n    a = 2\n",
    edits=[Edit(Target.profile("a"), "s3", {"a": "3"})],
    credentials=False,
)
@example(
    text="[profile a]\ns3 =\n    a = 1\n    a = 2\n",
    edits=[Edit(Target.profile("a"), "s3", None, "a")],
    credentials=False,
)
@example(
    text='[default]\n[profile "a b"]\n\t[profile b]\n',
    edits=[Edit(Target.profile("a b"), "region", "")],
    credentials=False,
)
@example(
    text="[DEFAULT]\nregion =\n  [default]\n",
    edits=[Edit(Target.profile("default"), "output", "json")],
    credentials=False,
)
@example(
    text="[profile a]\ns3 =\n    # c\n    x = 1",
    edits=[Edit(Target.profile("a"), "s3", "scalar")],
    credentials=False,
)
def test_edits_keep_every_other_byte_and_botocore_reads_them(
    text: str, edits: list[Edit], credentials: bool
) -> None:
    try:
        before = botocore_view(text, credentials)
    except configparser.Error:
        assume(False)
    except Exception:  # ConfigParseError: botocore rejects it, so do we; not this property
        assume(False)
    document = IniDocument.from_bytes(_DIR / "x", text.encode("utf-8"))
    try:
        document.check_writable()
    except ConfigFileError:
        assume(False)  # a file botocore reads but we refuse: only the BOM, checked elsewhere
    for edit in edits:
        if edit.target.kind is None and not credentials:
            continue
        if edit.target.kind is not None and credentials:
            edit = Edit(Target.profile(edit.target.name, True), edit.key, edit.value, edit.sub_key)
        old_text, old = document.text(), pieces(document)
        try:
            changed = edit.apply(document)
        except ConfigFileError:
            # Refused only when the edit would expose a malformed nested [DEFAULT] key.
            assert document.text() == old_text
            assert has_latent_default_error(old_text)
            continue
        new_text = document.text()
        assert changed == (new_text != old_text)
        after = botocore_view(new_text, credentials)
        assert after == expected_after(before, old_text, edit)
        check_only_target_lines_changed(old, pieces(document), old_text, edit)
        assert parse(new_text).error is None
        before = after


# Bytes of every kind, including invalid UTF-8, lone CRs, a BOM and no final newline.
RAW_BYTES = st.one_of(
    st.binary(max_size=200),
    ini_texts().map(lambda text: text.encode("utf-8")),
    st.lists(
        st.sampled_from([b"\xef\xbb\xbf", b"[a]", b"k = v", b"\r\n", b"\r", b"\n", b"\xff"])
    ).map(b"".join),
)


@settings(max_examples=1000, deadline=None)
@given(data=RAW_BYTES)
def test_unchanged_document_writes_back_identical_bytes(data: bytes) -> None:
    document = IniDocument.from_bytes(_DIR / "x", data)
    assert document.to_bytes() == data


@pytest.mark.parametrize(
    "data",
    [b"", b"\n", b"\r\n\r\n", b"[a]\r\nk = v", b"\xef\xbb\xbf[a]\n", b"[a]\rk = \xff\r"],
    ids=["empty", "one_newline", "crlf_blank", "crlf_no_final_newline", "bom", "cr_invalid_utf8"],
)
def test_odd_bytes_write_back_identical(data: bytes) -> None:
    assert IniDocument.from_bytes(_DIR / "x", data).to_bytes() == data
