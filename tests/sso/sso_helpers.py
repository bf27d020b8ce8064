"""Helpers of the SSO tests: run awsprof and the AWS CLI as real processes against a sandbox home,
log in through the core with a browser-driving UI, and read the emulator's log."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from awsprof.profiles.model import load_files
from awsprof.sso.device import DeviceCode
from awsprof.sso.login import LoginOptions, LoginResult, LoginUi, deps_for, login
from awsprof.sso.session import session_settings
from fixtures_sandbox import Sandbox


def awsprof(
    sandbox: Sandbox, *args: str, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsprof", *args],
        env=sandbox.env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def start_awsprof(sandbox: Sandbox, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "awsprof", *args],
        env=sandbox.env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_url(process: subprocess.Popen[str], prefix: str = "http") -> tuple[str, list[str]]:
    """Read stderr lines until one starts with ``prefix``; returns it and the lines read."""
    assert process.stderr is not None
    lines = []
    for line in process.stderr:
        lines.append(line)
        if line.startswith(prefix):
            return line.strip(), lines
    raise AssertionError("no URL printed: " + "".join(lines))


def ui(
    authorize: Callable[[str], None] | None = None,
    device: Callable[[DeviceCode], None] | None = None,
) -> LoginUi:
    def no_authorize(url: str, open_browser: bool) -> None:
        if authorize is None:
            raise AssertionError("unexpected PKCE login")
        authorize(url)

    def no_device(code: DeviceCode, open_browser: bool) -> None:
        if device is None:
            raise AssertionError("unexpected device login")
        device(code)

    return LoginUi(no_authorize, no_device, lambda message: None)


def core_login(
    sandbox: Sandbox,
    login_ui: LoginUi,
    sso_session: str | None = "my-org",
    profile: str | None = None,
    **options: Any,
) -> LoginResult:
    environ = sandbox.env()
    files = load_files(environ)
    settings = session_settings(files, environ, sso_session, profile)
    deps = deps_for(environ, files, settings, lambda message: None)
    return login(settings, LoginOptions(**options), login_ui, deps)


def operations(sandbox: Sandbox, operation: str | None = None) -> list[Any]:
    return [e for e in sandbox.request_log() if operation is None or e.operation == operation]


def token_grants(sandbox: Sandbox, grant: str) -> int:
    return sum(
        1 for e in sandbox.request_log() if e.operation == "CreateToken" and e.grant_type == grant
    )


BOTOCORE_CALLER = """
import json, sys, botocore.session
session = botocore.session.Session(profile=sys.argv[1])
answer = session.create_client("sts").get_caller_identity()
print(json.dumps({"account": answer["Account"], "arn": answer["Arn"]}))
"""


def botocore_identity(sandbox: Sandbox, profile: str) -> dict[str, Any]:
    """GetCallerIdentity through unmodified botocore in a child (its cache dir follows HOME)."""
    result = subprocess.run(
        [sys.executable, "-c", BOTOCORE_CALLER, profile],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def aws_identity(sandbox: Sandbox, profile: str) -> dict[str, Any]:
    result = sandbox.run_aws("sts", "get-caller-identity", "--profile", profile, "--output", "json")
    assert result.returncode == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer
