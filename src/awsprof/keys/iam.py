"""The IAM calls about a user's own access keys (the caller's user: no UserName is sent)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from awsprof.aws.clients import call
from awsprof.credentials import UTC

MAX_AGE_DAYS = 90  # the AWS Security Hub control IAM.3 and the CIS benchmark both use 90 days


@dataclass(frozen=True)
class AccessKey:
    access_key_id: str
    user_name: str
    status: str  # Active | Inactive
    created: dt.datetime
    last_used: dt.datetime | None

    def age_days(self, now: dt.datetime) -> int:
        return days_since(self.created, now)

    def unused_days(self, now: dt.datetime) -> int:
        """Days since last use (since creation when never used)."""
        return days_since(self.last_used or self.created, now)


def days_since(moment: dt.datetime, now: dt.datetime) -> int:
    """Whole days from ``moment`` to ``now``, never negative: IAM's clock may run a little ahead
    of this machine's, and a moment seconds "in the future" is today, not -1 days ago."""
    return max(0, (now - moment).days)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def list_keys(iam: Any) -> list[AccessKey]:
    """The caller's access keys with their last use (one GetAccessKeyLastUsed per key)."""
    listed = call("ListAccessKeys", iam.list_access_keys)["AccessKeyMetadata"]
    keys = []
    for entry in listed:
        used = call(
            "GetAccessKeyLastUsed", iam.get_access_key_last_used, AccessKeyId=entry["AccessKeyId"]
        )
        last = used.get("AccessKeyLastUsed", {}).get("LastUsedDate")
        keys.append(
            AccessKey(
                entry["AccessKeyId"],
                entry.get("UserName") or used.get("UserName", ""),
                entry.get("Status", "Active"),
                _utc(entry["CreateDate"]),
                _utc(last) if last is not None else None,
            )
        )
    return sorted(keys, key=lambda k: k.created)
