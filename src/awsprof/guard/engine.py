"""The guard engine: the one answer to "which account will this reach, and may it run?".

Every path that runs something against AWS asks here: ``awsprof guard`` (and so the shell
integration), ``awsprof exec`` (judging the child's own argv and environment when the child is the
AWS CLI), the library (``awsprof.session()`` and its botocore hook), the prompt and doctor. The
loop is always the same:

1. classify what will run (an `aws` command line, or one botocore API call);
2. gather the offline facts as the client that will run chooses the profile and credentials (the
   AWS CLI v1 and v2 read the profile variables in opposite orders; botocore for the library);
3. decide (:mod:`awsprof.guard.decide`, pure);
4. when the decision depends on an account nobody looked up, identify it (the slow path: resolve
   and ask STS), then decide again; when that fails, a change is refused (fail closed);
5. before a person is asked, identify with details (ARN, alias) for the box.

When the `aws` on PATH cannot be told (v1 or v2) and the two orders pick different profiles, both
are judged and the stricter verdict stands.
"""

from __future__ import annotations

import os

from awsprof.guard import decide as rules
from awsprof.guard.classify import Classification, classify
from awsprof.guard.facts import Facts, gather
from awsprof.guard.verbs import READ_ONLY, WRITE
from awsprof.reader.selection import AWS_CLI_V1, AWS_CLI_V2, BOTOCORE
from awsprof.values import Value

__all__ = [
    "AWS_CLI_V1",
    "AWS_CLI_V2",
    "BOTOCORE",
    "Request",
    "Verdict",
    "call_argv",
    "evaluate",
    "is_aws_cli",
    "target",
]

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from awsprof.reader.selection import Selection

    Identifier = Callable[..., Facts]

AWS_PROGRAMS = ("aws", "aws.exe", "aws.cmd")
# botocore's service names that the AWS CLI spells differently.
CLI_SERVICE_NAMES = {"s3": "s3api"}
_SEVERITY = {rules.RUN: 0, rules.IDENTIFY: 1, rules.CONFIRM: 2, rules.REFUSE: 3}


def is_aws_cli(program: str) -> bool:
    return os.path.basename(program) in AWS_PROGRAMS


class Request(Value):
    """What is about to run, where, and what the person said. Built by the ``for_*`` helpers."""

    __slots__ = (
        "argv",
        "client",
        "confirm_account",
        "environ",
        "facts",
        "interactive",
        "known_keys",
        "profile",
        "program",
        "prompt_mfa",
        "region",
        "selection",
    )

    def __init__(
        self,
        *,
        argv: Sequence[str],
        environ: Mapping[str, str],
        program: str | None = None,
        client: str | None = None,
        profile: str | None = None,
        region: str | None = None,
        confirm_account: str | None = None,
        interactive: bool = False,
        known_keys: Mapping[str, str] | None = None,
        facts: Facts | None = None,
        prompt_mfa: Callable[[str], str] | None = None,
        selection: Selection | None = None,
    ) -> None:
        self.argv = tuple(argv)  # the AWS CLI's arguments (after `aws`), or an API call as one
        self.environ = environ
        self.program = program  # the AWS CLI executable (None: the library, botocore)
        self.client = client  # None: find out from `program` when it matters
        self.profile = profile  # the library's profile (the CLI's comes from argv)
        self.region = region
        self.confirm_account = confirm_account
        self.interactive = interactive
        self.known_keys = known_keys  # access key ID -> account, already known
        self.facts = facts  # facts already gathered (and identified) for this target
        self.prompt_mfa = prompt_mfa
        # How the profile was already chosen (exec's own resolution), unless argv names one.
        self.selection = selection

    @classmethod
    def for_command(
        cls,
        command: Sequence[str],
        environ: Mapping[str, str],
        *,
        confirm_account: str | None = None,
        interactive: bool = False,
        known_keys: Mapping[str, str] | None = None,
        prompt_mfa: Callable[[str], str] | None = None,
    ) -> Request:
        """``command`` is the whole line: ``["aws", "s3", "rb", ...]``."""
        return cls(
            argv=command[1:],
            environ=environ,
            program=command[0],
            confirm_account=confirm_account,
            interactive=interactive,
            known_keys=known_keys,
            prompt_mfa=prompt_mfa,
        )


class Verdict(Value):
    __slots__ = ("classification", "decision", "facts")

    def __init__(
        self, classification: Classification, facts: Facts, decision: rules.Decision
    ) -> None:
        self.classification = classification
        self.facts = facts
        self.decision = decision

    @property
    def action(self) -> str:
        return self.decision.action


def call_argv(service: str, operation: str, params: Mapping[str, object]) -> list[str]:
    """One botocore API call (``s3``, ``DeleteBucket``) as the AWS CLI words the tables know."""
    import json

    from botocore import xform_name

    from awsprof.guard import verbs

    cli_service = CLI_SERVICE_NAMES.get(service, service)
    cli_operation = xform_name(operation, "-")
    argv = [cli_service, cli_operation]
    if (cli_service, cli_operation) in verbs.PAYLOAD_DELETIONS:
        argv += ["--cli-input-json", json.dumps(dict(params), default=str)]
    return argv


def other_program_classification(program: str) -> Classification:
    """Anything but the AWS CLI may change anything: it counts as a write."""
    return Classification(
        WRITE,
        f"`exec` runs {os.path.basename(program)}, which may change anything",
        "exec",
        os.path.basename(program),
        True,
        None,
        None,
        None,
        False,
        False,
    )


def _clients(request: Request, profile_flag: str | None) -> tuple[str, ...]:
    """Whose rules choose the profile: one client, or both AWS CLIs when it matters and the
    `aws` on PATH cannot be told."""
    if request.client is not None:
        return (request.client,)
    if request.program is None:
        return (BOTOCORE,)
    environ = request.environ
    both_set = environ.get("AWS_PROFILE") and environ.get("AWS_DEFAULT_PROFILE")
    if profile_flag or not both_set or environ["AWS_PROFILE"] == environ["AWS_DEFAULT_PROFILE"]:
        return (AWS_CLI_V2,)  # the orders agree: nothing to find out
    from awsprof.reader.clients import aws_cli_client

    client = aws_cli_client(request.program, environ)
    return (client,) if client is not None else (AWS_CLI_V2, AWS_CLI_V1)


def _default_identifier(*args: object, **kwargs: object) -> Facts:
    from awsprof.guard.identify import identify

    return identify(*args, **kwargs)  # type: ignore[arg-type]


def evaluate(request: Request, identifier: Identifier | None = _default_identifier) -> Verdict:
    """The verdict on one request; ``identifier=None`` never asks AWS (the prompt, doctor)."""
    if request.program is not None and not is_aws_cli(request.program):
        classification = other_program_classification(request.program)
        profile_flag, region = request.profile, request.region
    else:
        classification = classify(list(request.argv))
        profile_flag = classification.profile or request.profile
        region = classification.region or request.region
    verdicts = [
        _evaluate_for(request, classification, profile_flag, region, client, identifier)
        for client in _clients(request, profile_flag)
    ]
    return max(verdicts, key=lambda verdict: _SEVERITY[verdict.action])


def _explicit(request: Request, profile_flag: str | None) -> bool:
    environ = request.environ
    return bool(profile_flag) or any(
        environ.get(name) for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID")
    )


def _evaluate_for(
    request: Request,
    classification: Classification,
    profile_flag: str | None,
    region: str | None,
    client: str,
    identifier: Identifier | None,
) -> Verdict:
    facts = request.facts
    if facts is None:
        facts = gather(
            request.environ,
            profile_flag,
            region,
            # A read-only command through a named profile cannot be stopped by any mark.
            want_marks=classification.kind is not READ_ONLY or not _explicit(request, profile_flag),
            client=client,
            known_keys=request.known_keys,
            selection=None if profile_flag != request.profile else request.selection,
        )
    confirm = request.confirm_account
    decision = rules.decide(facts, classification, confirm)
    if identifier is None:
        return Verdict(classification, facts, decision)
    if decision.action == rules.IDENTIFY:
        facts = identifier(
            facts, request.environ, profile_flag, region, prompt_mfa=request.prompt_mfa
        )
        decision = rules.decide(facts, classification, confirm)
    if (
        decision.action == rules.CONFIRM
        and request.interactive
        and None in (facts.arn, facts.alias)
    ):
        # A person is about to be asked: show who they really are (ARN, alias) from AWS.
        facts = identifier(
            facts,
            request.environ,
            profile_flag,
            region,
            prompt_mfa=request.prompt_mfa,
            details=True,
        )
        decision = rules.decide(facts, classification, confirm)
    return Verdict(classification, facts, decision)


def target(environ: Mapping[str, str], program: str = "aws", *, want_marks: bool = True) -> Facts:
    """Where an `aws` command typed now would run, offline (the prompt, `use`)."""
    request = Request(argv=(), environ=environ, program=program)
    clients = _clients(request, None)
    # Unknown client and disagreeing variables: show what the AWS CLI v2 would do; the
    # disagreement itself is in the facts for the prompt to mark.
    return gather(environ, want_marks=want_marks, client=clients[0])
