"""An emulated IAM Identity Center (moto has none): the OIDC service with both login flows, the
portal, approval pages a browser can click, and federation sign-in, on loopback.

``start_identity_center`` runs it in a thread of this process; the returned object gives tests
direct access to its state (approve, expire, settings, request log) without HTTP.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from awsprof.sandbox import accounts as world
from awsprof.sandbox.identity_center.app import (
    BEARER_ENVIRON_KEY,
    BEARER_HEADER,
    IdentityCenterApp,
)
from awsprof.sandbox.identity_center.model import LogEntry, Settings, Store
from awsprof.sandbox.identity_center.oidc import Oidc
from awsprof.sandbox.identity_center.portal import CredentialSource, Portal, RoleCredentials
from awsprof.sandbox.net import HOST, serve_in_thread
from awsprof.sandbox.signin.service import Signin

_RESET = struct.pack("ii", 1, 0)  # SO_LINGER on, 0 seconds: close() sends a reset
CLIENT_CLOSE_WAIT = 2.0  # seconds a connection waits for its client to close it

if TYPE_CHECKING:
    from werkzeug.serving import WSGIRequestHandler

__all__ = [
    "CredentialSource",
    "IdentityCenterServer",
    "LogEntry",
    "RoleCredentials",
    "Settings",
    "start_identity_center",
]


@dataclass
class IdentityCenterServer:
    port: int
    store: Store
    oidc: Oidc
    portal: Portal
    signin: Signin
    _server: Any = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def approve(self, user_code: str | None = None) -> list[str]:
        return self.oidc.approve_pending(user_code)

    def expire(
        self, access: bool = True, refresh: bool = False, registrations: bool = False
    ) -> int:
        return self.oidc.expire(access, refresh, registrations)

    def configure(self, **values: object) -> None:
        with self.store.lock:
            self.store.settings.update(values)

    def reset_settings(self) -> None:
        with self.store.lock:
            self.store.settings = Settings()
        self.signin.reset()

    def log(self) -> list[LogEntry]:
        with self.store.lock:
            return list(self.store.log)

    def clear_log(self) -> None:
        with self.store.lock:
            self.store.log.clear()


def _request_handler() -> type[WSGIRequestHandler]:
    """werkzeug drops request headers whose names contain ``_`` (a spoofing guard), but the portal's
    bearer token travels in ``x-amz-sso_bearer_token``: put that one header back."""
    from werkzeug.serving import WSGIRequestHandler

    class PortalRequestHandler(WSGIRequestHandler):
        def make_environ(self) -> Any:
            environ = super().make_environ()
            token = self.headers.get(BEARER_HEADER)
            if token is not None:
                environ[BEARER_ENVIRON_KEY] = token
            return environ

        def finish(self) -> None:
            """Let the client close first. werkzeug answers every request with `Connection:
            close` and would close first, leaving each connection in TIME_WAIT on the server's
            port: `sso populate` opens one per account, and past a few thousand the client's
            new connections start to hit those (a SYN to a TIME_WAIT pair waits a second), so
            a run grew faster than its accounts. Closed by the client, the TIME_WAIT moved to
            the client's side, where 20,000 connections in a minute still collided with it;
            so once the client has read the answer and closed, the server ends the connection
            with a reset, which leaves no TIME_WAIT on either side (the real portal keeps
            connections alive instead; werkzeug's server cannot)."""
            super().finish()
            with contextlib.suppress(OSError):
                self.connection.settimeout(CLIENT_CLOSE_WAIT)
                while self.connection.recv(4096):
                    pass
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _RESET)
                self.connection.close()  # now: the server's own shutdown would send a FIN

    return PortalRequestHandler


def start_identity_center(
    source: CredentialSource,
    port: int = 0,
    extra_accounts: int = 0,
    clock: Callable[[], float] = time.time,
) -> IdentityCenterServer:
    store = Store(clock=clock)
    oidc = Oidc(store, start_url=world.SSO_START_URL)
    portal = Portal(store, source, extra_accounts=extra_accounts)
    signin = Signin(source, clock)
    application = IdentityCenterApp(store, oidc, portal, signin)
    server, bound = serve_in_thread(application, port, "sandbox-idc", _request_handler())
    oidc.base_url = f"http://{HOST}:{bound}"
    return IdentityCenterServer(bound, store, oidc, portal, signin, server)
