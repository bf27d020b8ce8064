"""The guard for Python: a botocore session whose API calls are classified like `aws` commands.

In a protected account, a call the level covers (``DeleteBucket`` at the default level, any write
at ``writes``) raises :class:`GuardRefusedError` before it is sent, unless the session was made
with ``confirm_account`` naming exactly that account; at ``refuse-writes`` such calls are always
refused. The operation's kebab-case name goes through the same tables as the AWS CLI's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from awsprof.errors import GuardRefusedError
from awsprof.guard import marks, verbs
from awsprof.guard.classify import classify
from awsprof.guard.decide import Protection, asks
from awsprof.guard.facts import Facts, gather

# botocore's service names that the AWS CLI spells differently.
CLI_SERVICE_NAMES = {"s3": "s3api"}


def facts_for(environ: Mapping[str, str], profile: str | None, account: str | None) -> Facts:
    """The offline facts of the selected profile, with the account the resolution found."""
    facts = gather(environ, profile)
    if account is not None:
        facts.account, facts.identified = account, True
    return facts


def check_call(
    service: str, operation: str, params: Mapping[str, Any], facts: Facts, confirm: str | None
) -> None:
    """Refuse one API call (botocore names: ``s3``, ``DeleteBucket``) when the level covers it."""
    from botocore import xform_name

    level = Protection(facts).level
    if level is None:
        return
    cli_service = CLI_SERVICE_NAMES.get(service, service)
    cli_operation = xform_name(operation, "-")
    argv = [cli_service, cli_operation]
    if (cli_service, cli_operation) in verbs.PAYLOAD_DELETIONS:
        argv += ["--cli-input-json", json.dumps(dict(params), default=str)]
    classification = classify(argv)
    if not asks(level, classification.kind):
        return
    if level != marks.REFUSE_WRITES and confirm is not None and confirm == facts.account:
        return
    raise GuardRefusedError(
        f"refused: {service}.{operation} ({classification.reason}) in protected account "
        f"{facts.account} (level {level}: {Protection(facts).why})",
        f"Pass confirm_account='{facts.account}' to awsprof.session() if you mean it."
        if level != marks.REFUSE_WRITES
        else "This account accepts no changes through awsprof (level refuse-writes).",
    )


def install(botocore_session: Any, facts: Facts, confirm: str | None) -> None:
    """Check every API call of clients made from ``botocore_session`` (boto3's too)."""
    if Protection(facts).level is None:
        return

    def before_parameter_build(model: Any, params: Mapping[str, Any], **_: Any) -> None:
        check_call(model.service_model.service_name, model.name, params, facts, confirm)

    # Before the request is built: `params` are still the API parameters the caller passed.
    botocore_session.register(
        "before-parameter-build", before_parameter_build, unique_id="awsprof-guard"
    )


def refuse_implicit_default(facts: Facts) -> None:
    """No profile named and the implicit `default` reaches a protected account: refused."""
    protection = Protection(facts)
    if facts.implicit_default and protection.level is not None:
        raise GuardRefusedError(
            "refused: no profile was named, so the session would use the implicit 'default', "
            f"which reaches protected account {facts.account} ({protection.why})",
            "Name the profile: awsprof.session('NAME').",
        )
