"""``doctor --online``: what IAM knows about each long-lived key (age, last use, leftovers)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from awsprof.doctor.findings import Finding, Severity
from awsprof.keys.iam import MAX_AGE_DAYS, AccessKey


def key_findings(
    profile: str, path: Path, line: int, keys: list[AccessKey], now: dt.datetime
) -> list[Finding]:
    findings = []
    for key in keys:
        shown = key.access_key_id  # a key ID is not a secret; IAM and CloudTrail show it
        if key.status == "Active" and key.age_days(now) > MAX_AGE_DAYS:
            findings.append(
                Finding(
                    "AWSP060",
                    Severity.WARNING,
                    path,
                    line,
                    f"access key {shown} of profile '{profile}' is {key.age_days(now)} days old",
                    f"Keys older than {MAX_AGE_DAYS} days have had time to leak; AWS advises "
                    "rotating them.",
                    f"Rotate it: `awsprof keys rotate --profile {profile}`.",
                    profile=profile,
                )
            )
        if key.unused_days(now) > MAX_AGE_DAYS:
            findings.append(
                Finding(
                    "AWSP061",
                    Severity.WARNING,
                    path,
                    line,
                    f"access key {shown} of user '{key.user_name}' has not been used for "
                    f"{key.unused_days(now)} days",
                    "An unused key is pure risk: nobody needs it, anyone who finds it can use it.",
                    f"Delete it: `aws iam delete-access-key --access-key-id {shown} --profile "
                    f"{profile}`.",
                    profile=profile,
                )
            )
        if key.status != "Active":
            findings.append(
                Finding(
                    "AWSP062",
                    Severity.WARNING,
                    path,
                    line,
                    f"inactive access key {shown} of user '{key.user_name}' was left behind",
                    "An inactive key can be switched back on by anyone with IAM rights, and it "
                    "blocks the next rotation (IAM allows two keys per user).",
                    f"Delete it: `aws iam delete-access-key --access-key-id {shown} --profile "
                    f"{profile}`.",
                    profile=profile,
                )
            )
    return findings
