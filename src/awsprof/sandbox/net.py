"""Loopback listening sockets for the sandbox's two werkzeug servers.

We bind the socket ourselves and hand its descriptor to werkzeug: werkzeug's own bind prints to
stderr and calls ``sys.exit`` when the port is taken; a library must raise a clear error instead.
"""

from __future__ import annotations

import logging
import socket
import threading
from typing import TYPE_CHECKING

from awsprof.errors import SandboxError

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler

HOST = "127.0.0.1"


def listen_socket(port: int) -> socket.socket:
    """A listening TCP socket on 127.0.0.1:``port`` (0 picks a free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise SandboxError(
            f"Cannot listen on {HOST}:{port}: {error.strerror or error}",
            "Choose another port, or leave the port out to let the system pick a free one.",
        ) from error
    return sock


def quiet_werkzeug() -> None:
    """werkzeug's per-request access log would flood stderr and the sandbox log."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)


def serve_in_thread(
    application: WSGIApplication,
    port: int,
    name: str,
    request_handler: type[WSGIRequestHandler] | None = None,
) -> tuple[BaseWSGIServer, int]:
    """Start a threaded werkzeug server for ``application``; returns (server, bound port)."""
    from werkzeug.serving import make_server

    quiet_werkzeug()
    sock = listen_socket(port)
    try:
        server = make_server(
            HOST,
            port,
            application,
            threaded=True,
            request_handler=request_handler,
            fd=sock.fileno(),
        )
    finally:
        sock.close()  # werkzeug holds its own duplicate of the descriptor
    threading.Thread(target=server.serve_forever, name=name, daemon=True).start()
    return server, int(server.server_address[1])
