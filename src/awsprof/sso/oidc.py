"""The IAM Identity Center OIDC calls both login flows make, and the cached client registration.

The calls go through an unsigned botocore ``sso-oidc`` client (endpoints, retries and error
parsing are botocore's). Errors come back as :class:`OidcError` carrying the service's own name
(``AuthorizationPendingException``, ``SlowDownException``, ...), because the flows branch on it.

A client registration is cached where the AWS CLI v2 caches it: for an sso-session, under
``sha1(json.dumps({"tool": "botocore", "startUrl", "region", "scopes", "session_name"},
sort_keys=True))``; for a legacy profile under ``botocore-client-id-{region}``. The entry also
records the grant types it was registered for, so a registration made for one flow is never used
for the other (the service would refuse it); such an entry is replaced.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from awsprof.credentials import UTC, format_iso, parse_expiration
from awsprof.errors import ServiceError
from awsprof.files.jsoncache import JsonCache, sha1_key
from awsprof.sso.session import DEFAULT_SCOPES, SessionSettings

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
CODE_GRANT = "authorization_code"
REFRESH_GRANT = "refresh_token"
PKCE_GRANTS = (CODE_GRANT, REFRESH_GRANT)
REDIRECT_PATH = "/oauth/callback"
# Registered without a port: the service accepts any loopback port for it (RFC 8252).
REGISTERED_REDIRECT = f"http://127.0.0.1{REDIRECT_PATH}"
# A registration with less than this left counts as expired (the AWS CLI's window).
REGISTRATION_WINDOW = dt.timedelta(minutes=15)


class OidcError(Exception):
    """The OIDC service refused a call; ``code`` is its exception name."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Registration:
    client_id: str
    client_secret: str = field(repr=False)
    expires_at: dt.datetime
    scopes: tuple[str, ...] = ()
    grant_types: tuple[str, ...] = ()

    def usable(self, now: dt.datetime) -> bool:
        return self.expires_at - now >= REGISTRATION_WINDOW

    def to_cache(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "clientId": self.client_id,
            "clientSecret": self.client_secret,
            "expiresAt": format_iso(self.expires_at),
        }
        if self.scopes:
            entry["scopes"] = list(self.scopes)
        if self.grant_types:
            entry["grantTypes"] = list(self.grant_types)
        return entry

    @classmethod
    def from_cache(cls, entry: dict[str, Any]) -> Registration | None:
        try:
            return cls(
                str(entry["clientId"]),
                str(entry["clientSecret"]),
                parse_expiration(str(entry["expiresAt"])),
                tuple(entry.get("scopes") or ()),
                tuple(entry.get("grantTypes") or ()),
            )
        except (KeyError, TypeError, ValueError):
            return None


def registration_key(settings: SessionSettings) -> str:
    if settings.name is None:
        return f"botocore-client-id-{settings.region}"
    arguments = {
        "tool": "botocore",
        "startUrl": settings.start_url,
        "region": settings.region,
        "scopes": list(settings.scopes),
        "session_name": settings.name,
    }
    return sha1_key(json.dumps(arguments, sort_keys=True))


def call(function: Any, **kwargs: Any) -> dict[str, Any]:
    """One OIDC call; service refusals become :class:`OidcError`, transport failures exit 6."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        result: dict[str, Any] = function(**kwargs)
    except ClientError as error:
        details = error.response.get("Error", {})
        code = details.get("Code", "Unknown")
        raise OidcError(code, details.get("Message") or code) from None
    except BotoCoreError as error:
        raise ServiceError(f"IAM Identity Center could not be reached: {error}") from None
    return result


def client_name(settings: SessionSettings) -> str:
    return f"botocore-client-{settings.name or 'legacy'}"


def register(oidc: Any, settings: SessionSettings, pkce: bool) -> Registration:
    arguments: dict[str, Any] = {"clientName": client_name(settings), "clientType": "public"}
    scopes = settings.scopes
    if pkce:
        scopes = scopes or DEFAULT_SCOPES
        arguments.update(
            grantTypes=list(PKCE_GRANTS),
            redirectUris=[REGISTERED_REDIRECT],
            issuerUrl=settings.start_url,
        )
    if scopes:
        arguments["scopes"] = list(scopes)
    try:
        answer = call(oidc.register_client, **arguments)
    except OidcError as error:
        raise ServiceError(f"IAM Identity Center refused to register a client: {error}") from None
    return Registration(
        answer["clientId"],
        answer["clientSecret"],
        dt.datetime.fromtimestamp(int(answer["clientSecretExpiresAt"]), UTC),
        tuple(scopes),
        PKCE_GRANTS if pkce else (),
    )


def registration(
    oidc: Any, cache: JsonCache, settings: SessionSettings, pkce: bool, now: dt.datetime
) -> Registration:
    """A usable registration for this flow: the cached one, or a new one (then cached)."""
    key = registration_key(settings)
    entry = cache.get(key)
    cached = Registration.from_cache(entry) if entry is not None else None
    if cached is not None and cached.usable(now) and (CODE_GRANT in cached.grant_types) == pkce:
        return cached
    fresh = register(oidc, settings, pkce)
    cache.put(key, fresh.to_cache())
    return fresh
