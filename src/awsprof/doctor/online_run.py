"""The network half of ``doctor --online``: STS and IAM with each long-lived key's own profile."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from awsprof.doctor.findings import Finding, Severity
from awsprof.doctor.online import key_findings
from awsprof.errors import AwsprofError
from awsprof.profiles.model import Profile
from awsprof.secrets import scrub


def online_findings(
    environ: Mapping[str, str], profiles: list[Profile], now: dt.datetime
) -> tuple[list[Finding], dict[str, str]]:
    from awsprof.keys.iam import list_keys
    from awsprof.resolution.chain import resolve_in_context
    from awsprof.resolution.identity import caller_identity

    findings: list[Finding] = []
    accounts: dict[str, str] = {}
    seen_users: set[str] = set()
    for profile in profiles:
        setting = profile.settings["aws_access_key_id"]
        try:
            resolution, context = resolve_in_context(environ, profile.name)
            identity = caller_identity(context.clients, resolution.credentials, environ)
            accounts[resolution.credentials.access_key_id] = identity.account
            if identity.arn in seen_users:
                continue  # two profiles with keys of one user: list its keys once
            seen_users.add(identity.arn)
            iam = context.clients.client("iam", resolution.credentials)
            keys = list_keys(iam)
        except AwsprofError as error:
            findings.append(
                Finding(
                    "AWSP069",
                    Severity.INFO,
                    setting.source.path,
                    setting.source.line,
                    f"the keys of profile '{profile.name}' could not be checked: "
                    f"{scrub(error.message)}",
                    "Without ListAccessKeys the age and use of the keys are unknown.",
                    "Allow iam:ListAccessKeys and iam:GetAccessKeyLastUsed on your own user.",
                    profile=profile.name,
                )
            )
            continue
        findings += key_findings(profile.name, setting.source.path, setting.source.line, keys, now)
    return findings, accounts
