"""The real AWS CLI reads what ``awsprof configure set`` wrote: same values, every kind of key.

Both tools run as separate processes, exactly as a person runs them, against the test's HOME.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

# (awsprof configure set arguments, aws configure get arguments, value)
CASES = [
    (["region", "us-east-1"], ["region"], "us-east-1"),
    (["default.output", "json"], ["output"], "json"),
    (["aws_secret_access_key", SECRET], ["aws_secret_access_key"], SECRET),
    (["region", "eu-west-1", "--profile", "dev"], ["region", "--profile", "dev"], "eu-west-1"),
    (["profile.dev.output", "text"], ["output", "--profile", "dev"], "text"),
    (
        ["aws_access_key_id", "AKIDEXAMPLE", "--profile", "dev"],
        ["aws_access_key_id", "--profile", "dev"],
        "AKIDEXAMPLE",
    ),
    (["region", "ap-south-1", "--profile", "a b"], ["region", "--profile", "a b"], "ap-south-1"),
    (
        ["aws_access_key_id", "AKIDSPACE", "--profile", "a b"],
        ["aws_access_key_id", "--profile", "a b"],
        "AKIDSPACE",
    ),
    (["region", "sa-east-1", "--profile", "it's"], ["region", "--profile", "it's"], "sa-east-1"),
    (
        ["s3.max_concurrent_requests", "20", "--profile", "dev"],
        ["s3.max_concurrent_requests", "--profile", "dev"],
        "20",
    ),
    (["s3.addressing_style", "path"], ["s3.addressing_style"], "path"),
    (
        ["role_arn", "arn:aws:iam::123456789012:role/R # x", "--profile", "r"],
        ["role_arn", "--profile", "r"],
        "arn:aws:iam::123456789012:role/R # x",
    ),
]


def awsprof(*argv: str) -> None:
    result = subprocess.run(
        [str(BIN / "awsprof"), "configure", "set", *argv],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")


def aws_get_all(*commands: list[str]) -> list[str]:
    """Several `aws configure get` at once: each one is about half a second of start-up."""
    processes = [
        subprocess.Popen(
            [str(BIN / "aws"), "configure", "get", *argv],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in commands
    ]
    results = []
    for argv, process in zip(commands, processes, strict=True):
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0, (argv, err)
        results.append(out.rstrip("\n"))
    return results


def test_aws_cli_reads_every_kind_of_key(isolated_home: Path) -> None:
    for set_args, _, _ in CASES:
        awsprof(*set_args)
    assert aws_get_all(*(get for _, get, _ in CASES)) == [value for _, _, value in CASES]


def test_aws_cli_reads_edits_of_odd_existing_files(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Override paths with `~`, CRLF, an indented header, a case-variant key, a quoted header."""
    custom = isolated_home / "custom"
    custom.mkdir()
    (custom / "config").write_bytes(
        b"# mine\r\n  [default]\r\n  Region = us-east-1\r\n\r\n"
        b'[profile "q"]\r\ns3 =\r\n  addressing_style = virtual\r\n'
        b"[profile  pad ]\r\noutput = json"
    )
    (custom / "credentials").write_bytes(b"[dev]\naws_access_key_id = AKIDOLD\n")
    (custom / "credentials").chmod(0o600)  # a wider mode gets the AWS CLI v2's warning
    monkeypatch.setenv("AWS_CONFIG_FILE", "~/custom/config")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "$HOME/custom/credentials")
    awsprof("region", "eu-north-1")
    awsprof("s3.addressing_style", "path", "--profile", "q")
    awsprof("region", "me-south-1", "--profile", "pad")
    awsprof("aws_access_key_id", "AKIDNEW", "--profile", "dev")
    assert aws_get_all(
        ["region"],
        ["s3.addressing_style", "--profile", "q"],
        ["region", "--profile", "pad"],
        ["output", "--profile", "pad"],
        ["aws_access_key_id", "--profile", "dev"],
    ) == ["eu-north-1", "path", "me-south-1", "json", "AKIDNEW"]
    assert (custom / "config").read_bytes() == (
        b"# mine\r\n  [default]\r\n  Region = eu-north-1\r\n\r\n"
        b'[profile "q"]\r\ns3 =\r\n  addressing_style = path\r\n'
        b"[profile  pad ]\r\noutput = json\r\nregion = me-south-1\r\n"
    )
    assert not (isolated_home / ".aws" / "config").exists()
    assert os.environ["AWS_CONFIG_FILE"] == "~/custom/config"
