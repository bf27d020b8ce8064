"""``sso sessions`` lists every session from the caches alone; ``sso logout`` ends one session
(portal sign-out, token and role credentials deleted) or all of them, as real processes."""

from __future__ import annotations

import json
from typing import Any

from sso_helpers import awsprof

from fixtures_sandbox import Sandbox

OTHER_SESSION = """
[sso-session other]
sso_start_url = https://my-org.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile other-work]
sso_session = other
sso_account_id = 555566667777
sso_role_name = ReadOnlyAccess
services = sandbox
endpoint_url = {moto}
"""


def _sessions(sandbox: Sandbox) -> dict[str, Any]:
    result = awsprof(sandbox, "--output", "json", "sso", "sessions")
    assert result.returncode == 0, result.stderr
    return {s["session"]: s for s in json.loads(result.stdout)["sessions"]}


def _add_other_session(sandbox: Sandbox) -> None:
    with sandbox.config_file.open("a") as handle:
        handle.write(OTHER_SESSION.format(moto=sandbox.moto_url))
    sandbox.configure_identity_center(auto_approve=True)
    login = awsprof(sandbox, "sso", "login", "--sso-session", "other", "--use-device-code")
    assert login.returncode == 0, login.stderr


def test_sessions_before_and_after_login(sandbox: Sandbox) -> None:
    before = _sessions(sandbox)["my-org"]
    assert before["loggedIn"] is False and before["expiresAt"] is None
    assert before["roleCredentials"] == [
        {
            "profile": "work",
            "accountId": "555566667777",
            "roleName": "PowerUserAccess",
            "expiresAt": None,
        }
    ]
    sandbox.login_sso()
    assert awsprof(sandbox, "whoami", "--profile", "work").returncode == 0
    after = _sessions(sandbox)["my-org"]
    assert after["loggedIn"] is True and after["refreshable"] is True
    assert after["expiresAt"] == sandbox.read_token_cache()["expiresAt"]
    assert after["roleCredentials"][0]["expiresAt"]
    assert sandbox.request_log()[-1].operation != "ListAccounts"  # no portal call by `sessions`
    text = awsprof(sandbox, "sso", "sessions")
    assert "my-org" in text.stdout and "yes" in text.stdout and "1 of 1 cached" in text.stdout
    assert "aoa" not in text.stdout + text.stderr  # never a token


def test_logout_of_one_session_keeps_the_others(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    assert awsprof(sandbox, "whoami", "--profile", "work").returncode == 0
    _add_other_session(sandbox)
    old_token = sandbox.read_token_cache()["accessToken"]
    result = awsprof(sandbox, "sso", "logout", "--sso-session", "my-org")
    assert result.returncode == 0, result.stderr
    assert "deleted 2 cached" in result.stderr
    assert not sandbox.token_cache_file.exists()
    assert any(e.operation == "Logout" and e.status == 200 for e in sandbox.request_log())
    status = sandbox.identity_center.portal.authenticate
    try:
        status(old_token)
        raise AssertionError("the portal still accepts the logged-out token")
    except Exception as error:
        assert "Unauthorized" in type(error).__name__ or "Unauthorized" in str(error)
    sessions = _sessions(sandbox)
    assert sessions["my-org"]["loggedIn"] is False
    assert sessions["other"]["loggedIn"] is True
    whoami = awsprof(sandbox, "whoami", "--profile", "work")
    assert whoami.returncode == 5 and "awsprof sso login --sso-session my-org" in whoami.stderr


def test_logout_all_deletes_every_sso_cache(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    assert awsprof(sandbox, "whoami", "--profile", "work").returncode == 0
    _add_other_session(sandbox)
    assert awsprof(sandbox, "whoami", "--profile", "other-work").returncode == 0
    result = awsprof(sandbox, "sso", "logout", "--all")
    assert result.returncode == 0, result.stderr
    assert {s["loggedIn"] for s in _sessions(sandbox).values()} == {False}
    leftovers = [
        json.loads(p.read_text())
        for p in sandbox.paths.cli_cache.glob("*.json")
        if json.loads(p.read_text()).get("ProviderType") == "sso"
    ]
    assert leftovers == []
    tokens = [p for p in sandbox.paths.sso_cache.glob("*.json") if "accessToken" in p.read_text()]
    assert tokens == []


def test_logout_all_with_a_session_is_a_usage_error(sandbox: Sandbox) -> None:
    result = awsprof(sandbox, "sso", "logout", "--all", "--sso-session", "my-org")
    assert result.returncode == 2


def test_unknown_session_names_the_ones_that_exist(sandbox: Sandbox) -> None:
    result = awsprof(sandbox, "sso", "login", "--sso-session", "my-orgg", "--if-needed")
    assert result.returncode == 4
    assert "Did you mean `--sso-session my-org`?" in result.stderr


def test_bare_logout_ends_every_session_and_the_roles_chained_on_them(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    _add_other_session(sandbox)
    # The real AWS CLI reaches prod (a role assumed from the SSO profile `work`) and caches both
    # the SSO role credentials and the AssumeRole credentials in ~/.aws/cli/cache.
    before = sandbox.run_aws("sts", "get-caller-identity", "--profile", "prod")
    assert before.returncode == 0, before.stderr
    assert len(list(sandbox.paths.cli_cache.glob("*.json"))) == 1  # the AssumeRole credentials
    assert awsprof(sandbox, "whoami", "--profile", "work").returncode == 0
    assert awsprof(sandbox, "whoami", "--profile", "other-work").returncode == 0
    cached = len(list(sandbox.paths.cli_cache.glob("*.json")))
    assert cached == 3  # and the SSO role credentials of `work` and `other-work`

    result = awsprof(sandbox, "sso", "logout", AWS_PROFILE="dev")  # AWS_PROFILE does not narrow it
    assert result.returncode == 0, result.stderr
    assert "my-org" in result.stderr and "other" in result.stderr
    assert "3 role credential(s)" in result.stderr, result.stderr
    assert {s["loggedIn"] for s in _sessions(sandbox).values()} == {False}
    assert list(sandbox.paths.cli_cache.glob("*.json")) == []
    # Without the cached AssumeRole credentials the AWS CLI cannot reach prod any more.
    after = sandbox.run_aws("sts", "get-caller-identity", "--profile", "prod")
    assert after.returncode != 0
    assert "888899990000" not in after.stdout


def test_logout_of_one_session_removes_the_roles_chained_on_it(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    assert sandbox.run_aws("sts", "get-caller-identity", "--profile", "prod").returncode == 0
    assert len(list(sandbox.paths.cli_cache.glob("*.json"))) == 1
    result = awsprof(sandbox, "sso", "logout", "--profile", "work")
    assert result.returncode == 0, result.stderr
    assert "1 role credential(s)" in result.stderr, result.stderr
    assert list(sandbox.paths.cli_cache.glob("*.json")) == []
    assert sandbox.run_aws("sts", "get-caller-identity", "--profile", "prod").returncode != 0
