"""The agent runs the one SSO login for every waiting caller: real processes, the sandbox's
Identity Center emulator, callers without a terminal that wait on the agent instead of failing."""

from __future__ import annotations

import json
import re
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

from fixtures_sandbox import Sandbox
from resolution.helpers import BIN, awsprof

CALLERS = 32
EXPORT = ("configure", "export-credentials", "--profile", "work")


def _operations(sandbox: Sandbox, name: str) -> int:
    return sum(1 for e in sandbox.request_log() if e.operation == name)


def _start_callers(env: dict[str, str], count: int) -> tuple[list[subprocess.Popen[str]], Any]:
    """``count`` callers without a terminal; their stderr is collected as it arrives."""
    callers = [
        subprocess.Popen(
            [str(BIN / "awsprof"), *EXPORT],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        for _ in range(count)
    ]
    seen: list[list[str]] = [[] for _ in callers]

    def collect(index: int) -> None:
        stream = callers[index].stderr
        assert stream is not None
        for line in stream:
            seen[index].append(line)

    readers = [threading.Thread(target=collect, args=(i,), daemon=True) for i in range(count)]
    for reader in readers:
        reader.start()
    return callers, (seen, readers)


def _shown_code(lines: list[str]) -> str:
    """The code a caller printed from the agent's login ("... and enter CODE")."""
    for line in lines:
        found = re.search(r"and enter (\S+)", line)
        if found:
            return found.group(1)
    raise AssertionError("no code shown: " + "".join(lines))


def _finish(caller: subprocess.Popen[str]) -> str:
    """Its stdout once it ended (stderr belongs to the collecting thread)."""
    assert caller.stdout is not None
    output = caller.stdout.read()
    caller.wait(timeout=180)
    return output


def _wait(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _expired_session(sandbox: Sandbox, tmp_path: Path) -> dict[str, str]:
    sandbox.login_sso(expires_in=-60, refreshable=False)  # expired, no refresh token
    sandbox.identity_center.clear_log()
    return sandbox.env(XDG_RUNTIME_DIR=str(tmp_path), AWSPROF_SSO_LOGIN_FLOW="device")


def test_thirty_two_callers_with_an_expired_token_share_one_login_in_the_agent(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    env = _expired_session(sandbox, tmp_path)
    try:
        assert awsprof(env, "agent", "start").returncode == 0
        callers, (seen, readers) = _start_callers(env, CALLERS)
        # Every caller waits on the one login and shows its code (none has a terminal).
        _wait(
            lambda: (
                all(any("enter" in line for line in lines) for lines in seen)
                or any(c.poll() is not None for c in callers)
            ),
            240,
            "every caller to show the agent's login",
        )
        ended = [i for i, c in enumerate(callers) if c.poll() is not None]
        assert not ended, "a caller ended before the login: " + "".join(seen[ended[0]])[-500:]
        assert _operations(sandbox, "StartDeviceAuthorization") == 1
        codes = {_shown_code(lines) for lines in seen}
        assert len(codes) == 1  # every caller shows the one code
        code = codes.pop()
        approved = sandbox.approve(code)  # the person approves it
        assert approved == [code]
        outputs = [_finish(caller) for caller in callers]
        for reader in readers:
            reader.join(timeout=10)
        assert [c.returncode for c in callers] == [0] * CALLERS, ["".join(s)[-300:] for s in seen]
        assert len({json.loads(out)["AccessKeyId"] for out in outputs}) == 1
        assert _operations(sandbox, "StartDeviceAuthorization") == 1  # one login
        grants = [e.grant_type for e in sandbox.request_log() if e.operation == "CreateToken"]
        assert grants.count("urn:ietf:params:oauth:grant-type:device_code") >= 1
        assert "refresh_token" not in grants
        assert _operations(sandbox, "GetRoleCredentials") == 1
        assert sandbox.read_token_cache()["expiresAt"] > time.strftime("%Y-%m-%dT%H:%M:%SZ")
        status = json.loads(awsprof(env, "agent", "status", "--json").stdout)
        assert status["logins"] == []
        assert code not in json.dumps(status)  # the code is for the callers only
    finally:
        awsprof(env, "agent", "stop", timeout=30)


def test_a_denied_login_fails_every_caller_with_the_command_and_starts_no_second(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    env = _expired_session(sandbox, tmp_path)
    try:
        assert awsprof(env, "agent", "start").returncode == 0
        callers, (seen, readers) = _start_callers(env, 4)
        _wait(
            lambda: all(any("enter" in line for line in lines) for lines in seen),
            120,
            "the callers to show the agent's login",
        )
        codes = {_shown_code(lines) for lines in seen}
        assert len(codes) == 1
        running = json.loads(awsprof(env, "agent", "status", "--json").stdout)["logins"]
        assert running == [{"session": "my-org", "flow": "device", "waiting_for_person": True}]
        shown = awsprof(env, "agent", "status").stdout
        assert "login to my-org (device): waiting for a person" in shown
        sandbox.identity_center.oidc.decide_device(codes.pop(), allow=False)
        for caller in callers:
            _finish(caller)
        for reader in readers:
            reader.join(timeout=10)
        assert [c.returncode for c in callers] == [5] * 4, ["".join(s)[-300:] for s in seen]
        for lines in seen:
            assert "awsprof sso login" in "".join(lines)
        assert _operations(sandbox, "StartDeviceAuthorization") == 1
    finally:
        awsprof(env, "agent", "stop", timeout=30)


def test_without_the_agent_a_caller_without_a_terminal_fails_at_once(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    env = _expired_session(sandbox, tmp_path)
    started = time.monotonic()
    done = subprocess.run(
        [str(BIN / "awsprof"), *EXPORT],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 5, done.stderr
    assert "awsprof sso login --sso-session my-org" in done.stderr
    assert time.monotonic() - started < 30
    assert _operations(sandbox, "StartDeviceAuthorization") == 0


def test_the_agents_browser_login_is_shown_to_every_caller(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """PKCE in the agent: its loopback listener receives the redirect; callers show the URL."""
    sandbox.login_sso(expires_in=-60, refreshable=False)
    sandbox.identity_center.clear_log()
    env = sandbox.env(XDG_RUNTIME_DIR=str(tmp_path), AWSPROF_SSO_LOGIN_FLOW="pkce", BROWSER="none")
    try:
        assert awsprof(env, "agent", "start").returncode == 0
        callers, (seen, readers) = _start_callers(env, 4)
        _wait(
            lambda: all(any("in a browser" in line for line in lines) for lines in seen),
            120,
            "the callers to show the agent's login",
        )
        urls = set()
        for lines in seen:
            found = re.search(r"open (\S+) in a browser", "".join(lines))
            assert found
            urls.add(found.group(1))
        assert len(urls) == 1
        sandbox.open_and_allow(urls.pop())
        outputs = [_finish(caller) for caller in callers]
        for reader in readers:
            reader.join(timeout=10)
        assert [c.returncode for c in callers] == [0] * 4, ["".join(s)[-300:] for s in seen]
        assert len({json.loads(out)["AccessKeyId"] for out in outputs}) == 1
        grants = [e.grant_type for e in sandbox.request_log() if e.operation == "CreateToken"]
        assert grants.count("authorization_code") == 1
    finally:
        awsprof(env, "agent", "stop", timeout=30)
