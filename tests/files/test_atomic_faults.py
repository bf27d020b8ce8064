"""Faults during a write: the file always holds the old or a new complete content.

Real processes are SIGKILLed at random points of a stream of writes to a large file; real limits
(RLIMIT_FSIZE, an immutable directory, a read-only bind mount) refuse writes. Only the failing
system calls of a disk that is full or broken (ENOSPC, EIO) are simulated, by making ``os.write``,
``os.fsync`` or ``os.replace`` fail for awsprof's temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from awsprof.cli.main import run
from awsprof.errors import FileWriteError
from awsprof.files.atomic import locked, write_atomic
from awsprof.files.ini import parse
from awsprof.profiles.configure import Change, address, apply_changes

AWSPROF = str(Path(sys.executable).with_name("awsprof"))
EDITED = re.compile(r"^k\d = v\d+$")


def temporaries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".awsprof-tmp"))


def large_config(path: Path, profiles: int = 6000) -> bytes:
    """About 700 KB: long enough that a kill often lands inside a write."""
    data = "".join(
        f"[profile p{i}]\nregion = us-east-{i % 2 + 1}\nrole_arn = arn:aws:iam::{i:012d}:role/R\n"
        f"source_profile = base\n\n"
        for i in range(profiles)
    ).encode()
    path.write_bytes(data)
    return data


def apply_changes_loop(environ: dict[str, str], config: Path) -> None:
    """Set k0..k4 in profile p0 over and over, each a full read-edit-atomic-write cycle."""
    for i in range(10**9):
        apply_changes(environ, [Change(address(f"k{i % 5}", "p0"), f"v{i}")])


def write_atomic_loop(environ: dict[str, str], config: Path) -> None:
    """Rewrite the whole file over and over: nearly all its time is spent inside writes."""
    lines = config.read_bytes().decode().splitlines(keepends=True)
    base = "".join(line for line in lines if not EDITED.match(line.rstrip("\n"))).encode()
    for i in range(10**9):
        with locked(config) as target:
            write_atomic(target, base + f"k{i % 5} = v{i}\n".encode())


def kill_at_random(
    loop: Callable[[dict[str, str], Path], None], config: Path, delay: float
) -> None:
    """Fork a child running ``loop``, let it write for ``delay`` seconds, then SIGKILL it."""
    environ = {"AWS_CONFIG_FILE": str(config), "HOME": str(config.parent.parent)}
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns to pytest
        try:
            os.close(read_end)
            os.write(write_end, b"x")
            loop(environ, config)
        finally:
            os._exit(1)
    os.close(write_end)
    os.read(read_end, 1)  # the child is writing from now on
    os.close(read_end)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def test_sigkill_during_writes_leaves_old_or_new_content(aws_dir: Path) -> None:
    config = aws_dir / "config"
    untouched = large_config(config).decode().splitlines()
    rng = random.Random(7)  # noqa: S311 - reproducible kill times, not a secret
    killed_inside_a_write = 0
    for trial in range(40):
        loop = apply_changes_loop if trial % 2 else write_atomic_loop
        kill_at_random(loop, config, rng.uniform(0.0, 0.2))
        killed_inside_a_write += bool(temporaries(aws_dir))
        text = config.read_bytes().decode()
        assert parse(text).error is None
        lines = text.splitlines()
        assert [line for line in lines if not EDITED.match(line)] == untouched
        # k0..k4 in [profile p0] and one k line at the end, each complete or absent
        assert len(lines) - len(untouched) <= 6
    assert killed_inside_a_write, "no kill landed inside a write"
    environ = {"AWS_CONFIG_FILE": str(config)}
    apply_changes(environ, [Change(address("region", "p1"), "eu-west-1")])
    assert temporaries(aws_dir) == []
    assert parse(config.read_text()).error is None


# -- failing system calls (ENOSPC, EIO) ----------------------------------------------------------


def is_temporary_fd(fd: int) -> bool:
    with contextlib.suppress(OSError):
        return os.readlink(f"/proc/self/fd/{fd}").endswith(".awsprof-tmp")
    return False


def failing(
    real: Callable[..., object], code: int, when: Callable[..., bool]
) -> Callable[..., object]:
    def call(*args: object, **kwargs: object) -> object:
        if when(*args):
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    return call


FAULTS = {
    "write_enospc": ("write", errno.ENOSPC, "the disk is full"),
    "write_eio": ("write", errno.EIO, "Input/output error"),
    "fsync_eio": ("fsync", errno.EIO, "Input/output error"),
    "fsync_enospc": ("fsync", errno.ENOSPC, "the disk is full"),
    "replace_eio": ("replace", errno.EIO, "Input/output error"),
    "replace_erofs": ("replace", errno.EROFS, "the file system is read-only"),
}


@pytest.mark.parametrize(("function", "code", "reason"), FAULTS.values(), ids=FAULTS.keys())
def test_failing_system_call_leaves_original_and_no_temporary(
    aws_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    function: str,
    code: int,
    reason: str,
) -> None:
    config = aws_dir / "config"
    original = b"[default]\nregion = us-east-1\n"
    config.write_bytes(original)
    real = getattr(os, function)
    if function == "replace":
        when: Callable[..., bool] = lambda source, *_: str(source).endswith(".awsprof-tmp")  # noqa: E731
    else:
        when = lambda fd, *_: is_temporary_fd(fd)  # noqa: E731
    monkeypatch.setattr(os, function, failing(real, code, when))
    with pytest.raises(FileWriteError) as raised:
        apply_changes(os.environ, [Change(address("region", "default"), "eu-west-1")])
    assert reason in raised.value.message
    assert "left exactly as it was" in raised.value.message
    assert config.read_bytes() == original
    assert temporaries(aws_dir) == []
    # The same through the command line: exit 1, a clear message, nothing on stdout.
    assert run(["configure", "set", "region", "eu-west-1"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert f"could not write {config}: {reason}" in err
    assert config.read_bytes() == original
    assert temporaries(aws_dir) == []


# -- real limits ---------------------------------------------------------------------------------


def test_file_size_limit_leaves_original(aws_dir: Path) -> None:
    config = aws_dir / "config"
    original = b"[default]\nregion = us-east-1\n" * 1 + b"# padding\n" * 100
    config.write_bytes(original)

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    result = subprocess.run(
        [AWSPROF, "configure", "set", "role_arn", "x" * 4096],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"could not write {config}: the file-size limit was reached" in result.stderr
    assert "x" * 100 not in result.stderr
    assert config.read_bytes() == original
    assert temporaries(aws_dir) == []


@contextlib.contextmanager
def immutable(directory: Path) -> Iterator[bool]:
    """``chattr +i``: even root cannot create, rename or delete entries in it."""
    chattr = shutil.which("chattr")
    made = (
        chattr is not None
        and subprocess.run(
            [chattr, "+i", str(directory)], capture_output=True, check=False
        ).returncode
        == 0
    )
    try:
        yield made
    finally:
        if made:
            subprocess.run([str(chattr), "-i", str(directory)], check=True)


@pytest.mark.parametrize("lock_exists", [False, True], ids=["no_lock_file", "lock_file_exists"])
def test_read_only_directory_leaves_original(
    aws_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    lock_exists: bool,
) -> None:
    config = aws_dir / "config"
    original = b"[default]\nregion = us-east-1\n"
    config.write_bytes(original)
    if lock_exists:
        apply_changes(os.environ, [Change(address("output", "default"), "json")])
        original = config.read_bytes()
    with immutable(aws_dir) as made:
        if not made:
            # This file system has no immutable flag (tmpfs, overlayfs): the kernel's answer for
            # a read-only directory is simulated instead, as EROFS from creating the temporary.
            real = os.open
            monkeypatch.setattr(
                os,
                "open",
                failing(real, errno.EROFS, lambda path, *_: str(path).endswith(".awsprof-tmp")),
            )
        code = run(["configure", "set", "region", "eu-west-1"])
        out, err = capsys.readouterr()
        assert (code, out) == (1, "")
        assert f"could not write {config}:" in err
        assert "left exactly as it was" in err
        assert config.read_bytes() == original
    assert temporaries(aws_dir) == []


def test_read_only_bind_mount_leaves_original(aws_dir: Path) -> None:
    """A real read-only file system (EROFS) via a bind mount in a private mount namespace."""
    config = aws_dir / "config"
    original = b"[default]\nregion = us-east-1\n"
    config.write_bytes(original)
    unshare = shutil.which("unshare")
    assert unshare is not None, "util-linux unshare is needed for a real read-only mount"
    script = f'mount --bind -o ro "$1" "$1" && exec "{AWSPROF}" configure set region eu-west-1'
    result = subprocess.run(
        [unshare, "-rm", "sh", "-c", script, "sh", str(aws_dir)],
        capture_output=True,
        text=True,
        check=False,
    )
    if "mount" in result.stderr and "awsprof" not in result.stderr:
        pytest.fail(f"cannot make a read-only bind mount here: {result.stderr}")
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"could not write {config}: the file system is read-only" in result.stderr
    assert config.read_bytes() == original
    assert temporaries(aws_dir) == []
