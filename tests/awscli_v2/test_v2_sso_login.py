"""``sso login`` and ``sso logout`` with the AWS CLI v2 (2.36) and awsprof, in both directions:
a login by either tool (PKCE in chromium, or the device code) serves the other, and a logout by
either removes what the other reads."""

from __future__ import annotations

import json
import re
import subprocess
from typing import Any

import pytest

from fixtures_awscli_v2 import Clis
from fixtures_sandbox import BIN_DIR

WORK = "555566667777"


def start(clis: Clis, tool: str, *args: str) -> subprocess.Popen[str]:
    program = str(clis.v2_path) if tool == "v2" else str(BIN_DIR / "awsprof")
    return subprocess.Popen(
        [program, *args],
        # awsprof picks the device flow inside a container (CI runs in one); the AWS CLI never
        # looks at the host, so the side-by-side PKCE runs pin the flow (--use-device-code wins).
        env=clis.sandbox.env(BROWSER="true", AWSPROF_SSO_LOGIN_FLOW="pkce"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def read_until(process: subprocess.Popen[str], pattern: re.Pattern[str]) -> tuple[str, str]:
    """Lines of the merged output until one matches; returns (match, text read)."""
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        found = pattern.search(line)
        if found:
            return found.group(0), "".join(seen)
    raise AssertionError("not printed: " + "".join(seen))


def identity(clis: Clis, tool: str, profile: str = "work") -> dict[str, Any]:
    if tool == "v2":
        done = clis.v2("sts", "get-caller-identity", "--profile", profile)
    else:
        done = clis.awsprof("whoami", "--profile", profile)
    assert done.returncode == 0, (tool, done.stderr)
    data: dict[str, Any] = json.loads(done.stdout)
    return data


def allow_in_chromium(chromium: Any, url: str) -> None:
    page = chromium.new_page()
    page.goto(url)
    page.click("#allow")
    page.wait_for_load_state()
    page.close()


def other(tool: str) -> str:
    return "awsprof" if tool == "v2" else "v2"


@pytest.mark.parametrize("tool", ["v2", "awsprof"])
def test_pkce_login_in_chromium_serves_the_other_tool(clis: Clis, chromium: Any, tool: str) -> None:
    process = start(clis, tool, "sso", "login", "--profile", "work", "--no-browser")
    url, _ = read_until(process, re.compile(r"https?://\S+/authorize\?\S+"))
    assert "code_challenge_method=S256" in url
    allow_in_chromium(chromium, url)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0, out
    assert "Successfully logged in" in out
    cached = clis.sandbox.read_token_cache()
    assert cached["startUrl"] == clis.sandbox.start_url and cached["refreshToken"]
    seen = len(clis.sandbox.request_log())
    assert identity(clis, other(tool))["Account"] == WORK
    # The other tool used the cached token: no new login, no token exchange.
    assert not [entry for entry in clis.sandbox.request_log()[seen:] if entry.grant_type]


@pytest.mark.parametrize("tool", ["v2", "awsprof"])
def test_device_code_login_serves_the_other_tool(clis: Clis, tool: str) -> None:
    clis.sandbox.configure_identity_center(auto_approve=True)
    process = start(
        clis, tool, "sso", "login", "--sso-session", "my-org", "--use-device-code", "--no-browser"
    )
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 0, out
    grants = [entry.grant_type for entry in clis.sandbox.request_log() if entry.grant_type]
    assert grants == ["urn:ietf:params:oauth:grant-type:device_code"] * len(grants) and grants
    assert clis.sandbox.read_token_cache()["accessToken"]
    assert identity(clis, other(tool))["Account"] == WORK
    assert identity(clis, tool)["Account"] == WORK


@pytest.mark.parametrize("tool", ["v2", "awsprof"])
def test_logout_by_either_removes_what_the_other_reads(clis: Clis, tool: str) -> None:
    clis.sandbox.login_sso()
    assert identity(clis, "v2")["Account"] == WORK  # caches the role credentials as well
    assert clis.sandbox.token_cache_file.exists()
    done = clis.v2("sso", "logout") if tool == "v2" else clis.awsprof("sso", "logout")
    assert done.returncode == 0, done.stderr
    assert not clis.sandbox.token_cache_file.exists()
    assert not list(clis.sandbox.paths.cli_cache.glob("*.json"))  # cached role credentials too
    reader = other(tool)
    failed = (
        clis.v2("sts", "get-caller-identity", "--profile", "work")
        if reader == "v2"
        else clis.awsprof("whoami", "--profile", "work")
    )
    assert failed.returncode != 0
    # awsprof says which login to run; the AWS CLI v2 that the token does not exist.
    assert re.search(r"sso login|Token for my-org does not exist", failed.stderr), failed.stderr
