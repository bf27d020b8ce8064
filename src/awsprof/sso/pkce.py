"""Authorization code + PKCE with a loopback redirect: the AWS CLI v2's default login.

The listener is the standard library's ``http.server`` on ``127.0.0.1`` only (the AWS CLI binds
every interface), bound before the browser opens and kept bound while it does (aws-sso-cli #1441).
It answers until the login is done: other paths, a wrong or missing ``state``, a stray ``error=``
and repeated requests are answered and ignored, so a page on another site cannot end the login or
slip in a forged code.

The ``state`` is in the URL the browser opens, so a local process may learn it. A code that
carries the right ``state`` is therefore only a candidate: each is exchanged in turn, and a code
IAM Identity Center refuses (a forged one, or an old one) is reported while the listener keeps
waiting, until the timeout, for the browser's real redirect. An ``error`` carrying the ``state``
(the person pressed Deny) still ends the login at once: waiting out the timeout after a denial
would help nobody, and at worst a local process can cancel a login, never complete one.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import http.server
import secrets
import string
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from awsprof.errors import LoginRequiredError, UsageError
from awsprof.sso.oidc import CODE_GRANT, REDIRECT_PATH, OidcError, Registration, call

VERIFIER_ALPHABET = string.ascii_letters + string.digits + "-._~"
VERIFIER_LENGTH = 64


def new_verifier() -> str:
    return "".join(secrets.choice(VERIFIER_ALPHABET) for _ in range(VERIFIER_LENGTH))


def challenge(verifier: str) -> str:
    """S256: base64url(SHA-256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Callback:
    """What the expected redirect brought: a code, or the service's error."""

    code: str | None = field(default=None, repr=False)
    error: str | None = None
    description: str | None = None


_PAGE = (
    "<!doctype html><html><head><meta charset=utf-8><title>awsprof</title></head>"
    "<body style='font-family:system-ui,sans-serif;margin:3rem'><p id=awsprof-result>{}</p>"
    "</body></html>"
)


# Candidate codes kept at most: the browser sends one; more is someone else trying.
MAX_CANDIDATES = 16


class LoopbackListener:
    """Receives the authorization redirect on ``http://127.0.0.1:PORT/oauth/callback``."""

    def __init__(self, state: str, port: int = 0) -> None:
        self.state = state
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._queue: collections.deque[Callback] = collections.deque()
        self._seen: set[str] = set()  # codes received (a reload repeats one)
        self._finished = False  # an error with the state, or a code was accepted
        self.ignored = 0  # requests answered but not taken (wrong path, state, repeats)
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, message = listener._receive(self.path)
                body = _PAGE.format(message).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return  # the query holds the code: never log it

        try:
            self._server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        except OSError as error:
            raise UsageError(
                f"cannot listen on 127.0.0.1:{port} for the login redirect ({error.strerror})",
                "Choose another --redirect-port (or sso_redirect_port), or use --use-device-code.",
            ) from None
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="awsprof-sso-loopback", daemon=True
        )

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.port}{REDIRECT_PATH}"

    def _receive(self, raw_path: str) -> tuple[int, str]:
        parts = urllib.parse.urlsplit(raw_path)
        if parts.path != REDIRECT_PATH:
            self.ignored += 1
            return 404, "Not found."
        query = dict(urllib.parse.parse_qsl(parts.query))
        state = query.get("state", "")
        if not secrets.compare_digest(state.encode(), self.state.encode()):
            self.ignored += 1
            return 400, "This is not the login awsprof is waiting for."
        code, error = query.get("code"), query.get("error")
        with self._lock:
            if self._finished or (code and code in self._seen):
                self.ignored += 1
                return 409, "This login was already received. You can close this window."
            if code:
                if len(self._seen) >= MAX_CANDIDATES:
                    self.ignored += 1
                    return 429, "Too many login attempts."
                self._seen.add(code)
                self._queue.append(Callback(code=code))
                message = "Login received: you can close this window and return to the terminal."
            elif error:
                self._finished = True
                self._queue.append(
                    Callback(error=error, description=query.get("error_description"))
                )
                message = "The login was not approved. You can close this window."
            else:
                self.ignored += 1
                return 400, "The redirect has neither a code nor an error."
            self._arrived.notify_all()
        return 200, message

    def wait(self, timeout: float) -> Callback | None:
        """The next redirect that carried the expected ``state``, or None after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while not self._queue:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._arrived.wait(left)
            return self._queue.popleft()

    def finish(self) -> None:
        """A code was accepted: answer any later request as a repeat."""
        with self._lock:
            self._finished = True

    def __enter__(self) -> LoopbackListener:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()


def authorize_url(
    endpoint: str, client_id: str, redirect_uri: str, state: str, code_challenge: str, scopes: str
) -> str:
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge_method": "S256",
            "scopes": scopes,
            "code_challenge": code_challenge,
        },
        quote_via=urllib.parse.quote,
    )
    return f"{endpoint.rstrip('/')}/authorize?{query}"


@dataclass(frozen=True)
class PkceLogin:
    """What a PKCE login needs from its caller: where to listen, how long, how to show the URL."""

    port: int
    timeout: float


def run(
    oidc: Any,
    registration: Registration,
    scopes: tuple[str, ...],
    options: PkceLogin,
    present: Callable[[str], None],
    report: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Run the flow and return the CreateToken answer.

    ``present(url)`` is called once the listener is bound: it opens a browser or prints the URL
    (it may also drive a browser to completion, as the tests' does). ``report`` hears about each
    refused code while the listener keeps waiting.
    """
    state = str(uuid.uuid4())
    verifier = new_verifier()
    deadline = time.monotonic() + options.timeout
    refused: list[str] = []
    with LoopbackListener(state, options.port) as listener:
        url = authorize_url(
            oidc.meta.endpoint_url,
            registration.client_id,
            listener.redirect_uri,
            state,
            challenge(verifier),
            " ".join(scopes),
        )
        present(url)
        while True:
            received = listener.wait(max(deadline - time.monotonic(), 0.0))
            if received is None:
                raise _timed_out(options.timeout, refused)
            if received.code is None:
                raise LoginRequiredError(
                    f"the login was refused: {received.error}"
                    + (f" ({received.description})" if received.description else ""),
                    "Run the login again and approve it in the browser.",
                )
            try:
                answer: dict[str, Any] = call(
                    oidc.create_token,
                    grantType=CODE_GRANT,
                    clientId=registration.client_id,
                    clientSecret=registration.client_secret,
                    code=received.code,
                    redirectUri=listener.redirect_uri,
                    codeVerifier=verifier,
                )
            except OidcError as error:
                # Forged by a local process, or stale: the browser's own redirect may follow.
                refused.append(error.code)
                report(
                    f"the login listener received an authorization code that IAM Identity Center "
                    f"refused ({error.code}); still waiting for the browser's redirect"
                )
                continue
            listener.finish()
            return answer


def _timed_out(timeout: float, refused: list[str]) -> LoginRequiredError:
    detail = ""
    if refused:
        detail = (
            f"; {len(refused)} authorization code(s) arrived but IAM Identity Center refused "
            f"them ({', '.join(sorted(set(refused)))})"
        )
    return LoginRequiredError(
        f"no login arrived within {timeout:.0f} s{detail}; nothing was saved",
        "Run the login again, or use --use-device-code when the browser is on another host.",
    )
