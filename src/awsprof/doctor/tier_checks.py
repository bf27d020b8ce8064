"""Tiers: once a config defines account tiers, every profile should fall into one (AWSP070), and
every tier should say what it means (AWSP071)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from awsprof.doctor.findings import Finding, Severity


def _where(text: str) -> tuple[Path, int | None]:
    path, _, line = text.rpartition(":")
    return Path(path), int(line) if line.isdigit() else None


def check_tiers(environ: Mapping[str, str]) -> list[Finding]:
    from awsprof.errors import AwsprofError
    from awsprof.guard.tier_map import tier_map

    try:
        tiers, members = tier_map(environ)
    except AwsprofError:
        return []  # a file that cannot be read is reported by the file checks, with its line
    if not tiers:
        return []
    findings = []
    for tier in tiers:
        if tier.problem:
            path, line = _where(tier.where)
            findings.append(
                Finding(
                    "AWSP071",
                    Severity.WARNING,
                    path,
                    line,
                    f"tier '{tier.name}': {tier.problem}",
                    "A value the guard does not understand makes it stricter than intended.",
                    "Use level = destructive|writes|refuse-writes|false, confirm = alias|id and "
                    "one of the colours listed in docs/guard.md.",
                )
            )
    first = _where(tiers[0].where)
    for member in members:
        if member.tier is not None:
            continue
        account = f"account {member.account}" if member.account else "an account not known yet"
        findings.append(
            Finding(
                "AWSP070",
                Severity.WARNING,
                first[0],
                None,
                f"profile '{member.profile}' ({account}) falls into no tier",
                "Tiers decide the guard level and the prompt's colour; an untiered account gets "
                "neither.",
                "Add its account ID or its name to a tier's `accounts =` or `profiles =` "
                "(`awsprof tiers` shows the map).",
                profile=member.profile,
            )
        )
    return findings
