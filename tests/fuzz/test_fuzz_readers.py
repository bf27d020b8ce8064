"""Fuzz targets: the INI reader and writer, the argv classifier, the SSO and role cache readers
and the credential_process output parser. Each must either return a well-typed value or raise
the error its callers handle, whatever the input."""

from __future__ import annotations

import datetime as dt
import json
import string
from pathlib import Path
from typing import Any

from fuzz_budget import FUZZ
from hypothesis import given
from hypothesis import strategies as st
from ini_strategies import LINE, ini_texts

from awsprof.credentials import Credentials
from awsprof.errors import ConfigFileError, InvalidInputError, ResolutionError
from awsprof.files.document import IniDocument, Target
from awsprof.files.ini import parse
from awsprof.files.jsoncache import JsonCache
from awsprof.guard.classify import Classification, classify, describe
from awsprof.resolution.providers import process
from awsprof.resolution.providers.context import cached_credentials
from awsprof.sso.token import SsoToken

# Any text at all, weighted towards the characters parsers treat specially.
HOSTILE_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("[]=:#;'\" \t\r\n\x00\x1b\x7f\x85\u2028\ufeff\udc80"),
        st.characters(),
    ),
    max_size=60,
)
INI_TEXT = st.one_of(ini_texts(), ini_texts(lines=st.one_of(LINE, HOSTILE_TEXT)), HOSTILE_TEXT)


# -- the INI reader and writer --------------------------------------------------------------


@FUZZ
@given(INI_TEXT)
def test_fuzz_ini_reader_never_raises(text: str) -> None:
    parsed = parse(text)
    if parsed.error is None:
        for section in parsed.sections:
            for option in section.options.values():
                assert isinstance(option.value, (str, dict))
    else:
        assert parsed.error.line >= 1


NAMES = st.one_of(st.sampled_from(["default", "dev", "a b", "DEFAULT", "x]y", "é"]), HOSTILE_TEXT)
KEYS = st.one_of(st.sampled_from(["region", "output", "s3", "Region", "a=b", " k"]), HOSTILE_TEXT)
VALUES = st.one_of(st.sampled_from(["us-east-1", "", " x ", "a # b", "=", "[x]"]), HOSTILE_TEXT)


@FUZZ
@given(
    st.one_of(INI_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=80)),
    NAMES,
    KEYS,
    VALUES,
)
def test_fuzz_ini_writer_refuses_or_writes_a_readable_file(
    data: bytes, name: str, key: str, value: str
) -> None:
    document = IniDocument.from_bytes(Path("config"), data)
    try:
        document.set(Target.profile(name), key, value)
    except (ConfigFileError, InvalidInputError):
        assert document.to_bytes() == data, "a refused edit changed the document"
        return
    written = document.to_bytes().decode("utf-8", "surrogateescape")
    reparsed = parse("\n".join(document.lines))
    assert reparsed.error is None, written
    section = Target.profile(name).find(reparsed)
    assert section is not None
    assert section.options[key.lower()].value == value.strip()


# -- the argv classifier --------------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "s3", "rb", "rm", "cp", "sync", "mv", "ec2", "terminate-instances", "iam",
        "delete-user", "describe-instances", "--profile", "--region", "--dry-run",
        "--no-dry-run", "--dryrun", "--endpoint-url", "--recursive", "--", "-", "--debug",
        "--no-sign-request", "--query", "--cli-input-json", "help", "configure", "s3://b/k",
        "--output=json", "-1", "--profile=prod", "", "DELETE-BUCKET",
    ]
)  # fmt: skip


@FUZZ
@given(st.lists(st.one_of(WORDS, WORDS, HOSTILE_TEXT), max_size=10))
def test_fuzz_argv_classifier_always_gives_a_verdict(argv: list[str]) -> None:
    verdict = classify(argv)
    assert isinstance(verdict, Classification)
    assert isinstance(verdict.reason, str) and verdict.reason
    assert isinstance(describe(argv), str)


# -- JSON cache readers (SSO token, role credentials) ----------------------------------------

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    HOSTILE_TEXT,
    st.sampled_from(["2099-01-01T00:00:00Z", "2001-01-01T00:00:00UTC", "soon", ""]),
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(HOSTILE_TEXT, inner, max_size=4)
    ),
    max_leaves=8,
)
TOKEN_KEYS = [
    "startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret",
    "registrationExpiresAt", "refreshToken",
]  # fmt: skip
ROLE_KEYS = ["AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", "AccountId"]


def _shaped(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), JSON, max_size=len(keys))


@FUZZ
@given(st.one_of(_shaped(TOKEN_KEYS), st.dictionaries(HOSTILE_TEXT, JSON, max_size=4)))
def test_fuzz_sso_token_cache_reader(entry: dict[str, Any]) -> None:
    token = SsoToken.from_cache(entry)
    if token is not None:
        assert isinstance(token.access_token, str)
        assert isinstance(token.expires_at, dt.datetime)
        for optional in (token.client_id, token.client_secret, token.refresh_token):
            assert optional is None or isinstance(optional, str)


class _FakeContext:
    """What cached_credentials reads from a resolution context: the cache, a clock, a report."""

    def __init__(self, cache: JsonCache) -> None:
        self.cli_cache = cache
        self.reports: list[str] = []

    def report(self, message: str) -> None:
        self.reports.append(message)

    def now(self) -> dt.datetime:
        return dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)


@FUZZ
@given(
    st.one_of(
        st.builds(lambda c: {"Credentials": c}, _shaped(ROLE_KEYS)),
        st.builds(lambda c: {"Credentials": c}, JSON),
        JSON,
    ).map(lambda v: json.dumps(v).encode()),
)
def test_fuzz_role_cache_reader(tmp_path_factory: Any, data: bytes) -> None:
    directory = tmp_path_factory.getbasetemp() / "fuzz-cli-cache"
    directory.mkdir(exist_ok=True)
    (directory / "key.json").write_bytes(data)
    context = _FakeContext(JsonCache(directory))
    credentials = cached_credentials(context, "key")  # type: ignore[arg-type]
    if credentials is not None:
        _well_typed(credentials)


@FUZZ
@given(st.binary(max_size=200))
def test_fuzz_cache_file_bytes(tmp_path_factory: Any, data: bytes) -> None:
    directory = tmp_path_factory.getbasetemp() / "fuzz-cache"
    directory.mkdir(exist_ok=True)
    (directory / "key.json").write_bytes(data)
    entry = JsonCache(directory).get("key")
    assert entry is None or isinstance(entry, dict)


# -- the credential_process output parser ---------------------------------------------------

PROCESS_KEYS = ["Version", *ROLE_KEYS]


def _well_typed(credentials: Credentials) -> None:
    assert isinstance(credentials.access_key_id, str) and credentials.access_key_id
    assert isinstance(credentials.secret_access_key, str) and credentials.secret_access_key
    assert credentials.session_token is None or isinstance(credentials.session_token, str)
    assert credentials.expiration is None or isinstance(credentials.expiration, dt.datetime)
    assert credentials.account_id is None or isinstance(credentials.account_id, str)


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=100),
        _shaped(PROCESS_KEYS).map(lambda v: json.dumps(v).encode()),
        st.builds(
            lambda extra: json.dumps(
                {"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "s", **extra}
            ).encode(),
            _shaped(PROCESS_KEYS),
        ),
        st.text(alphabet=string.printable, max_size=80).map(str.encode),
    )
)
def test_fuzz_credential_process_output_parser(output: bytes) -> None:
    try:
        credentials = process._parse(output, "fuzz")
    except ResolutionError:
        return
    _well_typed(credentials)
