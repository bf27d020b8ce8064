"""Credentials from ``AWS_ACCESS_KEY_ID`` / ``AWS_SECRET_ACCESS_KEY`` (and the session token).

They win over ``AWS_PROFILE`` and the files; only an explicit ``--profile`` turns them off.
"""

from __future__ import annotations

from collections.abc import Mapping

from awsprof.credentials import Credentials, parse_expiration
from awsprof.errors import ResolutionError
from awsprof.resolution.providers.context import Link, Step, Used
from awsprof.secrets import mask


def from_environment(environ: Mapping[str, str]) -> Step | None:
    key_id = environ.get("AWS_ACCESS_KEY_ID") or None
    secret = environ.get("AWS_SECRET_ACCESS_KEY") or None
    if key_id is None and secret is None:
        return None
    if key_id is None or secret is None:
        missing = "AWS_SECRET_ACCESS_KEY" if key_id else "AWS_ACCESS_KEY_ID"
        raise ResolutionError(
            f"the environment has only half of a key pair: {missing} is not set",
            "Set both variables, or unset both to use a profile.",
        )
    token = environ.get("AWS_SESSION_TOKEN") or environ.get("AWS_SECURITY_TOKEN") or None
    expiry_text = environ.get("AWS_CREDENTIAL_EXPIRATION")
    expiration = parse_expiration(expiry_text) if expiry_text else None
    used = [
        Used("aws_access_key_id", key_id, "AWS_ACCESS_KEY_ID"),
        Used("aws_secret_access_key", mask(secret) or "", "AWS_SECRET_ACCESS_KEY"),
    ]
    if token:
        used.append(Used("aws_session_token", mask(token) or "", "AWS_SESSION_TOKEN"))
    credentials = Credentials(key_id, secret, token, expiration)
    return Step(credentials, Link(None, "environment", tuple(used), expiration))
