"""The SSO token cache and its single-flight refresh across processes.

The file is the AWS CLI's (``~/.aws/sso/cache/<sha1>.json``, same JSON), so a login by either tool
serves both. What the AWS CLI and botocore get wrong, and this module does not:

- botocore refreshes in every process that finds the token inside the 15-minute window, so
  sixteen parallel ``terraform`` runs make sixteen CreateToken calls and, as the service rotates
  refresh tokens, fifteen of them race to overwrite the file (aws-cli #9632, botocore #3213).
  Here one process refreshes under a per-session lock; the others wait, re-read the cache and use
  its token.
- a token is written only when it is not older than the one on disk (a slow refresher never
  replaces a newer login), atomically, mode 0600.
- a registration with under 15 minutes left is expired: the token is used until it ends, then a
  login is required (no refresh attempt the service would refuse).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from awsprof.credentials import format_iso, parse_expiration
from awsprof.errors import FileWriteError, LoginRequiredError
from awsprof.files.jsoncache import JsonCache

REFRESH_WINDOW = dt.timedelta(minutes=15)
REFRESH_LOCK_TIMEOUT = 120.0
Clock = Callable[[], dt.datetime]
Report = Callable[[str], None]


@dataclass(frozen=True)
class SsoToken:
    """A cached SSO access token and what refreshing it needs (secrets kept out of repr)."""

    start_url: str
    region: str
    access_token: str = field(repr=False)
    expires_at: dt.datetime
    client_id: str | None = None
    client_secret: str | None = field(default=None, repr=False)
    registration_expires_at: dt.datetime | None = None
    refresh_token: str | None = field(default=None, repr=False)

    def fresh(self, now: dt.datetime) -> bool:
        """More than the refresh window left: use it without asking anyone."""
        return self.expires_at - now >= REFRESH_WINDOW

    def usable(self, now: dt.datetime) -> bool:
        return self.expires_at > now

    def refreshable(self, now: dt.datetime) -> bool:
        return bool(
            self.refresh_token
            and self.client_id
            and self.client_secret
            and self.registration_expires_at is not None
            and self.registration_expires_at - now >= REFRESH_WINDOW
        )

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self.access_token, self.refresh_token, self.client_secret) if s)

    def to_cache(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "startUrl": self.start_url,
            "region": self.region,
            "accessToken": self.access_token,
            "expiresAt": format_iso(self.expires_at),
        }
        if self.client_id and self.client_secret:
            entry["clientId"] = self.client_id
            entry["clientSecret"] = self.client_secret
        if self.registration_expires_at is not None:
            entry["registrationExpiresAt"] = format_iso(self.registration_expires_at)
        if self.refresh_token:
            entry["refreshToken"] = self.refresh_token
        return entry

    @classmethod
    def from_cache(cls, entry: dict[str, Any]) -> SsoToken | None:
        def text(key: str) -> str | None:
            # Outside data: a null, number or list is no value (never the text "None").
            value = entry.get(key)
            return value if isinstance(value, str) and value else None

        access_token, expires_at = text("accessToken"), text("expiresAt")
        if access_token is None or expires_at is None:
            return None
        try:
            registration = text("registrationExpiresAt")
            return cls(
                text("startUrl") or "",
                text("region") or "",
                access_token,
                parse_expiration(expires_at),
                text("clientId"),
                text("clientSecret"),
                parse_expiration(registration) if registration else None,
                text("refreshToken"),
            )
        except (TypeError, ValueError, OverflowError):
            return None


def sso_cache_dir(environ: Mapping[str, str]) -> Path:
    """``~/.aws/sso/cache`` under the HOME the AWS CLI uses (no variable moves it)."""
    from awsprof.files import locate

    return Path(locate.home_dir(environ)) / ".aws" / "sso" / "cache"


class TokenCache:
    """One session's token file, its refresh lock and its login lock."""

    def __init__(self, cache: JsonCache, key: str) -> None:
        self.cache = cache
        self.key = key

    @property
    def path(self) -> Path:
        return self.cache.path(self.key)

    def read(self) -> SsoToken | None:
        entry = self.cache.get(self.key)
        return None if entry is None else SsoToken.from_cache(entry)

    def exists(self) -> bool:
        return self.path.exists()

    def modified_at(self) -> float | None:
        try:
            return self.path.stat().st_mtime
        except OSError:
            return None

    def write(self, token: SsoToken) -> None:
        self.cache.put(self.key, token.to_cache(), required=True)  # the login itself

    def write_unless_newer(self, token: SsoToken) -> SsoToken:
        """Write ``token`` unless the file holds a later-expiring one; returns the winner."""
        current = self.read()
        if current is not None and current.expires_at > token.expires_at:
            return current
        self.write(token)
        return token

    def delete(self) -> bool:
        return self.cache.delete(self.key)

    def refresh_lock(
        self, timeout: float = REFRESH_LOCK_TIMEOUT
    ) -> contextlib.AbstractContextManager[None]:
        return self.cache.lock(self.key, timeout)

    @contextlib.contextmanager
    def login_lock(self, timeout: float, waiting: Callable[[], None]) -> Iterator[None]:
        """One login per session across processes. The lock is the kernel's (flock): it is
        released when its holder dies, so a killed login never blocks the next one."""
        import filelock

        from awsprof.files.atomic import ensure_dir

        lock = filelock.FileLock(str(self.cache.directory / f".{self.key}.login.lock"), mode=0o600)
        try:
            ensure_dir(self.cache.directory)
            lock.acquire(timeout=0)
        except filelock.Timeout:
            waiting()
            try:
                lock.acquire(timeout=timeout)
            except filelock.Timeout:
                raise LoginRequiredError(
                    f"another login of this session is still running after {timeout:.0f} s",
                    "Finish or cancel it, then try again.",
                ) from None
        except OSError as error:
            # No place for the lock means no place for the token: say so before the browser.
            raise FileWriteError(
                f"cannot use the SSO cache directory {self.cache.directory}: "
                f"{error.strerror or type(error).__name__}",
                f"Make {self.cache.directory} a writable directory, then log in again.",
            ) from None
        try:
            yield
        finally:
            lock.release()


def from_grant(
    answer: dict[str, Any],
    start_url: str,
    region: str,
    client_id: str,
    client_secret: str,
    registration_expires_at: dt.datetime,
    now: dt.datetime,
    previous_refresh_token: str | None = None,
) -> SsoToken:
    """The cache entry for a CreateToken answer."""
    return SsoToken(
        start_url,
        region,
        answer["accessToken"],
        now + dt.timedelta(seconds=int(answer["expiresIn"])),
        client_id,
        client_secret,
        registration_expires_at,
        answer.get("refreshToken") or previous_refresh_token,
    )


def refresh(
    tokens: TokenCache, oidc: Callable[[], Any], now: Clock, report: Report
) -> SsoToken | None:
    """Refresh once across processes; None when the token cannot be refreshed."""
    from awsprof.sso.oidc import REFRESH_GRANT, OidcError, call

    with tokens.refresh_lock():
        current = tokens.read()
        if current is None:
            return None
        if current.fresh(now()):
            return current  # another process refreshed it while this one waited
        if not current.refreshable(now()):
            return None
        assert current.client_id and current.client_secret and current.refresh_token  # noqa: S101
        assert current.registration_expires_at is not None  # noqa: S101 - refreshable() checked
        try:
            answer = call(
                oidc().create_token,
                grantType=REFRESH_GRANT,
                clientId=current.client_id,
                clientSecret=current.client_secret,
                refreshToken=current.refresh_token,
            )
        except OidcError as error:
            report(f"the SSO token could not be refreshed ({error.code})")
            return None
        new = from_grant(
            answer,
            current.start_url,
            current.region,
            current.client_id,
            current.client_secret,
            current.registration_expires_at,
            now(),
            current.refresh_token if "refreshToken" not in answer else None,
        )
        return tokens.write_unless_newer(new)


def usable_token(
    tokens: TokenCache,
    oidc: Callable[[], Any],
    now: Clock,
    hint: str,
    what: str,
    report: Report,
) -> SsoToken:
    """A token to call the portal with: cached, refreshed when due, else exit 5 with ``hint``."""
    token = tokens.read()
    if token is None:
        reason = "is malformed" if tokens.exists() else "does not exist"
        raise LoginRequiredError(
            f"{what} needs an SSO login (the token cache {tokens.path} {reason})", hint
        )
    if token.fresh(now()):
        return token
    if token.refreshable(now()):
        refreshed = refresh(tokens, oidc, now, report)
        if refreshed is not None and refreshed.usable(now()):
            return refreshed
    if token.usable(now()):
        return token
    raise LoginRequiredError(
        f"the SSO session of {what} expired at {format_iso(token.expires_at)}", hint
    )
