"""A change awsprof makes itself (``keys rotate``) put through the guard, as the equivalent `aws`
command typed by the person would be: same decision, same identity box, same typed answer.

The decision comes from :func:`awsprof.cli.guard_run.evaluate` (classify, gather, decide and, when
needed, identify with STS); this module only maps it to a refusal or a question.
"""

from __future__ import annotations

import os

from awsprof.errors import GuardRefusedError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping


def guard_change(
    environ: Mapping[str, str], profile: str, aws_words: list[str], confirm: str | None
) -> None:
    """Refuse, or ask for the account, when ``aws AWS_WORDS --profile PROFILE`` would be."""
    from awsprof.cli.guard_run import CONFIRM_VARIABLE, evaluate
    from awsprof.guard import decide as rules

    command = ["aws", *aws_words, "--profile", profile]
    interactive = os.isatty(0)
    confirm = confirm or environ.get(CONFIRM_VARIABLE) or None
    _, facts, decision = evaluate(environ, command, confirm, interactive)
    if decision.action == rules.REFUSE:
        raise GuardRefusedError(f"refused: {decision.reason}", decision.fix)
    if decision.action != rules.CONFIRM:
        return
    if not interactive:
        raise GuardRefusedError(f"refused without a terminal: {decision.reason}", decision.fix)
    from awsprof.cli.guard_box import ask_for_account, identity_box

    identity_box(facts, decision, command, environ)
    if not ask_for_account(facts):
        raise GuardRefusedError(
            "refused: the answer does not name the target account; nothing was changed"
        )
