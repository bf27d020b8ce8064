"""``awsprof protect`` / ``unprotect``: write or remove the marks (through the lossless writer).

A mark on a profile protects its account. When the account is not written in the config itself
(long-term keys, credential_process), ``protect`` pins it (``awsprof_expected_account``) so the
protection travels with a shared config to machines that never asked STS about that key.
"""

from __future__ import annotations

from collections.abc import Mapping

from awsprof.errors import UsageError
from awsprof.guard import marks
from awsprof.guard.facts import Facts, gather
from awsprof.profiles.configure import Change, address, apply_changes
from awsprof.profiles.model import load_files


class Protected:
    """What ``protect`` wrote, for the message a person reads."""

    def __init__(self, profile: str, level: str, account: str | None, source: str | None) -> None:
        self.profile = profile
        self.level = level
        self.account = account
        self.account_source = source
        self.pinned = False
        self.problem: str | None = None  # why the account could not be determined


def _check_profile(environ: Mapping[str, str], profile: str) -> None:
    load_files(environ, keep=profile).require_profile(profile)


def protect(
    environ: Mapping[str, str],
    profile: str,
    level: str = marks.DESTRUCTIVE,
    account: str | None = None,
    pin: bool = True,
) -> Protected:
    if level not in marks.LEVELS:
        raise UsageError(f"unknown level '{level}'", f"Use one of {', '.join(marks.LEVELS)}.")
    if account is not None and not marks.is_account_id(account):
        raise UsageError(f"'{account}' is not an account ID", "An account ID is exactly 12 digits.")
    _check_profile(environ, profile)
    facts = gather(environ, profile, want_marks=False)
    result = Protected(profile, level, account, "--account" if account else None)
    changes = [Change(address(marks.PROTECTED_KEY, profile), _value(level))]
    in_config = (facts.account_source or "").startswith(("role_arn", "sso_account_id"))
    if account is not None and in_config and facts.account not in (None, account):
        # A pin the profile can never meet would refuse every command of it; and a protection
        # of the wrong account would leave the real one unguarded.
        raise UsageError(
            f"profile '{profile}' reaches account {facts.account} (from its "
            f"{facts.account_source}), not {account}",
            f"Protect the account it reaches: `awsprof protect {profile}` (or --account "
            f"{facts.account}); or correct the profile's settings first.",
        )
    if account is None and facts.account is not None:
        result.account, result.account_source = facts.account, facts.account_source
    elif account is None and pin:
        _find_account(environ, profile, facts, result)
    if account is not None or (result.account is not None and not in_config and pin):
        changes.append(Change(address(marks.EXPECTED_ACCOUNT_KEY, profile), result.account))
        result.pinned = True
    apply_changes(environ, changes)
    return result


def _value(level: str) -> str:
    # `true` for the default level: the spelling the sandbox and most people write.
    return "true" if level == marks.DESTRUCTIVE else level


def _find_account(
    environ: Mapping[str, str], profile: str, facts: Facts, result: Protected
) -> None:
    from awsprof.guard.identify import identify

    found = identify(facts.replace(account=None), environ, profile, None)
    if found.account is None:
        result.problem = found.identity_error or "unknown"
    else:
        result.account, result.account_source = found.account, "STS"


def unprotect(environ: Mapping[str, str], profile: str) -> Facts:
    """Remove the marks of ``profile``; returns what still protects it (its account may be
    protected by another profile)."""
    _check_profile(environ, profile)
    apply_changes(
        environ,
        [
            Change(address(marks.PROTECTED_KEY, profile), None),
            Change(address(marks.EXPECTED_ACCOUNT_KEY, profile), None),
        ],
    )
    return gather(environ, profile)
