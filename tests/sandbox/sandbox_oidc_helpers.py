"""Helpers for the login-flow tests: a tiny loopback listener standing in for a login client's
redirect receiver, client registration, PKCE pairs and authorize URLs."""

from __future__ import annotations

import base64
import hashlib
import http.server
import secrets
import threading
import urllib.parse
from types import TracebackType
from typing import Any

from fixtures_sandbox import Sandbox

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
REDIRECT = "http://127.0.0.1/oauth/callback"


class CallbackListener:
    """Listens on 127.0.0.1 (any free port); ``wait()`` returns the first /oauth/callback query."""

    def __init__(self, path: str = "/oauth/callback") -> None:
        self.path = path
        self._received = threading.Event()
        self.query: dict[str, str] = {}
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                if parts.path != listener.path:
                    self.send_response(404)
                    self.end_headers()
                    return
                listener.query = dict(urllib.parse.parse_qsl(parts.query))
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(b"<p id=received>Login received. You can close this tab.</p>")
                listener._received.set()

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> CallbackListener:
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

    def wait(self, timeout: float = 15) -> dict[str, str]:
        if not self._received.wait(timeout):
            raise TimeoutError("no redirect reached the loopback listener")
        return self.query


def register(oidc: Any, sandbox: Sandbox, pkce: bool = False) -> dict[str, Any]:
    extra: dict[str, Any] = {"scopes": ["sso:account:access"]}
    if pkce:
        extra.update(
            grantTypes=["authorization_code", "refresh_token"],
            redirectUris=[REDIRECT],
            issuerUrl=sandbox.start_url,
        )
    answer: dict[str, Any] = oidc.register_client(
        clientName="botocore-client-my-org", clientType="public", **extra
    )
    return answer


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)[:64]
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_url(sandbox: Sandbox, client_id: str, port: int, challenge: str, state: str) -> str:
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": f"http://127.0.0.1:{port}/oauth/callback",
            "state": state,
            "code_challenge_method": "S256",
            "scopes": "sso:account:access",
            "code_challenge": challenge,
        }
    )
    return f"{sandbox.idc_url}/authorize?{query}"
