"""Unmodified botocore resolves the SSO profile `work` against the emulator.

botocore fixes its SSO cache directory from HOME at import time, so each check runs in a child
Python whose HOME is the sandbox home.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from typing import Any

from fixtures_sandbox import Sandbox

CALLER = """
import json, botocore.session
try:
    session = botocore.session.Session(profile=PROFILE)
    answer = session.create_client("sts").get_caller_identity()
    print(json.dumps({"arn": answer["Arn"], "account": answer["Account"]}))
except Exception as error:
    print(json.dumps({"error": type(error).__name__, "message": str(error)}))
"""


def botocore_identity(sandbox: Sandbox, profile: str) -> dict[str, Any]:
    code = CALLER.replace("PROFILE", repr(profile))
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def cached_expiry(sandbox: Sandbox) -> dt.datetime:
    text = sandbox.read_token_cache()["expiresAt"]
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


def test_sso_profile_resolves_from_a_token_cache_file(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    sandbox.identity_center.clear_log()
    answer = botocore_identity(sandbox, "work")
    assert answer["account"] == "555566667777"
    assert ":assumed-role/AWSReservedSSO_PowerUserAccess_" in answer["arn"]
    operations = [e.operation for e in sandbox.request_log()]
    assert operations == ["GetRoleCredentials"]


def test_token_inside_the_refresh_window_is_refreshed_once(sandbox: Sandbox) -> None:
    before = sandbox.login_sso(expires_in=5 * 60)  # inside botocore's 15-minute window
    sandbox.identity_center.clear_log()
    answer = botocore_identity(sandbox, "work")
    assert answer["account"] == "555566667777"
    token_calls = [e for e in sandbox.request_log() if e.operation == "CreateToken"]
    assert [(e.grant_type, e.status) for e in token_calls] == [("refresh_token", 200)]
    after = sandbox.read_token_cache()
    assert after["accessToken"] != before["accessToken"]
    assert after["refreshToken"] != before["refreshToken"]  # rotated
    assert cached_expiry(sandbox) > dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1)


def test_expired_token_without_refresh_fails_with_the_real_error(sandbox: Sandbox) -> None:
    sandbox.login_sso(expires_in=-60, refreshable=False)
    sandbox.expire_token()  # the emulator agrees: the access token is dead
    sandbox.identity_center.clear_log()
    answer = botocore_identity(sandbox, "work")
    assert answer["error"] == "TokenRetrievalError"
    assert "Token has expired and refresh failed" in answer["message"]
    assert sandbox.request_log() == []  # nothing to refresh with, so no call at all


def test_expired_refresh_token_cannot_refresh(sandbox: Sandbox) -> None:
    sandbox.login_sso(expires_in=-60)
    sandbox.expire_token(access=True, refresh=True)
    answer = botocore_identity(sandbox, "work")
    assert answer["error"] == "TokenRetrievalError"
    refreshes = [e for e in sandbox.request_log() if e.grant_type == "refresh_token"]
    assert [(e.status, e.error) for e in refreshes] == [(400, "InvalidGrantException")]


def test_missing_token_cache_asks_for_a_login(sandbox: Sandbox) -> None:
    answer = botocore_identity(sandbox, "work")
    assert answer["error"] == "SSOTokenLoadError"
    assert sandbox.request_log() == []


def test_token_the_service_expired_early_is_unauthorized(sandbox: Sandbox) -> None:
    sandbox.login_sso()  # the cache says valid for hours ...
    sandbox.expire_token()  # ... but the service has ended the session
    sandbox.identity_center.clear_log()
    answer = botocore_identity(sandbox, "work")
    assert answer["error"] == "UnauthorizedSSOTokenError"
    assert "expired or is otherwise invalid" in answer["message"]
    log = [(e.operation, e.status, e.error) for e in sandbox.request_log()]
    assert log == [("GetRoleCredentials", 401, "UnauthorizedException")]


def test_logged_out_session_is_unauthorized(sandbox: Sandbox) -> None:
    token = sandbox.login_sso()
    sandbox.sso_client().logout(accessToken=token["accessToken"])
    answer = botocore_identity(sandbox, "work")
    assert answer["error"] == "UnauthorizedSSOTokenError"
