"""The credential agent with real processes: start/status/stop, credentials through it, refresh
ahead of expiry, another user refused, and callers falling back when it is killed mid-refresh."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from fixtures_sandbox import Sandbox
from resolution.helpers import BIN, awsprof

SECRET = "CanarySecretKey0123456789abcdefGHIJKLMNOP"

# Counts its runs; sleeps SLEEP seconds; its credentials expire LIFETIME seconds from now.
SCRIPT = """
import datetime as dt, json, sys, time
counter, lifetime, sleep, secret = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
with open(counter, "a") as count:
    count.write("run\\n")
time.sleep(sleep)
runs = sum(1 for _ in open(counter))
expiry = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=lifetime)
print(json.dumps({"Version": 1, "AccessKeyId": "AKIAPROCESS%012d" % runs,
                  "SecretAccessKey": secret, "Expiration": expiry.strftime("%Y-%m-%dT%H:%M:%SZ")}))
"""


@pytest.fixture
def env(isolated_home: Path, tmp_path: Path) -> dict[str, str]:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    result = {k: v for k, v in os.environ.items() if not k.startswith(("AWS", "XDG"))}
    result.update(HOME=str(isolated_home), XDG_RUNTIME_DIR=str(runtime))
    return result


@pytest.fixture
def agent_env(env: dict[str, str]) -> Any:
    """Yields the environment; the agent started under it is stopped afterwards, whatever
    happened."""
    yield env
    awsprof(env, "agent", "stop", timeout=30)


def _tool(isolated_home: Path, lifetime: int = 3600, sleep: float = 0.0) -> Path:
    aws_dir = isolated_home / ".aws"
    aws_dir.mkdir(mode=0o700, exist_ok=True)
    script = aws_dir / "tool.py"
    script.write_text(SCRIPT)
    counter = aws_dir / "runs.txt"
    command = f"{sys.executable} {script} {counter} {lifetime} {sleep} {SECRET}"
    (aws_dir / "config").write_text(f"[profile tool]\ncredential_process = {command}\n")
    return counter


def _runs(counter: Path) -> int:
    return len(counter.read_text().splitlines()) if counter.exists() else 0


def _status(env: dict[str, str]) -> dict[str, Any]:
    done = awsprof(env, "agent", "status", "--json")
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _socket(env: dict[str, str]) -> Path:
    return Path(env["XDG_RUNTIME_DIR"]) / "awsprof" / "agent.sock"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"


def test_start_status_stop_leaves_no_socket_or_process(agent_env: dict[str, str]) -> None:
    assert _status(agent_env)["running"] is False
    started = awsprof(agent_env, "agent", "start")
    assert started.returncode == 0, started.stderr
    status = _status(agent_env)
    assert status["running"] is True
    pid = int(status["pid"])
    sock = _socket(agent_env)
    assert stat.S_ISSOCK(sock.stat().st_mode)
    assert stat.S_IMODE(sock.stat().st_mode) == 0o600
    assert stat.S_IMODE(sock.parent.stat().st_mode) == 0o700
    again = awsprof(agent_env, "agent", "start")
    assert again.returncode == 0 and "already running" in again.stdout
    assert _status(agent_env)["pid"] == pid  # still one agent
    stopped = awsprof(agent_env, "agent", "stop")
    assert stopped.returncode == 0, stopped.stderr
    assert not sock.exists()
    assert not _alive(pid)
    assert _status(agent_env)["running"] is False


def test_other_processes_read_credentials_through_the_agent(
    agent_env: dict[str, str], isolated_home: Path
) -> None:
    # Without awsprof's own process cache, only the agent's holding can spare the runs.
    agent_env["AWSPROF_CREDENTIAL_PROCESS_CACHE"] = "0"
    counter = _tool(isolated_home)
    assert awsprof(agent_env, "agent", "start").returncode == 0
    keys = set()
    for _ in range(4):
        done = awsprof(agent_env, "configure", "export-credentials", "--profile", "tool")
        assert done.returncode == 0, done.stderr
        keys.add(json.loads(done.stdout)["AccessKeyId"])
    done = awsprof(agent_env, "credential-process", "--profile", "tool")
    assert done.returncode == 0, done.stderr
    keys.add(json.loads(done.stdout)["AccessKeyId"])
    assert keys == {"AKIAPROCESS000000000001"}
    assert _runs(counter) == 1
    status = _status(agent_env)
    (held,) = status["profiles"]
    assert held["profile"] == "tool" and held["expiration"] and held["next_refresh"]
    assert SECRET not in json.dumps(status)
    # Without the agent every caller runs the process: the test above can fail.
    assert awsprof(agent_env, "agent", "stop").returncode == 0
    done = awsprof(agent_env, "configure", "export-credentials", "--profile", "tool")
    assert done.returncode == 0 and _runs(counter) == 2


def test_agent_refreshes_ahead_of_expiry_without_callers(
    agent_env: dict[str, str], isolated_home: Path
) -> None:
    """Credentials that enter the 15-minute advisory window 2 s after they are issued: the agent
    keeps refreshing them by itself."""
    agent_env["AWSPROF_AGENT_CHECK_INTERVAL"] = "0.2"
    counter = _tool(isolated_home, lifetime=15 * 60 + 2)
    assert awsprof(agent_env, "agent", "start").returncode == 0
    done = awsprof(agent_env, "configure", "export-credentials", "--profile", "tool")
    assert done.returncode == 0, done.stderr
    deadline = time.monotonic() + 30
    while _runs(counter) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _runs(counter) >= 3
    (held,) = _status(agent_env)["profiles"]
    assert held["last_refresh"] and held["error"] is None


def test_killed_during_a_refresh_callers_fall_back_and_no_cache_is_corrupt(
    agent_env: dict[str, str], isolated_home: Path
) -> None:
    counter = _tool(isolated_home, sleep=3)
    assert awsprof(agent_env, "agent", "start").returncode == 0
    pid = int(_status(agent_env)["pid"])
    caller = subprocess.Popen(
        [str(BIN / "awsprof"), "configure", "export-credentials", "--profile", "tool"],
        env=agent_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while _runs(counter) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _runs(counter) == 1  # the agent is inside the refresh (running the slow process)
    os.kill(pid, signal.SIGKILL)
    out, err = caller.communicate(timeout=60)
    assert caller.returncode == 0, err
    assert json.loads(out)["SecretAccessKey"] == SECRET
    assert _runs(counter) == 2  # the caller resolved by itself
    for path in (isolated_home / ".cache").rglob("*.json"):
        json.loads(path.read_text())  # every cache entry is whole
    assert _status(agent_env)["running"] is False
    # Later callers do not wait on the dead agent's socket either.
    done = awsprof(agent_env, "configure", "export-credentials", "--profile", "tool", timeout=20)
    assert done.returncode == 0, done.stderr
    stopped = awsprof(agent_env, "agent", "stop")
    assert stopped.returncode == 0 and not _socket(agent_env).exists()


def test_another_user_cannot_connect(agent_env: dict[str, str]) -> None:
    if os.geteuid() != 0:  # acting as another user needs root: CI runs as root, so it must run
        message = "needs root to act as another user"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    assert awsprof(agent_env, "agent", "start").returncode == 0
    # A forked child turned into `nobody` (the interpreter itself may be unreadable to it).
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 3
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            probe = socket.socket(socket.AF_UNIX)
            try:
                probe.connect(str(_socket(agent_env)))
                code = 1
            except PermissionError:
                code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "another user reached the agent's socket"


def test_sandbox_role_through_the_agent_lands_in_the_aws_cli_cache(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    env = sandbox.env(XDG_RUNTIME_DIR=str(tmp_path))
    sandbox.login_sso()
    try:
        assert awsprof(env, "agent", "start").returncode == 0
        done = awsprof(env, "configure", "export-credentials", "--profile", "prod")
        assert done.returncode == 0, done.stderr
        exported = json.loads(done.stdout)
        assert [p["profile"] for p in _status(env)["profiles"]] == ["prod"]
        before = {p.name: p.read_bytes() for p in sandbox.paths.cli_cache.glob("*.json")}
        aws = sandbox.run_aws("sts", "get-caller-identity", "--profile", "prod")
        assert aws.returncode == 0, aws.stderr
        after = {p.name: p.read_bytes() for p in sandbox.paths.cli_cache.glob("*.json")}
        assert after == before  # the AWS CLI used what the agent cached
        assert any(exported["AccessKeyId"].encode() in data for data in after.values())
    finally:
        awsprof(env, "agent", "stop", timeout=30)


def test_status_lists_a_serving_endpoint_without_its_token(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    env = sandbox.env(XDG_RUNTIME_DIR=str(tmp_path))
    assert awsprof(env, "agent", "start").returncode == 0
    server = subprocess.Popen(
        [str(BIN / "awsprof"), "serve", "--profile", "dev"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        printed = first + "".join(server.stdout.readline() for _ in range(6))
        token = printed.split("AWS_CONTAINER_AUTHORIZATION_TOKEN=")[1].split()[0]
        status = _status(env)
        assert len(status["endpoints"]) == 1, (status, server.pid)
        (endpoint,) = status["endpoints"]
        assert endpoint["profile"] == "dev" and endpoint["pid"] == server.pid
        assert endpoint["url"] in first
        assert token not in json.dumps(_status(env))
        request = urllib.request.Request(endpoint["url"], headers={"Authorization": token})  # noqa: S310
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as answer:
            served = json.loads(answer.read())
        assert served["AccessKeyId"] == sandbox.static_keys["dev"].access_key_id
        assert [p["profile"] for p in _status(env)["profiles"]] == ["dev"]  # held by the agent
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=20)
        assert _status(env)["endpoints"] == []  # gone with its process
    finally:
        server.kill()
        awsprof(env, "agent", "stop", timeout=30)


def test_thirty_two_callers_with_an_expiring_sso_token_share_one_refresh_in_the_agent(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    env = sandbox.env(XDG_RUNTIME_DIR=str(tmp_path))
    before = sandbox.login_sso(expires_in=600)  # inside the 15-minute window: due for refresh
    try:
        assert awsprof(env, "agent", "start").returncode == 0
        command = [str(BIN / "awsprof"), "configure", "export-credentials", "--profile", "work"]
        callers = [
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(32)
        ]
        results = [caller.communicate(timeout=180) for caller in callers]
        assert [c.returncode for c in callers] == [0] * 32, [r[1][-300:] for r in results]
        assert len({json.loads(out)["AccessKeyId"] for out, _ in results}) == 1
        log = sandbox.request_log()
        grants = [e.grant_type for e in log if e.operation == "CreateToken"]
        assert grants.count("refresh_token") == 1  # (the other grant is the test's own login)
        assert sum(1 for e in log if e.operation == "GetRoleCredentials") == 1
        assert sandbox.read_token_cache()["accessToken"] != before["accessToken"]
        assert [p["profile"] for p in _status(env)["profiles"]] == ["work"]
    finally:
        awsprof(env, "agent", "stop", timeout=30)


def test_an_edited_profile_is_resolved_again(
    agent_env: dict[str, str], isolated_home: Path
) -> None:
    agent_env["AWSPROF_CREDENTIAL_PROCESS_CACHE"] = "0"
    counter = _tool(isolated_home)
    assert awsprof(agent_env, "agent", "start").returncode == 0
    export = ("configure", "export-credentials", "--profile", "tool")
    assert awsprof(agent_env, *export).returncode == 0
    config = isolated_home / ".aws" / "config"
    config.write_text(config.read_text() + "region = eu-west-1\n")
    done = awsprof(agent_env, *export)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["AccessKeyId"] == "AKIAPROCESS000000000002"
    assert _runs(counter) == 2


def test_auto_starts_the_agent_on_demand(agent_env: dict[str, str], isolated_home: Path) -> None:
    agent_env["AWSPROF_AGENT"] = "auto"
    _tool(isolated_home)
    done = awsprof(agent_env, "configure", "export-credentials", "--profile", "tool")
    assert done.returncode == 0, done.stderr  # answered at once, without waiting for the agent
    deadline = time.monotonic() + 20
    while not _status(agent_env)["running"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _status(agent_env)["running"] is True
    done = awsprof(agent_env, "configure", "export-credentials", "--profile", "tool")
    assert done.returncode == 0, done.stderr
    assert [p["profile"] for p in _status(agent_env)["profiles"]] == ["tool"]
