"""Account tiers: one policy that maps accounts and profiles to prod, staging, sandbox...

A tier is a section of the config file that the AWS CLI and the SDKs ignore (botocore keeps an
unknown section as a top-level one and never reads it):

    [awsprof-tier prod]
    accounts = 888899990000, 8888*         # exact IDs or glob patterns of IDs
    profiles = prod, *-prod                # glob patterns of profile names
    level = writes                         # the guard level, as awsprof_protected's values
    confirm = alias                        # what a confirmation takes: alias (else ID) or id
    colour = red                           # the prompt's colour
    label = PROD                           # the prompt's {tier}

The first tier (in file order) whose ``accounts`` matches the target's account wins; else the
first whose ``profiles`` matches the profile's name. A tier's level protects exactly like a mark
(the stricter of the two applies). Kept lean: the prompt and the guard read it on every command.
"""

from __future__ import annotations

from awsprof.guard import marks
from awsprof.values import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

SECTION_PREFIX = "awsprof-tier "
CONFIRM_ALIAS = "alias"
CONFIRM_ID = "id"
COLOURS = {
    "red": "\033[31m",
    "green": "\033[32m",
    "yellow": "\033[33m",
    "blue": "\033[34m",
    "magenta": "\033[35m",
    "cyan": "\033[36m",
}


class Tier(Value):
    __slots__ = (
        "accounts",
        "colour",
        "confirm",
        "label",
        "level",
        "name",
        "problem",
        "profiles",
        "where",
    )

    def __init__(
        self,
        *,
        name: str,
        where: str,
        accounts: tuple[str, ...] = (),
        profiles: tuple[str, ...] = (),
        level: str | None = None,
        confirm: str = CONFIRM_ID,
        colour: str | None = None,
        label: str | None = None,
        problem: str | None = None,
    ) -> None:
        self.name = name
        self.where = where  # "file:line" of the section
        self.accounts = accounts
        self.profiles = profiles
        self.level = level
        self.confirm = confirm
        self.colour = colour
        self.label = label
        self.problem = problem  # a value that was not understood (it counts as the strictest)


def _list(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.replace("\n", ",").split(",") if part.strip())


def parse_tier(name: str, where: str, settings: Mapping[str, tuple[str, str]]) -> Tier:
    """One ``[awsprof-tier NAME]`` section. An unknown level counts as ``refuse-writes`` (a tier
    meant to protect never protects less than intended) and is reported."""

    def text(key: str) -> str | None:
        found = settings.get(key)
        return found[0].strip() if found is not None else None

    problems = []
    level, understood = marks.parse_level(text("level"))
    if not understood:
        problems.append(f"level = {text('level')} is not a level I know; it counts as {level}")
    confirm = (text("confirm") or CONFIRM_ID).lower()
    if confirm not in (CONFIRM_ALIAS, CONFIRM_ID):
        problems.append(f"confirm = {confirm} is not alias or id; the alias is asked for")
        confirm = CONFIRM_ALIAS
    colour = (text("colour") or text("color") or "").lower() or None
    if colour is not None and colour not in COLOURS:
        problems.append(f"colour = {colour} is not one of {', '.join(COLOURS)}")
        colour = None
    return Tier(
        name=name,
        where=where,
        accounts=_list(text("accounts")),
        profiles=_list(text("profiles")),
        level=level,
        confirm=confirm,
        colour=colour,
        label=text("label") or name,
        problem="; ".join(problems) or None,
    )


def _matches(patterns: Iterable[str], value: str | None) -> bool:
    if not value:
        return False
    from fnmatch import fnmatchcase

    return any(value == pattern or fnmatchcase(value, pattern) for pattern in patterns)


def tier_for(tiers: Iterable[Tier], account: str | None, profile: str | None) -> Tier | None:
    """The tier of a target: by its account first, then by its profile's name."""
    tiers = tuple(tiers)
    for tier in tiers:
        if account is not None and _matches(tier.accounts, account):
            return tier
    for tier in tiers:
        if _matches(tier.profiles, profile):
            return tier
    return None


def strictest(tiers: Iterable[Tier]) -> str | None:
    level = None
    for tier in tiers:
        level = marks.stricter(level, tier.level)
    return level
