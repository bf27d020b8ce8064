"""The guard's slow path: find out from AWS which account a command reaches.

Taken only when the account decides the outcome and is not known offline (long-term keys never
checked before, a marked profile of unknown account), or to show a person the full identity
before they confirm. It resolves the credentials exactly as the AWS CLI would (the final role of a
chain, environment keys over ``AWS_PROFILE``) and asks STS; the account of long-term keys is then
cached per key ID, so the next command needs no network. Failures are recorded, never raised: the
decision fails closed on them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from awsprof.errors import AwsprofError
from awsprof.guard.facts import Facts


def _resolve_account(
    environ: Mapping[str, str],
    profile_flag: str | None,
    region: str | None,
    prompt_mfa: Callable[[str], str] | None,
    details: bool,
    client: str,
) -> tuple[str, str, str | None, str | None]:
    """(account, where it comes from, ARN, alias) of what ``client`` would use."""
    from awsprof.resolution import identity
    from awsprof.resolution.chain import resolve_in_context

    resolution, context = resolve_in_context(
        environ, profile_flag, region, prompt_mfa=prompt_mfa, client=client
    )
    account = resolution.account_id
    source = "the resolved credentials (role ARN, SSO account or credential_process)"
    arn = alias = None
    if account is None or details:
        try:
            found = identity.caller_identity(context.clients, resolution.credentials, environ)
        except AwsprofError:
            if account is None:
                raise
        else:
            if account is None:
                source = "STS GetCallerIdentity"
            account, arn = found.account, found.arn
    if details:
        alias = identity.account_alias(context.clients, resolution.credentials, environ, account)
    return account, source, arn, alias


def _why(error: BaseException) -> str:
    if isinstance(error, AwsprofError):
        return error.message
    return f"{type(error).__name__}: {error}"


def identify(
    facts: Facts,
    environ: Mapping[str, str],
    profile_flag: str | None,
    region: str | None,
    *,
    prompt_mfa: Callable[[str], str] | None = None,
    details: bool = False,
) -> Facts:
    """The facts with the target's account from AWS, and the accounts of marked profiles that
    nobody checked yet.

    ``details`` also asks for the ARN and the account alias, for the box a person confirms. A
    marked profile whose account cannot be found out protects only itself (by name): it is listed
    in ``unresolved_marks`` so that the decision can say so and how to pin it, instead of one
    broken profile blocking every account (or being blamed on the target).
    """
    try:
        account, source, arn, alias = _resolve_account(
            environ, profile_flag, region, prompt_mfa, details, facts.client
        )
    except Exception as error:  # a network or botocore failure must not let a command through
        return facts.replace(identified=True, identity_error=_why(error))
    found_marks = []
    unresolved = list(facts.unresolved_marks)
    for mark in facts.marks:
        if mark.level is not None and mark.account is None and mark.profile not in unresolved:
            try:
                mark_account, mark_source, _, _ = _resolve_account(
                    environ, mark.profile, None, prompt_mfa, False, facts.client
                )
            except Exception:
                unresolved.append(mark.profile)
            else:
                mark = mark.replace(account=mark_account, account_source=mark_source)
        found_marks.append(mark)
    return facts.replace(
        identified=True,
        identity_error=None,
        account=account,
        account_source=source,
        arn=arn or facts.arn,
        alias=alias,
        marks=tuple(found_marks),
        unresolved_marks=tuple(unresolved),
    )
