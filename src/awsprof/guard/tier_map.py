"""Which profile and account falls into which tier: `awsprof tiers` and doctor read it here."""

from __future__ import annotations

from collections.abc import Mapping

from awsprof.guard.tiers import Tier, parse_tier, tier_for
from awsprof.reader.accounts import KeyAccounts, account_of
from awsprof.reader.profiles import ProfileFiles


class Member:
    __slots__ = ("account", "profile", "tier")

    def __init__(self, profile: str, account: str | None, tier: Tier | None) -> None:
        self.profile = profile
        self.account = account  # known offline, else None
        self.tier = tier


def tier_map(environ: Mapping[str, str]) -> tuple[list[Tier], list[Member]]:
    """The tiers of the config, and every profile with its offline account and tier."""
    files = ProfileFiles(environ)
    tiers = [parse_tier(*section) for section in files.tier_sections]
    keys = KeyAccounts(environ)
    members = []
    for name, settings in files.profiles.items():
        account, _ = account_of(settings, keys)
        members.append(Member(name, account, tier_for(tiers, account, name)))
    return tiers, members


def as_json(tiers: list[Tier], members: list[Member]) -> dict[str, object]:
    return {
        "tiers": [
            {
                "name": tier.name,
                "where": tier.where,
                "level": tier.level,
                "confirm": tier.confirm,
                "colour": tier.colour,
                "label": tier.label,
                "accounts": list(tier.accounts),
                "profiles": list(tier.profiles),
                "members": [
                    {"profile": m.profile, "account": m.account} for m in members if m.tier is tier
                ],
                "problem": tier.problem,
            }
            for tier in tiers
        ],
        "untiered": [
            {"profile": m.profile, "account": m.account} for m in members if m.tier is None
        ],
    }
