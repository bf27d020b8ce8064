"""Protection marks: two keys in a profile's config section that the AWS CLI and SDKs ignore.

    [profile prod]
    awsprof_protected = true                    # or: destructive, writes, refuse-writes, false
    awsprof_expected_account = 888899990000     # optional pin

The mark lives in the config file so that a team's shared config carries it. Protection then
belongs to the account: every profile that reaches a marked profile's account is protected too.

Levels, from the mildest:
- ``destructive`` (``true``, ``yes``, ``on``, ``1``): destructive commands ask for the account;
- ``writes``: every command that changes the account asks;
- ``refuse-writes``: commands that change the account are refused outright (read-only only).

An unknown value (a typo) counts as ``refuse-writes``: a mark meant to protect must never end up
protecting less than intended. Kept free of heavy imports: the prompt and the guard read it.
"""

from __future__ import annotations

PROTECTED_KEY = "awsprof_protected"
EXPECTED_ACCOUNT_KEY = "awsprof_expected_account"

DESTRUCTIVE = "destructive"
WRITES = "writes"
REFUSE_WRITES = "refuse-writes"
LEVELS = (DESTRUCTIVE, WRITES, REFUSE_WRITES)  # mildest first

_ON = frozenset({"true", "yes", "on", "1", DESTRUCTIVE})
_OFF = frozenset({"false", "no", "off", "0", ""})


def parse_level(value: str | None) -> tuple[str | None, bool]:
    """(the level a mark's value means, whether the value was understood). None: not protected."""
    if value is None:
        return None, True
    text = value.strip().lower()
    if text in _OFF:
        return None, True
    if text in _ON:
        return DESTRUCTIVE, True
    if text in (WRITES, REFUSE_WRITES):
        return text, True
    return REFUSE_WRITES, False


def stricter(first: str | None, second: str | None) -> str | None:
    """The stricter of two levels (None is no protection)."""
    if first is None:
        return second
    if second is None:
        return first
    return first if LEVELS.index(first) >= LEVELS.index(second) else second


def is_account_id(text: str | None) -> bool:
    """An AWS account ID: exactly 12 digits (never a substring or a name)."""
    return text is not None and len(text) == 12 and text.isdigit() and text.isascii()
