"""Crashes the fuzz targets found, each kept as a named regression test."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from awsprof.files.jsoncache import JsonCache
from awsprof.resolution.providers.context import cached_credentials
from awsprof.sso.token import SsoToken


class _Context:
    def __init__(self, directory: Path) -> None:
        self.cli_cache = JsonCache(directory)
        self.reports: list[str] = []

    def report(self, message: str) -> None:
        self.reports.append(message)

    def now(self) -> dt.datetime:
        return dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    "credentials",
    [
        {"Expiration": None},  # was: AttributeError, an "unexpected error" exit 1
        {"Expiration": "2099-01-01T00:00:00Z", "AccessKeyId": None, "SecretAccessKey": None},
        {"Expiration": "2099-01-01T00:00:00Z", "AccessKeyId": 1, "SecretAccessKey": ["s"]},
        {"Expiration": 4102444800, "AccessKeyId": "AKID", "SecretAccessKey": "s"},
        ["not", "an", "object"],
    ],
)
def test_malformed_role_cache_entry_is_a_reported_miss(tmp_path: Path, credentials: object) -> None:
    (tmp_path / "key.json").write_text(json.dumps({"Credentials": credentials}))
    context = _Context(tmp_path)
    assert cached_credentials(context, "key") is None  # type: ignore[arg-type]
    assert any("is malformed" in r for r in context.reports)


def test_null_access_token_in_sso_cache_is_no_token() -> None:
    """Was: str(None) made the token "None", sent to AWS as a bearer token."""
    entry = {"accessToken": None, "expiresAt": "2099-01-01T00:00:00Z", "startUrl": None}
    assert SsoToken.from_cache(entry) is None


def test_non_string_fields_of_an_sso_token_are_dropped() -> None:
    entry = {
        "accessToken": "token",
        "expiresAt": "2099-01-01T00:00:00Z",
        "clientId": [],
        "clientSecret": 5,
        "refreshToken": {},
        "startUrl": None,
    }
    token = SsoToken.from_cache(entry)
    assert token is not None
    assert (token.client_id, token.client_secret, token.refresh_token) == (None, None, None)
    assert token.start_url == ""
