"""The Identity Center emulator's state: settings, records and the errors of the real wire format.

Everything lives in memory behind one lock (a login is a handful of records). Times are epoch
seconds from an injectable clock so tests can move time instead of sleeping.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, fields

# OAuth error strings that the OIDC exceptions carry in their `error` member.
OAUTH_ERRORS = {
    "AuthorizationPendingException": "authorization_pending",
    "SlowDownException": "slow_down",
    "ExpiredTokenException": "expired_token",
    "InvalidGrantException": "invalid_grant",
    "AccessDeniedException": "access_denied",
    "InvalidClientException": "invalid_client",
    "InvalidRequestException": "invalid_request",
    "InvalidScopeException": "invalid_scope",
    "UnauthorizedClientException": "unauthorized_client",
    "UnsupportedGrantTypeException": "unsupported_grant_type",
    "InvalidClientMetadataException": "invalid_client_metadata",
    "InvalidRedirectUriException": "invalid_redirect_uri",
}

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
CODE_GRANT = "authorization_code"
REFRESH_GRANT = "refresh_token"
GRANT_TYPES = frozenset({DEVICE_GRANT, CODE_GRANT, REFRESH_GRANT})


class ApiError(Exception):
    """An error answer: HTTP status, the AWS error code and a description for people."""

    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(f"{code}: {description}")
        self.status = status
        self.code = code
        self.description = description


def oidc_error(code: str, description: str) -> ApiError:
    # The OIDC model gives InvalidClientException 401 and every other exception 400.
    return ApiError(401 if code == "InvalidClientException" else 400, code, description)


def unauthorized() -> ApiError:
    return ApiError(401, "UnauthorizedException", "Session token not found or invalid")


@dataclass
class Settings:
    """Lifetimes (seconds) and switches; tests change them to exercise refresh and expiry."""

    access_token_seconds: int = 8 * 3600
    refresh_token_seconds: int = 90 * 86400
    registration_seconds: int = 90 * 86400
    device_code_seconds: int = 600
    authorization_code_seconds: int = 300
    poll_interval_seconds: int = 1
    role_credentials_seconds: int = 3600
    page_size: int = 20
    # Approve every device authorization and authorize request at once (non-interactive demos).
    auto_approve: bool = False
    # Answer the next N portal requests with TooManyRequestsException.
    throttle_next: int = 0
    # Throttle the portal as the real service does: a token bucket refilled at this many
    # requests per second (0: no limit) holding at most ``burst`` (0: one second's worth);
    # a request that finds it empty gets HTTP 429 TooManyRequestsException.
    requests_per_second: int = 0
    burst: int = 0

    def update(self, values: dict[str, object]) -> None:
        known = {f.name: f.type for f in fields(self)}
        for name, value in values.items():
            if name not in known:
                raise ApiError(400, "InvalidRequestException", f"unknown setting {name}")
            if name == "auto_approve":
                setattr(self, name, bool(value))
            elif isinstance(value, int) and not isinstance(value, bool) and value >= 0:
                setattr(self, name, value)
            else:
                raise ApiError(400, "InvalidRequestException", f"{name} must be an integer >= 0")


@dataclass
class Client:
    client_id: str
    client_secret: str = field(repr=False)
    name: str
    scopes: tuple[str, ...]
    grant_types: tuple[str, ...]
    redirect_uris: tuple[str, ...]
    issued_at: int
    expires_at: int


@dataclass
class DeviceAuthorization:
    device_code: str = field(repr=False)
    user_code: str
    client_id: str
    expires_at: float
    interval: int
    status: str = "pending"  # pending, approved, denied, used
    last_poll: float | None = None


@dataclass
class AuthorizeRequest:
    request_id: str
    client_id: str
    redirect_uri: str
    state: str
    code_challenge: str
    scopes: tuple[str, ...]
    created_at: float
    status: str = "pending"  # pending, approved, denied


@dataclass
class AuthorizationCode:
    code: str = field(repr=False)
    client_id: str
    redirect_uri: str
    code_challenge: str
    scopes: tuple[str, ...]
    expires_at: float
    used: bool = False


@dataclass
class Token:
    """An access or refresh token; both belong to one login session (ended by Logout)."""

    value: str = field(repr=False)
    kind: str  # access or refresh
    client_id: str
    session_id: str
    scopes: tuple[str, ...]
    expires_at: float
    revoked: bool = False


@dataclass(frozen=True)
class LogEntry:
    """One request as the emulator saw it; never holds a secret."""

    time: float
    method: str
    path: str
    operation: str
    status: int
    error: str | None = None
    grant_type: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def new_secret(prefix: str, size: int = 48) -> str:
    return prefix + secrets.token_urlsafe(size)


USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ"


def new_user_code() -> str:
    letters = "".join(secrets.choice(USER_CODE_ALPHABET) for _ in range(8))
    return f"{letters[:4]}-{letters[4:]}"


@dataclass
class Store:
    """All records, guarded by ``lock``; ``clock`` returns epoch seconds."""

    clock: Callable[[], float] = time.time
    settings: Settings = field(default_factory=Settings)
    lock: threading.RLock = field(default_factory=threading.RLock)
    clients: dict[str, Client] = field(default_factory=dict)
    devices: dict[str, DeviceAuthorization] = field(default_factory=dict)
    authorize_requests: dict[str, AuthorizeRequest] = field(default_factory=dict)
    codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    signin_tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    # Every console sign-in that succeeded: the role ARN it signed in as (no secret).
    console_signins: list[str] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)

    def now(self) -> float:
        return self.clock()
