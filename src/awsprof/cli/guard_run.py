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
from awsprof.guard import engine
from awsprof.guard.classify import Classification
from awsprof.guard.facts import Facts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

    from awsprof.reader.selection import Selection

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
    """The engine's verdict on ``command`` (``awsprof.guard.engine``)."""
    verdict = engine.evaluate(
        engine.Request.for_command(
            command,
            environ,
            confirm_account=confirm,
            interactive=interactive,
            prompt_mfa=secret_prompt if interactive else None,
        )
    )
    return verdict.classification, verdict.facts, verdict.decision


def as_json(
    command: list[str], classification: Classification, facts: Facts, decision: rules.Decision
) -> dict[str, object]:
    from awsprof.guard.classify import describe

    return {
        "command": describe(command[1:]),
        "profile": facts.profile,
        "selected_by": facts.selected_by,
        "client": facts.client,
        "profile_variables_disagree": facts.disagreement,
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
        "protection": {
            "level": decision.level,
            "protected_by": decision.protected_by,
            "protects_only_itself": list(facts.unresolved_marks),
            "tier": _tier_name(facts),
            "confirm_with": decision.confirm_with,
        },
        "decision": decision.action,
        "reason": decision.reason,
        "fix": decision.fix,
        "notice": decision.notice,
    }


def _tier_name(facts: Facts) -> str | None:
    tier = rules.Protection(facts).tier
    return tier.name if tier is not None else None


def run_guard(environ: Mapping[str, str], args: list[str]) -> int:
    dry_run, confirm, command = parse_arguments(args)
    if confirm is None:
        confirm = environ.get(CONFIRM_VARIABLE) or None
    interactive = not dry_run and os.isatty(0)
    classification, facts, decision = evaluate(environ, command, confirm, interactive)
    if dry_run:
        from awsprof.cli.jsonout import dumps  # json's text without importing json

        sys.stdout.write(dumps(as_json(command, classification, facts, decision)))
        sys.stdout.write("\n")
        return 0
    if decision.action == rules.REFUSE:
        raise GuardRefusedError(f"refused: {decision.reason}", decision.fix)
    if decision.action == rules.CONFIRM:
        from awsprof.cli.guard_box import ask_for_account, identity_box

        if not interactive:
            raise GuardRefusedError(f"refused without a terminal: {decision.reason}", decision.fix)
        identity_box(facts, decision, command, environ)
        if not ask_for_account(facts, decision):
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


def exec_verdict(
    environ: Mapping[str, str],
    selection: Selection,
    known_keys: Mapping[str, str],
    command: list[str],
    confirm: str | None,
) -> engine.Verdict:
    """The engine's verdict on what `awsprof exec` is about to run.

    The child is judged as what it is: an `aws` child by its own argv (its own `--profile` wins
    over the credentials exec gives it, as in the AWS CLI), else through exec's profile; any other
    program through exec's profile, as a write. Exec's profile keeps how it was chosen, so the
    implicit `default` stays implicit.
    """
    request = engine.Request(
        argv=command[1:] if engine.is_aws_cli(command[0]) else (),
        environ=environ,
        program=command[0],
        client=selection.client,
        profile=selection.profile if selection.selected_by.value == "--profile" else None,
        confirm_account=confirm or environ.get(CONFIRM_VARIABLE),
        interactive=os.isatty(0),
        known_keys=known_keys,
        selection=selection,
    )
    return engine.evaluate(request)


def guard_exec(
    environ: Mapping[str, str],
    selection: Selection,
    known_keys: Mapping[str, str],
    command: list[str],
    confirm: str | None,
    verdict: engine.Verdict | None = None,
) -> None:
    """`awsprof exec` into a protected account: show the identity box, and ask (or refuse) when
    the level covers the command (:func:`exec_verdict` decides)."""
    if verdict is None:
        verdict = exec_verdict(environ, selection, known_keys, command, confirm)
    facts, decision = verdict.facts, verdict.decision
    if decision.level is None and decision.action == rules.RUN:
        return
    from awsprof.cli.guard_box import ask_for_account, identity_box

    if decision.level is not None and None in (facts.arn, facts.alias):
        from awsprof.guard.identify import identify

        own = selection.profile if selection.selected_by.value == "--profile" else None
        flag = verdict.classification.profile or own if engine.is_aws_cli(command[0]) else own
        facts = identify(facts, environ, flag, None, details=True)
    identity_box(facts, decision, command, environ)
    if decision.action == rules.REFUSE:
        raise GuardRefusedError(f"refused: {decision.reason}", decision.fix)
    if decision.action == rules.CONFIRM:
        if not os.isatty(0):
            raise GuardRefusedError(f"refused without a terminal: {decision.reason}", decision.fix)
        if not ask_for_account(facts, decision):
            raise GuardRefusedError(
                "refused: the answer does not name the target account; nothing was run"
            )
