"""The portal half of IAM Identity Center (accounts, roles, role credentials, logout) and the
federation sign-in endpoint used for console URLs.

Role credentials are real moto credentials: the portal asks a ``CredentialSource`` to assume the
account's ``AWSReservedSSO_*`` role, so GetCallerIdentity answers with the ARN shape of real SSO.
Extra synthetic accounts (for populate benchmarks) are computed per page, never stored. Tests
change the organisation through ``renamed``, ``closed`` and ``assigned`` (populate as a sync), and
``Settings.requests_per_second`` makes every portal call pass a token bucket, as the real
service's rate limit does.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from awsprof.sandbox import accounts as world
from awsprof.sandbox.identity_center.model import ApiError, Store, Token, new_secret, unauthorized

SIGNIN_TOKEN_SECONDS = 15 * 60


@dataclass(frozen=True)
class RoleCredentials:
    access_key_id: str
    secret_access_key: str
    session_token: str
    expiration_ms: int


class CredentialSource(Protocol):
    """What the portal needs from the emulated AWS behind it."""

    def role_credentials(
        self, account_id: str, permission_set: str, user: str, seconds: int
    ) -> RoleCredentials: ...

    def caller_arn(self, access_key_id: str, secret_access_key: str, session_token: str) -> str:
        """The ARN of these credentials, or raise ApiError when AWS refuses them."""
        ...


def _encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def _decode_offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token.encode()).decode()
        kind, _, number = text.partition(":")
        if kind != "offset":
            raise ValueError(kind)
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise ApiError(400, "InvalidRequestException", "Invalid next token") from error


def _page_size(max_result: str | None, default: int) -> int:
    if max_result is None or max_result == "":
        return default
    try:
        size = int(max_result)
    except ValueError as error:
        raise ApiError(400, "InvalidRequestException", "max_result must be a number") from error
    if not 1 <= size <= 100:
        raise ApiError(400, "InvalidRequestException", "max_result must be between 1 and 100")
    return size


@dataclass
class Portal:
    store: Store
    source: CredentialSource
    extra_accounts: int = 0
    user: str = world.SSO_USER
    renamed: dict[str, str] = field(default_factory=dict)  # account ID -> its new name
    closed: set[str] = field(default_factory=set)  # account IDs no longer listed
    assigned: dict[str, tuple[str, ...]] = field(default_factory=dict)  # more permission sets
    _tokens: float = 0.0  # the throttle's token bucket
    _refilled: float | None = None

    def _assigned(self) -> list[world.Account]:
        accounts = [
            a
            for a in world.ACCOUNTS
            if (a.account_id in world.ASSIGNMENTS or a.account_id in self.assigned)
            and a.account_id not in self.closed
        ]
        return [
            world.Account(a.account_id, a.alias, self.renamed[a.account_id], a.email)
            if a.account_id in self.renamed
            else a
            for a in accounts
        ]

    def reset_organisation(self) -> None:
        self.renamed.clear()
        self.closed.clear()
        self.assigned.clear()

    def account_count(self) -> int:
        return len(self._assigned()) + self.extra_accounts

    def _account_at(self, index: int) -> world.Account:
        assigned = self._assigned()
        if index < len(assigned):
            return assigned[index]
        return world.synthetic_account(index - len(assigned) + 1)

    def _permission_sets(self, account_id: str) -> tuple[str, ...]:
        if account_id in self.closed:
            return ()
        if account_id in world.ASSIGNMENTS or account_id in self.assigned:
            return world.ASSIGNMENTS.get(account_id, ()) + self.assigned.get(account_id, ())
        if account_id.startswith("7") and self.extra_accounts:
            index = int(account_id) - 700000000000
            if 1 <= index <= self.extra_accounts:
                return world.SYNTHETIC_PERMISSION_SETS
        return ()

    def authenticate(self, bearer: str | None) -> Token:
        with self.store.lock:
            token = self.store.tokens.get(bearer or "")
            if (
                token is None
                or token.kind != "access"
                or token.revoked
                or token.expires_at <= self.store.now()
            ):
                raise unauthorized()
            return token

    def throttle(self) -> None:
        with self.store.lock:
            settings = self.store.settings
            if settings.throttle_next > 0:
                settings.throttle_next -= 1
                raise ApiError(429, "TooManyRequestsException", "Rate exceeded")
            rate = settings.requests_per_second
            if rate <= 0:
                self._refilled = None
                return
            capacity = float(settings.burst or rate)
            now = time.monotonic()
            if self._refilled is None:
                self._tokens = capacity  # a bucket starts full
            else:
                self._tokens = min(capacity, self._tokens + (now - self._refilled) * rate)
            self._refilled = now
            if self._tokens < 1.0:
                raise ApiError(429, "TooManyRequestsException", "Rate exceeded")
            self._tokens -= 1.0

    def list_accounts(
        self, bearer: str | None, next_token: str | None, max_result: str | None
    ) -> dict[str, Any]:
        self.authenticate(bearer)
        start = _decode_offset(next_token)
        size = _page_size(max_result, self.store.settings.page_size)
        end = min(start + size, self.account_count())
        page = [self._account_at(i) for i in range(start, end)]
        answer: dict[str, Any] = {
            "accountList": [
                {"accountId": a.account_id, "accountName": a.name, "emailAddress": a.email}
                for a in page
            ]
        }
        if end < self.account_count():
            answer["nextToken"] = _encode_offset(end)
        return answer

    def list_account_roles(
        self,
        bearer: str | None,
        account_id: str | None,
        next_token: str | None,
        max_result: str | None,
    ) -> dict[str, Any]:
        self.authenticate(bearer)
        if not account_id:
            raise ApiError(400, "InvalidRequestException", "account_id is required")
        roles = self._permission_sets(account_id)
        start = _decode_offset(next_token)
        end = min(start + _page_size(max_result, self.store.settings.page_size), len(roles))
        answer: dict[str, Any] = {
            "roleList": [{"roleName": r, "accountId": account_id} for r in roles[start:end]]
        }
        if end < len(roles):
            answer["nextToken"] = _encode_offset(end)
        return answer

    def get_role_credentials(
        self, bearer: str | None, role_name: str | None, account_id: str | None
    ) -> dict[str, Any]:
        self.authenticate(bearer)
        if not role_name or not account_id:
            raise ApiError(400, "InvalidRequestException", "role_name and account_id are required")
        if role_name not in self._permission_sets(account_id):
            # What the real portal answers for an account or role not assigned to the user.
            raise ApiError(403, "ForbiddenException", "No access")
        seconds = self.store.settings.role_credentials_seconds
        credentials = self.source.role_credentials(account_id, role_name, self.user, seconds)
        return {
            "roleCredentials": {
                "accessKeyId": credentials.access_key_id,
                "secretAccessKey": credentials.secret_access_key,
                "sessionToken": credentials.session_token,
                "expiration": credentials.expiration_ms,
            }
        }

    def logout(self, bearer: str | None) -> None:
        token = self.authenticate(bearer)
        with self.store.lock:
            for other in self.store.tokens.values():
                if other.session_id == token.session_id:
                    other.revoked = True

    # -- federation (console sign-in) -------------------------------------------------------
    def get_signin_token(self, session_json: str | None) -> dict[str, str]:
        try:
            session = json.loads(session_json or "")
            keys = (session["sessionId"], session["sessionKey"], session["sessionToken"])
        except (ValueError, KeyError, TypeError) as error:
            raise ApiError(
                400,
                "InvalidRequestException",
                "Session must be JSON with sessionId, sessionKey and sessionToken",
            ) from error
        if not all(isinstance(k, str) and k for k in keys):
            raise ApiError(400, "InvalidRequestException", "temporary credentials are required")
        arn = self.source.caller_arn(*keys)
        token = new_secret("sandbox-signin-", 64)
        with self.store.lock:
            self.store.signin_tokens[token] = (arn, self.store.now() + SIGNIN_TOKEN_SECONDS)
        return {"SigninToken": token}

    def redeem_signin_token(self, token: str | None) -> str | None:
        """The ARN a sign-in token was issued for, once; None if unknown, used or expired."""
        with self.store.lock:
            entry = self.store.signin_tokens.pop(token or "", None)
            if entry is None or entry[1] <= self.store.now():
                return None
            self.store.console_signins.append(entry[0])
            return entry[0]
