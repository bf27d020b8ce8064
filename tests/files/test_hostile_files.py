"""Odd files as AWS_CONFIG_FILE (issue 12, cases 1-4): a device, a FIFO, a socket, a read-only
file and a hard-linked file. Every case runs the real console script against a real special file."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

AWSPROF = str(Path(sys.executable).with_name("awsprof"))
ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def awsprof(
    *argv: str, env: dict[str, str] | None = None, timeout: float = 20
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [AWSPROF, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,  # a hang fails the test instead of the suite
        check=False,
        stdin=subprocess.DEVNULL,
    )


def listing(directory: Path) -> list[str]:
    return sorted(os.listdir(directory))


@pytest.fixture
def null_device(tmp_path: Path) -> Iterator[Path]:
    """A real character device: the null device, made with mknod in a private directory, so a
    regression replaces this node and never the machine's /dev/null."""
    if not ROOT:
        pytest.fail("creating a device node needs root (CI runs as root)")
    folder = tmp_path / "dev"
    folder.mkdir()
    device = folder / "null"
    null = os.stat(os.devnull)
    os.mknod(device, stat.S_IFCHR | 0o666, null.st_rdev)
    yield device


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    folder = tmp_path / "pipes"
    folder.mkdir()
    path = folder / "config"
    os.mkfifo(path)
    return path


def test_device_as_config_file_is_never_replaced(null_device: Path) -> None:
    before = listing(null_device.parent)
    result = awsprof(
        "configure",
        "set",
        "region",
        "x",
        "--profile",
        "a",
        env={"AWS_CONFIG_FILE": str(null_device)},
    )
    assert result.returncode == 3, result.stderr
    assert f"{null_device}: is a character device, not a regular file" in result.stderr
    assert "AWS_CONFIG_FILE" in result.stderr
    assert stat.S_ISCHR(null_device.stat().st_mode), "the device was replaced"
    assert listing(null_device.parent) == before, "something was created next to the device"


def test_null_device_reads_as_an_empty_config(null_device: Path) -> None:
    """AWS_CONFIG_FILE=/dev/null is how people run the AWS CLI without a config: kept working."""
    env = {"AWS_CONFIG_FILE": str(null_device), "AWS_SHARED_CREDENTIALS_FILE": str(null_device)}
    result = awsprof("configure", "list-profiles", env=env)
    assert (result.returncode, result.stdout) == (0, "")


def test_fifo_as_config_file_never_hangs_a_read(fifo: Path) -> None:
    env = {"AWS_CONFIG_FILE": str(fifo)}
    for argv in (
        ["configure", "list-profiles"],
        ["configure", "get", "region", "--profile", "a"],
        ["whoami", "--profile", "a"],
        ["use", "a", "--shell", "bash"],
    ):
        result = awsprof(*argv, env=env, timeout=15)
        assert result.returncode == 3, (argv, result.stderr)
        assert f"{fifo}: is a FIFO (named pipe), not a regular file" in result.stderr, argv
    # doctor reports what makes a file unreadable as an error finding (exit 1), never hangs.
    report = awsprof("doctor", env=env, timeout=15)
    assert report.returncode == 1, report.stderr
    assert "AWSP008" in report.stdout and "FIFO" in report.stdout


def test_fifo_as_config_file_never_hangs_the_prompt_or_the_guard(fifo: Path) -> None:
    env = {"AWS_CONFIG_FILE": str(fifo), "AWS_PROFILE": "a"}
    prompt = awsprof("prompt", env=env, timeout=15)
    assert "FIFO" in prompt.stderr
    guard = awsprof("guard", "--", "aws", "s3", "rb", "s3://bucket", env=env, timeout=15)
    assert guard.returncode == 3, guard.stderr
    assert "FIFO" in guard.stderr


def test_fifo_as_config_file_is_never_written(fifo: Path) -> None:
    before = listing(fifo.parent)
    result = awsprof(
        "configure", "set", "region", "x", "--profile", "a", env={"AWS_CONFIG_FILE": str(fifo)}
    )
    assert result.returncode == 3, result.stderr
    assert "is a FIFO (named pipe), not a regular file" in result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert listing(fifo.parent) == before


def test_socket_as_credentials_file_is_never_written(tmp_path: Path) -> None:
    folder = tmp_path / "s"
    folder.mkdir()
    path = folder / "credentials"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    try:
        result = awsprof(
            "configure",
            "set",
            "aws_access_key_id",
            "AKIDEXAMPLE",
            "--profile",
            "a",
            env={"AWS_SHARED_CREDENTIALS_FILE": str(path)},
        )
    finally:
        server.close()
    assert result.returncode == 3, result.stderr
    assert "is a socket, not a regular file" in result.stderr
    assert stat.S_ISSOCK(path.stat().st_mode)
    assert listing(folder) == ["credentials"]


def test_read_only_config_is_refused_with_the_fix(aws_dir: Path) -> None:
    config = aws_dir / "config"
    config.write_text("[default]\nregion = us-east-1\n")
    config.chmod(0o444)
    result = awsprof("configure", "set", "region", "eu-west-1")
    assert result.returncode == 1, result.stderr
    assert "it is read-only (mode 0444)" in result.stderr
    assert f"chmod u+w {config}" in result.stderr
    assert config.read_text() == "[default]\nregion = us-east-1\n"
    assert stat.S_IMODE(config.stat().st_mode) == 0o444


def test_hard_linked_config_is_refused_and_both_links_kept(aws_dir: Path, tmp_path: Path) -> None:
    config = aws_dir / "config"
    config.write_text("[default]\nregion = us-east-1\n")
    other = tmp_path / "config-copy"
    os.link(config, other)
    result = awsprof("configure", "set", "region", "eu-west-1")
    assert result.returncode == 1, result.stderr
    assert "1 other hard link(s)" in result.stderr
    assert "ln -sf" in result.stderr
    assert os.path.samefile(config, other), "the link was split"
    assert config.read_text() == "[default]\nregion = us-east-1\n"


def test_no_lock_file_is_left_beside_a_written_file(aws_dir: Path) -> None:
    result = awsprof("configure", "set", "region", "eu-west-1")
    assert result.returncode == 0, result.stderr
    result = awsprof("configure", "set", "aws_access_key_id", "AKIDEXAMPLE")
    assert result.returncode == 0, result.stderr
    assert listing(aws_dir) == ["config", "credentials"]


def test_fifo_in_a_cache_directory_is_a_reported_miss(tmp_path: Path) -> None:
    """A cache entry that is a FIFO would block its reader for ever: refused before opening."""
    from awsprof.files.jsoncache import JsonCache

    os.mkfifo(tmp_path / "entry.json")
    reports: list[str] = []
    assert JsonCache(tmp_path, reports.append).get("entry") is None
    assert reports == [
        f"cache entry {tmp_path / 'entry.json'} cannot be read (a FIFO (named pipe)); ignoring it"
    ]


def test_fifo_as_web_identity_token_file_is_a_clear_error(aws_dir: Path, tmp_path: Path) -> None:
    token = tmp_path / "token"
    os.mkfifo(token)
    (aws_dir / "config").write_text(
        "[profile wi]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
        f"web_identity_token_file = {token}\n"
    )
    done = awsprof("configure", "export-credentials", "--profile", "wi", timeout=15)
    assert done.returncode == 4, done.stderr
    assert f"cannot read web_identity_token_file {token}" in done.stderr
    assert "FIFO" in done.stderr
