"""Reliability D13: one refresh across processes, losers re-read the cache, a newer token is never
replaced by an older one, an expired registration forces a login; ``--if-needed`` is offline."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from typing import Any

from sso_helpers import awsprof, token_grants

from awsprof.credentials import now_utc
from awsprof.files.jsoncache import JsonCache
from awsprof.sso.token import TokenCache, refresh, usable_token
from fixtures_sandbox import Sandbox, utc_text

REFRESH = "refresh_token"


def _tokens(sandbox: Sandbox) -> TokenCache:
    return TokenCache(JsonCache(sandbox.paths.sso_cache), sandbox.token_cache_file.stem)


def test_sixteen_processes_in_the_refresh_window_make_one_create_token(sandbox: Sandbox) -> None:
    before = sandbox.login_sso(expires_in=600)  # 10 minutes left: inside the 15-minute window
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "awsprof", "whoami", "--profile", "work"],
            env=sandbox.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(16)
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
    assert [code for code, _, _ in results] == [0] * 16, [err for _, _, err in results]
    assert {json.loads(out)["Account"] for _, out, _ in results} == {"555566667777"}
    assert token_grants(sandbox, REFRESH) == 1
    after = sandbox.read_token_cache()
    assert after["accessToken"] != before["accessToken"]
    assert after["refreshToken"] != before["refreshToken"]  # the rotated one was kept
    assert sum(1 for e in sandbox.request_log() if e.operation == "GetRoleCredentials") == 1


def test_a_newer_token_is_never_replaced_by_an_older_one(sandbox: Sandbox) -> None:
    sandbox.login_sso(expires_in=600)
    tokens = _tokens(sandbox)
    newer_expiry = now_utc() + dt.timedelta(days=1)

    def oidc() -> Any:
        real = sandbox.sso_oidc_client()

        class LoginMeanwhile:  # the AWS CLI saves a fresh login while our refresh is in flight
            def create_token(self, **kwargs: Any) -> Any:
                answer = real.create_token(**kwargs)
                entry = sandbox.read_token_cache()
                entry.update(accessToken="from-a-later-login", expiresAt=utc_text(newer_expiry))
                sandbox.write_token_cache(entry)
                return answer

        return LoginMeanwhile()

    result = refresh(tokens, oidc, now_utc, lambda message: None)
    assert result is not None and result.access_token == "from-a-later-login"
    assert sandbox.read_token_cache()["accessToken"] == "from-a-later-login"
    assert token_grants(sandbox, REFRESH) == 1


def test_losers_reread_instead_of_refreshing(sandbox: Sandbox) -> None:
    sandbox.login_sso(expires_in=600)
    tokens = _tokens(sandbox)
    with tokens.refresh_lock():  # the winner holds the lock and saves a fresh token
        entry = sandbox.read_token_cache()
        entry.update(
            accessToken="refreshed-by-winner", expiresAt=utc_text(now_utc() + dt.timedelta(hours=8))
        )
        sandbox.write_token_cache(entry)
    token = usable_token(tokens, sandbox.sso_oidc_client, now_utc, "hint", "work", print)
    assert token.access_token == "refreshed-by-winner"
    assert token_grants(sandbox, REFRESH) == 0


def test_expired_registration_forces_a_login(sandbox: Sandbox) -> None:
    entry = sandbox.login_sso(expires_in=600)
    entry["registrationExpiresAt"] = utc_text(now_utc() - dt.timedelta(minutes=1))
    sandbox.write_token_cache(entry)
    ok = awsprof(sandbox, "whoami", "--profile", "work")
    assert ok.returncode == 0, ok.stderr  # still usable for its last minutes, not refreshed
    assert token_grants(sandbox, REFRESH) == 0
    entry["expiresAt"] = utc_text(now_utc() - dt.timedelta(seconds=1))
    sandbox.write_token_cache(entry)
    for cached in sandbox.paths.cli_cache.glob("*.json"):
        cached.unlink()
    expired = awsprof(sandbox, "whoami", "--profile", "work")
    assert expired.returncode == 5
    assert "awsprof sso login --sso-session my-org" in expired.stderr
    sandbox.configure_identity_center(auto_approve=True)
    again = awsprof(
        sandbox,
        "sso",
        "login",
        "--if-needed",
        "--profile",
        "work",
        "--use-device-code",
        "--no-browser",
    )
    assert again.returncode == 0, again.stderr
    assert "Successfully logged in" in again.stderr
    assert token_grants(sandbox, REFRESH) == 0


def test_refused_refresh_keeps_using_the_token_until_it_expires(sandbox: Sandbox) -> None:
    sandbox.login_sso(expires_in=600)
    sandbox.expire_token(access=False, refresh=True)
    result = awsprof(sandbox, "whoami", "--profile", "work")
    assert result.returncode == 0, result.stderr
    assert "could not be refreshed (InvalidGrantException)" in result.stderr
    assert "aor" not in result.stderr  # no refresh token in the message


def test_if_needed_with_a_valid_token_is_offline_and_loads_no_botocore(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    sandbox.identity_center.clear_log()
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "awsprof",
            "sso",
            "login",
            "--if-needed",
            "--profile",
            "work",
        ],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Already logged in to my-org" in result.stderr
    assert "botocore" not in result.stderr and "| click" not in result.stderr
    assert sandbox.request_log() == []


def test_if_needed_in_the_refresh_window_refreshes_without_a_browser(sandbox: Sandbox) -> None:
    sandbox.login_sso(expires_in=600)
    result = awsprof(sandbox, "sso", "login", "--if-needed", "--sso-session", "my-org")
    assert result.returncode == 0, result.stderr
    assert "Refreshed the login to my-org" in result.stderr
    assert token_grants(sandbox, REFRESH) == 1
