"""keys age through the real CLI and the sandbox: a header, ages that are never negative (a key
used by this very call was used "today", not "-1d ago"), and "no long-lived keys" for SSO, role
and other profiles without any IAM call."""

from __future__ import annotations

import json
import subprocess

from fixtures_sandbox import BIN_DIR, Sandbox
from keys.conftest import KeyUser
from resolution.helpers import append_config


def _awsprof(sandbox: Sandbox, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN_DIR / "awsprof"), *args],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_age_has_a_header_and_a_key_used_just_now_is_used_today(
    sandbox: Sandbox, key_user: KeyUser
) -> None:
    done = _awsprof(sandbox, "keys", "age", "--profile", key_user.profile)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split("\t")[0] == "PROFILE" and "LAST USED" in lines[0]
    row = next(line for line in lines if key_user.access_key_id in line)
    assert row.split("\t")[-1] == "today", row
    assert "-1" not in done.stdout
    again = _awsprof(sandbox, "keys", "age", "--profile", key_user.profile, "--output", "json")
    (entry,) = [r for r in json.loads(again.stdout) if r["AccessKeyId"] == key_user.access_key_id]
    assert entry["AgeDays"] == 0 and entry["LastUsedDate"] is not None


def test_sso_role_and_empty_profiles_have_no_long_lived_keys_and_call_nothing(
    sandbox: Sandbox,
) -> None:
    # Not logged in: any resolution of `work` (SSO) or `prod` (a role through it) would fail.
    append_config(sandbox.config_file, "[profile bare]\nregion = eu-west-1\n")
    for profile, why in (("work", "SSO"), ("prod", "role"), ("bare", "no credentials")):
        done = _awsprof(sandbox, "keys", "age", "--profile", profile)
        assert done.returncode == 0, done.stderr
        assert f"{profile}\tno long-lived keys" in done.stdout and why in done.stdout
        assert "AccessDenied" not in done.stderr + done.stdout
        assert "login" not in done.stderr
    as_json = _awsprof(sandbox, "keys", "age", "--profile", "work", "--output", "json")
    (row,) = json.loads(as_json.stdout)
    assert row["Note"].startswith("no long-lived keys") and row["Error"] is None
