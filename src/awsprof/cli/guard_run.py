"""``awsprof guard -- aws ARGS...``: decide, then run the real command, ask, or refuse.

Runs before every `aws` typed through the shell wrapper, so it stays off click and botocore (the
fast path in :mod:`awsprof.cli.fast` calls it directly): a read-only command costs the classifier,
one read of the config files and ``exec``. Only a possibly protected write or destructive command
takes the slow path (resolution and STS, :mod:`awsprof.guard.identify`).
"""

from __future__ import annotations

import os
import sys

from awsprof.cli.output import secret_prompt
from awsprof.errors import GuardRefusedError, UsageError
from awsprof.guard import decide as rules
from awsprof.guard.classify import Classification, classify
from awsprof.guard.facts import Facts, gather
from awsprof.guard.verbs import READ_ONLY

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

QUIET_VARIABLE = "AWSPROF_QUIET_DEFAULT"  # silences the line about the implicit default
CONFIRM_VARIABLE = "AWSPROF_CONFIRM_ACCOUNT"


def parse_arguments(args: list[str]) -> tuple[bool, str | None, list[str]]:
    """(--dry-run, --confirm-account, the command) from ``[OPTIONS] -- aws ARGS...``."""
    dry_run, confirm = False, None
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            index += 1
            break
        if arg == "--dry-run":
            dry_run = True
        elif arg == "--confirm-account" and index + 1 < len(args):
            index += 1
            confirm = args[index]
        elif arg.startswith("--confirm-account="):
            confirm = arg.partition("=")[2]
        elif not arg.startswith("-"):
            break
        else:
            raise UsageError(
                f"unknown option {arg}", "Usage: awsprof guard [--dry-run] -- aws ARGS"
            )
        index += 1
    command = args[index:]
    if not command or os.path.basename(command[0]) not in ("aws", "aws.exe", "aws.cmd"):
        raise UsageError(
            "the guard runs the AWS CLI only: `awsprof guard -- aws ARGS...`",
            "To run another program with a profile's credentials: `awsprof exec PROFILE -- ...`.",
        )
    return dry_run, confirm, command


def _say(line: str) -> None:
    sys.stderr.write(f"awsprof: {line}\n")


def _quiet(environ: Mapping[str, str]) -> bool:
    return environ.get(QUIET_VARIABLE, "").lower() in ("1", "true", "yes", "on")


def evaluate(
    environ: Mapping[str, str],
    command: list[str],
    confirm: str | None,
    interactive: bool,
) -> tuple[Classification, Facts, rules.Decision]:
    """Classify, gather, decide; take the slow path when the decision asks for it."""
    classification = classify(command[1:])
    explicit = classification.profile or any(
        environ.get(name) for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID")
    )
    facts = gather(
        environ,
        classification.profile,
        classification.region,
        want_marks=classification.kind is not READ_ONLY or not explicit,
    )
    decision = rules.decide(facts, classification, confirm)
    mfa = secret_prompt if interactive else None
    if decision.action == rules.IDENTIFY:
        from awsprof.guard.identify import identify

        identify(facts, environ, classification.profile, classification.region, prompt_mfa=mfa)
        decision = rules.decide(facts, classification, confirm)
    if decision.action == rules.CONFIRM and interactive and None in (facts.arn, facts.alias):
        # A person is about to be asked: show who they really are (ARN, alias) from AWS.
        from awsprof.guard.identify import identify

        identify(
            facts,
            environ,
            classification.profile,
            classification.region,
            prompt_mfa=mfa,
            details=True,
        )
        decision = rules.decide(facts, classification, confirm)
    return classification, facts, decision


def as_json(
    command: list[str], classification: Classification, facts: Facts, decision: rules.Decision
) -> dict[str, object]:
    from awsprof.guard.classify import describe

    return {
        "command": describe(command[1:]),
        "profile": facts.profile,
        "selected_by": facts.selected_by,
        "environment_keys": facts.environment_key is not None,
        "account": facts.account,
        "account_source": facts.account_source,
        "region": facts.region,
        "classification": {
            "kind": classification.kind.value,
            "effective_kind": decision.kind.value,
            "service": classification.service,
            "operation": classification.operation,
            "recognized": classification.recognized,
            "reason": classification.reason,
        },
        "protection": {"level": decision.level, "protected_by": decision.protected_by},
        "decision": decision.action,
        "reason": decision.reason,
        "fix": decision.fix,
        "notice": decision.notice,
    }


def run_guard(environ: Mapping[str, str], args: list[str]) -> int:
    dry_run, confirm, command = parse_arguments(args)
    if confirm is None:
        confirm = environ.get(CONFIRM_VARIABLE) or None
    interactive = not dry_run and os.isatty(0)
    classification, facts, decision = evaluate(environ, command, confirm, interactive)
    if dry_run:
        import json

        sys.stdout.write(json.dumps(as_json(command, classification, facts, decision), indent=2))
        sys.stdout.write("\n")
        return 0
    if decision.action == rules.REFUSE:
        raise GuardRefusedError(f"refused: {decision.reason}", decision.fix)
    if decision.action == rules.CONFIRM:
        from awsprof.cli.guard_box import ask_for_account, identity_box

        if not interactive:
            raise GuardRefusedError(f"refused without a terminal: {decision.reason}", decision.fix)
        identity_box(facts, decision, command, environ)
        if not ask_for_account(facts):
            raise GuardRefusedError(
                "refused: the answer does not name the target account; nothing was run"
            )
    elif decision.notice and not (facts.implicit_default and _quiet(environ)):
        _say(decision.notice)
    return exec_command(command)


def exec_command(command: list[str]) -> int:
    """Become the command: its exit code and signals are the command's own."""
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execvp(command[0], command)  # noqa: S606 - the person's own command, no shell
    except FileNotFoundError:
        _say(f"command not found: {command[0]}")
        return 127
    except PermissionError:
        _say(f"permission denied: {command[0]}")
        return 126


def guard_exec(
    environ: Mapping[str, str],
    profile_flag: str | None,
    account: str | None,
    command: list[str],
    confirm: str | None,
) -> None:
    """`awsprof exec` into a protected account: show the identity box, and ask (or refuse) when
    the level covers the command. An `aws` command is classified; any other program may change
    anything, so it counts as a write."""
    from awsprof.guard.identify import identify
    from awsprof.guard.verbs import WRITE

    if os.path.basename(command[0]) in ("aws", "aws.exe", "aws.cmd"):
        classification = classify(command[1:])
    else:
        classification = Classification(
            WRITE,
            f"`exec` runs {command[0]}, which may change anything",
            "exec",
            command[0],
            True,
            None,
            None,
            None,
            False,
            False,
        )
    facts = gather(environ, profile_flag)
    if not facts.marks:
        return
    if account is not None:
        facts.account, facts.account_source, facts.identified = account, "resolution", True
    decision = rules.decide(facts, classification, confirm or environ.get(CONFIRM_VARIABLE))
    interactive = os.isatty(0)
    if decision.action == rules.IDENTIFY or (decision.level and None in (facts.arn, facts.alias)):
        identify(facts, environ, profile_flag, None, details=True)
        decision = rules.decide(facts, classification, confirm or environ.get(CONFIRM_VARIABLE))
    if decision.level is None and decision.action != rules.REFUSE:
        return
    from awsprof.cli.guard_box import ask_for_account, identity_box

    identity_box(facts, decision, command, environ)
    if decision.action == rules.REFUSE:
        raise GuardRefusedError(f"refused: {decision.reason}", decision.fix)
    if decision.action == rules.CONFIRM:
        if not interactive:
            raise GuardRefusedError(f"refused without a terminal: {decision.reason}", decision.fix)
        if not ask_for_account(facts):
            raise GuardRefusedError(
                "refused: the answer does not name the target account; nothing was run"
            )
