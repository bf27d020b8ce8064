"""Credentials as values, and the expiry formats the shared caches use.

Secrets are excluded from ``repr`` so that a traceback or a debug log never shows them.
"""

from __future__ import annotations

import datetime as dt

from awsprof.values import Value

UTC = dt.timezone.utc
# Refresh windows of the AWS CLI: temporary credentials with less than this left count as expired.
ADVISORY_REFRESH = dt.timedelta(minutes=15)
MANDATORY_REFRESH = dt.timedelta(minutes=10)


class Credentials(Value):
    __slots__ = (
        "access_key_id",
        "account_id",
        "expiration",
        "secret_access_key",
        "session_token",
    )

    def __init__(
        self,
        access_key_id: str,
        secret_access_key: str,
        session_token: str | None = None,
        expiration: dt.datetime | None = None,
        account_id: str | None = None,
    ) -> None:
        self.access_key_id = access_key_id
        self.secret_access_key = secret_access_key
        self.session_token = session_token
        self.expiration = expiration
        self.account_id = account_id

    def __repr__(self) -> str:  # the secret and the token never appear
        return (
            f"Credentials(access_key_id={self.access_key_id!r}, expiration={self.expiration!r}, "
            f"account_id={self.account_id!r})"
        )

    @property
    def temporary(self) -> bool:
        return self.session_token is not None

    def secrets(self) -> tuple[str, ...]:
        """Values to mask wherever text is shown to people."""
        return tuple(s for s in (self.secret_access_key, self.session_token) if s)

    def expires_within(self, window: dt.timedelta, now: dt.datetime) -> bool:
        return self.expiration is not None and self.expiration - now < window

    def process_json(self) -> dict[str, object]:
        """The ``credential_process`` JSON (``Version`` 1) the AWS CLI and SDKs read."""
        data: dict[str, object] = {
            "Version": 1,
            "AccessKeyId": self.access_key_id,
            "SecretAccessKey": self.secret_access_key,
        }
        if self.session_token:
            data["SessionToken"] = self.session_token
        if self.expiration is not None:
            data["Expiration"] = format_iso(self.expiration)
        if self.account_id:
            data["AccountId"] = self.account_id
        return data


def parse_expiration(text: str) -> dt.datetime:
    """Parse the expiry forms found in the caches: ``...Z``, ``...UTC``, ``+00:00``, fractions."""
    value = text.strip()
    if value.endswith("UTC"):
        value = value[:-3] + "+00:00"
    elif value.endswith("Z"):
        value = value[:-1] + "+00:00"
    parsed = dt.datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_iso(when: dt.datetime) -> str:
    """``2026-01-01T12:00:00Z``: the form SSO caches and ``credential_process`` output use."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_v2_expiration(when: dt.datetime) -> str:
    """``2026-01-01T12:00:00+00:00``: the AWS CLI v2's ``export-credentials`` form (Python's
    isoformat, so fractions of a second appear when the source had them)."""
    return when.astimezone(UTC).isoformat()


def format_botocore_cache(when: dt.datetime) -> str:
    """``2026-01-01T12:00:00UTC``: what the AWS CLI writes in its assume-role cache."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SUTC")


def now_utc() -> dt.datetime:
    return dt.datetime.now(UTC)
