"""Global options after a ``configure`` command, as the AWS CLI v2 (2.36) takes them: accepted
(and ignored where they do not apply) after every word, with the same output, where awsprof once
refused them with a usage error (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures_awscli_v2 import Clis

GLOBALS = [
    ["--region", "eu-west-3"],
    ["--output", "text"],
    ["--output", "json"],
    ["--query", "Arn"],
    ["--debug"],
    ["--profile", "dev"],
]
COMMANDS = [
    ["configure", "list"],
    ["configure", "get", "region"],
    ["configure", "list-profiles"],
    ["configure", "export-credentials", "--profile", "dev"],
]


@pytest.mark.parametrize("option", GLOBALS, ids=lambda option: option[0].lstrip("-"))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: "-".join(command[1:3]))
def test_global_after_a_configure_command_is_taken_like_v2(
    clis: Clis, command: list[str], option: list[str]
) -> None:
    v2 = clis.v2(*command, *option)
    ours = clis.awsprof(*command, *option)
    assert v2.returncode == 0, v2.stderr
    assert ours.returncode == 0, ours.stderr
    if option[0] != "--debug":  # the AWS CLI's debug log goes to stderr; stdout is the same
        assert ours.stdout == v2.stdout


def test_configure_list_region_after_the_subcommand(clis: Clis) -> None:
    """The case that was reported: `configure list --region` exited 2; the AWS CLI v2 shows the
    configured region (it ignores the flag there)."""
    ours = clis.awsprof("configure", "list", "--region", "eu-west-3")
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == clis.v2("configure", "list", "--region", "eu-west-3").stdout


@pytest.mark.parametrize("option", GLOBALS, ids=lambda option: option[0].lstrip("-"))
def test_global_after_configure_set_writes_the_same_bytes(
    clis: Clis, tmp_path: Path, option: list[str]
) -> None:
    from v2_terminal import homes

    envs = homes(clis, tmp_path)
    args = ["configure", "set", "cli_pager", "", "--profile", "fresh", *option]
    assert clis.v2(*args, env=envs["v2"]).returncode == 0
    done = clis.awsprof(*args, env=envs["awsprof"])
    assert done.returncode == 0, done.stderr
    for name in ("config", "credentials"):
        theirs = (tmp_path / "v2" / name).read_bytes()
        assert (tmp_path / "awsprof" / name).read_bytes() == theirs
