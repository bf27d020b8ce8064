"""Tokens, refresh tokens and client secrets never show: not in reprs, not in any output."""

from __future__ import annotations

import datetime as dt

from sso_helpers import awsprof

from awsprof.sso.oidc import Registration
from awsprof.sso.token import SsoToken
from fixtures_sandbox import Sandbox


def test_reprs_hold_no_secret() -> None:
    now = dt.datetime.now(dt.timezone.utc)
    token = SsoToken("u", "r", "ACCESS-CANARY", now, "id", "SECRET-CANARY", now, "REFRESH-CANARY")
    registration = Registration("id", "SECRET-CANARY", now)
    assert "CANARY" not in repr(token) + repr(registration)


def test_commands_never_print_the_token(sandbox: Sandbox) -> None:
    cached = sandbox.login_sso(expires_in=600)
    secrets = [cached["accessToken"], cached["refreshToken"], cached["clientSecret"]]
    outputs = []
    for args in (
        ("--debug", "sso", "login", "--if-needed", "--profile", "work"),
        ("sso", "sessions"),
        ("--output", "json", "sso", "sessions"),
        ("--debug", "sso", "populate", "--sso-session", "my-org", "--dry-run"),
        ("--debug", "whoami", "--profile", "work"),
        ("--debug", "sso", "logout", "--all"),
        ("--debug", "whoami", "--profile", "work"),  # fails: logged out
    ):
        result = awsprof(sandbox, *args)
        expected = 5 if len(outputs) == 6 else 0  # the last whoami runs after the logout
        assert result.returncode == expected, result.stderr
        outputs.append(result.stdout + result.stderr)
    text = "\n".join(outputs)
    assert not [s for s in secrets if s in text]
    new = sandbox.read_token_cache() if sandbox.token_cache_file.exists() else {}
    assert not new  # logged out at the end
