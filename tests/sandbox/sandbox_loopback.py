"""A tiny loopback listener standing in for a login client's redirect receiver."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from types import TracebackType


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
