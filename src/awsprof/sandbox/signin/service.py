"""An emulated AWS Sign-In for ``aws login`` (console credentials for developer tools).

The wire format is botocore's ``signin`` model: ``GET /v1/authorize`` (the page a person approves),
``POST /v1/token`` (``CreateOAuth2Token``: the body is the ``tokenInput`` structure, the answer the
``tokenOutput`` one) with a DPoP proof in the ``DPoP`` header, and
``POST /v1/revoke?x-amz-client-auth-method=iam``. Every token call's proof is verified (signature
with the jwk of the header, htm, htu, iat, jti never reused); a refresh token only works with the
key it was issued to. The credentials are a sandbox identity's (an Identity Center role in moto),
with an ``expiresIn`` the tests can make short.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from awsprof.sandbox import accounts as world
from awsprof.sandbox.identity_center.model import ApiError
from awsprof.sandbox.identity_center.portal import CredentialSource
from awsprof.sandbox.signin import dpop

SAME_DEVICE = "arn:aws:signin:::devtools/same-device"
CROSS_DEVICE = "arn:aws:signin:::devtools/cross-device"
CONFIRMATION_PATH = "/v1/sessions/confirmation"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]"})


@dataclass
class SigninSettings:
    access_seconds: int = 900  # AWS: at most 15 minutes
    session_seconds: int = 12 * 3600  # how long refresh tokens of one login work
    code_seconds: int = 300
    proof_max_age: int = 300
    auto_approve: bool = False

    def update(self, values: dict[str, object]) -> None:
        """Settings from the control endpoint: known names, integers >= 1 (or a boolean)."""
        for name, value in values.items():
            if name not in vars(self):
                raise ApiError(400, "InvalidRequestException", f"unknown setting {name}")
            if name == "auto_approve":
                setattr(self, name, bool(value))
            elif isinstance(value, int) and not isinstance(value, bool) and value >= 1:
                setattr(self, name, value)
            else:
                raise ApiError(400, "InvalidRequestException", f"{name} must be an integer >= 1")


@dataclass
class _Pending:
    client_id: str
    redirect_uri: str
    state: str
    challenge: str


@dataclass
class _Code:
    client_id: str
    redirect_uri: str
    challenge: str
    identity: tuple[str, str]  # account ID, permission set
    expires_at: float


@dataclass
class SigninSession:
    identity: tuple[str, str]
    jkt: str  # the DPoP key the tokens are bound to
    expires_at: float
    arn: str = ""
    revoked: bool = False
    refresh_tokens: set[str] = field(default_factory=set)
    access_key_ids: set[str] = field(default_factory=set)


def identities() -> list[tuple[str, str]]:
    """Who can sign in: each assignment of the Identity Center user (sandbox admin first)."""
    return [(account, ps) for account, sets in world.ASSIGNMENTS.items() for ps in sets]


def _b64url_json(value: dict[str, Any]) -> str:
    return dpop.b64url(json.dumps(value, separators=(",", ":")).encode())


class Signin:
    """State and operations; the WSGI routes live in the Identity Center app (same host)."""

    def __init__(self, source: CredentialSource, clock: Callable[[], float] = time.time) -> None:
        self.source = source
        self.clock = clock
        self.settings = SigninSettings()
        self.lock = threading.RLock()
        self._pending: dict[str, _Pending] = {}
        self._codes: dict[str, _Code] = {}
        self._sessions: dict[str, SigninSession] = {}
        self._refresh: dict[str, str] = {}  # refresh token -> session ID
        self._seen_jti: dict[str, float] = {}
        self._id_key = secrets.token_bytes(32)
        self.grants: list[str] = []  # each successful grant, in order (tests count refreshes)

    # -- authorize ----------------------------------------------------------------------------
    def begin_authorize(self, args: dict[str, str], base_url: str) -> str:
        """Validate the authorize request; returns the request ID the approval form carries."""
        client_id = args.get("client_id", "")
        redirect = args.get("redirect_uri", "")
        if args.get("response_type") != "code" or client_id not in (SAME_DEVICE, CROSS_DEVICE):
            raise _invalid("response_type must be code and client_id a devtools client")
        if args.get("code_challenge_method") != "SHA-256" or not args.get("code_challenge"):
            raise _invalid("a SHA-256 code_challenge is required")
        if not args.get("state"):
            raise _invalid("state is required")
        parts = urllib.parse.urlsplit(redirect)
        if client_id == SAME_DEVICE:
            if (
                parts.scheme != "http"
                or parts.hostname is None
                or parts.netloc.rsplit(":", 1)[0] not in LOOPBACK_HOSTS
            ):
                raise _invalid("redirect_uri must be a loopback URL")
        elif redirect != base_url.rstrip("/") + CONFIRMATION_PATH:
            raise _invalid("redirect_uri must be the confirmation page")
        request_id = secrets.token_urlsafe(16)
        with self.lock:
            self._pending[request_id] = _Pending(
                client_id, redirect, args["state"], args["code_challenge"]
            )
        return request_id

    def decide(self, request_id: str, allow: bool, identity: tuple[str, str]) -> str | None:
        """The redirect after the person's answer, or None for an unknown request."""
        with self.lock:
            pending = self._pending.pop(request_id, None)
            if pending is None:
                return None
            if allow and identity not in identities():
                allow = False
            if allow:
                code = secrets.token_urlsafe(32)
                self._codes[code] = _Code(
                    pending.client_id,
                    pending.redirect_uri,
                    pending.challenge,
                    identity,
                    self.clock() + self.settings.code_seconds,
                )
                query = {"code": code, "state": pending.state}
            else:
                query = {"error": "access_denied", "state": pending.state}
        return f"{pending.redirect_uri}?{urllib.parse.urlencode(query)}"

    @staticmethod
    def verification_code(code: str, state: str) -> str:
        """What the cross-device confirmation page shows, for pasting into the CLI."""
        query = urllib.parse.urlencode({"state": state, "code": code})
        return base64.b64encode(query.encode()).decode()

    # -- token --------------------------------------------------------------------------------
    def _check_proof(self, proof: str | None, url: str) -> dpop.Proof:
        now = self.clock()
        try:
            checked = dpop.verify(proof, "POST", url, now, self.settings.proof_max_age)
        except dpop.ProofError as error:
            raise _invalid(str(error)) from None
        with self.lock:
            self._seen_jti = {j: t for j, t in self._seen_jti.items() if t > now}
            if checked.jti in self._seen_jti:
                raise _invalid("the DPoP jti was already used")
            self._seen_jti[checked.jti] = now + 2 * self.settings.proof_max_age
        return checked

    def create_token(self, body: dict[str, Any], proof: str | None, url: str) -> dict[str, Any]:
        checked = self._check_proof(proof, url)
        grant, client_id = body.get("grantType"), body.get("clientId")
        if client_id not in (SAME_DEVICE, CROSS_DEVICE):
            raise _invalid("clientId is not a devtools client")
        if grant == "authorization_code":
            session_id, session = self._redeem_code(body, client_id, checked)
        elif grant == "refresh_token":
            session_id, session = self._use_refresh(body, checked)
        else:
            raise _invalid("grantType must be authorization_code or refresh_token")
        answer = self._issue(session_id, session)
        if grant == "authorization_code":
            answer["idToken"] = self._id_token(session, client_id)
        with self.lock:
            self.grants.append(str(grant))
        return answer

    def _redeem_code(
        self, body: dict[str, Any], client_id: str, proof: dpop.Proof
    ) -> tuple[str, SigninSession]:
        with self.lock:
            code = self._codes.pop(str(body.get("code", "")), None)
        if code is None or code.expires_at <= self.clock():
            raise _denied("AUTHCODE_EXPIRED", "The authorization code is invalid or expired.")
        verifier = str(body.get("codeVerifier", ""))
        digest = dpop.b64url(hashlib.sha256(verifier.encode()).digest())
        if code.client_id != client_id or not hmac.compare_digest(digest, code.challenge):
            raise _invalid("the code verifier does not match")
        if code.client_id == SAME_DEVICE and body.get("redirectUri") != code.redirect_uri:
            raise _invalid("redirectUri differs from the authorize one")
        session = SigninSession(
            code.identity, proof.jkt, self.clock() + self.settings.session_seconds
        )
        session_id = secrets.token_hex(8)
        with self.lock:
            self._sessions[session_id] = session
        return session_id, session

    def _use_refresh(self, body: dict[str, Any], proof: dpop.Proof) -> tuple[str, SigninSession]:
        token = str(body.get("refreshToken", ""))
        with self.lock:
            session_id = self._refresh.get(token)
            session = self._sessions.get(session_id or "")
        if session is None or session.revoked or session.expires_at <= self.clock():
            raise _denied("TOKEN_EXPIRED", "The refresh token is expired or revoked.")
        if not hmac.compare_digest(session.jkt, proof.jkt):
            raise _invalid("the DPoP key is not the token's key")
        assert session_id is not None  # noqa: S101 - found above
        return session_id, session

    def _issue(self, session_id: str, session: SigninSession) -> dict[str, Any]:
        account, permission_set = session.identity
        credentials = self.source.role_credentials(
            account, permission_set, world.SSO_USER, self.settings.access_seconds
        )
        if not session.arn:
            session.arn = self.source.caller_arn(
                credentials.access_key_id, credentials.secret_access_key, credentials.session_token
            )
        refresh = "ASOR" + secrets.token_urlsafe(48)
        with self.lock:
            session.refresh_tokens.add(refresh)
            session.access_key_ids.add(credentials.access_key_id)
            self._refresh[refresh] = session_id
        return {
            "accessToken": {
                "accessKeyId": credentials.access_key_id,
                "secretAccessKey": credentials.secret_access_key,
                "sessionToken": credentials.session_token,
            },
            "tokenType": "aws_sigv4",
            "expiresIn": self.settings.access_seconds,
            "refreshToken": refresh,
        }

    def _id_token(self, session: SigninSession, client_id: str) -> str:
        now = int(self.clock())
        claims = {"sub": session.arn, "aud": client_id, "iat": now, "exp": now + 900}
        signing_input = f"{_b64url_json({'alg': 'HS256', 'typ': 'JWT'})}.{_b64url_json(claims)}"
        mac = hmac.new(self._id_key, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{dpop.b64url(mac)}"

    # -- revocation ---------------------------------------------------------------------------
    def revoke(self, token: str, access_key_id: str | None) -> None:
        """RevokeOAuth2TokenWithIAM: the caller signs with credentials of the same login (the
        signature itself is not checked here). Unknown tokens succeed, as RFC 7009 says."""
        with self.lock:
            session = self._sessions.get(self._refresh.get(token, ""))
            if session is None:
                return
            if access_key_id not in session.access_key_ids:
                raise _denied("INSUFFICIENT_PERMISSIONS", "The caller may not revoke this token.")
            session.revoked = True

    def revoke_all(self) -> int:
        with self.lock:
            live = [s for s in self._sessions.values() if not s.revoked]
            for session in live:
                session.revoked = True
            return len(live)

    def session_for(self, refresh_token: str) -> SigninSession | None:
        with self.lock:
            return self._sessions.get(self._refresh.get(refresh_token, ""))

    def reset(self) -> None:
        with self.lock:
            self.settings = SigninSettings()
            self.grants.clear()


class SigninError(ApiError):
    """An error answer with the model's OAuth ``error`` member (botocore exposes it)."""

    def __init__(self, status: int, code: str, error: str, message: str) -> None:
        super().__init__(status, code, message)
        self.error = error


def _denied(error: str, message: str) -> SigninError:
    return SigninError(403, "AccessDeniedException", error, message)


def _invalid(message: str) -> SigninError:
    return SigninError(400, "ValidationException", "INVALID_REQUEST", message)
