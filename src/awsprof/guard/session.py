"""The guard for Python: a botocore session whose API calls go through the guard engine.

Every API call is judged by :func:`awsprof.guard.engine.evaluate` exactly as the same operation
typed as an `aws` command would be, with botocore's rules for choosing the profile: in a
protected account a call the level covers (``DeleteBucket`` at the default level, any write at
``writes``) raises :class:`GuardRefusedError` before it is sent, unless the session was made with
``confirm_account`` naming exactly that account; at ``refuse-writes`` such calls are refused; a
pin that does not match, or the implicit ``default`` reaching a protected account, refuses the
session itself. The accounts the decision depends on are found out once, when the session is
made (the slow path), never compared while unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from awsprof.errors import GuardRefusedError
from awsprof.guard import decide as rules
from awsprof.guard import engine
from awsprof.guard.facts import Facts, gather
from awsprof.guard.identify import identify
from awsprof.reader.selection import BOTOCORE

# A read-only probe: what the session itself is judged as before any call.
_SESSION_PROBE = ("sts", "get-caller-identity")


def prepare(
    environ: Mapping[str, str],
    profile: str | None,
    region: str | None,
    known_keys: Mapping[str, str] | None = None,
) -> Facts:
    """The facts of the session's target, identified when any mark or pin could matter."""
    facts = gather(environ, profile, region, client=BOTOCORE, known_keys=known_keys)
    if facts.marks or facts.expected_account is not None:
        facts = identify(facts, environ, profile, region)
    return facts


def _refused(decision: rules.Decision, what: str, facts: Facts) -> GuardRefusedError:
    hint = decision.fix
    if decision.action == rules.CONFIRM:
        hint = f"Pass confirm_account='{facts.account}' to awsprof.session() if you mean it."
    return GuardRefusedError(f"refused: {what}: {decision.reason}", hint)


def check(
    argv: list[str], facts: Facts, environ: Mapping[str, str], confirm: str | None, what: str
) -> None:
    """Raise when the engine would not run ``argv`` against the session's target."""
    verdict = engine.evaluate(
        engine.Request(
            argv=argv, environ=environ, facts=facts, confirm_account=confirm, client=BOTOCORE
        ),
        identifier=None,  # the session's facts were identified when it was made
    )
    decision = verdict.decision
    if decision.action == rules.IDENTIFY:  # not identified: never compare with an unknown
        decision = rules.decide(facts.replace(identified=True), verdict.classification, confirm)
    if decision.action != rules.RUN:
        raise _refused(decision, what, facts)


def check_session(facts: Facts, environ: Mapping[str, str], confirm: str | None) -> None:
    """The session as a whole: a wrong pin or the implicit `default` into protection."""
    check(list(_SESSION_PROBE), facts, environ, confirm, "this session")


def install(
    botocore_session: Any, facts: Facts, environ: Mapping[str, str], confirm: str | None
) -> None:
    """Check every API call of clients made from ``botocore_session`` (boto3's too)."""

    def before_parameter_build(model: Any, params: Mapping[str, Any], **_: Any) -> None:
        service = model.service_model.service_name
        argv = engine.call_argv(service, model.name, params)
        check(argv, facts, environ, confirm, f"{service}.{model.name}")

    # Before the request is built: `params` are still the API parameters the caller passed.
    botocore_session.register(
        "before-parameter-build", before_parameter_build, unique_id="awsprof-guard"
    )
