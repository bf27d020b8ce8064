"""``configure sso`` and ``configure sso-session`` without a terminal: questions, choices, edits.

The prompts and their order are the AWS CLI v2's. What differs: every edit goes through
:func:`awsprof.profiles.configure.apply_changes` (lossless, locked, atomic), and a profile's
keys land in the section botocore uses, so ``configure sso --profile default`` never adds a
``[default]`` beside an existing ``[profile default]`` or the other way round (aws-cli #9484).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from awsprof.profiles.configure import Change, address
from awsprof.profiles.model import AwsFiles
from awsprof.sso.session import DEFAULT_SCOPES

SESSION_NAME = "SSO session name (Recommended)"
SESSION_NAME_REQUIRED = "SSO session name"
START_URL = "SSO start URL"
SSO_REGION = "SSO region"
SCOPES = "SSO registration scopes"
CLIENT_REGION = "Default client Region"
OUTPUT = "CLI default output format (json if not specified)"
PROFILE_NAME = "Profile name"


def prompt_text(label: str, current: str | None) -> str:
    return f"{label} [{current if current else 'None'}]: "


@dataclass(frozen=True)
class SessionAnswers:
    name: str
    start_url: str
    region: str
    scopes: str


def session_defaults(files: AwsFiles, name: str) -> dict[str, str | None]:
    """What the session prompts show in brackets: the existing block's values."""
    section = files.sso_session(name)
    scopes = section.text("sso_registration_scopes") if section else None
    return {
        "sso_start_url": section.text("sso_start_url") if section else None,
        "sso_region": section.text("sso_region") if section else None,
        "sso_registration_scopes": scopes if section else ",".join(DEFAULT_SCOPES),
    }


def session_changes(answers: SessionAnswers) -> list[Change]:
    changes = [
        Change(address("sso_start_url", "default", sso_session=answers.name), answers.start_url),
        Change(address("sso_region", "default", sso_session=answers.name), answers.region),
    ]
    if answers.scopes:
        changes.append(
            Change(
                address("sso_registration_scopes", "default", sso_session=answers.name),
                answers.scopes,
            )
        )
    return changes


@dataclass(frozen=True)
class ProfileAnswers:
    profile: str
    session: str
    account_id: str
    role_name: str
    region: str | None
    output: str | None


def profile_changes(answers: ProfileAnswers) -> list[Change]:
    values: dict[str, str | None] = {
        "sso_session": answers.session,
        "sso_account_id": answers.account_id,
        "sso_role_name": answers.role_name,
        "region": answers.region,
        "output": answers.output,
    }
    return [Change(address(key, answers.profile), value) for key, value in values.items() if value]


def current_profile(files: AwsFiles, profile: str | None) -> Mapping[str, str | None]:
    found = files.profile(profile) if profile else None
    keys = ("sso_session", "region", "output")
    return {key: (found.text(key) if found is not None else None) for key in keys}


def account_label(account: Mapping[str, Any]) -> str:
    """``name, email (id)``, the AWS CLI's account list entry."""
    return (
        f"{account.get('accountName') or '-'}, {account.get('emailAddress') or '-'} "
        f"({account['accountId']})"
    )


def sorted_accounts(accounts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(accounts, key=lambda a: ((a.get("accountName") or "").lower(), a["accountId"]))


def default_profile_name(role_name: str, account_id: str) -> str:
    return f"{role_name}-{account_id}"
