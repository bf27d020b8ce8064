"""The emulator's WSGI application: routes, the JSON wire format, the request log and the
sandbox-only control endpoints (``/_sandbox/...``) that tests and the demo use.

Error answers carry the error code in ``x-amzn-ErrorType`` (botocore's rest-json parser reads it
first), OIDC errors also carry the OAuth ``error`` and ``error_description`` members, and portal
errors a ``message``, so unmodified botocore raises the same exceptions as against AWS.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from awsprof.sandbox.identity_center import pages
from awsprof.sandbox.identity_center.model import OAUTH_ERRORS, ApiError, LogEntry, Store
from awsprof.sandbox.identity_center.oidc import Oidc
from awsprof.sandbox.identity_center.portal import Portal
from awsprof.sandbox.signin.service import Signin, SigninError, identities

BEARER_HEADER = "x-amz-sso_bearer_token"
BEARER_ENVIRON_KEY = "HTTP_X_AMZ_SSO_BEARER_TOKEN"

ROUTES = Map(
    [
        Rule("/client/register", methods=["POST"], endpoint="RegisterClient"),
        Rule("/device_authorization", methods=["POST"], endpoint="StartDeviceAuthorization"),
        Rule("/token", methods=["POST"], endpoint="CreateToken"),
        Rule("/authorize", methods=["GET"], endpoint="Authorize"),
        Rule("/authorize/decision", methods=["POST"], endpoint="AuthorizeDecision"),
        Rule("/device", methods=["GET", "POST"], endpoint="DeviceVerification"),
        Rule("/assignment/accounts", methods=["GET"], endpoint="ListAccounts"),
        Rule("/assignment/roles", methods=["GET"], endpoint="ListAccountRoles"),
        Rule("/federation/credentials", methods=["GET"], endpoint="GetRoleCredentials"),
        Rule("/logout", methods=["POST"], endpoint="Logout"),
        Rule("/federation", methods=["GET"], endpoint="Federation"),
        # AWS Sign-In (`aws login`): this host already plays signin.aws.amazon.com (federation).
        Rule("/v1/authorize", methods=["GET"], endpoint="SigninAuthorize"),
        Rule("/v1/authorize/decision", methods=["POST"], endpoint="SigninDecision"),
        Rule("/v1/sessions/confirmation", methods=["GET"], endpoint="SigninConfirmation"),
        Rule("/v1/token", methods=["POST"], endpoint="CreateOAuth2Token"),
        Rule("/v1/revoke", methods=["POST"], endpoint="RevokeOAuth2TokenWithIAM"),
        Rule("/_sandbox/signin", methods=["GET", "POST"], endpoint="SigninSettings"),
        Rule("/_sandbox/health", methods=["GET"], endpoint="Health"),
        Rule("/_sandbox/log", methods=["GET", "DELETE"], endpoint="Log"),
        Rule("/_sandbox/approve", methods=["POST"], endpoint="Approve"),
        Rule("/_sandbox/settings", methods=["GET", "POST"], endpoint="Settings"),
        Rule("/_sandbox/expire", methods=["POST"], endpoint="Expire"),
    ]
)

OIDC_OPERATIONS = frozenset({"RegisterClient", "StartDeviceAuthorization", "CreateToken"})


def json_response(body: object, status: int = 200) -> Response:
    response = Response(json.dumps(body), status=status, mimetype="application/json")
    response.headers["x-amzn-RequestId"] = str(uuid.uuid4())
    return response


def error_response(error: ApiError, operation: str) -> Response:
    if isinstance(error, SigninError):
        body: dict[str, Any] = {"error": error.error, "message": error.description}
    elif operation in OIDC_OPERATIONS:
        body = {
            "error": OAUTH_ERRORS.get(error.code, "invalid_request"),
            "error_description": error.description,
        }
    else:
        body = {"message": error.description}
    response = json_response(body, error.status)
    response.headers["x-amzn-ErrorType"] = error.code
    return response


def html_response(html: str, status: int = 200) -> Response:
    return Response(html, status=status, mimetype="text/html")


def _json_body(request: Request) -> dict[str, Any]:
    if not request.get_data():
        return {}
    try:
        body = json.loads(request.get_data())
    except ValueError as error:
        raise ApiError(400, "InvalidRequestException", "the body is not JSON") from error
    if not isinstance(body, dict):
        raise ApiError(400, "InvalidRequestException", "the body must be a JSON object")
    return body


@dataclass
class IdentityCenterApp:
    store: Store
    oidc: Oidc
    portal: Portal
    signin: Signin

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request(environ)
        response, operation, grant = self._dispatch(request)
        error = response.headers.get("x-amzn-ErrorType")
        if not operation.startswith("_"):
            entry = LogEntry(
                self.store.now(),
                request.method,
                request.path,
                operation,
                response.status_code,
                error,
                grant,
            )
            with self.store.lock:
                self.store.log.append(entry)
        result: Iterable[bytes] = response(environ, start_response)
        return result

    def _dispatch(self, request: Request) -> tuple[Response, str, str | None]:
        adapter = ROUTES.bind_to_environ(request.environ)
        try:
            operation, _ = adapter.match()
        except (NotFound, MethodNotAllowed) as error:
            return json_response({"message": error.description}, error.code or 404), "?", None
        except HTTPException as error:  # e.g. a redirect for a trailing slash
            return error.get_response(request.environ), "?", None
        grant = None
        try:
            if operation == "CreateToken":
                body = _json_body(request)
                grant = body.get("grantType") if isinstance(body.get("grantType"), str) else None
                return json_response(self.oidc.create_token(body)), operation, grant
            if operation == "CreateOAuth2Token":
                body = _json_body(request)
                grant = body.get("grantType") if isinstance(body.get("grantType"), str) else None
                proof = request.headers.get("DPoP")
                answer = self.signin.create_token(body, proof, request.base_url)
                return json_response(answer), operation, grant
            handler = getattr(self, f"_{operation}")
            response: Response = handler(request)
            control = operation in {
                "Health",
                "Log",
                "Approve",
                "Settings",
                "Expire",
                "SigninSettings",
            }
            return response, ("_" + operation if control else operation), None
        except ApiError as error:
            return error_response(error, operation), operation, grant

    # -- OIDC -------------------------------------------------------------------------------
    def _RegisterClient(self, request: Request) -> Response:
        return json_response(self.oidc.register_client(_json_body(request)))

    def _StartDeviceAuthorization(self, request: Request) -> Response:
        return json_response(self.oidc.start_device_authorization(_json_body(request)))

    # -- pages ------------------------------------------------------------------------------
    def _Authorize(self, request: Request) -> Response:
        try:
            authorize = self.oidc.begin_authorize(dict(request.args))
        except ApiError as error:
            return html_response(pages.error_page("Cannot sign in", error.description), 400)
        if self.store.settings.auto_approve:
            location = self.oidc.decide_authorize(authorize.request_id, allow=True)
            return Response(status=302, headers={"Location": location or "/"})
        client = self.store.clients[authorize.client_id]
        html = pages.authorize_page(
            authorize.request_id, client.name, self.portal.user, authorize.scopes
        )
        response = html_response(html)
        response.headers["X-Sandbox-Request-Id"] = authorize.request_id
        return response

    def _AuthorizeDecision(self, request: Request) -> Response:
        allow = request.form.get("decision") == "allow"
        location = self.oidc.decide_authorize(request.form.get("request_id", ""), allow)
        if location is None:
            page = pages.error_page("Cannot sign in", "This request is unknown or was answered.")
            return html_response(page, 400)
        return Response(status=302, headers={"Location": location})

    def _DeviceVerification(self, request: Request) -> Response:
        if request.method == "POST":
            allow = request.form.get("decision") == "allow"
            if not self.oidc.decide_device(request.form.get("user_code", ""), allow):
                page = pages.device_code_entry_page("That code is unknown, expired or used.")
                return html_response(page, 400)
            return html_response(pages.done_page(allow))
        user_code = request.args.get("user_code", "").strip()
        if not user_code:
            return html_response(pages.device_code_entry_page())
        device = self.oidc.device_by_user_code(user_code)
        if device is None or device.status != "pending":
            page = pages.device_code_entry_page("That code is unknown, expired or used.")
            return html_response(page, 400)
        client = self.store.clients[device.client_id]
        return html_response(
            pages.device_confirm_page(device.user_code, client.name, self.portal.user)
        )

    # -- portal -----------------------------------------------------------------------------
    def _ListAccounts(self, request: Request) -> Response:
        self.portal.throttle()
        args = request.args
        bearer = request.environ.get(BEARER_ENVIRON_KEY)
        return json_response(
            self.portal.list_accounts(bearer, args.get("next_token"), args.get("max_result"))
        )

    def _ListAccountRoles(self, request: Request) -> Response:
        self.portal.throttle()
        args = request.args
        return json_response(
            self.portal.list_account_roles(
                request.environ.get(BEARER_ENVIRON_KEY),
                args.get("account_id"),
                args.get("next_token"),
                args.get("max_result"),
            )
        )

    def _GetRoleCredentials(self, request: Request) -> Response:
        self.portal.throttle()
        args = request.args
        return json_response(
            self.portal.get_role_credentials(
                request.environ.get(BEARER_ENVIRON_KEY),
                args.get("role_name"),
                args.get("account_id"),
            )
        )

    def _Logout(self, request: Request) -> Response:
        self.portal.throttle()
        self.portal.logout(request.environ.get(BEARER_ENVIRON_KEY))
        return Response(status=200)

    def _Federation(self, request: Request) -> Response:
        action = request.args.get("Action")
        if action == "getSigninToken":
            return json_response(self.portal.get_signin_token(request.args.get("Session")))
        if action == "login":
            arn = self.portal.redeem_signin_token(request.args.get("SigninToken"))
            if arn is None:
                page = pages.error_page("Sign-in failed", "The sign-in token is invalid.")
                return html_response(page, 400)
            return html_response(pages.console_page(arn, request.args.get("Destination", "")))
        raise ApiError(400, "InvalidRequestException", "Action must be getSigninToken or login")

    # -- Sign-In ----------------------------------------------------------------------------
    def _SigninAuthorize(self, request: Request) -> Response:
        try:
            request_id = self.signin.begin_authorize(dict(request.args), request.host_url)
        except ApiError as error:
            return html_response(pages.error_page("Cannot sign in", error.description), 400)
        if self.signin.settings.auto_approve:
            location = self.signin.decide(request_id, True, identities()[0])
            return Response(status=302, headers={"Location": location or "/"})
        html = pages.signin_authorize_page(
            request_id, request.args.get("client_id", ""), identities()
        )
        response = html_response(html)
        response.headers["X-Sandbox-Request-Id"] = request_id
        return response

    def _SigninDecision(self, request: Request) -> Response:
        account, _, permission_set = request.form.get("identity", "").partition("/")
        allow = request.form.get("decision") == "allow"
        location = self.signin.decide(
            request.form.get("request_id", ""), allow, (account, permission_set)
        )
        if location is None:
            page = pages.error_page("Cannot sign in", "This request is unknown or was answered.")
            return html_response(page, 400)
        return Response(status=302, headers={"Location": location})

    def _SigninConfirmation(self, request: Request) -> Response:
        code, state = request.args.get("code"), request.args.get("state")
        if not code or not state:
            page = pages.error_page("Sign-in failed", "The sign-in was not approved.")
            return html_response(page, 400)
        return html_response(pages.signin_confirmation_page(Signin.verification_code(code, state)))

    def _RevokeOAuth2TokenWithIAM(self, request: Request) -> Response:
        authorization = request.headers.get("Authorization", "")
        key_id = None
        if "Credential=" in authorization:
            key_id = authorization.split("Credential=", 1)[1].split("/", 1)[0]
        token = _json_body(request).get("token")
        self.signin.revoke(token if isinstance(token, str) else "", key_id)
        return Response(status=200)

    # -- sandbox controls (tests, demo) -----------------------------------------------------
    def _Health(self, request: Request) -> Response:
        return json_response({"status": "ok", "accounts": self.portal.account_count()})

    def _SigninSettings(self, request: Request) -> Response:
        """Sign-In lifetimes and switches; ``{"revoke_all": true}`` ends every login."""
        revoked = 0
        with self.signin.lock:
            if request.method == "POST":
                body = _json_body(request)
                if body.pop("revoke_all", False):
                    revoked = self.signin.revoke_all()
                self.signin.settings.update(body)
            return json_response({**vars(self.signin.settings), "revoked": revoked})

    def _Log(self, request: Request) -> Response:
        with self.store.lock:
            entries = [e.as_dict() for e in self.store.log]
            if request.method == "DELETE":
                self.store.log.clear()
        return json_response({"entries": entries})

    def _Approve(self, request: Request) -> Response:
        user_code = _json_body(request).get("userCode")
        approved = self.oidc.approve_pending(user_code if isinstance(user_code, str) else None)
        return json_response({"approved": approved})

    def _Settings(self, request: Request) -> Response:
        with self.store.lock:
            if request.method == "POST":
                self.store.settings.update(_json_body(request))
            return json_response(vars(self.store.settings))

    def _Expire(self, request: Request) -> Response:
        body = _json_body(request)
        changed = self.oidc.expire(
            access=bool(body.get("access", True)),
            refresh=bool(body.get("refresh", False)),
            registrations=bool(body.get("registrations", False)),
        )
        return json_response({"expired": changed})
