"""moto's real server (STS, IAM, S3 and the rest) on loopback, in a thread of this process.

We serve moto's own WSGI application and request handler from a socket we bind ourselves rather
than through ``ThreadedMotoServer``: that class binds inside its thread and waits without a timeout,
so a port already in use would hang the caller forever instead of raising a clear error.

moto reads its settings from the environment on each request; the ones the sandbox needs are set
before moto is imported and left in place for the life of the process.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from awsprof.errors import SandboxError
from awsprof.sandbox.net import HOST, serve_in_thread

MOTO_ENVIRONMENT = {
    # An account must not read or delete another account's buckets (403, as on AWS).
    "MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS": "false",
}


@dataclass
class MotoServer:
    """A running moto server; ``stop()`` shuts it down."""

    port: int
    _server: Any = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def set_auth_enforcement(self, enforce: bool) -> None:
        """moto's global switch: enforce signatures, keys and IAM policies (or stop enforcing)."""
        self._post("/moto-api/reset-auth", b"0" if enforce else b"inf")

    def reset(self) -> None:
        """Forget every resource (moto's state is global to the process)."""
        self._post("/moto-api/reset", b"")

    def _post(self, path: str, body: bytes) -> None:
        request = urllib.request.Request(  # noqa: S310 - a loopback URL we built
            f"{self.url}{path}",
            data=body,
            method="POST",
            # moto reads the raw body; a form content type would make werkzeug swallow it.
            headers={"Content-Type": "text/plain"},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                response.read()
        except (urllib.error.URLError, OSError) as error:
            raise SandboxError(f"moto refused {path}: {error}") from error


def start_moto(port: int = 0) -> MotoServer:
    """Start moto on 127.0.0.1 (``port`` 0: any free one); SandboxError if it cannot bind."""
    for name, value in MOTO_ENVIRONMENT.items():
        os.environ[name] = value
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )

    from awsprof.sandbox.session_policies import enforce_session_policies
    from awsprof.sandbox.sts_gate import StsGate

    enforce_session_policies()  # AWS intersects a session policy with the role's
    # moto behind a thin check for the AssumeRole refusals moto does not make (see sts_gate).
    application = StsGate(DomainDispatcherApplication(create_backend_app))
    server, bound = serve_in_thread(
        application, port, "sandbox-moto", request_handler=MotoRequestHandler
    )
    return MotoServer(port=bound, _server=server)
