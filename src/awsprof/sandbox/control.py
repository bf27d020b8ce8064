"""``sandbox up / down / status``: the background server process, its state file, stale detection.

The state file (``DIR/sandbox.json``) records the server process and ports; it holds no secret. A
sandbox is *running* when that process is alive, is ours, and both servers answer; *stale* when the
file remains but the process is gone or silent; *not running* without a file. A process id is only
signalled after checking that it still is this home's server (ids are reused).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from awsprof.errors import SandboxError
from awsprof.sandbox.clients import Keys
from awsprof.sandbox.home import (
    HOME_VARIABLE,
    HomeContent,
    SandboxHome,
    clear_caches,
    reuse_home,
    write_home,
)
from awsprof.sandbox.net import HOST

STATE_FILE = "sandbox.json"
READY_FILE = ".sandbox-ready.json"
LOG_FILE = "sandbox.log"
SERVE_MODULE = "awsprof.sandbox.serve"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def default_home(environ: Mapping[str, str] | None = None) -> Path:
    """``$AWSPROF_SANDBOX_HOME`` (set by ``sandbox env``), else the XDG state directory."""
    env = os.environ if environ is None else environ
    if env.get(HOME_VARIABLE):
        return Path(env[HOME_VARIABLE])
    state = env.get("XDG_STATE_HOME") or str(Path(env.get("HOME", "~")) / ".local" / "state")
    return Path(state).expanduser() / "awsprof" / "sandbox"


@dataclass(frozen=True)
class SandboxState:
    home: str
    pid: int
    moto_port: int
    idc_port: int
    started_at: str
    extra_accounts: int = 0

    @property
    def moto_url(self) -> str:
        return f"http://{HOST}:{self.moto_port}"

    @property
    def idc_url(self) -> str:
        return f"http://{HOST}:{self.idc_port}"


@dataclass(frozen=True)
class Status:
    """``kind`` is running, stale or not-running; ``reason`` says why a sandbox is stale."""

    kind: str
    home: Path
    state: SandboxState | None = None
    reason: str | None = None


def _state_path(home: Path) -> Path:
    return home / STATE_FILE


def read_state(home: Path) -> SandboxState | None:
    try:
        data = json.loads(_state_path(home).read_text(encoding="utf-8"))
        return SandboxState(**data)
    except FileNotFoundError:
        return None
    except (ValueError, TypeError) as error:
        raise SandboxError(
            f"The sandbox state file {_state_path(home)} is unreadable ({type(error).__name__})",
            f"Delete it and run `awsprof sandbox up --home {home}` again.",
        ) from error


def _process_command(pid: int) -> str | None:
    """The command line of ``pid``, or None when no such process exists."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        if Path("/proc/self").exists():
            return None
    except OSError:
        pass
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        ["ps", "-p", str(pid), "-o", "command="],  # noqa: S607 - ps from PATH where /proc is absent
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or None


def is_our_server(pid: int, home: Path) -> bool:
    command = _process_command(pid)
    return command is not None and SERVE_MODULE in command and str(home) in command


def answers(url: str, timeout: float = 2.0) -> bool:
    """Does an HTTP server answer at ``url`` (any status counts)?"""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=timeout) as response:
            response.read()
        return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, OSError):
        return False


def status(home: Path) -> Status:
    home = home.expanduser().absolute()
    state = read_state(home)
    if state is None:
        return Status("not-running", home)
    if not is_our_server(state.pid, home):
        return Status("stale", home, state, f"its server process {state.pid} is gone")
    probes = (
        ("moto", state.moto_port, f"{state.moto_url}/moto-api/"),
        ("Identity Center", state.idc_port, f"{state.idc_url}/_sandbox/health"),
    )
    for name, port, url in probes:
        if not answers(url):
            return Status("stale", home, state, f"{name} on port {port} does not answer")
    return Status("running", home, state)


def _terminate(pid: int, home: Path) -> None:
    if not is_our_server(pid, home):
        return
    try:
        os.kill(pid, signal.SIGTERM)
        os.kill(pid, signal.SIGCONT)  # a stopped (silent) server must wake up to see SIGTERM
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_TIMEOUT
    while time.monotonic() < deadline:
        if not is_our_server(pid, home):
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return


def _child_environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["HOME"] = str(home)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@dataclass(frozen=True)
class UpResult:
    state: SandboxState
    already_running: bool
    reused_home: bool = False  # the person's files were kept (only endpoints and keys changed)


def _wait_ready(process: subprocess.Popen[bytes], ready: Path, log: Path) -> dict[str, object]:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if ready.exists():
            report: dict[str, object] = json.loads(ready.read_text(encoding="utf-8"))
            ready.unlink()
            if "error" in report:
                process.wait(timeout=STOP_TIMEOUT)
                hint = report.get("hint")
                raise SandboxError(
                    f"The sandbox did not start: {report['error']}",
                    str(hint) if hint else f"See {log}.",
                )
            return report
        if process.poll() is not None:
            raise SandboxError(
                f"The sandbox server exited with code {process.returncode} before it was ready",
                f"See {log}.",
            )
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise SandboxError(f"The sandbox did not start within {START_TIMEOUT:.0f} s", f"See {log}.")


def up(
    home: Path,
    moto_port: int = 0,
    idc_port: int = 0,
    extra_accounts: int = 0,
    watch_pid: int | None = None,
    reset: bool = False,
) -> UpResult:
    """Start the sandbox in the background (or find it running). An AWS home written before is
    kept, with only its endpoints and seeded keys updated; ``reset`` writes it afresh."""
    from filelock import FileLock

    home = home.expanduser().absolute()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    with FileLock(str(home / ".sandbox.lock"), timeout=START_TIMEOUT):
        current = status(home)
        if current.kind == "running" and current.state is not None:
            return UpResult(current.state, already_running=True)
        if current.state is not None:  # stale: make sure nothing of it is left
            _terminate(current.state.pid, home)
            _state_path(home).unlink(missing_ok=True)
        paths = SandboxHome(home)
        clear_caches(paths)
        ready = home / READY_FILE
        ready.unlink(missing_ok=True)
        log = home / LOG_FILE
        argv = [
            sys.executable,
            "-m",
            SERVE_MODULE,
            "--home",
            str(home),
            "--ready-file",
            str(ready),
            "--moto-port",
            str(moto_port),
            "--idc-port",
            str(idc_port),
            "--extra-accounts",
            str(extra_accounts),
        ]
        if watch_pid is not None:
            argv += ["--watch-pid", str(watch_pid)]
        with open(log, "ab") as log_handle:
            process = subprocess.Popen(  # noqa: S603 - our own module, fixed argv
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log_handle,
                stderr=log_handle,
                env=_child_environment(home),
                start_new_session=True,
                cwd=home,
            )
        report = _wait_ready(process, ready, log)
        state = SandboxState(
            home=str(home),
            pid=process.pid,
            moto_port=int(str(report["moto_port"])),
            idc_port=int(str(report["idc_port"])),
            started_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            extra_accounts=extra_accounts,
        )
        keys_report = report["static_keys"]
        assert isinstance(keys_report, dict)  # noqa: S101 - shape written by serve.py
        keys = {a: Keys(k["access_key_id"], k["secret_access_key"]) for a, k in keys_report.items()}
        try:
            if not (
                answers(f"{state.moto_url}/moto-api/")
                and answers(f"{state.idc_url}/_sandbox/health")
            ):
                raise SandboxError(
                    "The sandbox started but its servers do not answer", f"See {log}."
                )
            content = HomeContent(state.moto_port, state.idc_port, keys)
            reused = not reset and reuse_home(paths, content)
            if not reused:
                write_home(paths, content)
            from awsprof.sandbox.home import write_private

            write_private(_state_path(home), json.dumps(asdict(state), indent=2) + "\n")
        except BaseException:
            _terminate(process.pid, home)
            raise
        return UpResult(state, already_running=False, reused_home=reused)


@dataclass(frozen=True)
class DownResult:
    """``kind``: stopped, was-stale (servers already gone) or not-running."""

    kind: str
    home: Path
    pid: int | None = None


def down(home: Path) -> DownResult:
    from filelock import FileLock

    home = home.expanduser().absolute()
    if not home.exists():
        return DownResult("not-running", home)
    with FileLock(str(home / ".sandbox.lock"), timeout=START_TIMEOUT):
        state = read_state(home)
        if state is None:
            return DownResult("not-running", home)
        was_alive = is_our_server(state.pid, home)
        _terminate(state.pid, home)
        _state_path(home).unlink(missing_ok=True)
        clear_caches(SandboxHome(home))
        return DownResult("stopped" if was_alive else "was-stale", home, state.pid)
