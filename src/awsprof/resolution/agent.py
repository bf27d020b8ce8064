"""The credential agent: one process per user that holds and refreshes credentials per profile.

It listens on a Unix socket (0600, in a 0700 directory; a peer of another user is refused as well)
and answers one JSON request per connection: ``credentials``, ``status``, ``endpoint`` (a
``serve`` process announcing itself) and ``stop``. Credentials come from awsprof's own resolution,
so everything it obtains lands in the caches the AWS CLI and boto3 read; a background loop
refreshes each profile once it enters the AWS CLI's advisory window, so callers rarely wait.
One lock per profile makes concurrent callers share one refresh (the cache locks do the same
across processes). Nothing here reads a terminal: a profile that needs an MFA code fails in the
agent, and the caller then resolves by itself, where a person can answer.

An SSO session whose token is expired and cannot be refreshed is the exception: the agent runs
exactly one login for it (the flow :mod:`awsprof.sso.where` picks for the agent's host) and every
caller waiting for a profile of that session gets its result. While it runs, each waiting caller
receives progress lines (the URL and code to show, and keep-alives) before its answer, so the
person sees the code wherever a caller has a terminal, and callers without one simply wait.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from awsprof.children import process_alive
from awsprof.credentials import ADVISORY_REFRESH, Credentials, format_iso, now_utc
from awsprof.resolution import agent_client

if TYPE_CHECKING:
    from awsprof.resolution.providers.sso import SsoLoginRequiredError

CHECK_INTERVAL_VARIABLE = "AWSPROF_AGENT_CHECK_INTERVAL"
WAIT_STEP = 1.0  # how often a waiting caller hears from the agent (prompt, keep-alive)
FAILED_LOGIN_HOLD = 30.0  # callers arriving this soon after a failed login get its error
Notify = Callable[[dict[str, Any]], None]


class Login:
    """One SSO login the agent runs for every caller that waits on its session."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.done = threading.Event()
        self.prompt: dict[str, Any] | None = None  # what a person must open (no secret)
        self.error: str | None = None
        self.hint: str | None = None
        self.flow: str | None = None
        self.finished: float | None = None

    def failed_recently(self) -> bool:
        return (
            self.error is not None
            and self.finished is not None
            and time.monotonic() - self.finished < FAILED_LOGIN_HOLD
        )


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
        self._logins: dict[str, Login] = {}  # by the session's token file name
        self._logins_lock = threading.Lock()

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

    def credentials(
        self, profile: str, region: str | None, notify: Notify | None = None
    ) -> Credentials:
        """What is held while outside the advisory window and the files are unchanged, else a
        refresh (one per profile). With ``notify`` (a caller that waits for a login), an SSO
        login the profile needs is run, once for all callers, and ``notify`` hears about it."""
        session = self.session(profile, region)
        if notify is None:
            session.lock.acquire()
        else:
            while not session.lock.acquire(timeout=WAIT_STEP):
                self._tell(notify)
        try:
            held = session.credentials
            fresh = held is not None and not held.expires_within(ADVISORY_REFRESH, self.now())
            if fresh and held is not None and session.files_stamp == self.files_stamp():
                return held
            return self._refresh(session, notify)
        finally:
            session.lock.release()

    def _refresh(self, session: Session, notify: Notify | None = None) -> Credentials:
        from awsprof.resolution.chain import resolve
        from awsprof.resolution.providers.sso import SsoLoginRequiredError

        stamp = self.files_stamp()
        try:
            try:
                resolution = resolve(
                    self.environ, session.profile, session.region, report=self.report, now=self.now
                )
            except SsoLoginRequiredError as needed:
                if notify is None:
                    raise
                self._log_in(needed, notify)
                stamp = self.files_stamp()
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

    # -- the one login per session ----------------------------------------------------------
    def _tell(self, notify: Notify, only: Login | None = None) -> None:
        """A waiting caller hears the prompts of running logins (``only`` the one it waits for,
        when it knows), and that the agent is alive."""
        with self._logins_lock:
            prompts = [
                login.prompt
                for login in self._logins.values()
                if login.prompt is not None
                and not login.done.is_set()
                and (only is None or login is only)
            ]
        for prompt in prompts:
            notify({"login": prompt})
        notify({"waiting": True})

    def _log_in(self, needed: SsoLoginRequiredError, notify: Notify) -> None:
        """Join the session's running login or start it; return once it succeeded."""
        from awsprof.errors import LoginRequiredError
        from awsprof.profiles.model import load_files
        from awsprof.sso.session import session_settings

        files = load_files(self.environ)
        settings = session_settings(files, self.environ, None, needed.profile)
        with self._logins_lock:
            login = self._logins.get(settings.token_key)
            if login is None or (login.done.is_set() and not login.failed_recently()):
                login = Login(settings.label)
                self._logins[settings.token_key] = login
                threading.Thread(
                    target=self._run_login, args=(login, files, settings), daemon=True
                ).start()
        while not login.done.wait(WAIT_STEP):
            self._tell(notify, login)
        if login.error is not None:
            raise LoginRequiredError(login.error, login.hint or needed.hint)

    def _run_login(self, login: Login, files: Any, settings: Any) -> None:
        from awsprof import settings as env_settings
        from awsprof.errors import AwsprofError
        from awsprof.sso import where
        from awsprof.sso.login import DEFAULT_TIMEOUT, LoginOptions, LoginUi, deps_for
        from awsprof.sso.login import login as sso_login

        def authorize(url: str, open_browser: bool) -> None:
            login.prompt = {"session": settings.label, "flow": "pkce", "url": url}
            self.report(f"logging in to {settings.label}: open {url}")
            if open_browser:
                where.open_browser(url)

        def device(code: Any, open_browser: bool) -> None:
            login.prompt = {
                "session": settings.label,
                "flow": "device",
                "url": code.verification_uri,
                "code": code.user_code,
            }
            self.report(
                f"logging in to {settings.label}: open {code.verification_uri} "
                f"and enter {code.user_code}"
            )
            if open_browser:
                where.open_browser(code.verification_uri_complete)

        def chose(flow: str, reason: str) -> None:
            login.flow = flow
            self.report(f"logging in to {settings.label} with the {flow} flow ({reason})")

        timeout = env_settings.seconds(
            self.environ, env_settings.SSO_LOGIN_TIMEOUT, DEFAULT_TIMEOUT
        )
        options = LoginOptions(
            if_needed=True,  # a token another process obtained meanwhile is used as it is
            timeout=timeout,
            lock_timeout=timeout + 60.0,
            place=where.detect(self.environ),
            environ_flow=self.environ.get(where.FLOW_VARIABLE, "").lower() or None,
        )
        ui = LoginUi(authorize, device, self.report, chose)
        try:
            sso_login(settings, options, ui, deps_for(self.environ, files, settings, self.report))
        except AwsprofError as error:
            login.error, login.hint = error.message, error.hint
        except Exception as error:  # the agent keeps serving; the callers hear why
            login.error = f"the login to {settings.label} failed: {type(error).__name__}"
        finally:
            login.finished = time.monotonic()
            login.done.set()

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
            "logins": self._login_status(),
            "endpoints": sorted(self.endpoints.values(), key=lambda e: str(e.get("url"))),
        }

    def _login_status(self) -> list[dict[str, Any]]:
        """Logins running now (never the code or the URL: the callers show those)."""
        with self._logins_lock:
            logins = [x for x in self._logins.values() if not x.done.is_set()]
        return [
            {"session": x.label, "flow": x.flow, "waiting_for_person": x.prompt is not None}
            for x in logins
        ]

    def answer(self, message: dict[str, Any], notify: Notify | None = None) -> dict[str, Any]:
        op = message.get("op")
        if op == "status":
            return self.status()
        if op == "endpoint":
            record = {k: message.get(k) for k in ("profile", "url", "pid", "read_only")}
            self.endpoints[str(record["url"])] = record
            return {"ok": True}
        if op == "credentials":
            if message.get("files") != self.files:
                return {"ok": False, "error": "other configuration files than the agent's"}
            profile, region = message.get("profile"), message.get("region")
            if not isinstance(profile, str) or not (region is None or isinstance(region, str)):
                return {"ok": False, "error": "bad request"}
            try:
                waits = notify if message.get("login") is True else None
                credentials = self.credentials(profile, region, waits)
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
    # Many callers at once (a build starting 32 tools): a full backlog would make a caller's
    # connect time out and resolve (or fail) by itself instead of waiting on the agent.
    request_queue_size = 256

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
            answer = self.server.agent.answer(message, self._progress)
        self.wfile.write(json.dumps(answer).encode() + b"\n")

    def _progress(self, line: dict[str, Any]) -> None:
        """A progress line before the answer; a caller that went away does not stop the login."""
        try:
            self.wfile.write(json.dumps({"progress": line}).encode() + b"\n")
            self.wfile.flush()
        except OSError:
            return


def check_interval(environ: Mapping[str, str]) -> float:
    try:
        return max(0.1, float(environ.get(CHECK_INTERVAL_VARIABLE, "30")))
    except ValueError:
        return 30.0
