"""The library API for Python users: the same resolution as the command line, as data or as a
ready boto3/botocore session.

    import awsprof
    explained = awsprof.resolve("prod")          # which profile, chain, files and lines, expiry
    s3 = awsprof.session("prod").client("s3")    # boto3 session with refreshing credentials
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from awsprof.errors import GuardRefusedError
from awsprof.reader.selection import BOTOCORE
from awsprof.resolution.chain import Resolution, resolve_in_context


def resolve(
    profile: str | None = None,
    *,
    region: str | None = None,
    environ: Mapping[str, str] | None = None,
    client: str = BOTOCORE,
) -> Resolution:
    """Resolve credentials as ``awsprof whoami --explain`` does, returning the explanation.

    The profile is chosen as ``client`` chooses it: boto3's rules by default (the same as
    :func:`session`); ``client="aws-cli-v2"`` for the AWS CLI v2's (``whoami``'s).
    """
    return resolve_in_context(environ, profile, region, client=client)[0]


def session(
    profile: str | None = None,
    *,
    region: str | None = None,
    expect_account: str | None = None,
    environ: Mapping[str, str] | None = None,
    guard: bool = True,
    confirm_account: str | None = None,
) -> Any:
    """A boto3 session (botocore's when boto3 is not installed) using awsprof's resolution.

    Temporary credentials refresh themselves through awsprof (and its shared caches). With
    ``expect_account``, a session that would reach any other account is refused (exit code 7's
    error) before a single API call is made with it.

    In a protected account (``awsprof protect``), the session is guarded: API calls are
    classified as the `aws` guard classifies commands, and those the level covers (destructive
    ones by default) raise ``GuardRefusedError`` unless ``confirm_account`` is exactly the
    account. The implicit ``default`` reaching a protected account is refused outright.
    ``guard=False`` turns this off.
    """
    env = os.environ if environ is None else environ
    # The profile and credentials boto3 itself would choose (AWS_DEFAULT_PROFILE first).
    resolution, context = resolve_in_context(env, profile, region, client=BOTOCORE)
    account = resolution.account_id

    if expect_account is not None:
        if account is None:
            from awsprof.resolution.identity import caller_identity

            account = caller_identity(context.clients, resolution.credentials, env).account
        if account != expect_account:
            raise GuardRefusedError(
                f"profile '{resolution.selection.profile}' reaches account {account}, "
                f"not the expected {expect_account}"
            )
    botocore_session = _botocore_session(resolution, env, region)
    if guard:
        from awsprof.guard import session as guarded

        known = {resolution.credentials.access_key_id: account} if account else None
        facts = guarded.prepare(env, profile, region, known)
        guarded.check_session(facts, env, confirm_account)
        guarded.install(botocore_session, facts, env, confirm_account)
    try:
        import boto3
    except ImportError:
        return botocore_session
    return boto3.Session(botocore_session=botocore_session)


def _botocore_session(
    resolution: Resolution, environ: Mapping[str, str], region: str | None
) -> Any:
    import botocore.session
    from botocore.credentials import RefreshableCredentials

    from awsprof.files import locate

    name = resolution.selection.profile
    result = botocore.session.Session()
    config_file, credentials_file = locate.aws_files(environ)
    result.set_config_variable("config_file", str(config_file))
    result.set_config_variable("credentials_file", str(credentials_file))
    if any(link.profile == name for link in resolution.links):
        result.set_config_variable("profile", name)  # endpoints and settings of that profile
    if resolution.region.name or region:
        result.set_config_variable("region", region or resolution.region.name)

    def metadata(fresh: Resolution) -> dict[str, Any]:
        creds = fresh.credentials
        return {
            "access_key": creds.access_key_id,
            "secret_key": creds.secret_access_key,
            "token": creds.session_token,
            "expiry_time": creds.expiration.isoformat() if creds.expiration else None,
        }

    creds = resolution.credentials
    if creds.expiration is None:
        result.set_credentials(creds.access_key_id, creds.secret_access_key, creds.session_token)
    else:
        refreshable = RefreshableCredentials.create_from_metadata(
            metadata(resolution),
            lambda: metadata(resolve_in_context(environ, name, region)[0]),
            "awsprof",
        )
        # botocore has no public setter for refreshable credentials on a session.
        result._credentials = refreshable
    return result
