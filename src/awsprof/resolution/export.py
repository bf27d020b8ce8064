"""The AWS CLI's ``export-credentials`` formats, and the environment ``exec`` gives a child."""

from __future__ import annotations

import json
from collections.abc import Mapping

from awsprof.credentials import Credentials, format_v2_expiration

FORMATS = ("process", "env", "env-no-export", "powershell", "windows-cmd", "fish")

# Variables that carry credentials or pick them: removed from a child's inherited environment.
CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
)


def variables(credentials: Credentials) -> dict[str, str]:
    result = {
        "AWS_ACCESS_KEY_ID": credentials.access_key_id,
        "AWS_SECRET_ACCESS_KEY": credentials.secret_access_key,
    }
    if credentials.session_token:
        result["AWS_SESSION_TOKEN"] = credentials.session_token
    if credentials.expiration is not None:
        result["AWS_CREDENTIAL_EXPIRATION"] = format_v2_expiration(credentials.expiration)
    return result


def process_json(credentials: Credentials) -> dict[str, object]:
    """``export-credentials --format process`` as the AWS CLI v2 prints it: ``Expiration`` in
    ``+00:00`` form and no ``AccountId`` (v2.36 leaves it out whatever the provider knows)."""
    data = credentials.process_json()
    data.pop("AccountId", None)
    if credentials.expiration is not None:
        data["Expiration"] = format_v2_expiration(credentials.expiration)
    return data


def render(credentials: Credentials, output_format: str) -> str:
    if output_format == "process":
        return json.dumps(process_json(credentials), indent=2) + "\n"
    lines = []
    for name, value in variables(credentials).items():
        if output_format == "env":
            lines.append(f"export {name}={value}")
        elif output_format == "env-no-export":
            lines.append(f"{name}={value}")
        elif output_format == "powershell":
            lines.append(f'$Env:{name}="{value}"')
        elif output_format == "windows-cmd":
            lines.append(f"set {name}={value}")
        elif output_format == "fish":
            lines.append(f'set -gx {name} "{value}"')
        else:
            raise ValueError(output_format)
    return "\n".join(lines) + "\n"


def child_environment(
    environ: Mapping[str, str],
    credentials: Credentials,
    profile: str,
    region: str | None,
) -> dict[str, str]:
    """The environment for ``exec``: inherited credentials removed, the resolved ones added."""
    child = {k: v for k, v in environ.items() if k not in CREDENTIAL_VARIABLES}
    child.update(variables(credentials))
    if region:
        child["AWS_REGION"] = region
        child["AWS_DEFAULT_REGION"] = region
    child["AWSPROF_PROFILE"] = profile
    return child
