"""A console sign-in URL for a profile, through the AWS federation endpoint.

The federation endpoint needs temporary credentials; long-lived keys first get them from
STS GetFederationToken (with a policy that allows everything, so the session gets exactly the
user's own permissions: the effective rights are the intersection). Where the endpoint is:
``AWS_ENDPOINT_URL_SIGNIN``, else the ``signin`` entry of the profile's ``[services]`` section
(the same rules botocore applies to every other service; the sandbox writes one), else AWS's.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field

from awsprof.aws.clients import call
from awsprof.credentials import Credentials
from awsprof.errors import ServiceError

FEDERATION_URL = "https://signin.aws.amazon.com/federation"
CONSOLE_URL = "https://console.aws.amazon.com/"
ISSUER = "awsprof"
FEDERATION_SECONDS = 12 * 3600  # GetFederationToken's maximum for IAM users
_ALLOW_ALL = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)


@dataclass(frozen=True)
class SigninUrl:
    url: str = field(repr=False)  # holds a sign-in token: valid for 15 minutes, show with care
    destination: str
    federated: bool  # GetFederationToken was needed (long-lived keys)
    account: str | None = None  # the account the console session is in
    profile: str | None = None  # the profile it signs in as


def federation_endpoint(environ: Mapping[str, str], services: Mapping[str, object] | None) -> str:
    if environ.get("AWS_ENDPOINT_URL_SIGNIN"):
        return environ["AWS_ENDPOINT_URL_SIGNIN"].rstrip("/") + "/federation"
    entry = (services or {}).get("signin")
    if isinstance(entry, dict) and entry.get("endpoint_url"):
        return str(entry["endpoint_url"]).rstrip("/") + "/federation"
    return FEDERATION_URL


def destination_url(service: str | None, region: str | None) -> str:
    if not service:
        return CONSOLE_URL
    if region:
        return f"https://{region}.console.aws.amazon.com/{service}/home?region={region}"
    return f"https://console.aws.amazon.com/{service}/home"


def signin_url(
    environ: Mapping[str, str], profile: str | None, service: str | None = None
) -> SigninUrl:
    from awsprof.resolution.chain import resolve_in_context

    resolution, context = resolve_in_context(environ, profile)
    credentials = resolution.credentials
    federated = not credentials.temporary
    if federated:
        sts = context.clients.client("sts", credentials)
        answer = call(
            "GetFederationToken",
            sts.get_federation_token,
            Name=f"awsprof-{resolution.selection.profile}"[:32],
            Policy=_ALLOW_ALL,
            DurationSeconds=FEDERATION_SECONDS,
        )["Credentials"]
        credentials = Credentials(
            answer["AccessKeyId"], answer["SecretAccessKey"], answer["SessionToken"]
        )
    services_name = None
    chosen = context.files.profile(resolution.selection.profile)
    if chosen is not None:
        services_name = chosen.text("services")
    section = context.files.services(services_name) if services_name else None
    services = {k: s.value for k, s in section.settings.items()} if section else None
    endpoint = federation_endpoint(environ, services)
    token = _signin_token(endpoint, credentials)
    destination = destination_url(service, resolution.region.name)
    query = urllib.parse.urlencode(
        {"Action": "login", "Issuer": ISSUER, "Destination": destination, "SigninToken": token}
    )
    return SigninUrl(
        f"{endpoint}?{query}",
        destination,
        federated,
        resolution.account_id,
        resolution.selection.profile,
    )


def _signin_token(endpoint: str, credentials: Credentials) -> str:
    session = json.dumps(
        {
            "sessionId": credentials.access_key_id,
            "sessionKey": credentials.secret_access_key,
            "sessionToken": credentials.session_token,
        }
    )
    query = urllib.parse.urlencode({"Action": "getSigninToken", "Session": session})
    if not endpoint.startswith(("https://", "http://")):
        raise ServiceError(f"the sign-in endpoint {endpoint} is not an http(s) URL")
    try:
        with urllib.request.urlopen(f"{endpoint}?{query}", timeout=30) as answer:  # noqa: S310 - checked scheme
            token = json.loads(answer.read())["SigninToken"]
    except (OSError, ValueError, KeyError) as error:
        status = getattr(error, "code", None)
        raise ServiceError(
            "the federation endpoint refused the sign-in token request"
            + (f" (HTTP {status})" if status else f": {type(error).__name__}")
        ) from None
    return str(token)
