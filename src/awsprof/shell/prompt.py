"""``awsprof prompt``: one short segment for the shell prompt, with no network.

It shows where an `aws` command typed now would run: the profile, the account (alias from
awsprof's cache, else a short ID), the region and the time left (a `use --for` lease, exported
credentials, or the SSO login behind the profile); red when the account is protected; a mark when
keys in the environment shadow ``AWS_PROFILE``. It runs on every prompt, so it reads only files.
"""

from __future__ import annotations

import time

from awsprof.errors import UsageError
from awsprof.guard.decide import Protection
from awsprof.guard.engine import target
from awsprof.guard.facts import AWS_DEFAULT_PROFILE, AWS_PROFILE, Facts
from awsprof.guard.tiers import COLOURS
from awsprof.reader.caches import parse_time, read_cache, sso_token_expiry
from awsprof.reader.profiles import profile_settings
from awsprof.terminal import escape

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_FORMAT = "{protected}{profile}{shadow}@{account} {region} {expires}"
PLACEHOLDERS = (
    "profile",
    "account",
    "account_id",
    "alias",
    "region",
    "expires",
    "lease",
    "protected",
    "shadow",
    "level",
    "tier",
)
PROTECTED_MARK = "!"
SHADOW_MARK = "(env keys)"
DISAGREE_MARK = "(v1/v2 differ)"  # AWS_PROFILE and AWS_DEFAULT_PROFILE name different profiles
RED, RESET = "\033[31m", "\033[0m"
# Non-printing markers, so the shell counts the prompt's width right: bash's readline takes
# \001..\002 (its \[ \] are not read inside expanded variables), zsh takes %{..%}.
WRAPPERS = {
    "bash": ("\001", "\002"),
    "zsh": ("%{", "%}"),
    "fish": ("", ""),
    "powershell": ("", ""),
    "plain": ("", ""),
}


def shell_safe(text: str, shell: str) -> str:
    """A value read from a file, safe inside ``shell``'s prompt.

    Control characters are shown escaped for every shell. zsh (with PROMPT_SUBST) reads ``%``
    sequences in the expanded segment, so ``%`` is doubled. bash decodes its backslash escapes
    before expanding the segment, and fish and PowerShell print the text as it is, so for them
    escaping the control characters is enough.
    """
    text = escape(text)
    return text.replace("%", "%%") if shell == "zsh" else text


def left(seconds: float) -> str:
    """``2h05m``, ``42m``, ``expired``: short enough for a prompt."""
    if seconds <= 0:
        return "expired"
    minutes = int(seconds // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m"


def sso_expiry(facts: Facts, environ: Mapping[str, str]) -> float | None:
    """When the SSO login behind the profile (directly or as a role's source) ends."""
    settings = facts.settings
    seen = {facts.profile}
    for _ in range(8):  # a source_profile chain, as far as it goes
        session = settings.get("sso_session") or settings.get("sso_start_url")
        if session is not None:
            return sso_token_expiry(environ, session[0].strip())
        source = settings.get("source_profile")
        if source is None or source[0] in seen:
            return None
        seen.add(source[0])
        settings = profile_settings(environ, source[0]) or {}
    return None


def values(facts: Facts, environ: Mapping[str, str], now: float) -> dict[str, str]:
    """Each placeholder's text ('' when unknown)."""
    protection = Protection(facts)
    aliases = read_cache(environ, "aliases") if facts.account else {}
    alias = aliases.get(facts.account or "")
    alias = alias if isinstance(alias, str) and alias else ""
    account_id = facts.account or ""
    lease = ""
    until = environ.get("AWSPROF_USE_UNTIL", "")
    if until.isdigit() and environ.get("AWSPROF_USE_PROFILE") == environ.get("AWS_PROFILE"):
        lease = left(int(until) - now)
    expires = lease
    if not expires and environ.get("AWS_CREDENTIAL_EXPIRATION") and facts.environment_key:
        moment = parse_time(environ["AWS_CREDENTIAL_EXPIRATION"])
        expires = left(moment - now) if moment is not None else ""
    if not expires and facts.environment_key is None:
        moment = sso_expiry(facts, environ)
        expires = left(moment - now) if moment is not None else ""
    shadowed = facts.environment_key is not None and facts.selected_by in (
        AWS_PROFILE,
        AWS_DEFAULT_PROFILE,
    )
    profile = facts.profile if facts.environment_key is None or shadowed else "env"
    return {
        "profile": profile,
        "account": alias or (f"…{account_id[-4:]}" if account_id else ""),
        "account_id": account_id,
        "alias": alias,
        "region": facts.region or "",
        "expires": expires,
        "lease": lease,
        "protected": PROTECTED_MARK if protection.level else "",
        "shadow": SHADOW_MARK if shadowed else (DISAGREE_MARK if facts.disagreement else ""),
        "level": protection.level or "",
        "tier": (protection.tier.label or protection.tier.name) if protection.tier else "",
    }


def segment(
    environ: Mapping[str, str],
    template: str = DEFAULT_FORMAT,
    shell: str = "plain",
    colour: bool = True,
    now: float | None = None,
) -> str:
    """The prompt segment; empty when no profile or keys are in play at all."""
    if shell not in WRAPPERS:
        raise UsageError(f"unknown --shell '{shell}'", f"Use one of {', '.join(WRAPPERS)}.")
    facts = target(environ)
    if not facts.profile_exists and facts.environment_key is None:
        return ""
    fields = values(facts, environ, time.time() if now is None else now)
    try:
        text = template.format_map({key: shell_safe(v, shell) for key, v in fields.items()})
    except (KeyError, ValueError, IndexError) as error:
        raise UsageError(
            f"bad --format: {error}",
            f"Placeholders: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}",
        ) from None
    text = " ".join(text.split())
    text = text.replace("@ ", " ").rstrip("@")
    tier = Protection(facts).tier
    tier_colour = COLOURS.get(tier.colour or "") if tier is not None else None
    if colour and text and (tier_colour or fields["protected"]):
        start, end = WRAPPERS[shell]
        text = f"{start}{tier_colour or RED}{end}{text}{start}{RESET}{end}"
    return text
