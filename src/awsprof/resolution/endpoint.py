"""A local credential endpoint in the container-credentials format.

botocore's ``ContainerProvider`` (boto3, the AWS CLI v1 and v2, the other SDKs) reads
``AWS_CONTAINER_CREDENTIALS_FULL_URI`` and sends ``AWS_CONTAINER_AUTHORIZATION_TOKEN`` as the
``Authorization`` header; it expects ``{AccessKeyId, SecretAccessKey, Token, Expiration}`` and
asks again when its copy nears ``Expiration``. So a child or a container never holds long-lived
keys, and keeps working across expiries.

The endpoint binds 127.0.0.1 only, its token is random per endpoint and compared in constant time;
without it a request gets a bare 401. Each request resolves through awsprof (the shared caches make
that a file read; a cache entry inside the refresh window is refreshed there, single-flight across
processes), and a background thread refreshes ahead of expiry so a request rarely waits for AWS.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import secrets
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from awsprof.credentials import ADVISORY_REFRESH, Credentials, format_iso, now_utc

PATH = "/credentials"
HOST = "127.0.0.1"
# Credentials without an expiry (static keys) are served with this lifetime, so clients ask again.
STATIC_LIFETIME = dt.timedelta(hours=1)
# How often the refresher looks at what it holds.
CHECK_INTERVAL = 30.0

Fetch = Callable[[], Credentials]


def container_json(credentials: Credentials, now: dt.datetime) -> dict[str, str]:
    """The JSON botocore's ContainerProvider reads (``Token`` and ``Expiration`` are required)."""
    expiration = credentials.expiration or now + STATIC_LIFETIME
    data = {
        "AccessKeyId": credentials.access_key_id,
        "SecretAccessKey": credentials.secret_access_key,
        "Token": credentials.session_token or "",
        "Expiration": format_iso(expiration),
    }
    if credentials.account_id:
        data["AccountId"] = credentials.account_id
    return data


class CredentialEndpoint:
    """One profile's endpoint: ``start()``, then give a child :attr:`url` and :attr:`token`."""

    def __init__(
        self,
        fetch: Fetch,
        port: int = 0,
        report: Callable[[str], None] | None = None,
        now: Callable[[], dt.datetime] = now_utc,
    ) -> None:
        self._fetch = fetch
        self._now = now
        self._report = report or (lambda message: None)
        self.token = secrets.token_urlsafe(32)
        self._held: Credentials | None = None
        self._lock = threading.Lock()  # one resolution at a time within this process
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer((HOST, port), _handler(self))
        self._server.daemon_threads = True
        self._threads: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{PATH}"

    @property
    def held_expiration(self) -> dt.datetime | None:
        held = self._held
        return held.expiration if held is not None else None

    def credentials(self) -> Credentials:
        """Resolve now (cheap from the shared caches; refreshed there when due) and hold it."""
        with self._lock:
            self._held = self._fetch()
            return self._held

    def authorized(self, header: str | None) -> bool:
        return header is not None and hmac.compare_digest(
            header.encode("utf-8", "replace"), self.token.encode()
        )

    def refresh_if_due(self) -> bool:
        """Refresh what is held when it is inside the advisory window; True when it did."""
        held = self._held
        if held is None or not held.expires_within(ADVISORY_REFRESH, self._now()):
            return False
        try:
            self.credentials()
        except Exception as error:  # a failed refresh is retried; requests report it
            self._report(f"refreshing credentials failed: {error}")
            return False
        return True

    def start(self) -> None:
        serve = threading.Thread(target=self._server.serve_forever, daemon=True)
        refresher = threading.Thread(target=self._refresh_loop, daemon=True)
        self._threads = [serve, refresher]
        for thread in self._threads:
            thread.start()

    def _refresh_loop(self) -> None:
        while not self._stopping.wait(CHECK_INTERVAL):
            self.refresh_if_due()

    def stop(self) -> None:
        self._stopping.set()
        if self._threads:  # shutdown() waits for serve_forever(), which must have started
            self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> CredentialEndpoint:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _handler(endpoint: CredentialEndpoint) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "awsprof"
        sys_version = ""

        def do_GET(self) -> None:
            if not endpoint.authorized(self.headers.get("Authorization")):
                self._send(401, b"")  # no detail: nothing for a guesser to learn
                return
            if self.path.split("?", 1)[0] != PATH:
                self._send(404, b"")
                return
            try:
                credentials = endpoint.credentials()
            except Exception as error:
                from awsprof.errors import AwsprofError
                from awsprof.secrets import scrub

                text = error.message if isinstance(error, AwsprofError) else type(error).__name__
                endpoint._report(f"cannot serve credentials: {scrub(str(text))}")
                body = {"Code": "CredentialsUnavailable", "Message": scrub(str(text))}
                self._send(503, json.dumps(body).encode())
                return
            data = container_json(credentials, now_utc())
            self._send(200, json.dumps(data).encode())

        def do_POST(self) -> None:
            self._send(401 if not endpoint.authorized(self.headers.get("Authorization")) else 405)

        def _send(self, status: int, body: bytes = b"") -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return  # a request line is no one's business on the terminal

    return Handler
