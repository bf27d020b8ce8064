"""A thin check in front of moto for what moto lets through and AWS refuses.

moto (5.2) hands out credentials for a role that does not exist, and checks a trust policy only
when the role is in the caller's own account; requests signed with the session of a missing role
then fail inside moto with an HTTP 500. AWS says AccessDenied or InvalidClientTokenId. This WSGI
wrapper keeps AWS's order: moto authenticates the request and applies the caller's own policies
first; only an AssumeRole that moto granted is then checked here (role exists, trust policy names
the caller, DurationSeconds within the role's and role chaining's limits) and, when refused, the
session moto created is forgotten and AWS's error is answered instead.

moto's own same-account trust check is switched off (it refuses account principals, which AWS
accepts): every trust policy is checked here. Conditions are not evaluated, except
``sts:ExternalId`` with StringEquals.
"""

from __future__ import annotations

import fnmatch
import io
import json
import re
import urllib.parse
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

PARTITION = "aws"
ROLE_CHAINING_LIMIT = 3600
_CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/[^/]+/([^/]+)/([^/]+)/")
_ISSUED_KEY = re.compile(rb"<AccessKeyId>([^<]+)</AccessKeyId>")
_ACCOUNT = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Caller:
    """Who signed a request: an IAM user, or a session of a role."""

    account_id: str
    arn: str  # user ARN, or the assumed-role session ARN
    role_arn: str | None = None  # for a role session: the role it came from


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def take_over_trust_checks() -> None:
    """moto checks a same-account trust policy itself, matching only ``*`` or the exact caller
    ARN, so an account principal (``arn:aws:iam::ACCOUNT:root``), which AWS accepts, is refused.
    Every trust policy is checked here instead, the same way for every account."""
    from moto.iam.access_control import IAMRequestBase

    IAMRequestBase._check_role_trust_relationship = lambda self, role_arn: True  # type: ignore[method-assign]


class StsGate:
    """WSGI middleware around moto's application (see the module docstring)."""

    def __init__(self, app: WsgiApp) -> None:
        self.app = app
        take_over_trust_checks()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not _enforcing():
            return self.app(environ, start_response)
        match = _CREDENTIAL.search(environ.get("HTTP_AUTHORIZATION", ""))
        if match is None:
            return self.app(environ, start_response)
        key_id, service = match.group(1), match.group(3)
        try:
            _check_session_role(key_id, service)
        except Refusal as refusal:
            return _refuse(environ, start_response, refusal, service)
        if service != "sts":
            return self.app(environ, start_response)
        params = _params(environ)
        if params.get("Action") != "AssumeRole":
            return self.app(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(self.app(environ, capture))
        if captured["status"].startswith("200"):
            try:
                check_assume_role(key_id, params)
            except Refusal as refusal:
                _forget_session(params.get("RoleArn", ""), body)
                return _refuse(environ, start_response, refusal, service)
        start_response(captured["status"], captured["headers"])
        return [body]


def _enforcing() -> bool:
    """moto's own switch (``/moto-api/reset-auth``): the gate bites only when moto does."""
    from moto import settings
    from moto.core.authorization import ActionAuthenticatorMixin

    return bool(ActionAuthenticatorMixin.request_count >= settings.INITIAL_NO_AUTH_ACTION_COUNT)


def _params(environ: dict[str, Any]) -> dict[str, str]:
    """The query and form parameters; the body is read once and put back for moto."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    params = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
    if body and "json" not in environ.get("CONTENT_TYPE", ""):
        params.update(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
    return params


def find_caller(key_id: str) -> Caller | None:
    from moto.iam.models import iam_backends
    from moto.sts.models import sts_backends

    for account_id in list(sts_backends.keys()):
        backend = sts_backends[account_id][PARTITION]
        session = backend.get_assumed_role_from_access_key(key_id)
        if session is not None:
            return Caller(account_id, session.arn, session.role_arn)
    for account_id in list(iam_backends.keys()):
        user = iam_backends[account_id][PARTITION].get_user_from_access_key_id(key_id)
        if user is not None:
            return Caller(account_id, user.arn)
    return None


def find_role(role_arn: str) -> Any | None:
    from moto.iam.models import iam_backends

    parts = role_arn.split(":")
    if len(parts) < 6 or not _ACCOUNT.match(parts[4]) or not parts[5].startswith("role/"):
        return None
    backend = iam_backends[parts[4]][PARTITION]
    return next((role for role in backend.get_roles() if role.arn == role_arn), None)


def _check_session_role(key_id: str, service: str) -> None:
    """A session whose role no longer exists is not a valid token (moto answered HTTP 500)."""
    caller = find_caller(key_id)
    if caller is None or caller.role_arn is None or find_role(caller.role_arn) is not None:
        return
    if service == "s3":
        raise Refusal(403, "InvalidToken", "The provided token is malformed or otherwise invalid.")
    raise Refusal(
        403, "InvalidClientTokenId", "The security token included in the request is invalid."
    )


def check_assume_role(key_id: str, params: dict[str, str]) -> None:
    """AWS's checks on an AssumeRole that moto granted; Refusal when AWS would refuse it."""
    caller = find_caller(key_id)
    if caller is None:
        return  # not a key of this sandbox: moto has already answered for it
    role_arn = params.get("RoleArn", "")
    role = find_role(role_arn)
    denied = Refusal(
        403,
        "AccessDenied",
        f"User: {caller.arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}",
    )
    if role is None or not trust_allows(role.assume_role_policy_document, caller, params):
        raise denied
    seconds = params.get("DurationSeconds")
    if seconds is None:
        return
    if caller.role_arn is not None and int(seconds) > ROLE_CHAINING_LIMIT:
        raise Refusal(
            400,
            "ValidationError",
            "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
            "role chaining.",
        )
    if int(seconds) > int(role.max_session_duration or 3600):
        raise Refusal(
            400,
            "ValidationError",
            "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
        )


def trust_allows(document: Any, caller: Caller, params: dict[str, str]) -> bool:
    policy = _policy(document)
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    allowed = False
    for statement in statements:
        if not (_action_matches(statement.get("Action")) and _principal_matches(statement, caller)):
            continue
        if statement.get("Effect") == "Deny":
            return False
        if statement.get("Effect") == "Allow" and _conditions_hold(statement, params):
            allowed = True
    return allowed


def _policy(document: Any) -> dict[str, Any]:
    if isinstance(document, dict):
        return document
    text = str(document)
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = json.loads(urllib.parse.unquote(text))
    return parsed if isinstance(parsed, dict) else {}


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(item) for item in value]


def _action_matches(action: Any) -> bool:
    return any(fnmatch.fnmatch("sts:assumerole", a.lower()) for a in _listed(action))


def _principal_matches(statement: dict[str, Any], caller: Caller) -> bool:
    principal = statement.get("Principal")
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    names = {caller.arn, caller.account_id, f"arn:{PARTITION}:iam::{caller.account_id}:root"}
    if caller.role_arn:
        names.add(caller.role_arn)
    return any(p == "*" or p in names for p in _listed(principal.get("AWS")))


def _conditions_hold(statement: dict[str, Any], params: dict[str, str]) -> bool:
    for operator, tests in (statement.get("Condition") or {}).items():
        for key, expected in tests.items():
            external_id = operator == "StringEquals" and key.lower() == "sts:externalid"
            if external_id and params.get("ExternalId") not in _listed(expected):
                return False
    return True


def _forget_session(role_arn: str, body: bytes) -> None:
    """Drop the session moto created for a refused AssumeRole: its keys must never work."""
    from moto.sts.models import sts_backends

    issued = _ISSUED_KEY.search(body)
    parts = role_arn.split(":")
    if issued is None or len(parts) < 5 or not _ACCOUNT.match(parts[4]):
        return
    key_id = issued.group(1).decode()
    backend = sts_backends[parts[4]][PARTITION]
    backend.assumed_roles = [r for r in backend.assumed_roles if r.access_key_id != key_id]


def _refuse(
    environ: dict[str, Any], start_response: StartResponse, refusal: Refusal, service: str
) -> list[bytes]:
    """AWS's error shape for the protocol of the request: JSON, S3's XML or the query XML."""
    request_id = str(uuid.uuid4())
    reason = {400: "Bad Request", 403: "Forbidden"}.get(refusal.status, "Error")
    message = _xml_text(refusal.message)
    if environ.get("HTTP_X_AMZ_TARGET") or "json" in environ.get("CONTENT_TYPE", ""):
        content_type = "application/x-amz-json-1.1"
        body = json.dumps({"__type": refusal.code, "message": refusal.message}).encode()
    elif service == "s3":
        content_type = "application/xml"
        body = (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{refusal.code}</Code>'
            f"<Message>{message}</Message><RequestId>{request_id}</RequestId></Error>"
        ).encode()
    else:
        content_type = "text/xml"
        body = (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{refusal.code}</Code><Message>{message}</Message>"
            f"</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
    start_response(
        f"{refusal.status} {reason}",
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("x-amzn-RequestId", request_id),
        ],
    )
    return [body]


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
