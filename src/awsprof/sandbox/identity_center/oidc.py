"""The OIDC half of IAM Identity Center: client registration, both login flows and token grants.

Answers follow the service model botocore ships (``sso-oidc``): JSON bodies in camelCase, errors
named as botocore's exceptions, PKCE S256 checked, refresh tokens only for clients registered with
scopes, and refresh tokens rotated on use (an old one is refused), as the real service does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from awsprof.sandbox.identity_center.model import (
    CODE_GRANT,
    DEVICE_GRANT,
    GRANT_TYPES,
    AuthorizationCode,
    AuthorizeRequest,
    Client,
    DeviceAuthorization,
    Store,
    Token,
    new_secret,
    new_user_code,
    oidc_error,
)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


def _text(body: dict[str, Any], name: str, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise oidc_error("InvalidRequestException", f"{name} is required")
        return None
    if not isinstance(value, str):
        raise oidc_error("InvalidRequestException", f"{name} must be a string")
    return value


def _strings(body: dict[str, Any], name: str) -> tuple[str, ...]:
    value = body.get(name) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise oidc_error("InvalidRequestException", f"{name} must be a list of strings")
    return tuple(value)


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _is_loopback_redirect(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and (parts.hostname or "") in LOOPBACK_HOSTS


def _same_redirect_ignoring_port(uri: str, registered: str) -> bool:
    """RFC 8252: a loopback redirect matches a registered one whatever its port."""
    a, b = urlsplit(uri), urlsplit(registered)
    return (a.scheme, a.hostname, a.path) == (b.scheme, b.hostname, b.path)


@dataclass
class Oidc:
    store: Store
    start_url: str
    base_url: str = ""  # set once the server knows its port

    # -- RegisterClient ---------------------------------------------------------------------
    def register_client(self, body: dict[str, Any]) -> dict[str, Any]:
        name = _text(body, "clientName")
        client_type = _text(body, "clientType")
        if client_type != "public":
            raise oidc_error("InvalidClientMetadataException", "clientType must be public")
        scopes = _strings(body, "scopes")
        grant_types = _strings(body, "grantTypes")
        redirect_uris = _strings(body, "redirectUris")
        unknown = [g for g in grant_types if g not in GRANT_TYPES]
        if unknown:
            raise oidc_error("UnsupportedGrantTypeException", f"unsupported grant {unknown[0]}")
        if CODE_GRANT in grant_types:
            issuer = _text(body, "issuerUrl")
            if issuer != self.start_url:
                raise oidc_error("InvalidRequestException", "issuerUrl is not a known start URL")
            if not redirect_uris or not all(_is_loopback_redirect(u) for u in redirect_uris):
                raise oidc_error(
                    "InvalidRedirectUriException", "redirect URIs must be http loopback URIs"
                )
        with self.store.lock:
            now = int(self.store.now())
            client = Client(
                client_id=new_secret("sandbox-client-", 16),
                client_secret=new_secret("sandbox-secret-", 96),
                name=name or "",
                scopes=scopes,
                grant_types=grant_types,
                redirect_uris=redirect_uris,
                issued_at=now,
                expires_at=now + self.store.settings.registration_seconds,
            )
            self.store.clients[client.client_id] = client
        return {
            "clientId": client.client_id,
            "clientSecret": client.client_secret,
            "clientIdIssuedAt": client.issued_at,
            "clientSecretExpiresAt": client.expires_at,
        }

    def _client(self, body: dict[str, Any]) -> Client:
        client_id = _text(body, "clientId")
        secret = _text(body, "clientSecret")
        client = self.store.clients.get(client_id or "")
        if client is None or not hmac.compare_digest(client.client_secret, secret or ""):
            raise oidc_error("InvalidClientException", "Client authentication failed")
        if client.expires_at <= self.store.now():
            raise oidc_error("InvalidClientException", "Client registration has expired")
        return client

    # -- StartDeviceAuthorization -----------------------------------------------------------
    def start_device_authorization(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            client = self._client(body)
            if _text(body, "startUrl") != self.start_url:
                raise oidc_error("InvalidRequestException", "startUrl is not a known start URL")
            settings = self.store.settings
            device = DeviceAuthorization(
                device_code=new_secret("sandbox-device-", 48),
                user_code=new_user_code(),
                client_id=client.client_id,
                expires_at=self.store.now() + settings.device_code_seconds,
                interval=settings.poll_interval_seconds,
                status="approved" if settings.auto_approve else "pending",
            )
            self.store.devices[device.device_code] = device
        return {
            "deviceCode": device.device_code,
            "userCode": device.user_code,
            "verificationUri": f"{self.base_url}/device",
            "verificationUriComplete": f"{self.base_url}/device?user_code={device.user_code}",
            "expiresIn": self.store.settings.device_code_seconds,
            "interval": device.interval,
        }

    def device_by_user_code(self, user_code: str) -> DeviceAuthorization | None:
        wanted = user_code.strip().upper()
        with self.store.lock:
            for device in self.store.devices.values():
                if device.user_code == wanted and device.expires_at > self.store.now():
                    return device
        return None

    def decide_device(self, user_code: str, allow: bool) -> bool:
        """The person's answer on the verification page; False if the code is unknown or used."""
        with self.store.lock:
            device = self.device_by_user_code(user_code)
            if device is None or device.status != "pending":
                return False
            device.status = "approved" if allow else "denied"
            return True

    # -- /authorize (authorization code + PKCE) ---------------------------------------------
    def begin_authorize(self, params: dict[str, str]) -> AuthorizeRequest:
        """Validate an authorize request; ApiError (shown as a page) when it cannot proceed."""
        with self.store.lock:
            client = self.store.clients.get(params.get("client_id", ""))
            if client is None or client.expires_at <= self.store.now():
                raise oidc_error("InvalidClientException", "Unknown or expired client_id")
            if CODE_GRANT not in client.grant_types:
                raise oidc_error("UnauthorizedClientException", "client may not use this flow")
            redirect_uri = params.get("redirect_uri", "")
            if not _is_loopback_redirect(redirect_uri) or not any(
                _same_redirect_ignoring_port(redirect_uri, r) for r in client.redirect_uris
            ):
                raise oidc_error("InvalidRedirectUriException", "redirect_uri is not registered")
            if params.get("response_type") != "code":
                raise oidc_error("InvalidRequestException", "response_type must be code")
            if params.get("code_challenge_method") != "S256" or not params.get("code_challenge"):
                raise oidc_error("InvalidRequestException", "a S256 code_challenge is required")
            if not params.get("state"):
                raise oidc_error("InvalidRequestException", "state is required")
            scopes = tuple(params.get("scopes", "").split()) or client.scopes
            request = AuthorizeRequest(
                request_id=uuid.uuid4().hex,
                client_id=client.client_id,
                redirect_uri=redirect_uri,
                state=params["state"],
                code_challenge=params["code_challenge"],
                scopes=scopes,
                created_at=self.store.now(),
            )
            self.store.authorize_requests[request.request_id] = request
            return request

    def decide_authorize(self, request_id: str, allow: bool) -> str | None:
        """The person's answer; returns the redirect URL (with code or error) or None if unknown."""
        with self.store.lock:
            request = self.store.authorize_requests.get(request_id)
            if request is None or request.status != "pending":
                return None
            if not allow:
                request.status = "denied"
                query = {"error": "access_denied", "state": request.state}
                return f"{request.redirect_uri}?{urlencode(query)}"
            request.status = "approved"
            code = AuthorizationCode(
                code=new_secret("sandbox-code-", 32),
                client_id=request.client_id,
                redirect_uri=request.redirect_uri,
                code_challenge=request.code_challenge,
                scopes=request.scopes,
                expires_at=self.store.now() + self.store.settings.authorization_code_seconds,
            )
            self.store.codes[code.code] = code
            return (
                f"{request.redirect_uri}?{urlencode({'code': code.code, 'state': request.state})}"
            )

    # -- CreateToken ------------------------------------------------------------------------
    def create_token(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.store.lock:
            client = self._client(body)
            grant = _text(body, "grantType")
            if grant not in GRANT_TYPES:
                raise oidc_error("UnsupportedGrantTypeException", f"unsupported grant {grant}")
            if grant == DEVICE_GRANT:
                return self._device_grant(client, body)
            if grant == CODE_GRANT:
                return self._code_grant(client, body)
            return self._refresh_grant(client, body)

    def _device_grant(self, client: Client, body: dict[str, Any]) -> dict[str, Any]:
        device = self.store.devices.get(_text(body, "deviceCode") or "")
        if device is None or device.client_id != client.client_id or device.status == "used":
            raise oidc_error("InvalidGrantException", "Invalid device code provided")
        now = self.store.now()
        if device.expires_at <= now:
            raise oidc_error("ExpiredTokenException", "Device code has expired")
        if device.status == "denied":
            raise oidc_error("AccessDeniedException", "The user denied the authorization")
        if device.status == "pending":
            too_fast = device.last_poll is not None and now - device.last_poll < device.interval
            device.last_poll = now
            if too_fast:
                raise oidc_error("SlowDownException", "Client is polling too fast")
            raise oidc_error("AuthorizationPendingException", "Authorization is still pending")
        device.status = "used"
        return self._issue(client, client.scopes, session_id=None)

    def _code_grant(self, client: Client, body: dict[str, Any]) -> dict[str, Any]:
        code = self.store.codes.get(_text(body, "code") or "")
        if code is None or code.used or code.client_id != client.client_id:
            raise oidc_error("InvalidGrantException", "Invalid authorization code provided")
        code.used = True  # one attempt per code, right or wrong (no verifier guessing)
        if code.expires_at <= self.store.now():
            raise oidc_error("InvalidGrantException", "Authorization code has expired")
        if _text(body, "redirectUri", required=False) != code.redirect_uri:
            raise oidc_error("InvalidGrantException", "redirectUri does not match")
        verifier = _text(body, "codeVerifier", required=False) or ""
        if not hmac.compare_digest(pkce_challenge(verifier), code.code_challenge):
            raise oidc_error("InvalidGrantException", "PKCE code verifier does not match")
        return self._issue(client, code.scopes, session_id=None)

    def _refresh_grant(self, client: Client, body: dict[str, Any]) -> dict[str, Any]:
        old = self.store.tokens.get(_text(body, "refreshToken") or "")
        if (
            old is None
            or old.kind != "refresh"
            or old.client_id != client.client_id
            or old.revoked
            or old.expires_at <= self.store.now()
        ):
            raise oidc_error("InvalidGrantException", "Invalid refresh token provided")
        old.revoked = True  # rotation: a refresh token works once
        return self._issue(client, old.scopes, session_id=old.session_id)

    def _issue(
        self, client: Client, scopes: tuple[str, ...], session_id: str | None
    ) -> dict[str, Any]:
        settings = self.store.settings
        now = self.store.now()
        session_id = session_id or uuid.uuid4().hex
        access = Token(
            value=new_secret("aoa", 96),
            kind="access",
            client_id=client.client_id,
            session_id=session_id,
            scopes=scopes,
            expires_at=now + settings.access_token_seconds,
        )
        self.store.tokens[access.value] = access
        answer: dict[str, Any] = {
            "accessToken": access.value,
            "tokenType": "Bearer",
            "expiresIn": settings.access_token_seconds,
        }
        if client.scopes:
            refresh = Token(
                value=new_secret("aor", 96),
                kind="refresh",
                client_id=client.client_id,
                session_id=session_id,
                scopes=scopes,
                expires_at=now + settings.refresh_token_seconds,
            )
            self.store.tokens[refresh.value] = refresh
            answer["refreshToken"] = refresh.value
        return answer

    # -- test and demo controls -------------------------------------------------------------
    def approve_pending(self, user_code: str | None = None) -> list[str]:
        """Approve pending device authorizations (one by user code, or all); returns user codes."""
        approved = []
        with self.store.lock:
            for device in self.store.devices.values():
                if device.status != "pending" or device.expires_at <= self.store.now():
                    continue
                if user_code is None or device.user_code == user_code.strip().upper():
                    device.status = "approved"
                    approved.append(device.user_code)
        return approved

    def expire(self, access: bool, refresh: bool, registrations: bool) -> int:
        """Make live tokens (or client registrations) expire now; returns how many changed."""
        changed = 0
        with self.store.lock:
            past = self.store.now() - 1
            for token in self.store.tokens.values():
                if token.expires_at > past and (
                    (token.kind == "access" and access) or (token.kind == "refresh" and refresh)
                ):
                    token.expires_at = past
                    changed += 1
            if registrations:
                for client in self.store.clients.values():
                    client.expires_at = int(past)
                    changed += 1
        return changed
