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
from awsprof.profiles.model import Profile
from awsprof.resolution.cache import assume_role_key
from awsprof.resolution.providers.assume_role import ROLE_ARN, _store
from awsprof.resolution.providers.context import Context, Link, Step, Used, cached_credentials, used


def web_identity_settings(
    profile: Profile | None, environ: Mapping[str, str]
) -> tuple[str, str, str | None, tuple[Used, ...]] | None:
    """(role ARN, token file, session name, what was used) when web identity applies."""
    if profile is not None and profile.text("web_identity_token_file") and profile.text("role_arn"):
        return (
            profile.text("role_arn") or "",
            profile.text("web_identity_token_file") or "",
            profile.text("role_session_name"),
            used(profile, "role_arn", "web_identity_token_file", "role_session_name"),
        )
    role_arn, token_file = environ.get("AWS_ROLE_ARN"), environ.get("AWS_WEB_IDENTITY_TOKEN_FILE")
    if role_arn and token_file:
        shown = (
            Used("role_arn", role_arn, "AWS_ROLE_ARN"),
            Used("web_identity_token_file", token_file, "AWS_WEB_IDENTITY_TOKEN_FILE"),
        )
        return role_arn, token_file, environ.get("AWS_ROLE_SESSION_NAME"), shown
    return None


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
