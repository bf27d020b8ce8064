"""The credential agent: one process per user that holds and refreshes credentials per profile.

It listens on a Unix socket (0600, in a 0700 directory; a peer of another user is refused as well)
and answers one JSON request per connection: ``credentials``, ``status``, ``endpoint`` (a
``serve`` process announcing itself) and ``stop``. Credentials come from awsprof's own resolution,
so everything it obtains lands in the caches the AWS CLI and boto3 read; a background loop
refreshes each profile once it enters the AWS CLI's advisory window, so callers rarely wait.
One lock per profile makes concurrent callers share one refresh (the cache locks do the same
across processes). Nothing here can prompt: a profile that needs an MFA code or a login fails in
the agent, and the caller then resolves by itself, where a person can answer.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import socketserver
import struct
import threading
from collections.abc import Callable, Mapping
from typing import Any

from awsprof.children import process_alive
from awsprof.credentials import ADVISORY_REFRESH, Credentials, format_iso, now_utc
from awsprof.resolution import agent_client

CHECK_INTERVAL_VARIABLE = "AWSPROF_AGENT_CHECK_INTERVAL"


class Session:
    """One profile (and region) the agent holds."""

    def __init__(self, profile: str, region: str | None) -> None:
        self.profile = profile
        self.region = region
        self.lock = threading.Lock()
        self.credentials: Credentials | None = None
        self.chain: str | None = None
        self.last_refresh: dt.datetime | None = None
        self.error: str | None = None
        self.files_stamp: tuple[tuple[int, int], ...] = ()

    def status(self) -> dict[str, Any]:
        """What ``agent status --json`` shows: never a key, a secret or a token."""
        expiration = self.credentials.expiration if self.credentials else None
        return {
            "profile": self.profile,
            "region": self.region,
            "chain": self.chain,
            "expiration": format_iso(expiration) if expiration else None,
            "next_refresh": format_iso(expiration - ADVISORY_REFRESH) if expiration else None,
            "last_refresh": format_iso(self.last_refresh) if self.last_refresh else None,
            "error": self.error,
        }


class Agent:
    def __init__(
        self,
        environ: Mapping[str, str],
        now: Callable[[], dt.datetime] = now_utc,
        report: Callable[[str], None] | None = None,
    ) -> None:
        self.environ = dict(environ)
        self.files = agent_client.files_of(environ)
        self.now = now
        self.report = report or (lambda message: None)
        self.started = now()
        self._sessions: dict[tuple[str, str | None], Session] = {}
        self._sessions_lock = threading.Lock()
        self.endpoints: dict[str, dict[str, Any]] = {}

    def session(self, profile: str, region: str | None) -> Session:
        with self._sessions_lock:
            return self._sessions.setdefault((profile, region), Session(profile, region))

    def files_stamp(self) -> tuple[tuple[int, int], ...]:
        """The two files' change times and sizes: an edited profile is resolved again."""
        stamps = []
        for path in self.files[:2]:
            try:
                info = os.stat(path)
            except OSError:
                stamps.append((0, -1))
                continue
            stamps.append((info.st_mtime_ns, info.st_size))
        return tuple(stamps)

    def credentials(self, profile: str, region: str | None) -> Credentials:
        """What is held while outside the advisory window and the files are unchanged, else a
        refresh (one per profile)."""
        session = self.session(profile, region)
        with session.lock:
            held = session.credentials
            fresh = held is not None and not held.expires_within(ADVISORY_REFRESH, self.now())
            if fresh and held is not None and session.files_stamp == self.files_stamp():
                return held
            return self._refresh(session)

    def _refresh(self, session: Session) -> Credentials:
        from awsprof.resolution.chain import resolve

        stamp = self.files_stamp()
        try:
            resolution = resolve(
                self.environ, session.profile, session.region, report=self.report, now=self.now
            )
        except Exception as error:
            session.error = getattr(error, "message", type(error).__name__)
            raise
        session.credentials = resolution.credentials
        session.chain = resolution.chain
        session.last_refresh = self.now()
        session.error = None
        session.files_stamp = stamp
        return resolution.credentials

    def refresh_due(self) -> int:
        """Refresh every held profile inside the advisory window; how many were refreshed."""
        with self._sessions_lock:
            sessions = list(self._sessions.values())
        count = 0
        for session in sessions:
            held = session.credentials
            if held is None or not held.expires_within(ADVISORY_REFRESH, self.now()):
                continue
            try:
                self.credentials(session.profile, session.region)
                count += 1
            except Exception as error:  # kept in the session's status; retried next time
                self.report(f"refreshing profile '{session.profile}' failed: {error}")
        return count

    def status(self) -> dict[str, Any]:
        with self._sessions_lock:
            sessions = sorted(self._sessions.values(), key=lambda s: (s.profile, s.region or ""))
        for url, endpoint in list(self.endpoints.items()):
            if not process_alive(int(endpoint.get("pid", 0))):
                self.endpoints.pop(url, None)
        return {
            "running": True,
            "pid": os.getpid(),
            "socket": agent_client.socket_path(self.environ),
            "started": format_iso(self.started),
            "profiles": [s.status() for s in sessions],
            "endpoints": sorted(self.endpoints.values(), key=lambda e: str(e.get("url"))),
        }

    def answer(self, message: dict[str, Any]) -> dict[str, Any]:
        op = message.get("op")
        if op == "status":
            return self.status()
        if op == "endpoint":
            record = {k: message.get(k) for k in ("profile", "url", "pid")}
            self.endpoints[str(record["url"])] = record
            return {"ok": True}
        if op == "credentials":
            if message.get("files") != self.files:
                return {"ok": False, "error": "other configuration files than the agent's"}
            profile, region = message.get("profile"), message.get("region")
            if not isinstance(profile, str) or not (region is None or isinstance(region, str)):
                return {"ok": False, "error": "bad request"}
            try:
                credentials = self.credentials(profile, region)
            except Exception as error:
                from awsprof.secrets import scrub

                return {"ok": False, "error": scrub(str(getattr(error, "message", error)))}
            return {"ok": True, "credentials": credentials.process_json()}
        return {"ok": False, "error": f"unknown request {op!r}"}


def peer_uid(connection: socket.socket) -> int | None:
    """The connecting process's user (Linux), or None where the system does not tell."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    data = connection.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    return int(struct.unpack("3i", data)[1])


class AgentServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

    def __init__(self, path: str, agent: Agent) -> None:
        self.agent = agent
        self.path = path
        previous = os.umask(0o177)  # the socket is created 0600: no window where others connect
        try:
            super().__init__(path, _Handler)
        finally:
            os.umask(previous)
        os.chmod(path, 0o600)
        self._stopping = threading.Event()

    def refresh_loop(self, interval: float) -> None:
        while not self._stopping.wait(interval):
            self.agent.refresh_due()

    def stop_soon(self) -> None:
        self._stopping.set()
        threading.Thread(target=self.shutdown, daemon=True).start()


class _Handler(socketserver.StreamRequestHandler):
    server: AgentServer

    def handle(self) -> None:
        uid = peer_uid(self.connection)
        if uid is not None and uid != os.getuid():
            return  # another user: closed without an answer
        try:
            message = json.loads(self.rfile.readline(1 << 16))
        except ValueError:
            message = None
        if not isinstance(message, dict):
            answer: dict[str, Any] = {"ok": False, "error": "bad request"}
        elif message.get("op") == "stop":
            answer = {"ok": True}
            self.server.stop_soon()
        else:
            answer = self.server.agent.answer(message)
        self.wfile.write(json.dumps(answer).encode() + b"\n")


def check_interval(environ: Mapping[str, str]) -> float:
    try:
        return max(0.1, float(environ.get(CHECK_INTERVAL_VARIABLE, "30")))
    except ValueError:
        return 30.0
