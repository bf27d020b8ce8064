"""Web identity: ``role_arn`` + ``web_identity_token_file`` (in the profile or the environment).

The token file holds an OIDC token (EKS, GitHub Actions); STS trades it for role credentials with an
unsigned AssumeRoleWithWebIdentity call. The result is cached like AssumeRole's.
"""

from __future__ import annotations

import time
from collections.abc import Mapping

from awsprof.aws.clients import call
from awsprof.errors import ResolutionError
from awsprof.files import regular
from awsprof.files.jsoncache import assume_role_key
from awsprof.profiles.model import Profile
from awsprof.profiles.roles import ROLE_ARN
from awsprof.reader.accounts import web_identity
from awsprof.resolution.providers.assume_role import _store
from awsprof.resolution.providers.context import Context, Link, Step, Used, cached_credentials


def web_identity_settings(
    profile: Profile | None, environ: Mapping[str, str]
) -> tuple[str, str, str | None, tuple[Used, ...]] | None:
    """(role ARN, token file, session name, what was used) when web identity applies.

    The reader's rule (:func:`awsprof.reader.accounts.web_identity`): each setting from its
    variable when ``environ`` holds them (it is empty when ``--profile`` switched them off),
    else from the profile.
    """
    found = web_identity(profile.plain() if profile is not None else {}, environ)
    if found is None:
        return None
    (role_arn, role_where), (token_file, token_where), session_name = found
    shown = (
        Used("role_arn", role_arn, role_where),
        Used("web_identity_token_file", token_file, token_where),
    )
    return role_arn, token_file, session_name, shown


def from_web_identity(
    context: Context, name: str | None, settings: tuple[str, str, str | None, tuple[Used, ...]]
) -> Step:
    role_arn, token_file, session_name, shown = settings
    if not ROLE_ARN.match(role_arn):
        raise ResolutionError(f"malformed role_arn for web identity ({shown[0].where})")
    key_arguments = {"RoleArn": role_arn}
    if session_name:
        key_arguments["RoleSessionName"] = session_name
    key = assume_role_key(key_arguments)
    link = Link(name, "web identity", shown, cache_file=context.cli_cache.path(key))
    credentials = cached_credentials(context, key)
    if credentials is None:
        with context.cli_cache.lock(key):
            credentials = cached_credentials(context, key)
            if credentials is None:
                try:
                    with regular.open_text(token_file) as handle:  # never waits on a FIFO
                        token = handle.read().strip()
                except OSError as error:
                    raise ResolutionError(
                        f"cannot read web_identity_token_file {token_file}: "
                        f"{error.strerror or error}"
                    ) from None
                sts = context.clients.client("sts", None)
                response = call(
                    "AssumeRoleWithWebIdentity",
                    sts.assume_role_with_web_identity,
                    RoleArn=role_arn,
                    RoleSessionName=session_name or f"botocore-session-{int(time.time())}",
                    WebIdentityToken=token,
                )
                credentials = _store(context, key, response, role_arn.split(":")[4])
                return Step(credentials, link.replace(expiration=credentials.expiration))
    return Step(credentials, link.replace(expiration=credentials.expiration, from_cache=True))
