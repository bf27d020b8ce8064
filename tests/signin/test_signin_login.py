"""``awsprof login`` / ``logout`` and the refresh of ``login_session`` credentials, end to end:
real processes, a real headless chromium on the Sign-In emulator's pages, the emulator verifying
every DPoP proof, and the real AWS CLI v2 using awsprof's login and the other way round."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from awsprof.sandbox import accounts as world
from fixtures_awscli_v2 import Clis
from fixtures_sandbox import Sandbox

SANDBOX_ACCOUNT = world.SANDBOX.account_id
PROFILE_LINES = (
    "\n[profile {name}]\nregion = {region}\nendpoint_url = {moto}\nservices = {services}\n"
)


def add_console_profile(sandbox: Sandbox, name: str = "console") -> None:
    """A profile with endpoints but no credentials: what `login` may turn into a login profile."""
    with sandbox.config_file.open("a") as handle:
        handle.write(
            PROFILE_LINES.format(
                name=name,
                region=world.REGION,
                moto=sandbox.moto_url,
                services=world.SERVICES_SECTION,
            )
        )


def start(argv: list[str], sandbox: Sandbox, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        argv,
        env=sandbox.env(**env),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def read_url(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.startswith("http"):
            return line.strip()
    raise AssertionError("no URL printed: " + "".join(seen))


def allow(page: Any, url: str) -> None:
    page.goto(url)
    page.click("#allow")


def awsprof_login(sandbox: Sandbox, chromium: Any, *extra: str) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "awsprof", "login", "--profile", "console", *extra]
    process = start(argv, sandbox)
    url = read_url(process)
    assert url.startswith(f"{sandbox.idc_url}/v1/authorize?")
    page = chromium.new_page()
    try:
        allow(page, url)
        if "--remote" in extra:
            code = page.inner_text("#verification-code")
            out, err = process.communicate(code + "\n", timeout=60)
        else:
            page.wait_for_selector("#awsprof-result")
            out, err = process.communicate(timeout=60)
    finally:
        page.close()
    return subprocess.CompletedProcess(argv, process.returncode, out, err)


def cache_path(sandbox: Sandbox, session: str) -> Path:
    name = hashlib.sha256(session.encode()).hexdigest() + ".json"
    return sandbox.aws_dir / "login" / "cache" / name


def login_session(sandbox: Sandbox) -> str:
    for line in sandbox.config_file.read_text().splitlines():
        if line.startswith("login_session = "):
            return line.split(" = ", 1)[1]
    raise AssertionError("no login_session written")


def expire_cache(path: Path) -> None:
    """Make the cached credentials look expired (the file stays byte-for-byte otherwise)."""
    entry = json.loads(path.read_text())
    past = dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1)
    entry["accessToken"]["expiresAt"] = past.strftime("%Y-%m-%dT%H:%M:%SZ")
    path.write_text(json.dumps(entry))


def whoami(sandbox: Sandbox) -> subprocess.CompletedProcess[str]:
    return sandbox.run_awsprof("whoami", "--profile", "console")


def test_awsprof_login_in_chromium_writes_the_aws_cli_cache_and_profile(
    sandbox: Sandbox, chromium: Any
) -> None:
    add_console_profile(sandbox)
    done = awsprof_login(sandbox, chromium, "--no-browser")
    assert done.returncode == 0, done.stderr
    session = login_session(sandbox)
    assert f"Updated profile console to use {session} credentials." in done.stdout
    assert session.startswith(f"arn:aws:sts::{SANDBOX_ACCOUNT}:assumed-role/AWSReservedSSO_")
    path = cache_path(sandbox, session)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    entry = json.loads(text)
    assert text == json.dumps(entry)  # botocore's JSONFileCache bytes: default separators
    assert list(entry) == [
        "accessToken",
        "tokenType",
        "clientId",
        "refreshToken",
        "idToken",
        "dpopKey",
    ]
    assert entry["clientId"] == "arn:aws:signin:::devtools/same-device"
    assert entry["accessToken"]["accountId"] == SANDBOX_ACCOUNT
    assert entry["dpopKey"].startswith("-----BEGIN EC PRIVATE KEY-----\n")
    assert sandbox.identity_center.signin.grants == ["authorization_code"]
    identity = whoami(sandbox)
    assert identity.returncode == 0, identity.stderr
    assert json.loads(identity.stdout)["Arn"] == session


def test_awsprof_login_remote_reads_the_pasted_code(sandbox: Sandbox, chromium: Any) -> None:
    add_console_profile(sandbox)
    done = awsprof_login(sandbox, chromium, "--remote")
    assert done.returncode == 0, done.stderr
    entry = json.loads(cache_path(sandbox, login_session(sandbox)).read_text())
    assert entry["clientId"] == "arn:aws:signin:::devtools/cross-device"
    assert whoami(sandbox).returncode == 0


def test_login_refuses_a_profile_with_other_credentials(sandbox: Sandbox) -> None:
    done = sandbox.run_awsprof("login", "--profile", "work", "--no-browser")
    assert done.returncode == 2
    assert "already configured with SSO credentials" in done.stderr


def test_expired_login_is_refreshed_with_a_dpop_proof(sandbox: Sandbox, chromium: Any) -> None:
    add_console_profile(sandbox)
    assert awsprof_login(sandbox, chromium, "--no-browser").returncode == 0
    path = cache_path(sandbox, login_session(sandbox))
    before = json.loads(path.read_text())
    expire_cache(path)
    identity = sandbox.run_awsprof("whoami", "--profile", "console", "--explain")
    assert identity.returncode == 0, identity.stderr
    assert f"fetched now, cached in {path}" in identity.stderr
    after = json.loads(path.read_text())
    assert sandbox.identity_center.signin.grants == ["authorization_code", "refresh_token"]
    assert after["refreshToken"] != before["refreshToken"]
    assert after["accessToken"]["accessKeyId"] != before["accessToken"]["accessKeyId"]
    assert after["dpopKey"] == before["dpopKey"] and after["idToken"] == before["idToken"]
    assert dt.datetime.fromisoformat(after["accessToken"]["expiresAt"].replace("Z", "+00:00")) > (
        dt.datetime.now(dt.timezone.utc)
    )
    assert path.read_text() == json.dumps(after)
    again = whoami(sandbox)  # fresh now: no further refresh
    assert again.returncode == 0
    assert sandbox.identity_center.signin.grants.count("refresh_token") == 1


def test_short_lived_credentials_refresh_before_they_expire(
    sandbox: Sandbox, chromium: Any
) -> None:
    sandbox.identity_center.signin.settings.access_seconds = 120  # inside the 5-minute window
    add_console_profile(sandbox)
    assert awsprof_login(sandbox, chromium, "--no-browser").returncode == 0
    exported = sandbox.run_awsprof("configure", "export-credentials", "--profile", "console")
    assert exported.returncode == 0, exported.stderr
    assert sandbox.identity_center.signin.grants == ["authorization_code", "refresh_token"]


def test_revoked_refresh_token_is_exit_5_naming_awsprof_login(
    sandbox: Sandbox, chromium: Any
) -> None:
    add_console_profile(sandbox)
    assert awsprof_login(sandbox, chromium, "--no-browser").returncode == 0
    path = cache_path(sandbox, login_session(sandbox))
    entry = json.loads(path.read_text())
    secret = entry["accessToken"]["secretAccessKey"]
    signin = sandbox.identity_center.signin
    signin.revoke(entry["refreshToken"], entry["accessToken"]["accessKeyId"])
    expire_cache(path)
    identity = whoami(sandbox)
    assert identity.returncode == 5, identity.stderr
    assert "expired or was revoked" in identity.stderr
    assert "awsprof login --profile console" in identity.stderr
    assert secret not in identity.stderr


def test_logout_revokes_and_removes_the_cache(sandbox: Sandbox, chromium: Any) -> None:
    add_console_profile(sandbox)
    assert awsprof_login(sandbox, chromium, "--no-browser").returncode == 0
    path = cache_path(sandbox, login_session(sandbox))
    refresh_token = json.loads(path.read_text())["refreshToken"]
    done = sandbox.run_awsprof("logout", "--profile", "console")
    assert done.returncode == 0, done.stderr
    assert "and revoked its refresh token" in done.stdout
    assert not path.exists()
    session = sandbox.identity_center.signin.session_for(refresh_token)
    assert session is not None and session.revoked
    identity = whoami(sandbox)
    assert identity.returncode == 5 and "no cached login" in identity.stderr


# -- the real AWS CLI v2 -------------------------------------------------------------------------


def browser_script(tmp_path: Path) -> tuple[Path, Path]:
    """A $BROWSER that records the URL the AWS CLI opens, for chromium to visit."""
    seen = tmp_path / "opened-url"
    script = tmp_path / "record-browser"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" > {seen}\n')
    script.chmod(0o755)
    return script, seen


def aws_v2_login(
    clis: Clis, chromium: Any, tmp_path: Path, profile: str = "console", **env: str
) -> tuple[subprocess.Popen[str], str, str]:
    """Run v2's `aws login` to the end, its browser being chromium pressing Allow."""
    sandbox = clis.sandbox
    script, seen = browser_script(tmp_path)
    argv = [str(clis.v2_path), "login", "--profile", profile]
    process = start(argv, sandbox, BROWSER=str(script), **env)
    for _ in range(300):
        if seen.exists() and seen.read_text().strip():
            break
        if process.poll() is not None:
            pytest.fail(f"aws login ended: {process.communicate()}")
        time.sleep(0.1)
    url = seen.read_text().strip()
    assert url.startswith(f"{sandbox.idc_url}/v1/authorize?")
    page = chromium.new_page()
    allow(page, url)
    out, err = process.communicate(timeout=60)
    page.close()
    return process, out, err


def test_aws_cli_v2_login_serves_awsprof(clis: Clis, chromium: Any, tmp_path: Path) -> None:
    sandbox = clis.sandbox
    add_console_profile(sandbox)
    process, out, err = aws_v2_login(clis, chromium, tmp_path)
    assert process.returncode == 0, (out, err)
    session = login_session(sandbox)
    assert f"Updated profile console to use {session} credentials." in out
    assert sandbox.identity_center.signin.grants == ["authorization_code"]  # v2's proof passed
    identity = whoami(sandbox)
    assert identity.returncode == 0, identity.stderr
    assert json.loads(identity.stdout)["Arn"] == session
    # awsprof refreshes v2's login with v2's DPoP key, and writes v2's format back.
    path = cache_path(sandbox, session)
    expire_cache(path)
    exported = clis.awsprof("configure", "export-credentials", "--profile", "console")
    assert exported.returncode == 0, exported.stderr
    assert sandbox.identity_center.signin.grants == ["authorization_code", "refresh_token"]
    theirs = clis.v2("sts", "get-caller-identity", "--profile", "console", "--output", "json")
    assert theirs.returncode == 0, theirs.stderr
    assert json.loads(theirs.stdout)["Arn"] == session
    assert (
        json.loads(exported.stdout)["AccessKeyId"]
        == json.loads(path.read_text())["accessToken"]["accessKeyId"]
    )


def test_awsprof_login_serves_aws_cli_v2(clis: Clis, chromium: Any) -> None:
    sandbox = clis.sandbox
    add_console_profile(sandbox)
    assert awsprof_login(sandbox, chromium, "--no-browser").returncode == 0
    session = login_session(sandbox)
    theirs = clis.v2("sts", "get-caller-identity", "--profile", "console", "--output", "json")
    assert theirs.returncode == 0, theirs.stderr
    assert json.loads(theirs.stdout)["Arn"] == session
    # v2 refreshes awsprof's login with awsprof's DPoP key.
    path = cache_path(sandbox, session)
    expire_cache(path)
    again = clis.v2("sts", "get-caller-identity", "--profile", "console", "--output", "json")
    assert again.returncode == 0, again.stderr
    assert sandbox.identity_center.signin.grants == ["authorization_code", "refresh_token"]
    assert json.loads(path.read_text())["accessToken"]["expiresAt"] > dt.datetime.now(
        dt.timezone.utc
    ).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_parallel_commands_share_one_refresh(sandbox: Sandbox, chromium: Any) -> None:
    add_console_profile(sandbox)
    assert awsprof_login(sandbox, chromium, "--no-browser").returncode == 0
    expire_cache(cache_path(sandbox, login_session(sandbox)))
    argv = [sys.executable, "-m", "awsprof", "configure", "export-credentials"]
    processes = [start([*argv, "--profile", "console"], sandbox) for _ in range(4)]
    results = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], results
    keys = {json.loads(out)["AccessKeyId"] for out, _ in results}
    assert len(keys) == 1  # all four use the one refreshed set
    assert sandbox.identity_center.signin.grants.count("refresh_token") == 1


def test_reading_a_login_profile_imports_no_crypto_or_botocore() -> None:
    code = (
        "import sys, awsprof.resolution.providers.login, awsprof.signin.token\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('botocore', 'cryptography')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_aws_cli_v2_login_remote_takes_the_emulator_code(clis: Clis, chromium: Any) -> None:
    """v2's cross-device flow: its URL, the confirmation page's code pasted into it."""
    sandbox = clis.sandbox
    add_console_profile(sandbox)
    process = start([str(clis.v2_path), "login", "--profile", "console", "--remote"], sandbox)
    assert process.stdout is not None
    url = ""
    for line in process.stdout:
        if line.startswith("http"):
            url = line.strip()
            break
    assert "client_id=arn%3Aaws%3Asignin%3A%3A%3Adevtools%2Fcross-device" in url
    page = chromium.new_page()
    allow(page, url)
    code = page.inner_text("#verification-code")
    page.close()
    out, err = process.communicate(code + "\n", timeout=60)
    assert process.returncode == 0, (out, err)
    session = login_session(sandbox)
    entry = json.loads(cache_path(sandbox, session).read_text())
    assert entry["clientId"] == "arn:aws:signin:::devtools/cross-device"
    identity = whoami(sandbox)
    assert identity.returncode == 0, identity.stderr
    assert json.loads(identity.stdout)["Arn"] == session


def test_prompt_and_guard_know_the_account_of_a_login_profile_offline(sandbox: Sandbox) -> None:
    session = f"arn:aws:sts::{SANDBOX_ACCOUNT}:assumed-role/Admin/alice"
    with sandbox.config_file.open("a") as handle:
        handle.write(f"\n[profile console]\nlogin_session = {session}\n")
    shown = sandbox.run_awsprof(
        "prompt", "--format", "{account_id}", "--shell", "plain", AWS_PROFILE="console"
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == SANDBOX_ACCOUNT
    protected = sandbox.run_awsprof("protect", "default")  # the sandbox account's static profile
    assert protected.returncode == 0, protected.stderr
    marked = sandbox.run_awsprof(
        "prompt", "--format", "{protected}", "--shell", "plain", AWS_PROFILE="console"
    )
    assert marked.stdout.strip(), "a console login into a protected account is protected too"


def test_denied_sign_in_is_exit_5_and_writes_nothing(sandbox: Sandbox, chromium: Any) -> None:
    add_console_profile(sandbox)
    before = sandbox.config_file.read_bytes()
    argv = [sys.executable, "-m", "awsprof", "login", "--profile", "console", "--no-browser"]
    process = start(argv, sandbox)
    page = chromium.new_page()
    try:
        page.goto(read_url(process))
        page.click("#deny")
        _, err = process.communicate(timeout=60)
    finally:
        page.close()
    assert process.returncode == 5, err
    assert "refused: access_denied" in err
    assert sandbox.config_file.read_bytes() == before
    assert not (sandbox.aws_dir / "login" / "cache").exists()


@pytest.mark.parametrize("existing", [True, False], ids=["existing-profile", "new-profile"])
def test_awsprof_login_writes_the_config_bytes_aws_login_writes(
    clis: Clis, chromium: Any, tmp_path: Path, existing: bool
) -> None:
    sandbox = clis.sandbox
    if existing:
        add_console_profile(sandbox, "fresh")
    # A new profile has no [services] yet: the endpoint comes from the environment, for both.
    env = {"AWS_ENDPOINT_URL_SIGNIN": sandbox.idc_url, "AWS_REGION": world.REGION}
    before = sandbox.config_file.read_bytes()
    process, out, err = aws_v2_login(clis, chromium, tmp_path, "fresh", **env)
    assert process.returncode == 0, (out, err)
    theirs = sandbox.config_file.read_bytes()
    assert b"login_session = arn:aws:sts::" in theirs
    sandbox.config_file.write_bytes(before)
    argv = [sys.executable, "-m", "awsprof", "login", "--profile", "fresh", "--no-browser"]
    mine = start(argv, sandbox, **env)
    page = chromium.new_page()
    allow(page, read_url(mine))
    _, stderr = mine.communicate(timeout=60)
    page.close()
    assert mine.returncode == 0, stderr
    assert sandbox.config_file.read_bytes() == theirs


@pytest.mark.parametrize("answer", ["n", "y"])
def test_login_asks_before_replacing_another_session(
    sandbox: Sandbox, chromium: Any, answer: str
) -> None:
    add_console_profile(sandbox)
    other = f"arn:aws:iam::{SANDBOX_ACCOUNT}:user/bob"
    with sandbox.config_file.open("a") as handle:
        handle.write(f"login_session = {other}\n")
    argv = [sys.executable, "-m", "awsprof", "login", "--profile", "console", "--no-browser"]
    process = start(argv, sandbox)
    page = chromium.new_page()
    allow(page, read_url(process))
    page.wait_for_selector("#awsprof-result")
    page.close()
    _, err = process.communicate(answer + "\n", timeout=60)
    assert process.returncode == 0, err
    assert f"already configured to use session {other}" in err
    assert (login_session(sandbox) == other) is (answer == "n")
