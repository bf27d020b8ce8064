"""--debug and --no-color after the subcommand, as the AWS CLI accepts them."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprof.cli.main import hoist_global_flags, run


def test_flags_move_before_the_subcommand_but_never_past_a_double_dash() -> None:
    assert hoist_global_flags(["whoami", "--debug"]) == ["--debug", "whoami"]
    assert hoist_global_flags(["guard", "--", "aws", "--debug", "s3", "ls"]) == [
        "guard",
        "--",
        "aws",
        "--debug",
        "s3",
        "ls",
    ]
    assert hoist_global_flags(["guard", "aws", "s3", "ls", "--debug"])[-1] == "--debug"
    assert hoist_global_flags(["exec", "dev", "--no-color", "--", "env", "--debug"]) == [
        "--no-color",
        "exec",
        "dev",
        "--",
        "env",
        "--debug",
    ]


def test_debug_after_the_subcommand_shows_a_masked_traceback(
    aws_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (aws_dir / "config").write_text("[profile a]\nrole_arn = arn:aws:iam::12:role/x\n")
    code = run(["whoami", "--profile", "a", "--debug"])
    err = capsys.readouterr().err
    assert code == 4
    assert "Traceback (most recent call last)" in err
    assert "neither source_profile nor credential_source" in err
