"""doctor knows awsprof's own keys: after `sso populate`, `protect` and friends it reports none of
them as unknown (deleting them would break the next populate or lift a protection)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import awsprof
from awsprof.doctor.known_keys import OWN_KEYS, PROFILE_KEYS
from fixtures_sandbox import Sandbox


def _awsprof(sandbox: Sandbox, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsprof", *args],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_doctor_reports_no_unknown_key_after_populate_and_protect(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    populate = _awsprof(sandbox, "sso", "populate", "--sso-session", "my-org")
    assert populate.returncode == 0, populate.stderr
    assert "awsprof_generated" in sandbox.config_file.read_text()
    protect = _awsprof(sandbox, "protect", "dev", "--account", "111111111111")
    assert protect.returncode == 0, protect.stderr
    doctor = _awsprof(sandbox, "doctor", "--output", "json")
    findings = json.loads(doctor.stdout)
    unknown = [f for f in findings if f["id"] == "AWSP012"]
    assert not [f for f in unknown if "awsprof_" in f["message"]], unknown


def test_a_misspelt_awsprof_key_is_still_reported(aws_dir: Path) -> None:
    (aws_dir / "config").write_text("[profile dev]\nawsprof_protect = writes\n")
    done = subprocess.run(
        [sys.executable, "-m", "awsprof", "doctor", "--output", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    unknown = [f for f in json.loads(done.stdout) if f["id"] == "AWSP012"]
    assert len(unknown) == 1 and "awsprof_protected" in unknown[0]["fix"], unknown


def test_every_awsprof_key_the_source_names_is_known_to_doctor() -> None:
    source = Path(awsprof.__file__).parent
    named = set()
    for path in source.rglob("*.py"):
        named |= set(re.findall(r"[\"'](awsprof_[a-z_]+)[\"']", path.read_text()))
    assert named, "the grep found no key: the pattern is wrong"
    assert named <= OWN_KEYS, named - OWN_KEYS
    assert OWN_KEYS <= PROFILE_KEYS
