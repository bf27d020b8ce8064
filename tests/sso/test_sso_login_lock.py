"""Reliability D14: eight processes needing a login start exactly one login flow (the others wait
and use its token), and a lock held by a killed process does not block the next login."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sso_helpers import read_url, start_awsprof

from fixtures_sandbox import Sandbox

LOGIN = ("sso", "login", "--sso-session", "my-org", "--use-device-code", "--no-browser")


def _wait_for(condition: object, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _device_starts(sandbox: Sandbox) -> int:
    return sum(1 for e in sandbox.request_log() if e.operation == "StartDeviceAuthorization")


@pytest.mark.parametrize("if_needed", [True, False], ids=["if-needed", "forced"])
def test_eight_processes_needing_a_login_start_one_flow(sandbox: Sandbox, if_needed: bool) -> None:
    args = (*LOGIN, "--if-needed") if if_needed else LOGIN
    processes = [start_awsprof(sandbox, *args) for _ in range(8)]
    _wait_for(lambda: _device_starts(sandbox) >= 1)
    time.sleep(1.0)  # every other process is now waiting for the login lock
    assert _device_starts(sandbox) == 1
    sandbox.approve()
    outputs = [p.communicate(timeout=60) for p in processes]
    assert [p.returncode for p in processes] == [0] * 8, [err for _, err in outputs]
    assert _device_starts(sandbox) == 1
    logged_in = [err for _, err in outputs if "Successfully logged in" in err]
    assert len(logged_in) == 1
    assert sum("another process is logging in" in err for _, err in outputs) >= 1
    assert sandbox.read_token_cache()["accessToken"]


def test_a_killed_lock_holder_does_not_block_the_next_login(sandbox: Sandbox) -> None:
    holder = start_awsprof(sandbox, *LOGIN)
    read_url(holder)  # it holds the login lock and waits for a person
    lock = sandbox.paths.sso_cache / f".{sandbox.token_cache_file.stem}.login.lock"
    assert lock.exists()
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    assert holder.returncode == -signal.SIGKILL
    sandbox.configure_identity_center(auto_approve=True)
    started = time.monotonic()
    next_login = subprocess.run(
        [sys.executable, "-m", "awsprof", *LOGIN],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert next_login.returncode == 0, next_login.stderr
    assert time.monotonic() - started < 10
    assert "another process is logging in" not in next_login.stderr
    assert not sandbox.token_cache_file.with_suffix(".tmp").exists()
    assert sandbox.read_token_cache()["accessToken"]
