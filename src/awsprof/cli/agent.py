"""``awsprof agent start|stop|status|run``: the per-user credential agent."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import click

from awsprof.children import process_alive
from awsprof.cli.output import warn
from awsprof.errors import AwsprofError, UsageError
from awsprof.files.atomic import ensure_dir
from awsprof.resolution import agent_client, export

START_TIMEOUT = 15.0
STOP_TIMEOUT = 10.0


def _paths(environ: dict[str, str] | os._Environ[str]) -> tuple[Path, Path, Path, Path]:
    directory = Path(agent_client.agent_dir(environ))
    return (
        directory,
        Path(agent_client.socket_path(environ)),
        directory / "agent.lock",
        directory / "agent.pid",
    )


def _lock(path: Path) -> int | None:
    """Hold the agent's lock (one agent per directory); None when another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@click.group("agent")
def agent() -> None:
    """A background process that holds and refreshes credentials (optional)."""


@agent.command("run", hidden=True)
def run() -> None:
    """Run the agent in the foreground (what `start` launches; for a service manager)."""
    from awsprof.resolution.agent import Agent, AgentServer, check_interval

    directory, sock, lock, pid_file = _paths(os.environ)
    ensure_dir(directory)
    fd = _lock(lock)
    if fd is None:
        raise UsageError("an agent is already running", "See `awsprof agent status`.")
    with contextlib.suppress(FileNotFoundError):
        sock.unlink()  # we hold the lock: whatever is there was left by a dead agent
    server = AgentServer(str(sock), Agent(os.environ, report=warn))
    pid_file.write_text(f"{os.getpid()}\n")
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda number, frame: server.stop_soon())
    threading.Thread(
        target=server.refresh_loop, args=(check_interval(os.environ),), daemon=True
    ).start()
    try:
        server.serve_forever()
    finally:
        server.server_close()
        for path in (sock, pid_file):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        os.close(fd)


@agent.command("start")
def start() -> None:
    """Start the agent in the background (nothing happens when one runs)."""
    current = agent_client.request(os.environ, {"op": "status"}, timeout=5)
    if current is not None:
        click.echo(
            f"agent already running (pid {current.get('pid')}, socket {current.get('socket')})"
        )
        return
    directory, sock, _, _ = _paths(os.environ)
    ensure_dir(directory)
    # The agent decides by profile names: inherited keys or a selected profile are not its own.
    env = {k: v for k, v in os.environ.items() if k not in export.CREDENTIAL_VARIABLES}
    log_path = directory / "agent.log"
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "awsprof", "agent", "run"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log_fd,
            env=env,
            start_new_session=True,  # outlives this command and the terminal
        )
    finally:
        os.close(log_fd)
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        answer = agent_client.request(os.environ, {"op": "status"}, timeout=5)
        if answer is not None:
            click.echo(f"agent started (pid {answer.get('pid')}, socket {sock})")
            return
        if process.poll() is not None:
            break
        time.sleep(0.05)
    tail = log_path.read_text(errors="replace").strip().splitlines()[-3:]
    raise AwsprofError(
        "the agent did not start" + (f": {' / '.join(tail)}" if tail else ""),
        f"See {log_path}.",
    )


@agent.command("stop")
def stop() -> None:
    """Stop the agent: no process and no socket are left."""
    _, sock, lock, pid_file = _paths(os.environ)
    current = agent_client.request(os.environ, {"op": "status"}, timeout=5)
    if current is None:
        _remove_stale(sock, lock, pid_file)
        click.echo("agent is not running")
        return
    pid = int(current.get("pid", 0))
    agent_client.request(os.environ, {"op": "stop"}, timeout=5)
    if not _wait_gone(pid, sock, STOP_TIMEOUT):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if not _wait_gone(pid, sock, STOP_TIMEOUT):
            raise AwsprofError(f"the agent (pid {pid}) did not stop", f"Run `kill {pid}`.")
    click.echo("agent stopped")


def _wait_gone(pid: int, sock: Path, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process_alive(pid) and not sock.exists():
            return True
        time.sleep(0.05)
    return False


def _remove_stale(sock: Path, lock: Path, pid_file: Path) -> None:
    """A killed agent leaves its socket; nobody holds the lock then, so it can go."""
    if not lock.exists():
        return
    fd = _lock(lock)
    if fd is None:
        return
    try:
        for path in (sock, pid_file):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    finally:
        os.close(fd)


@agent.command("status")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable (never a secret).")
def status(as_json: bool) -> None:
    """Whether the agent runs; its profiles, expiries, next refreshes and endpoints."""
    answer: dict[str, Any] | None = agent_client.request(os.environ, {"op": "status"}, timeout=5)
    if answer is None:
        answer = {"running": False, "socket": agent_client.socket_path(os.environ)}
    if as_json:
        click.echo(json.dumps(answer, indent=2))
        return
    if not answer.get("running"):
        click.echo("agent is not running")
        return
    click.echo(f"agent running (pid {answer['pid']}, socket {answer['socket']})")
    for item in answer.get("profiles", []):
        if item.get("error"):
            state = f"error: {item['error']}"
        elif item.get("expiration"):
            state = f"expires {item['expiration']}, next refresh {item['next_refresh']}"
        else:
            state = "long-term keys (no expiry)"
        click.echo(f"  {item['profile']}: {state}")
    for endpoint in answer.get("endpoints", []):
        what = f"{endpoint['profile']}{', read-only' if endpoint.get('read_only') else ''}"
        click.echo(f"  endpoint {endpoint['url']} ({what}, pid {endpoint['pid']})")
    for login in answer.get("logins", []):
        state = "waiting for a person" if login.get("waiting_for_person") else "starting"
        click.echo(
            f"  login to {login['session']} ({login.get('flow') or 'flow not chosen'}): {state}"
        )
