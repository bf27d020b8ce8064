"""The Sign-In emulator refuses what AWS Sign-In refuses: DPoP proofs with a bad signature, for
another URL or method, stale or replayed; a code with the wrong PKCE verifier; a refresh with
another key than the login's; a revoked login. (In process, with a stand-in credential source.)"""

from __future__ import annotations

import base64
import hashlib
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest

from awsprof.sandbox import accounts as world
from awsprof.sandbox.identity_center.model import ApiError
from awsprof.sandbox.identity_center.portal import RoleCredentials
from awsprof.sandbox.signin import dpop as server_dpop
from awsprof.sandbox.signin.service import SAME_DEVICE, Signin, SigninError
from awsprof.signin import dpop
from fixtures_sandbox import NO_REDIRECTS, Sandbox

BASE = "http://127.0.0.1:4321"
TOKEN_URL = f"{BASE}/v1/token"
ARN = "arn:aws:sts::111122223333:assumed-role/Admin/alice"
NOW = 1_800_000_000.0


class Source:
    def __init__(self) -> None:
        self.issued = 0

    def role_credentials(
        self, account_id: str, permission_set: str, user: str, seconds: int
    ) -> RoleCredentials:
        self.issued += 1
        return RoleCredentials(f"ASIA{self.issued:016d}", "secret", "token", 0)

    def caller_arn(self, access_key_id: str, secret_access_key: str, session_token: str) -> str:
        return ARN


@pytest.fixture
def signin() -> Signin:
    return Signin(Source(), clock=lambda: NOW)


def _code(signin: Signin, verifier: str = "v" * 64) -> str:
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    request_id = signin.begin_authorize(
        {
            "response_type": "code",
            "client_id": SAME_DEVICE,
            "state": "s1",
            "code_challenge_method": "SHA-256",
            "code_challenge": challenge.rstrip(b"=").decode(),
            "redirect_uri": "http://127.0.0.1:5555/oauth/callback",
        },
        BASE,
    )
    location = signin.decide(request_id, True, (world.SANDBOX.account_id, "AdministratorAccess"))
    assert location is not None
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    assert query["state"] == "s1"
    return query["code"]


def _redeem(signin: Signin, key: Any, code: str, verifier: str = "v" * 64) -> dict[str, Any]:
    body = {
        "clientId": SAME_DEVICE,
        "grantType": "authorization_code",
        "code": code,
        "codeVerifier": verifier,
        "redirectUri": "http://127.0.0.1:5555/oauth/callback",
    }
    return signin.create_token(body, dpop.proof(key, TOKEN_URL, int(NOW)), TOKEN_URL)


def _refresh(signin: Signin, key: Any, token: str, proof: str | None = None) -> dict[str, Any]:
    body = {"clientId": SAME_DEVICE, "grantType": "refresh_token", "refreshToken": token}
    return signin.create_token(body, proof or dpop.proof(key, TOKEN_URL, int(NOW)), TOKEN_URL)


def _refused(call: Any, error: str) -> SigninError:
    with pytest.raises(SigninError) as caught:
        call()
    assert caught.value.error == error, caught.value.description
    return caught.value


def test_login_then_refresh_with_the_same_key(signin: Signin) -> None:
    key = dpop.generate_key()
    first = _redeem(signin, key, _code(signin))
    claims = json.loads(server_dpop.b64url_decode(first["idToken"].split(".")[1]))
    assert claims["sub"] == ARN
    assert first["tokenType"] == "aws_sigv4" and first["refreshToken"].startswith("ASOR")
    second = _refresh(signin, key, first["refreshToken"])
    assert second["accessToken"]["accessKeyId"] != first["accessToken"]["accessKeyId"]
    assert "idToken" not in second
    assert signin.grants == ["authorization_code", "refresh_token"]


def test_proof_signed_by_another_key_is_refused(signin: Signin) -> None:
    key, other = dpop.generate_key(), dpop.generate_key()
    mine = dpop.proof(key, TOKEN_URL, int(NOW)).split(".")
    theirs = dpop.proof(other, TOKEN_URL, int(NOW)).split(".")
    forged = ".".join([mine[0], mine[1], theirs[2]])  # key's jwk, other's signature
    error = _refused(lambda: _refresh(signin, key, "ASORx", forged), "INVALID_REQUEST")
    assert "does not verify" in error.description


def test_proof_for_another_url_is_refused(signin: Signin) -> None:
    key = dpop.generate_key()
    proof = dpop.proof(key, "http://127.0.0.1:9999/v1/token", int(NOW))
    error = _refused(lambda: _refresh(signin, key, "ASORx", proof), "INVALID_REQUEST")
    assert "htu" in error.description


def test_replayed_proof_is_refused(signin: Signin) -> None:
    key = dpop.generate_key()
    first = _redeem(signin, key, _code(signin))
    proof = dpop.proof(key, TOKEN_URL, int(NOW))
    _refresh(signin, key, first["refreshToken"], proof)
    error = _refused(lambda: _refresh(signin, key, first["refreshToken"], proof), "INVALID_REQUEST")
    assert "jti" in error.description


def test_stale_proof_is_refused(signin: Signin) -> None:
    key = dpop.generate_key()
    proof = dpop.proof(key, TOKEN_URL, int(NOW) - 3600)
    error = _refused(lambda: _refresh(signin, key, "ASORx", proof), "INVALID_REQUEST")
    assert "iat" in error.description


def test_missing_proof_is_refused(signin: Signin) -> None:
    body = {"clientId": SAME_DEVICE, "grantType": "refresh_token", "refreshToken": "ASORx"}
    with pytest.raises(ApiError, match="missing"):
        signin.create_token(body, None, TOKEN_URL)


def test_refresh_with_another_key_than_the_login_is_refused(signin: Signin) -> None:
    first = _redeem(signin, dpop.generate_key(), _code(signin))
    error = _refused(
        lambda: _refresh(signin, dpop.generate_key(), first["refreshToken"]), "INVALID_REQUEST"
    )
    assert "not the token's key" in error.description


def test_wrong_code_verifier_is_refused(signin: Signin) -> None:
    code = _code(signin)
    _refused(lambda: _redeem(signin, dpop.generate_key(), code, "w" * 64), "INVALID_REQUEST")


def test_code_is_single_use(signin: Signin) -> None:
    key, code = dpop.generate_key(), _code(signin)
    _redeem(signin, key, code)
    _refused(lambda: _redeem(signin, key, code), "AUTHCODE_EXPIRED")


def test_revoked_login_cannot_refresh(signin: Signin) -> None:
    key = dpop.generate_key()
    first = _redeem(signin, key, _code(signin))
    with pytest.raises(SigninError):  # only credentials of this login may revoke it
        signin.revoke(first["refreshToken"], "AKIAOTHER")
    signin.revoke(first["refreshToken"], first["accessToken"]["accessKeyId"])
    error = _refused(lambda: _refresh(signin, key, first["refreshToken"]), "TOKEN_EXPIRED")
    assert error.code == "AccessDeniedException" and error.status == 403


def test_same_device_redirect_must_be_loopback(signin: Signin) -> None:
    with pytest.raises(ApiError, match="loopback"):
        signin.begin_authorize(
            {
                "response_type": "code",
                "client_id": SAME_DEVICE,
                "state": "s",
                "code_challenge_method": "SHA-256",
                "code_challenge": "c",
                "redirect_uri": "https://attacker.example/oauth/callback",
            },
            BASE,
        )


def test_control_endpoint_sets_short_lifetimes_and_revokes(sandbox: Sandbox) -> None:
    """What a person (or the demo) uses against a background sandbox: no Python access."""

    def post(body: dict[str, object]) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 - the sandbox's loopback URL
            f"{sandbox.idc_url}/_sandbox/signin", data=json.dumps(body).encode(), method="POST"
        )
        with NO_REDIRECTS.open(request, timeout=10) as answer:
            result: dict[str, Any] = json.loads(answer.read())
            return result

    settings = post({"access_seconds": 60, "auto_approve": True})
    assert settings["access_seconds"] == 60 and settings["auto_approve"] is True
    assert sandbox.identity_center.signin.settings.access_seconds == 60
    with pytest.raises(urllib.error.HTTPError) as refused:
        post({"access_seconds": 0})
    assert refused.value.code == 400
    assert "revoked" in post({"revoke_all": True})
