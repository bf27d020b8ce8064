"""Injection: line breaks and control characters in names, keys and values are refused.

Each would let a value start a new line (a new key, a new [section]) in a file every AWS tool
reads. The command exits 2, never echoes what it refused (it may be a secret), and leaves both
files byte-identical.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from awsprof.cli.main import run

BREAKERS = ["\n", "\r", "\0", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
IDS = ["LF", "CR", "NUL", "VT", "FF", "FS", "GS", "RS", "NEL", "LS", "PS"]
# Characters that drive or fool a terminal when the value is shown (issue 12, case 7).
BREAKERS += ["\x1b", "\x07", "\x7f", "\x9b", "\u202e"]
IDS += ["ESC", "BEL", "DEL", "CSI", "RLO"]
CONFIG = b"[default]\nregion = us-east-1\n[profile dev]\noutput = json\n"
CREDENTIALS = b"[dev]\naws_access_key_id = AKIDEXAMPLE\n"


def canary(char: str) -> str:
    return f"CANARYHEAD{char}[profile evil]{char}CANARYTAIL"


def placements(bad: str) -> dict[str, list[str]]:
    return {
        "value": ["region", bad],
        "secret_value": ["aws_secret_access_key", bad, "--profile", "dev"],
        "key": [bad, "v"],
        "nested_key": [f"s3.{bad}", "v"],
        "nested_value": ["s3.max_concurrent_requests", bad],
        "profile_flag": ["region", "v", "--profile", bad],
        "profile_in_credentials": ["aws_access_key_id", "AKID", "--profile", bad],
        "dotted_profile": [f"profile.{bad}.region", "v"],
        "sso_session": ["sso_region", "v", "--sso-session", bad],
        "services": ["s3.endpoint_url", "v", "--services", bad],
    }


PLACES = list(placements("x"))


@pytest.fixture
def files(aws_dir: Path) -> Path:
    (aws_dir / "config").write_bytes(CONFIG)
    (aws_dir / "credentials").write_bytes(CREDENTIALS)
    return aws_dir


def assert_refused(code: int, out: str, err: str, files: Path) -> None:
    assert code == 2
    assert out == ""
    assert "CANARY" not in err
    assert "evil" not in err
    assert err.startswith("awsprof: ")
    assert (files / "config").read_bytes() == CONFIG
    assert (files / "credentials").read_bytes() == CREDENTIALS
    assert [p.name for p in files.iterdir() if p.name.endswith(".awsprof-tmp")] == []


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("char", BREAKERS, ids=IDS)
def test_configure_set_refuses_line_breakers(
    files: Path, capsys: pytest.CaptureFixture[str], char: str, place: str
) -> None:
    code = run(["configure", "set", *placements(canary(char))[place]])
    out, err = capsys.readouterr()
    assert_refused(code, out, err, files)


@pytest.mark.parametrize("char", BREAKERS, ids=IDS)
def test_wizard_refuses_profile_name_before_asking(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, char: str
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("AKIDNEW\nSECRET\nus-west-2\njson\n"))
    code = run(["configure", "--profile", canary(char)])
    out, err = capsys.readouterr()
    assert "AWS Access Key ID" not in err  # refused before any prompt
    assert_refused(code, out, err, files)


@pytest.mark.parametrize("char", ["\r", "\x0b", "\u2028"], ids=["CR", "VT", "LS"])
def test_secret_from_stdin_with_line_breaker_is_refused(
    files: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, char: str
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(canary(char) + "\n"))
    code = run(["configure", "set", "aws_secret_access_key", "--profile", "dev"])
    out, err = capsys.readouterr()
    assert_refused(code, out, err, files)


@pytest.mark.parametrize("char", ["\n", "\r", "\x85"], ids=["LF", "CR", "NEL"])
def test_real_process_refuses_and_never_echoes(files: Path, char: str) -> None:
    """The console script as a person runs it (NUL cannot travel in argv at all)."""
    awsprof = Path(sys.executable).with_name("awsprof")
    for argv in (["region", canary(char)], ["region", "v", "--profile", canary(char)]):
        result = subprocess.run(
            [str(awsprof), "configure", "set", *argv], capture_output=True, text=True, check=False
        )
        assert_refused(result.returncode, result.stdout, result.stderr, files)
