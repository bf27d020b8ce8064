"""Several consoles at once: each profile signs in from its own Chromium user data directory
(headless Debian chromium here), landing on its own account in the sandbox."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from awsprof.sandbox import accounts as world
from fixtures_sandbox import BIN_DIR, Sandbox
from resolution.helpers import append_config

HEADLESS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync"
)


def _kill_browsers(marker: str) -> None:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if marker.encode() in command:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(entry.name), signal.SIGKILL)


def test_three_profiles_open_in_three_user_data_directories(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    append_config(
        sandbox.config_file,
        f"[profile dev-read]\nsso_session = {world.SSO_SESSION}\n"
        f"sso_account_id = {world.DEV.account_id}\nsso_role_name = ReadOnlyAccess\n"
        f"region = {world.REGION}\nendpoint_url = {sandbox.moto_url}\n"
        f"services = {world.SERVICES_SECTION}\n",
    )
    sandbox.login_sso()
    signins = sandbox.identity_center.store.console_signins
    seen_before = len(signins)
    chromium = shutil.which("chromium")
    assert chromium, "Debian's chromium is required (scripts/install-system-deps.sh)"
    cache = tmp_path / "cache"
    env = sandbox.env(
        XDG_CACHE_HOME=str(cache), AWSPROF_CHROMIUM=chromium, AWSPROF_CHROMIUM_FLAGS=HEADLESS
    )
    profiles = ["work", "prod", "dev-read"]
    try:
        done = subprocess.run(
            [str(BIN_DIR / "awsprof"), "console", "--destination", "s3"]
            + [word for name in profiles for word in ("--profile", name)],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        deadline = time.monotonic() + 90
        while len(signins) - seen_before < 3 and time.monotonic() < deadline:
            time.sleep(0.5)
        arns = signins[seen_before:]
        accounts = sorted(arn.split(":")[4] for arn in arns)
        want = sorted([world.WORK.account_id, world.PROD.account_id, world.DEV.account_id])
        assert accounts == want, arns
        directories = sorted(p.name for p in (cache / "awsprof" / "console").iterdir())
        assert directories == sorted(profiles)
        for name in profiles:
            # Chromium made a profile of its own in each: the cookies never mix.
            assert any((cache / "awsprof" / "console" / name).iterdir())
    finally:
        _kill_browsers(str(cache))


def test_print_gives_every_profiles_url_and_one_browser_session_is_refused(
    sandbox: Sandbox,
) -> None:
    sandbox.login_sso()
    printed = subprocess.run(
        [str(BIN_DIR / "awsprof"), "console", "--print", "--profile", "work", "--profile", "prod"],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert printed.returncode == 0, printed.stderr
    data = json.loads(printed.stdout)
    assert [entry["profile"] for entry in data] == ["work", "prod"]
    assert all(entry["url"].startswith(sandbox.idc_url + "/federation?") for entry in data)
    mixed = subprocess.run(
        [
            str(BIN_DIR / "awsprof"),
            "console",
            "--browser",
            "default",
            "--profile",
            "work",
            "--profile",
            "prod",
        ],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert mixed.returncode == 2
    assert "sign each other out" in mixed.stderr
