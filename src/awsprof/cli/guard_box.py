"""The identity box and the typed confirmation, shared by `guard` and `exec`.

A person about to change a protected account sees who and where the command would run (profile,
account ID, alias, ARN, region, the command itself with secrets masked) and types the account's
alias or ID. Everything goes to stderr; the answer is read from the terminal on stdin.
"""

from __future__ import annotations

import os
import sys

from awsprof.guard import decide as rules
from awsprof.guard.facts import Facts

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

RED, BOLD, RESET = "\033[31m", "\033[1m", "\033[0m"


def _colour(environ: Mapping[str, str]) -> bool:
    return not environ.get("NO_COLOR") and environ.get("TERM") != "dumb" and os.isatty(2)


def box_lines(facts: Facts, decision: rules.Decision, shown_command: str) -> list[str]:
    """The box's lines, without colour (tests read them as they are)."""
    if facts.environment_key is not None:
        profile = f"none: keys in the environment ({facts.selected_by}={facts.profile} ignored)"
        if facts.selected_by == "implicit default":
            profile = "none: keys in the environment"
    else:
        profile = f"{facts.profile} ({facts.selected_by})"
    rows = [
        ("command", shown_command),
        ("kind", f"{decision.kind.value}"),
        ("why", decision.reason),  # names the argument that decided, when one did
        ("profile", profile),
        ("account", facts.account or "unknown"),
        ("alias", facts.alias or "(none)"),
        ("ARN", facts.arn or facts.role_arn or "(not known)"),
        ("region", facts.region or "(none)"),
        ("protected", f"{decision.level}: {decision.protected_by}"),
        *([("note", facts.disagreement)] if facts.disagreement else []),
    ]
    width = max(len(value) for _, value in rows) + 12
    rule = "-" * min(width, 100)
    lines = [rule, "PROTECTED ACCOUNT: read before you go on", rule]
    lines += [f"  {name:<10} {value}" for name, value in rows]
    lines.append(rule)
    return lines


def identity_box(
    facts: Facts, decision: rules.Decision, command: list[str], environ: Mapping[str, str]
) -> None:
    import shlex

    from awsprof.guard.classify import describe
    from awsprof.guard.masking import mask_text

    shown = (
        describe(command[1:])
        if command and os.path.basename(command[0]).startswith("aws")
        # Any other program: secrets shaped like credentials or passed as `--password X`.
        else shlex.join(mask_text(word) for word in command)
    )
    lines = box_lines(facts, decision, shown)
    if _colour(environ):
        lines = [
            f"{RED}{BOLD}{line}{RESET}" if line.startswith(("-", "PROTECTED")) else line
            for line in lines
        ]
    sys.stderr.write("\n".join(lines) + "\n")
    if decision.notice:
        sys.stderr.write(f"awsprof: {decision.notice}\n")


def ask_for_account(facts: Facts, decision: rules.Decision | None = None) -> bool:
    """Ask for the alias or ID at the terminal; anything else (or end of input) is a no."""
    alias_only = decision is not None and decision.confirm_with == "alias" and bool(facts.alias)
    what = "alias" if alias_only else "alias or ID"
    sys.stderr.write(
        f"Type the account {what} to run it in {facts.account} (anything else cancels): "
    )
    sys.stderr.flush()
    try:
        answer = sys.stdin.readline()
    except OSError:
        sys.stderr.write("\n")
        return False
    # Ctrl-C is not caught: it reaches the top-level handler as an interrupt (130).
    if not answer:  # end of input: nobody answered, so nothing runs; say how to answer ahead
        from awsprof.errors import UsageError

        sys.stderr.write("\n")
        raise UsageError(
            "end of input at the account question: nothing was run",
            f"Pass --confirm-account {facts.account or 'ACCOUNT_ID'} (the `aws` wrapper: "
            f"AWSPROF_CONFIRM_ACCOUNT={facts.account or 'ACCOUNT_ID'}) to go on without it.",
        )
    return rules.answer_matches(answer, facts.account, facts.alias, alias_only)
