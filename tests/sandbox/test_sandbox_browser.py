"""A real headless chromium, driven by playwright, clicks "Allow" on the emulator's pages."""

from __future__ import annotations

from typing import Any

from sandbox_oidc_helpers import (
    DEVICE_GRANT,
    CallbackListener,
    authorize_url,
    pkce_pair,
    register,
)

from fixtures_sandbox import Sandbox


def test_browser_allows_a_pkce_login(sandbox: Sandbox, chromium: Any) -> None:
    oidc = sandbox.sso_oidc_client()
    client = register(oidc, sandbox, pkce=True)
    verifier, challenge = pkce_pair()
    page = chromium.new_page()
    with CallbackListener() as listener:
        page.goto(authorize_url(sandbox, client["clientId"], listener.port, challenge, "st-42"))
        assert "botocore-client-my-org" in page.content()
        page.click("#allow")
        query = listener.wait()
        page.wait_for_selector("#received")
    assert query["state"] == "st-42"
    token = oidc.create_token(
        clientId=client["clientId"],
        clientSecret=client["clientSecret"],
        grantType="authorization_code",
        code=query["code"],
        redirectUri=f"http://127.0.0.1:{listener.port}/oauth/callback",
        codeVerifier=verifier,
    )
    assert token["accessToken"]
    page.close()


def test_browser_deny_redirects_with_access_denied(sandbox: Sandbox, chromium: Any) -> None:
    oidc = sandbox.sso_oidc_client()
    client = register(oidc, sandbox, pkce=True)
    _, challenge = pkce_pair()
    page = chromium.new_page()
    with CallbackListener() as listener:
        page.goto(authorize_url(sandbox, client["clientId"], listener.port, challenge, "st-7"))
        page.click("#deny")
        query = listener.wait()
    assert query == {"error": "access_denied", "state": "st-7"}
    page.close()


def test_browser_enters_a_device_code_and_allows(sandbox: Sandbox, chromium: Any) -> None:
    oidc = sandbox.sso_oidc_client()
    client = register(oidc, sandbox)
    device = oidc.start_device_authorization(
        clientId=client["clientId"],
        clientSecret=client["clientSecret"],
        startUrl=sandbox.start_url,
    )
    page = chromium.new_page()
    page.goto(device["verificationUri"])
    page.fill("#user_code", device["userCode"].lower())
    page.click("#next")
    assert page.inner_text("#code") == device["userCode"]
    page.click("#allow")
    assert page.inner_text("#result") == "You can close this window."
    token = oidc.create_token(
        clientId=client["clientId"],
        clientSecret=client["clientSecret"],
        grantType=DEVICE_GRANT,
        deviceCode=device["deviceCode"],
    )
    assert token["accessToken"]
    page.close()


def test_browser_on_the_complete_verification_uri(sandbox: Sandbox, chromium: Any) -> None:
    oidc = sandbox.sso_oidc_client()
    client = register(oidc, sandbox)
    device = oidc.start_device_authorization(
        clientId=client["clientId"],
        clientSecret=client["clientSecret"],
        startUrl=sandbox.start_url,
    )
    page = chromium.new_page()
    page.goto(device["verificationUriComplete"])
    page.click("#allow")
    page.wait_for_selector("#result")
    page.goto(device["verificationUriComplete"])  # a used code cannot be approved again
    assert "unknown, expired or used" in page.content()
    page.close()
