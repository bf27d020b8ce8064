"""Login that fits where it runs, with real processes against the sandbox: over SSH ``sso login``
takes the device flow and opens no browser; a command that needs credentials, with an expired
token, no terminal and no agent, fails at once with the command to run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sso_helpers import read_url, start_awsprof, token_grants

from fixtures_sandbox import Sandbox

DEVICE = "urn:ietf:params:oauth:grant-type:device_code"
SSH = "10.0.0.1 52000 10.0.0.2 22"


# What Python's webbrowser starts on Linux with a display (first found on PATH).
BROWSER_NAMES = ("xdg-open", "gio", "x-www-browser", "chromium", "firefox", "google-chrome")


def _browser_spies(tmp_path: Path) -> tuple[str, Path]:
    """A PATH directory whose browsers record being started; returns (PATH, record file)."""
    opened = tmp_path / "opened.txt"
    spies = tmp_path / "spies"
    spies.mkdir()
    for name in BROWSER_NAMES:
        script = spies / name
        script.write_text(f'#!/bin/sh\necho "$@" >> {opened}\n')
        script.chmod(0o700)
    return f"{spies}:{os.environ['PATH']}", opened


def _wait_for(path: Path, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.exists()


def _read_code(process: subprocess.Popen[str]) -> tuple[str, list[str]]:
    """The user code: the first non-empty line after "enter the code"."""
    assert process.stderr is not None
    lines: list[str] = []
    after = False
    for line in process.stderr:
        lines.append(line)
        if "enter the code" in line:
            after = True
        elif after and line.strip():
            return line.strip(), lines
    raise AssertionError("no code printed: " + "".join(lines))


def test_sso_login_over_ssh_takes_the_device_flow(sandbox: Sandbox) -> None:
    process = start_awsprof(
        sandbox, "sso", "login", "--sso-session", "my-org", SSH_CONNECTION=SSH, DISPLAY=":0"
    )
    try:
        url, before = read_url(process)
        code, after = _read_code(process)
        assert url == f"{sandbox.idc_url}/device"
        assert "over SSH" in "".join(before)
        device = sandbox.identity_center.oidc.device_by_user_code(code)
        assert device is not None and device.status == "pending"
        sandbox.approve(code)
        _, rest = process.communicate(timeout=60)
    finally:
        process.kill() if process.poll() is None else None
    assert process.returncode == 0, "".join(before + after) + rest
    assert token_grants(sandbox, DEVICE) >= 1
    assert token_grants(sandbox, "authorization_code") == 0
    assert sandbox.read_token_cache()["accessToken"]


def test_sso_login_over_ssh_never_starts_a_browser(sandbox: Sandbox, tmp_path: Path) -> None:
    path, opened = _browser_spies(tmp_path)
    env = {k: v for k, v in sandbox.env(DISPLAY=":0", PATH=path).items() if k != "BROWSER"}
    # The control: with a display, Python's webbrowser starts one of the spies.
    subprocess.run(
        [sys.executable, "-c", "import webbrowser; webbrowser.open('http://127.0.0.1:9/x')"],
        env=env,
        check=True,
        timeout=30,
    )
    assert _wait_for(opened), "the spies do not catch a browser start here"
    opened.unlink()
    sandbox.configure_identity_center(auto_approve=True)
    done = subprocess.run(
        [sys.executable, "-m", "awsprof", "sso", "login", "--sso-session", "my-org"],
        env={**env, "SSH_TTY": "/dev/pts/4"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Using the device code login (over SSH" in done.stderr
    time.sleep(0.5)  # a browser started in the background would have written by now
    assert token_grants(sandbox, DEVICE) >= 1 and token_grants(sandbox, "authorization_code") == 0
    assert not opened.exists()


def test_the_environment_variable_pins_the_flow_over_ssh(sandbox: Sandbox) -> None:
    """A port forward the host cannot see: AWSPROF_SSO_LOGIN_FLOW=pkce keeps the loopback flow."""
    process = start_awsprof(
        sandbox,
        "sso",
        "login",
        "--sso-session",
        "my-org",
        "--no-browser",
        SSH_CONNECTION=SSH,
        AWSPROF_SSO_LOGIN_FLOW="pkce",
    )
    try:
        url, _ = read_url(process)
        assert "/authorize?" in url and "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in url
        sandbox.open_and_allow(url)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill() if process.poll() is None else None
    assert process.returncode == 0, stderr
    assert token_grants(sandbox, "authorization_code") == 1


@pytest.mark.parametrize(
    "command",
    [
        ("configure", "export-credentials", "--profile", "work"),
        ("exec", "--profile", "work", "--", sys.executable, "-c", "print('ran')"),
    ],
)
def test_expired_token_without_a_terminal_fails_at_once_with_the_command(
    sandbox: Sandbox, command: tuple[str, ...]
) -> None:
    sandbox.login_sso(expires_in=-60, refreshable=False)
    started = time.monotonic()
    done = sandbox.run_awsprof(*command, AWSPROF_SSO_LOGIN_TIMEOUT="600")  # stdin: /dev/null
    elapsed = time.monotonic() - started
    assert done.returncode == 5, done.stderr
    assert "awsprof sso login --sso-session my-org" in done.stderr
    assert "ran" not in done.stdout
    assert elapsed < 30, elapsed  # the login timeout is 600 s: nothing waited for a browser
    assert token_grants(sandbox, DEVICE) == 1  # the test's own login; none started by awsprof
    assert not [e for e in sandbox.request_log() if e.operation == "StartDeviceAuthorization"][1:]


def test_a_person_at_a_terminal_logs_in_where_the_command_runs(sandbox: Sandbox) -> None:
    """exec with an expired token on a terminal over SSH: the device code is shown, the person
    approves it, and the command runs (no second command, no browser)."""
    import pexpect

    sandbox.login_sso(expires_in=-60, refreshable=False)
    sandbox.identity_center.clear_log()
    env = sandbox.env(SSH_CONNECTION=SSH)
    child = pexpect.spawn(
        str(Path(sys.executable).parent / "awsprof"),
        ["exec", "--profile", "work", "--", sys.executable, "-c", "print('ran as work')"],
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    try:
        child.expect_exact("needs a login to the SSO session my-org")
        child.expect_exact("Using the device code login (over SSH")
        child.expect(r"enter the code:\s+(\S+)")
        code = child.match.group(1)
        assert sandbox.approve(code) == [code]
        child.expect_exact("ran as work")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert [e.operation for e in sandbox.request_log()].count("StartDeviceAuthorization") == 1
    assert token_grants(sandbox, "authorization_code") == 0


def test_read_only_on_a_terminal_still_never_logs_in(sandbox: Sandbox) -> None:
    import pexpect

    sandbox.login_sso(expires_in=-60, refreshable=False)
    sandbox.identity_center.clear_log()
    child = pexpect.spawn(
        str(Path(sys.executable).parent / "awsprof"),
        ["exec", "--read-only", "--profile", "work", "--", sys.executable, "-c", "print(1)"],
        env=sandbox.env(SSH_CONNECTION=SSH),
        encoding="utf-8",
        timeout=60,
    )
    try:
        child.expect_exact("awsprof sso login --sso-session my-org")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 5
    assert not [e for e in sandbox.request_log() if e.operation == "StartDeviceAuthorization"]
