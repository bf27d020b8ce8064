"""doctor reads the files through the reader every command uses: a file they refuse is an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

AWSPROF = [sys.executable, "-m", "awsprof"]


def _awsprof(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*AWSPROF, *args], capture_output=True, text=True, env=dict(os.environ), timeout=60
    )


@pytest.mark.parametrize("name", ["config", "credentials"])
def test_doctor_reports_invalid_utf8_as_an_error_with_file_and_line(
    aws_dir: Path, name: str
) -> None:
    path = aws_dir / name
    header = "[profile dev]" if name == "config" else "[dev]"
    path.write_bytes(f"{header}\nregion = eu-west-1\xff\n".encode("latin-1"))
    path.chmod(0o600)

    refused = _awsprof("configure", "list-profiles")
    assert refused.returncode == 3
    assert f"{path}, line 2" in refused.stderr

    doctor = _awsprof("doctor", "--output", "json")
    assert doctor.returncode != 0
    findings = json.loads(doctor.stdout)
    unreadable = [f for f in findings if f["id"] == "AWSP008"]
    assert len(unreadable) == 1, findings
    assert unreadable[0]["severity"] == "error"
    assert unreadable[0]["file"] == str(path)
    assert unreadable[0]["line"] == 2

    text = _awsprof("doctor")
    assert text.returncode != 0
    assert "no findings" not in text.stderr
    assert f"AWSP008 error {path}:2" in text.stdout


def test_doctor_reports_a_folder_in_place_of_the_config_file(aws_dir: Path) -> None:
    (aws_dir / "config").mkdir()
    doctor = _awsprof("doctor", "--output", "json")
    assert doctor.returncode != 0
    assert [f["id"] for f in json.loads(doctor.stdout)] == ["AWSP008"]
