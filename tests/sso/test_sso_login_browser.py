"""Both login flows end to end in a real headless chromium; then the real AWS CLI and unmodified
botocore use the token awsprof cached (and awsprof uses it for the role chain to prod)."""

from __future__ import annotations

import json
from typing import Any

from sso_helpers import (
    aws_identity,
    awsprof,
    botocore_identity,
    core_login,
    read_url,
    start_awsprof,
    token_grants,
    ui,
)

from awsprof.sso.device import DeviceCode
from fixtures_sandbox import Sandbox

WORK, PROD = "555566667777", "888899990000"


def _allow_authorize(page: Any, url: str) -> None:
    page.goto(url)
    page.click("#allow")
    page.wait_for_selector("#awsprof-result")


def test_pkce_login_in_chromium_serves_the_aws_cli_and_botocore(
    sandbox: Sandbox, chromium: Any
) -> None:
    page = chromium.new_page()
    seen: list[str] = []

    def browser(url: str) -> None:
        seen.append(url)
        _allow_authorize(page, url)

    result = core_login(sandbox, ui(authorize=browser))
    assert result.outcome == "logged-in" and result.flow == "pkce"
    assert "Login received" in page.inner_text("#awsprof-result")
    assert "code_challenge_method=S256" in seen[0] and "scopes=sso%3Aaccount%3Aaccess" in seen[0]
    cached = sandbox.read_token_cache()
    assert sandbox.token_cache_file.stat().st_mode & 0o777 == 0o600
    assert cached["startUrl"] == sandbox.start_url and cached["region"] == "us-east-1"
    assert cached["refreshToken"] and cached["clientSecret"] and cached["expiresAt"].endswith("Z")
    assert token_grants(sandbox, "authorization_code") == 1
    assert aws_identity(sandbox, "work")["Account"] == WORK
    assert botocore_identity(sandbox, "work")["account"] == WORK
    assert aws_identity(sandbox, "prod")["Account"] == PROD
    page.close()


def test_device_login_in_chromium_serves_the_aws_cli_and_botocore(
    sandbox: Sandbox, chromium: Any
) -> None:
    page = chromium.new_page()
    shown: list[DeviceCode] = []

    def browser(code: DeviceCode) -> None:
        shown.append(code)
        page.goto(code.verification_uri)
        page.fill("#user_code", code.user_code)
        page.click("#next")
        page.click("#allow")
        assert page.inner_text("#result") == "You can close this window."

    result = core_login(sandbox, ui(device=browser), use_device_code=True)
    assert result.outcome == "logged-in" and result.flow == "device"
    assert token_grants(sandbox, "urn:ietf:params:oauth:grant-type:device_code") >= 1
    assert sandbox.read_token_cache()["accessToken"]
    assert aws_identity(sandbox, "work")["Account"] == WORK
    assert botocore_identity(sandbox, "work")["account"] == WORK
    page.close()


def test_cli_pkce_login_process_with_chromium_then_whoami_prod(
    sandbox: Sandbox, chromium: Any
) -> None:
    process = start_awsprof(
        sandbox, "sso", "login", "--profile", "work", "--no-browser", AWSPROF_SSO_LOGIN_FLOW="pkce"
    )  # the browser runs in this container: the loopback reaches it
    url, _ = read_url(process)
    assert "/authorize?" in url and "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in url
    page = chromium.new_page()
    _allow_authorize(page, url)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert "Successfully logged in to my-org" in stderr
    whoami = awsprof(sandbox, "whoami", "--profile", "prod")
    assert whoami.returncode == 0, whoami.stderr
    assert json.loads(whoami.stdout)["Account"] == PROD
    assert aws_identity(sandbox, "prod")["Account"] == PROD
    page.close()


def test_cli_device_login_process_prints_what_the_service_returned(
    sandbox: Sandbox, chromium: Any
) -> None:
    process = start_awsprof(
        sandbox, "sso", "login", "--sso-session", "my-org", "--use-device-code", "--no-browser"
    )
    url, _ = read_url(process)
    code_lines: list[str] = []
    assert process.stderr is not None
    for line in process.stderr:
        code_lines.append(line)
        if line.strip() and "-" in line and line.strip().isupper():
            break
    user_code = code_lines[-1].strip()
    device = sandbox.identity_center.oidc.device_by_user_code(user_code)
    assert device is not None and device.status == "pending"  # the code the service issued
    assert url == f"{sandbox.idc_url}/device"
    page = chromium.new_page()
    page.goto(url)
    page.fill("#user_code", user_code)
    page.click("#next")
    page.click("#allow")
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert aws_identity(sandbox, "work")["Account"] == WORK
    page.close()


def test_legacy_profile_uses_the_device_flow(sandbox: Sandbox) -> None:
    with sandbox.config_file.open("a") as handle:
        handle.write(
            "\n[profile legacy]\nsso_start_url = https://my-org.awsapps.com/start\n"
            "sso_region = us-east-1\nsso_account_id = 555566667777\n"
            "sso_role_name = PowerUserAccess\nservices = sandbox\n"
        )
    sandbox.configure_identity_center(auto_approve=True)
    result = core_login(sandbox, ui(device=lambda code: None), sso_session=None, profile="legacy")
    assert result.flow == "device"
    assert (sandbox.paths.sso_cache / "botocore-client-id-us-east-1.json").exists()
    from awsprof.files.jsoncache import sha1_key

    assert (sandbox.paths.sso_cache / f"{sha1_key(sandbox.start_url)}.json").exists()
