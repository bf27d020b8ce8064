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
) -> tuple[str, str, str | None, str | None]:
    """(account, where it comes from, ARN, alias) of what the AWS CLI would use."""
    from awsprof.resolution import identity
    from awsprof.resolution.chain import resolve_in_context

    resolution, context = resolve_in_context(environ, profile_flag, region, prompt_mfa=prompt_mfa)
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


def identify(
    facts: Facts,
    environ: Mapping[str, str],
    profile_flag: str | None,
    region: str | None,
    *,
    prompt_mfa: Callable[[str], str] | None = None,
    details: bool = False,
) -> None:
    """Fill in the target's account (and the accounts of marked profiles nobody checked yet).

    ``details`` also asks for the ARN and the account alias, for the box a person confirms.
    """
    facts.identified = True
    try:
        account, source, arn, alias = _resolve_account(
            environ, profile_flag, region, prompt_mfa, details
        )
    except AwsprofError as error:
        facts.identity_error = error.message
        return
    except Exception as error:  # a network or botocore failure must not let a command through
        facts.identity_error = f"{type(error).__name__}: {error}"
        return
    facts.account, facts.account_source = account, source
    facts.arn = arn or facts.arn
    facts.alias = alias
    for mark in facts.marks:
        if mark.level is None or mark.account is not None:
            continue
        try:
            mark.account, mark.account_source, _, _ = _resolve_account(
                environ, mark.profile, None, prompt_mfa, False
            )
        except Exception as error:
            facts.identity_error = (
                f"the account of protected profile '{mark.profile}' cannot be determined: "
                f"{getattr(error, 'message', error)}"
            )
            facts.account = None  # the target might be that account: unknown, fail closed
            return
