"""The login cache shared with the AWS CLI and botocore, and the Sign-In token operation.

Files: ``~/.aws/login/cache`` (``AWS_LOGIN_CACHE_DIRECTORY`` moves it), named by the SHA-256 of
the ``login_session`` value, holding botocore's JSON (``json.dumps`` defaults, no newline):
``accessToken`` {accessKeyId, secretAccessKey, sessionToken, accountId, expiresAt},
``tokenType``, ``clientId``, ``refreshToken``, ``idToken``, ``dpopKey``.

Refresh is botocore's: ``CreateOAuth2Token`` with ``grantType=refresh_token`` and a DPoP proof
signed with the cached key, once less than five minutes are left. Unlike botocore, one process
refreshes under a per-entry lock while the others wait and re-read, and the entry is replaced
atomically (0600), so parallel commands never race to rotate the refresh token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from awsprof.credentials import Credentials, parse_expiration
from awsprof.errors import LoginRequiredError, ServiceError
from awsprof.files import locate
from awsprof.files.jsoncache import JsonCache

CACHE_VARIABLE = "AWS_LOGIN_CACHE_DIRECTORY"
REFRESH_WINDOW = dt.timedelta(minutes=5)  # botocore's; Sign-In credentials last 15 minutes
AWS_JSON = (", ", ": ")  # botocore's JSONFileCache writes json.dumps' default separators
SAME_DEVICE = "arn:aws:signin:::devtools/same-device"
CROSS_DEVICE = "arn:aws:signin:::devtools/cross-device"
REFRESH_LOCK_TIMEOUT = 120.0


def cache_dir(environ: Mapping[str, str]) -> Path:
    """botocore's rule: the variable (``$VARS`` and ``~`` expanded), else ~/.aws/login/cache."""
    home = locate.home_dir(environ)
    configured = environ.get(CACHE_VARIABLE)
    if configured is not None:
        expanded = os.path.expandvars(configured)
        if expanded == "~" or expanded.startswith("~/"):
            expanded = home + expanded[1:]
        return Path(os.path.expanduser(expanded))
    return Path(home) / ".aws" / "login" / "cache"


def cache_key(session: str) -> str:
    return hashlib.sha256(session.encode("utf-8")).hexdigest()


def cache_file(environ: Mapping[str, str], session: str) -> Path:
    """The entry of one ``login_session``: ``<cache dir>/<sha256 of the session>.json``."""
    return cache_dir(environ) / (cache_key(session) + ".json")


def login_cache(environ: Mapping[str, str]) -> JsonCache:
    return JsonCache(cache_dir(environ))


def expires_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def credentials_of(entry: Mapping[str, Any]) -> Credentials:
    """The credentials of a cache entry; KeyError, TypeError or ValueError when unusable."""
    access = entry["accessToken"]
    fields = [access[k] for k in ("accessKeyId", "secretAccessKey", "sessionToken")]
    if not all(isinstance(value, str) and value for value in fields):
        raise TypeError("accessKeyId, secretAccessKey and sessionToken must be strings")
    account = access.get("accountId")
    return Credentials(
        fields[0],
        fields[1],
        fields[2],
        parse_expiration(access["expiresAt"]),
        account if isinstance(account, str) else None,
    )


class SigninRefused(Exception):
    """The token endpoint said no: the AWS error code and the model's OAuth ``error``."""

    def __init__(self, code: str, error: str, message: str) -> None:
        super().__init__(f"{code} ({error}): {message}")
        self.code = code
        self.error = error
        self.message = message


def operation(client: Any, name: str) -> Any:
    """The client method of operation ``name``: botocore releases spell some differently
    (``create_o_auth2_token`` in the AWS CLI's, ``create_oauth2_token`` on PyPI)."""
    for method, api in client.meta.method_to_api_mapping.items():
        if api == name:
            return getattr(client, method)
    raise ServiceError(f"this botocore's signin client has no {name}", "Upgrade botocore.")


def create_token(client: Any, key: Any, token_input: dict[str, str]) -> dict[str, Any]:
    """``CreateOAuth2Token`` with a fresh DPoP proof for the URL botocore resolved."""
    import time

    from botocore.exceptions import BotoCoreError, ClientError

    from awsprof.signin import dpop

    def add_proof(params: dict[str, Any], **_: Any) -> None:
        params["headers"]["DPoP"] = dpop.proof(key, params["url"], int(time.time()))

    client.meta.events.register("before-call.signin.CreateOAuth2Token", add_proof)
    try:
        answer = operation(client, "CreateOAuth2Token")(tokenInput=token_input)
    except ClientError as error:
        response = error.response
        raise SigninRefused(
            str(response.get("Error", {}).get("Code", "Unknown")),
            str(response.get("error", "")),
            str(response.get("message") or response.get("Error", {}).get("Message", "")),
        ) from None
    except BotoCoreError as error:
        raise ServiceError(f"the AWS Sign-In token call failed: {error}") from None
    output = answer.get("tokenOutput") if isinstance(answer, dict) else None
    if not isinstance(output, dict) or "accessToken" not in output:
        raise ServiceError("the AWS Sign-In token call answered without credentials")
    return output


REFUSALS = {
    "TOKEN_EXPIRED": "the console login session expired or was revoked",
    "USER_CREDENTIALS_CHANGED": "the password of the console user changed",
    "INSUFFICIENT_PERMISSIONS": "the identity may not call signin:CreateOAuth2Token",
}


def refresh(
    cache: JsonCache,
    session: str,
    client: Callable[[], Any],
    now: Callable[[], dt.datetime],
    hint: str,
) -> dict[str, Any]:
    """Refresh the entry of ``session`` once across processes; returns the entry to use."""
    from awsprof.signin import dpop

    key = cache_key(session)
    path = cache.path(key)
    with cache.lock(key, REFRESH_LOCK_TIMEOUT):
        entry = cache.get(key)
        if entry is None:
            raise LoginRequiredError(f"the login cache {path} is gone or unreadable", hint)
        try:
            current = credentials_of(entry)
        except (KeyError, TypeError, ValueError):
            message = f"the login cache {path} has no usable credentials"
            raise LoginRequiredError(message, hint) from None
        if current.expiration is not None and current.expiration - now() > REFRESH_WINDOW:
            return entry  # another process refreshed it while this one waited
        refresh_token, client_id, pem = (
            entry.get("refreshToken"),
            entry.get("clientId"),
            entry.get("dpopKey"),
        )
        if not all(isinstance(v, str) and v for v in (refresh_token, client_id, pem)):
            raise LoginRequiredError(
                f"the login cache {path} lacks refreshToken, clientId or dpopKey", hint
            )
        assert isinstance(pem, str) and isinstance(client_id, str)  # noqa: S101 - checked
        assert isinstance(refresh_token, str)  # noqa: S101 - checked
        private = dpop.key_from_pem(pem, str(path), hint)
        grant = {"clientId": client_id, "refreshToken": refresh_token, "grantType": "refresh_token"}
        try:
            output = create_token(client(), private, grant)
        except SigninRefused as refused:
            reason = REFUSALS.get(refused.error, f"{refused.code}: {refused.message}")
            raise LoginRequiredError(
                f"the console login '{session}' could not be refreshed: {reason}", hint
            ) from None
        access = output["accessToken"]
        updated = dict(entry)  # keeps the AWS CLI's key order and any field it added
        updated["accessToken"] = {
            "accessKeyId": access["accessKeyId"],
            "secretAccessKey": access["secretAccessKey"],
            "sessionToken": access["sessionToken"],
            "accountId": entry["accessToken"].get("accountId"),
            "expiresAt": expires_text(now() + dt.timedelta(seconds=int(output["expiresIn"]))),
        }
        updated["refreshToken"] = output["refreshToken"]
        cache.put(key, updated, required=True, separators=AWS_JSON)
        return updated
