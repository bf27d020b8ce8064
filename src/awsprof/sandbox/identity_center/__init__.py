"""An emulated IAM Identity Center (moto has none): the OIDC service with both login flows, the
portal, approval pages a browser can click, and federation sign-in, on loopback.

``start_identity_center`` runs it in a thread of this process; the returned object gives tests
direct access to its state (approve, expire, settings, request log) without HTTP.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from awsprof.sandbox import accounts as world
from awsprof.sandbox.identity_center.app import IdentityCenterApp
from awsprof.sandbox.identity_center.model import LogEntry, Settings, Store
from awsprof.sandbox.identity_center.oidc import Oidc
from awsprof.sandbox.identity_center.portal import CredentialSource, Portal, RoleCredentials
from awsprof.sandbox.net import HOST, serve_in_thread

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

    def log(self) -> list[LogEntry]:
        with self.store.lock:
            return list(self.store.log)

    def clear_log(self) -> None:
        with self.store.lock:
            self.store.log.clear()


def start_identity_center(
    source: CredentialSource,
    port: int = 0,
    extra_accounts: int = 0,
    clock: Callable[[], float] = time.time,
) -> IdentityCenterServer:
    store = Store(clock=clock)
    oidc = Oidc(store, start_url=world.SSO_START_URL)
    portal = Portal(store, source, extra_accounts=extra_accounts)
    server, bound = serve_in_thread(IdentityCenterApp(store, oidc, portal), port, "sandbox-idc")
    oidc.base_url = f"http://{HOST}:{bound}"
    return IdentityCenterServer(bound, store, oidc, portal, server)
