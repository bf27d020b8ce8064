"""``awsprof login`` and ``logout``: console credentials for developer tools, as ``aws login``.

Same device: authorization code + PKCE with the loopback listener of the SSO login
(``http://127.0.0.1:PORT/oauth/callback``), client ``arn:aws:signin:::devtools/same-device``.
``--remote``: client ``.../cross-device``, redirect to the service's confirmation page, which shows
base64 of ``state=...&code=...`` for the person to paste. Either way the code is redeemed with
``CreateOAuth2Token`` and a DPoP proof of a new P-256 key; the principal ARN comes from the ID
token's ``sub``. The cache entry and the profile's ``login_session`` (and ``region`` when it had
to be asked) are written as the AWS CLI writes them, so each tool uses the other's login.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from awsprof.errors import LoginRequiredError, ServiceError, UsageError
from awsprof.files.jsoncache import JsonCache
from awsprof.signin.token import (
    AWS_JSON,
    CROSS_DEVICE,
    SAME_DEVICE,
    SigninRefused,
    cache_dir,
    cache_key,
    create_token,
    expires_text,
    operation,
)

DEFAULT_TIMEOUT = 600.0
CONFIRMATION_PATH = "/v1/sessions/confirmation"

# Settings that give a profile other credentials; botocore would use them before login_session.
OTHER_CREDENTIALS = (
    ("web_identity_token_file", "Web Identity"),
    ("sso_role_name", "SSO"),
    ("sso_account_id", "SSO"),
    ("aws_access_key_id", "Access Key"),
    ("role_arn", "Assume Role"),
    ("credential_process", "Credential Process"),
)


@dataclass(frozen=True)
class LoginUi:
    """What the command line does: show the URL, read the pasted code, confirm a replacement."""

    present: Callable[[str], None]
    read_code: Callable[[], str]
    confirm: Callable[[str], bool]
    report: Callable[[str], None]


@dataclass(frozen=True)
class LoginResult:
    profile: str
    session: str
    account_id: str
    expires_at: dt.datetime
    cache_file: Path


def other_credentials(profile_settings: Mapping[str, Any]) -> str | None:
    for key, style in OTHER_CREDENTIALS:
        if key in profile_settings:
            return style
    return None


def signin_client(config_file: Path, credentials_file: Path, profile: str, region: str) -> Any:
    """An unsigned ``signin`` client with the profile's endpoint settings
    (``AWS_ENDPOINT_URL_SIGNIN``, ``[services]``, ``endpoint_url``); a profile not written yet
    counts as empty, as in the AWS CLI, so only the environment's endpoint settings apply."""
    import botocore.session
    from botocore import UNSIGNED
    from botocore.config import Config
    from botocore.exceptions import UnknownServiceError

    session = botocore.session.Session()
    session.set_config_variable("config_file", str(config_file))
    session.set_config_variable("credentials_file", str(credentials_file))
    session.set_config_variable("profile", profile)
    if profile not in session.available_profiles:
        session._profile_map[profile] = {}  # as the AWS CLI does for a new profile
    try:
        return session.create_client(
            "signin",
            region_name=region,
            config=Config(signature_version=UNSIGNED, retries={"mode": "standard"}),
        )
    except UnknownServiceError:
        raise ServiceError(
            "this botocore has no AWS Sign-In model",
            "Upgrade botocore (pip install -U botocore) in awsprof's environment.",
        ) from None


def base_uri(client: Any) -> str:
    """``scheme://host`` the token operation resolves to (its endpoint rules differ from the
    client's): a dry run of the call, stopped before anything is sent."""
    from botocore.awsrequest import AWSResponse

    seen: dict[str, str] = {}

    def capture(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        parts = urllib.parse.urlsplit(params["url"])
        seen["uri"] = f"{parts.scheme}://{parts.netloc}"
        return AWSResponse(params["url"], 200, {}, None), {}

    client.meta.events.register_first("before-call.signin.CreateOAuth2Token", capture)
    try:
        operation(client, "CreateOAuth2Token")(tokenInput={"clientId": " ", "grantType": " "})
    finally:
        client.meta.events.unregister("before-call.signin.CreateOAuth2Token", capture)
    return seen["uri"]


def authorize_url(base: str, client_id: str, state: str, challenge: str, redirect_uri: str) -> str:
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "state": state,
            "code_challenge_method": "SHA-256",
            "scope": "openid",
            "redirect_uri": redirect_uri,
            "code_challenge": challenge,
        },
        quote_via=urllib.parse.quote,
    )
    return f"{base}/v1/authorize?{query}"


def parse_pasted(text: str) -> tuple[str, str]:
    """(code, state) from what the confirmation page showed: base64 of ``state=..&code=..``."""
    try:
        decoded = base64.b64decode(text.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise UsageError(
            "the pasted authorization code is not what the sign-in page showed",
            "Copy the whole code from the browser and paste it again.",
        ) from None
    values = dict(urllib.parse.parse_qsl(decoded))
    if not values.get("code") or not values.get("state"):
        raise UsageError("the pasted authorization code has no code or state", "Log in again.")
    return values["code"], values["state"]


def principal_of(id_token: str) -> tuple[str, str]:
    """(ARN, account) from the ID token's ``sub`` (the CLI reads it unverified, as here)."""
    parts = id_token.split(".")
    try:
        if len(parts) != 3:
            raise ValueError("not a JWT")
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        arn = claims["sub"]
        fields = arn.split(":", 5)
        if len(fields) != 6 or fields[0] != "arn" or not fields[4]:
            raise ValueError("sub is not an ARN")
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ServiceError(
            "AWS Sign-In answered with an ID token without a principal ARN"
        ) from None
    return str(arn), fields[4]


def _exchange(
    client: Any, key: Any, client_id: str, code: str, verifier: str, redirect_uri: str
) -> dict[str, Any]:
    body = {
        "clientId": client_id,
        "grantType": "authorization_code",
        "code": code,
        "codeVerifier": verifier,
        "redirectUri": redirect_uri,
    }
    return create_token(client, key, body)


def _same_device(
    client: Any, key: Any, base: str, verifier: str, ui: LoginUi, timeout: float
) -> dict[str, Any]:
    import time

    from awsprof.sso.pkce import LoopbackListener, challenge

    state = str(uuid.uuid4())
    deadline = time.monotonic() + timeout
    with LoopbackListener(state) as listener:
        ui.present(
            authorize_url(base, SAME_DEVICE, state, challenge(verifier), listener.redirect_uri)
        )
        while True:
            received = listener.wait(max(deadline - time.monotonic(), 0.0))
            if received is None:
                raise LoginRequiredError(
                    f"no login arrived within {timeout:.0f} s; nothing was saved",
                    "Run `awsprof login` again, or `awsprof login --remote` when the browser "
                    "is on another host.",
                )
            if received.code is None:
                raise LoginRequiredError(
                    f"the sign-in was refused: {received.error}", "Run the login again."
                )
            try:
                output = _exchange(
                    client, key, SAME_DEVICE, received.code, verifier, listener.redirect_uri
                )
            except SigninRefused as refused:
                # Forged by a local process, or stale: the browser's own redirect may follow.
                ui.report(f"a sign-in code was refused ({refused.error or refused.code})")
                continue
            listener.finish()
            return output


def _cross_device(client: Any, key: Any, base: str, verifier: str, ui: LoginUi) -> dict[str, Any]:
    from awsprof.sso.pkce import challenge

    state = str(uuid.uuid4())
    redirect_uri = base + CONFIRMATION_PATH
    ui.present(authorize_url(base, CROSS_DEVICE, state, challenge(verifier), redirect_uri))
    code, returned_state = parse_pasted(ui.read_code())
    if returned_state != state:
        raise LoginRequiredError(
            "the pasted code belongs to another login (its state differs)", "Log in again."
        )
    try:
        return _exchange(client, key, CROSS_DEVICE, code, verifier, redirect_uri)
    except SigninRefused as refused:
        raise LoginRequiredError(
            f"AWS Sign-In refused the code: {refused.error or refused.code}: {refused.message}",
            "Run `awsprof login --remote` again.",
        ) from None


def login(
    environ: Mapping[str, str],
    config_file: Path,
    credentials_file: Path,
    profile: str,
    profile_settings: Mapping[str, Any],
    region: str,
    remote: bool,
    ui: LoginUi,
    now: Callable[[], dt.datetime],
    timeout: float = DEFAULT_TIMEOUT,
) -> LoginResult | None:
    """Log in; None when the person declined to replace the profile's session."""
    from awsprof.signin import dpop
    from awsprof.sso.pkce import new_verifier

    style = other_credentials(profile_settings)
    if style is not None:
        raise UsageError(
            f"profile '{profile}' is already configured with {style} credentials, which would "
            "take precedence over a console login",
            f"Run `awsprof login --profile NEW-NAME` for a new profile, or remove the "
            f"credentials from '{profile}' first.",
        )
    client = signin_client(config_file, credentials_file, profile, region)
    base = base_uri(client)
    key, verifier = dpop.generate_key(), new_verifier()
    if remote:
        output = _cross_device(client, key, base, verifier, ui)
        client_id = CROSS_DEVICE
    else:
        output = _same_device(client, key, base, verifier, ui, timeout)
        client_id = SAME_DEVICE
    session, account = principal_of(str(output.get("idToken", "")))
    existing = profile_settings.get("login_session")
    if (
        existing
        and existing != session
        and not ui.confirm(
            f"Profile {profile} is already configured to use session {existing}. "
            f"Do you want to overwrite it to use {session} instead?"
        )
    ):
        return None
    expires_at = now() + dt.timedelta(seconds=int(output["expiresIn"]))
    access = output["accessToken"]
    entry = {  # the AWS CLI's key order
        "accessToken": {
            "accessKeyId": access["accessKeyId"],
            "secretAccessKey": access["secretAccessKey"],
            "sessionToken": access["sessionToken"],
            "accountId": account,
            "expiresAt": expires_text(expires_at),
        },
        "tokenType": output.get("tokenType", "aws_sigv4"),
        "clientId": client_id,
        "refreshToken": output["refreshToken"],
        "idToken": output["idToken"],
        "dpopKey": dpop.key_to_pem(key),
    }
    cache = JsonCache(cache_dir(environ))
    cache.put(cache_key(session), entry, required=True, separators=AWS_JSON)
    return LoginResult(profile, session, account, expires_at, cache.path(cache_key(session)))


@dataclass(frozen=True)
class LogoutResult:
    profile: str
    session: str | None
    removed: bool
    revoked: bool


def logout(
    environ: Mapping[str, str],
    profile: str,
    session: str | None,
    revoke: Callable[[dict[str, Any]], bool],
) -> LogoutResult:
    """Delete the profile's cached login; first revoke its refresh token when ``revoke`` can
    (RevokeOAuth2TokenWithIAM, signed with the login's own credentials)."""
    if session is None:
        return LogoutResult(profile, None, False, False)
    cache = JsonCache(cache_dir(environ))
    key = cache_key(session)
    entry = cache.get(key)
    revoked = False
    if entry is not None:
        try:
            revoked = revoke(entry)
        except (ServiceError, LoginRequiredError):
            revoked = False  # the file goes anyway: logging out must always work offline
    removed = cache.delete(key)
    return LogoutResult(profile, session, removed, revoked)


def logout_all(environ: Mapping[str, str]) -> int:
    """``logout --all``: every cache entry that holds console credentials (others stay)."""
    cache = JsonCache(cache_dir(environ))
    removed = 0
    try:
        names = sorted(p.stem for p in cache.directory.glob("*.json"))
    except OSError:
        return 0
    for name in names:
        entry = cache.get(name)
        access = entry.get("accessToken") if entry else None
        if isinstance(access, dict) and "accessKeyId" in access and cache.delete(name):
            removed += 1
    return removed


def revoke_with(
    client_for: Callable[[Any], Any], now: Callable[[], dt.datetime]
) -> Callable[[dict[str, Any]], bool]:
    """A ``revoke`` for :func:`logout`: only while the cached credentials are valid."""
    from awsprof.signin.token import credentials_of

    def revoke(entry: dict[str, Any]) -> bool:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            credentials = credentials_of(entry)
        except (KeyError, TypeError, ValueError):
            return False
        token = entry.get("refreshToken")
        if not isinstance(token, str) or credentials.expires_within(dt.timedelta(0), now()):
            return False
        try:
            client = client_for(credentials)
            operation(client, "RevokeOAuth2TokenWithIAM")(token=token)
        except (BotoCoreError, ClientError):
            return False
        return True

    return revoke
