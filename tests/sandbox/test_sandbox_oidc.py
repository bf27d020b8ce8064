"""Both login flows at the wire level, through unmodified botocore clients: the exceptions botocore
raises are the ones it raises against IAM Identity Center."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError
from sandbox_oidc_helpers import (
    DEVICE_GRANT,
    REDIRECT,
    CallbackListener,
    authorize_url,
    pkce_pair,
    register,
)

from fixtures_sandbox import Sandbox


def error_code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return str(excinfo.value.response["Error"]["Code"])


def test_device_flow_pending_slow_down_then_token(sandbox: Sandbox) -> None:
    oidc = sandbox.sso_oidc_client()
    client = register(oidc, sandbox)
    device = oidc.start_device_authorization(
        clientId=client["clientId"],
        clientSecret=client["clientSecret"],
        startUrl=sandbox.start_url,
    )
    assert device["verificationUri"] == f"{sandbox.idc_url}/device"
    assert device["verificationUriComplete"].endswith(f"user_code={device['userCode']}")
    poll = {
        "clientId": client["clientId"],
        "clientSecret": client["clientSecret"],
        "grantType": DEVICE_GRANT,
        "deviceCode": device["deviceCode"],
    }
    with pytest.raises(ClientError) as pending:
        oidc.create_token(**poll)
    assert error_code(pending) == "AuthorizationPendingException"
    assert type(pending.value).__name__ == "AuthorizationPendingException"
    with pytest.raises(ClientError) as slow:
        oidc.create_token(**poll)  # again at once: faster than `interval`
    assert error_code(slow) == "SlowDownException"
    assert slow.value.response["error"] == "slow_down"
    assert sandbox.approve(device["userCode"]) == [device["userCode"]]
    token = oidc.create_token(**poll)
    assert token["tokenType"] == "Bearer" and token["expiresIn"] > 0
    assert token["refreshToken"]  # registered with scopes
    with pytest.raises(ClientError) as reused:
        oidc.create_token(**poll)
    assert error_code(reused) == "InvalidGrantException"


def test_device_flow_without_scopes_gives_no_refresh_token(sandbox: Sandbox) -> None:
    oidc = sandbox.sso_oidc_client()
    client = oidc.register_client(clientName="no-scopes", clientType="public")
    device = oidc.start_device_authorization(
        clientId=client["clientId"],
        clientSecret=client["clientSecret"],
        startUrl=sandbox.start_url,
    )
    sandbox.approve(device["userCode"])
    token = oidc.create_token(
        clientId=client["clientId"],
        clientSecret=client["clientSecret"],
        grantType=DEVICE_GRANT,
        deviceCode=device["deviceCode"],
    )
    assert "refreshToken" not in token


@pytest.mark.parametrize(
    ("setup", "expected"),
    [("deny", "AccessDeniedException"), ("expire", "ExpiredTokenException")],
)
def test_device_flow_denied_or_expired(sandbox: Sandbox, setup: str, expected: str) -> None:
    oidc = sandbox.sso_oidc_client()
    if setup == "expire":
        sandbox.configure_identity_center(device_code_seconds=0)
    client = register(oidc, sandbox)
    device = oidc.start_device_authorization(
        clientId=client["clientId"],
        clientSecret=client["clientSecret"],
        startUrl=sandbox.start_url,
    )
    if setup == "deny":
        assert sandbox.identity_center.oidc.decide_device(device["userCode"], allow=False)
    with pytest.raises(ClientError) as excinfo:
        oidc.create_token(
            clientId=client["clientId"],
            clientSecret=client["clientSecret"],
            grantType=DEVICE_GRANT,
            deviceCode=device["deviceCode"],
        )
    assert error_code(excinfo) == expected


def test_wrong_client_secret_is_invalid_client(sandbox: Sandbox) -> None:
    oidc = sandbox.sso_oidc_client()
    client = register(oidc, sandbox)
    with pytest.raises(ClientError) as excinfo:
        oidc.start_device_authorization(
            clientId=client["clientId"], clientSecret="not-the-secret", startUrl=sandbox.start_url
        )
    assert error_code(excinfo) == "InvalidClientException"
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401


def test_unknown_start_url_is_refused(sandbox: Sandbox) -> None:
    oidc = sandbox.sso_oidc_client()
    client = register(oidc, sandbox)
    with pytest.raises(ClientError) as excinfo:
        oidc.start_device_authorization(
            clientId=client["clientId"],
            clientSecret=client["clientSecret"],
            startUrl="https://someone-else.awsapps.com/start",
        )
    assert error_code(excinfo) == "InvalidRequestException"


def approved_code(sandbox: Sandbox, client_id: str, challenge: str, state: str) -> str:
    with CallbackListener() as listener:
        url = authorize_url(sandbox, client_id, listener.port, challenge, state)
        sandbox.open_and_allow(url)
        query = listener.wait()
    assert query["state"] == state
    return query["code"]


def test_pkce_flow_verifier_checked_then_refresh(sandbox: Sandbox) -> None:
    oidc = sandbox.sso_oidc_client()
    client = register(oidc, sandbox, pkce=True)
    verifier, challenge = pkce_pair()
    auth = {"clientId": client["clientId"], "clientSecret": client["clientSecret"]}

    code = approved_code(sandbox, client["clientId"], challenge, "state-1")
    with pytest.raises(ClientError) as wrong:
        oidc.create_token(
            **auth,
            grantType="authorization_code",
            code=code,
            redirectUri=REDIRECT.replace("127.0.0.1", "127.0.0.1:1"),
            codeVerifier=verifier,
        )
    assert error_code(wrong) == "InvalidGrantException"  # redirect URI differs (and code spent)

    code = approved_code(sandbox, client["clientId"], challenge, "state-2")
    listener_redirect = next(
        e for e in reversed(sandbox.request_log()) if e.operation == "AuthorizeDecision"
    )
    assert listener_redirect.status == 302
    with pytest.raises(ClientError) as bad_verifier:
        oidc.create_token(
            **auth,
            grantType="authorization_code",
            code=code,
            redirectUri=_redirect_of(sandbox, code),
            codeVerifier=verifier + "x",
        )
    assert error_code(bad_verifier) == "InvalidGrantException"

    code = approved_code(sandbox, client["clientId"], challenge, "state-3")
    token = oidc.create_token(
        **auth,
        grantType="authorization_code",
        code=code,
        redirectUri=_redirect_of(sandbox, code),
        codeVerifier=verifier,
    )
    assert token["accessToken"] and token["refreshToken"]

    refreshed = oidc.create_token(
        **auth, grantType="refresh_token", refreshToken=token["refreshToken"]
    )
    assert refreshed["accessToken"] != token["accessToken"]
    with pytest.raises(ClientError) as old:
        oidc.create_token(**auth, grantType="refresh_token", refreshToken=token["refreshToken"])
    assert error_code(old) == "InvalidGrantException"  # refresh tokens rotate


def _redirect_of(sandbox: Sandbox, code: str) -> str:
    with sandbox.identity_center.store.lock:
        return sandbox.identity_center.store.codes[code].redirect_uri


def test_authorize_refuses_an_unregistered_redirect(sandbox: Sandbox) -> None:
    oidc = sandbox.sso_oidc_client()
    client = register(oidc, sandbox, pkce=True)
    url = authorize_url(sandbox, client["clientId"], 8080, "x" * 43, "s").replace(
        "127.0.0.1%3A8080", "evil.example"
    )
    status, body = sandbox.get(url)
    assert status == 400
    assert "redirect_uri is not registered" in body
