"""The guard's decision for one command: run, ask for the account, refuse, or first find out which
account it reaches. Pure: facts and a classification in, a decision out (table-tested).

The rules, in order (docs/guard.md, "What the guard decides"):

1. Commands that reach no account (``configure``, ``help``, ``--no-sign-request``) run.
2. A profile pinned to an account (``awsprof_expected_account``) that reaches another is refused.
3. When the account decides the outcome but is not known offline, find it out (STS, once per
   key); if it still cannot be determined, a command that changes anything is refused: fail closed.
4. The implicit ``default`` reaching a protected account is refused for every command; otherwise it
   runs with one line naming the profile and the account.
5. Against a protected account: read-only runs; what the level covers (destructive commands, or
   every write) asks for the account, or is refused at ``refuse-writes``; ``--confirm-account``
   answers the question when it names exactly the target account.
"""

from __future__ import annotations

from awsprof.guard import marks
from awsprof.guard.facts import AWS_DEFAULT_PROFILE, AWS_PROFILE, Facts
from awsprof.guard.tiers import CONFIRM_ALIAS, strictest, tier_for
from awsprof.guard.verbs import DESTRUCTIVE, READ_ONLY, Kind

TYPE_CHECKING = False
if TYPE_CHECKING:
    from awsprof.guard.classify import Classification

RUN = "run"
CONFIRM = "confirm"
REFUSE = "refuse"
IDENTIFY = "identify"  # the account decides, and only AWS can tell it: ask, then decide again

# Commands of the AWS CLI that work on this machine only.
LOCAL_SERVICES = frozenset({"configure", "help", "history", "cli-dev"})


class Decision:
    __slots__ = (
        "action",
        "confirm_with",
        "fix",
        "kind",
        "level",
        "notice",
        "protected_by",
        "reason",
    )

    def __init__(
        self,
        action: str,
        reason: str,
        *,
        kind: Kind,
        fix: str | None = None,
        notice: str | None = None,
        level: str | None = None,
        protected_by: str | None = None,
        confirm_with: str | None = None,
    ) -> None:
        self.action = action
        # What the typed confirmation must be: "alias" (a tier asks for it) or None (ID or alias).
        self.confirm_with = confirm_with
        self.reason = reason  # one sentence for a person
        self.kind = kind  # the classification, after --dry-run
        self.fix = fix  # what to do instead, when refused
        self.notice = notice  # one line to show even when the command runs
        self.level = level  # the protection level of the target, if any
        self.protected_by = protected_by  # why the target is protected

    def __repr__(self) -> str:
        return f"Decision({self.action!r}, {self.reason!r})"


class Protection:
    """What the marks and the tiers say about the target: its level, why, what is unknown."""

    __slots__ = ("level", "strictest", "tier", "unknown_marked", "why")

    def __init__(self, facts: Facts) -> None:
        self.level: str | None = None
        self.why: str | None = None
        self.strictest: str | None = None  # strictest level of any mark: the worst an unknown gets
        self.unknown_marked: list[str] = []  # marked profiles whose account is not known
        profile = facts.profile if facts.environment_key is None else None
        self.tier = tier_for(facts.tiers, facts.account, profile)
        if self.tier is not None and self.tier.level is not None:
            self.level, self.why = self.tier.level, f"tier '{self.tier.name}' ({self.tier.where})"
        # An account tier may still match once the account is known: it counts as a mark.
        candidates = [tier for tier in facts.tiers if tier.accounts]
        if self.tier is not None:
            candidates.append(self.tier)
        self.strictest = strictest(candidates)
        for mark in facts.marks:
            if mark.level is None:
                continue
            self.strictest = marks.stricter(self.strictest, mark.level)
            own = mark.profile == facts.profile and facts.environment_key is None
            # Exact 12-digit equality: `nonprod` never matches `prod`, 1234 never 123456789012.
            same_account = facts.account is not None and mark.account == facts.account
            if own or same_account:
                if marks.stricter(self.level, mark.level) != self.level or self.why is None:
                    self.why = (
                        f"profile '{mark.profile}' is marked protected ({mark.where})"
                        if own
                        else f"account {mark.account} is protected by profile '{mark.profile}' "
                        f"({mark.where})"
                    )
                self.level = marks.stricter(self.level, mark.level)
            elif mark.account is None and mark.profile not in facts.unresolved_marks:
                self.unknown_marked.append(mark.profile)

    def decided(self) -> bool:
        """Whether learning more accounts could not make the target's protection stricter."""
        return self.level is not None and self.level == self.strictest


def asks(level: str | None, kind: Kind) -> bool:
    """Whether a command of ``kind`` needs the person's go-ahead at ``level``."""
    if level is None or kind is READ_ONLY:
        return False
    return kind is DESTRUCTIVE or level in (marks.WRITES, marks.REFUSE_WRITES)


def effective_kind(classification: Classification) -> tuple[Kind, str]:
    if classification.dry_run and classification.kind is not READ_ONLY:
        return READ_ONLY, f"{classification.reason}, but --dry-run changes nothing"
    return classification.kind, classification.reason


def _is_local(classification: Classification) -> bool:
    service = (classification.service or "").lower()
    return (
        classification.service is None
        or service in LOCAL_SERVICES
        or (classification.operation or "").lower() == "help"
    )


def target_name(facts: Facts) -> str:
    """How a person recognises the target: profile, or the environment's keys."""
    if facts.environment_key is not None:
        return "the access key in AWS_ACCESS_KEY_ID"
    return f"profile '{facts.profile}'"


def decide(
    facts: Facts, classification: Classification, confirm_account: str | None = None
) -> Decision:
    kind, kind_reason = effective_kind(classification)
    if _is_local(classification):
        return Decision(RUN, "the command runs on this machine only", kind=kind)
    if classification.no_sign_request:
        return Decision(RUN, "--no-sign-request: sent without any profile's credentials", kind=kind)

    pin = facts.expected_account
    if pin is not None:
        if not marks.is_account_id(pin):
            return Decision(
                REFUSE,
                f"{marks.EXPECTED_ACCOUNT_KEY} = {pin} ({facts.expected_source}) is not a "
                "12-digit account ID",
                kind=kind,
                fix=f"Fix it: `awsprof protect {facts.profile} --account ACCOUNT_ID`.",
            )
        if facts.account is not None and facts.account != pin:
            return Decision(
                REFUSE,
                f"profile '{facts.profile}' expects account {pin} ({facts.expected_source}), "
                f"but the command would reach account {facts.account} "
                f"(from {facts.account_source or 'the resolved credentials'})",
                kind=kind,
                fix="Check the profile's role_arn, keys or SSO account, and the environment "
                "(`awsprof whoami --explain`); change the pin only if the account really moved.",
            )

    protection = Protection(facts)
    level = protection.level
    notice = _notice(facts)
    implicit = facts.implicit_default
    unknown = facts.account is None or bool(protection.unknown_marked)
    account_matters = (
        (implicit and protection.strictest is not None)
        or pin is not None  # a pin is compared for every command, reads included
        or (kind is not READ_ONLY and asks(protection.strictest, kind))
    )
    # A confirmation, a pin or a mark is never compared with an account nobody looked up.
    must_know = facts.account is None or not protection.decided()
    if account_matters and unknown and must_know:
        if not facts.identified:
            return Decision(
                IDENTIFY,
                f"the account {target_name(facts)} reaches is not known without asking AWS",
                kind=kind,
            )
        if kind is READ_ONLY:
            return Decision(
                RUN,
                f"{kind_reason}; the account could not be determined "
                f"({facts.identity_error or 'unknown'})",
                kind=kind,
                notice=notice,
            )
        return Decision(
            REFUSE,
            f"the account {target_name(facts)} reaches cannot be determined "
            f"({facts.identity_error or 'no identity'}), and a protected account may be the "
            f"target: a {kind.value} command is not run blind",
            kind=kind,
            fix=f"See what fails with `awsprof whoami --explain --profile {facts.profile}` "
            "(an expired login: `awsprof sso login`), then run the command again.",
        )

    account_text = facts.account or "account not known yet"
    if implicit:
        if level is not None:
            return Decision(
                REFUSE,
                "no profile was named, so the AWS CLI would use the implicit 'default', which "
                f"reaches protected account {account_text} ({protection.why})",
                kind=kind,
                fix="Name the profile you mean: `aws --profile NAME ...`, or "
                "`awsprof use NAME` for this shell.",
                level=level,
                protected_by=protection.why,
            )
        return Decision(
            RUN,
            f"{kind_reason}; the implicit 'default' reaches no protected account",
            kind=kind,
            notice=f"no profile named: using the implicit 'default' ({account_text})",
        )
    if level is None:
        return Decision(RUN, f"{kind_reason}; no protected account", kind=kind, notice=notice)
    why = protection.why
    problem = f"; {facts.level_problem}" if facts.level_problem else ""
    if not asks(level, kind):
        return Decision(
            RUN,
            f"{kind_reason}; allowed in protected account {account_text} (level {level})",
            kind=kind,
            notice=notice,
            level=level,
            protected_by=why,
        )
    if level == marks.REFUSE_WRITES:
        return Decision(
            REFUSE,
            f"{kind_reason}, and account {account_text} accepts no changes "
            f"(level {level}: {why}{problem})",
            kind=kind,
            fix="Use a profile meant for changes, or lower the level with "
            f"`awsprof protect {facts.profile} --level writes`.",
            level=level,
            protected_by=why,
        )
    if confirm_account is not None:
        if facts.account is not None and confirm_account.strip() == facts.account:
            return Decision(
                RUN,
                f"{kind_reason}; account {facts.account} confirmed by --confirm-account",
                kind=kind,
                notice=notice,
                level=level,
                protected_by=why,
            )
        return Decision(
            REFUSE,
            f"--confirm-account {confirm_account} does not name the target account {account_text}",
            kind=kind,
            fix="Name exactly the 12-digit account the command reaches, or leave it out to be "
            "asked.",
            level=level,
            protected_by=why,
        )
    alias_only = protection.tier is not None and protection.tier.confirm == CONFIRM_ALIAS
    what = "alias" if alias_only else "alias or ID"
    return Decision(
        CONFIRM,
        f"{kind_reason}, in protected account {account_text} ({why}{problem})",
        kind=kind,
        fix=f"Type the account's {what} at a terminal, or pass --confirm-account "
        f"{account_text} (or set AWSPROF_CONFIRM_ACCOUNT).",
        notice=notice,
        level=level,
        protected_by=why,
        confirm_with=CONFIRM_ALIAS if alias_only else None,
    )


def _notice(facts: Facts) -> str | None:
    """What a person should read even when the command runs: environment keys overriding
    AWS_PROFILE, the two profile variables disagreeing, a mark that protects only itself."""
    lines = []
    if facts.environment_key is not None and facts.selected_by in (
        AWS_PROFILE,
        AWS_DEFAULT_PROFILE,
    ):
        lines.append(
            f"AWS_ACCESS_KEY_ID in the environment overrides {facts.selected_by}={facts.profile}: "
            f"the command runs as account {facts.account or '(not known yet)'}"
        )
    elif facts.disagreement:
        lines.append(f"{facts.disagreement}; this command uses '{facts.profile}'")
    for name in facts.unresolved_marks:
        lines.append(
            f"protected profile '{name}' reaches an account AWS could not tell, so it protects "
            f"only itself; pin it: `awsprof protect {name} --account ACCOUNT_ID`"
        )
    return "; ".join(lines) or None


def answer_matches(
    answer: str, account: str | None, alias: str | None, alias_only: bool = False
) -> bool:
    """Whether a typed answer names the target account: its exact ID or its alias (only its
    alias when a tier asks for it and the account has one)."""
    text = answer.strip()
    if not text or account is None:
        return False
    by_alias = alias is not None and text.casefold() == alias.casefold()
    if alias_only and alias:
        return by_alias
    return text == account or by_alias
