"""Reading while another process writes, and the index of validated files.

Hot commands read a file that another process may replace at any moment (``configure set`` in
another terminal, a dotfiles sync). Every read must see one whole version: the right values or a
clear error, never a crash from header lines of one version applied to another's text.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from awsprof.files.atomic import locked, write_atomic
from awsprof.profiles.configure import Change, address, apply_changes
from awsprof.profiles.model import list_profile_names, load_files

PROFILES = 4000
OLD = time.time() - 3600  # an mtime an hour ago, as `rsync -t` or `cp -p` leave it


def big_config(extra: bool) -> bytes:
    head = "[profile p0]\nregion = r0\n" + ("extra = 1\n" if extra else "")
    rest = "".join(f"[profile p{i}]\nregion = r{i}\noutput = json\n" for i in range(1, PROFILES))
    return (head + rest).encode()


def configure_set_loop(environ: dict[str, str], config: Path) -> None:
    """`configure set` / unset near the top: every header below moves by one line."""
    for i in range(10**9):
        apply_changes(environ, [Change(address("extra", "p0"), None if i % 2 else "1")])


def synced_copy_loop(environ: dict[str, str], config: Path) -> None:
    """A sync tool: replace the file atomically and keep an old mtime, so it gets indexed."""
    for i in range(10**9):
        with locked(config) as target:
            write_atomic(target, big_config(extra=bool(i % 2)))
        os.utime(config, (OLD, OLD))


@pytest.mark.parametrize(
    "writer", [configure_set_loop, synced_copy_loop], ids=["configure_set", "synced_copy"]
)
def test_reads_during_replacements_see_one_whole_version(
    isolated_home: Path, writer: Callable[[dict[str, str], Path], None]
) -> None:
    """Regression: the validated header lines came from one read and the text from another, so
    a replace in between made `configure get` crash (IndexError) about one time in five."""
    config = isolated_home / "config"
    config.write_bytes(big_config(extra=False))
    os.utime(config, (OLD, OLD))
    environ = {
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(isolated_home / "none"),
        "HOME": str(isolated_home),
        "XDG_CACHE_HOME": str(isolated_home / "cache"),
    }
    pid = os.fork()
    if pid == 0:  # the writer never returns to pytest
        try:
            writer(environ, config)
        finally:
            os._exit(1)
    try:
        last = f"p{PROFILES - 1}"
        versions = set()  # change times: inode numbers are reused by alternate replaces
        deadline = time.monotonic() + 60  # a slow, loaded machine: keep reading until it wrote
        reads = 0
        while reads < 40 or (len(versions) <= 3 and time.monotonic() < deadline):
            reads += 1
            versions.add(config.stat().st_ctime_ns)
            profile = load_files(environ, keep=last).profile(last)
            assert profile is not None
            assert {k: s.value for k, s in profile.settings.items()} == {
                "region": f"r{PROFILES - 1}",
                "output": "json",
            }
            first = load_files(environ, keep="p0").profile("p0")
            assert first is not None and first.get("region") == "r0"
            assert len(list_profile_names(environ)) == PROFILES
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    assert len(versions) > 3, "the writer did not replace the file while we read"


def test_index_never_serves_a_file_changed_in_place_with_its_old_mtime(
    isolated_home: Path,
) -> None:
    config = isolated_home / "config"
    environ = {
        "AWS_CONFIG_FILE": str(config),
        "HOME": str(isolated_home),
        "XDG_CACHE_HOME": str(isolated_home / "cache"),
    }
    config.write_text("[profile aa]\nregion = r1\n")
    os.utime(config, (OLD, OLD))
    assert list_profile_names(environ) == ["aa"]
    assert list(isolated_home.joinpath("cache", "awsprof").glob("ini-*")), "nothing was indexed"
    # Same size, same inode, same mtime: only the change time tells.
    with config.open("r+b") as handle:
        handle.write(b"[profile bb]\nregion = r2\n")
    os.utime(config, (OLD, OLD))
    assert list_profile_names(environ) == ["bb"]
    profile = load_files(environ, keep="bb").profile("bb")
    assert profile is not None and profile.get("region") == "r2"
    assert load_files(environ, keep="aa").profile("aa") is None


def test_index_answers_like_a_full_read(isolated_home: Path) -> None:
    config = isolated_home / "config"
    environ = {
        "AWS_CONFIG_FILE": str(config),
        "HOME": str(isolated_home),
        "XDG_CACHE_HOME": str(isolated_home / "cache"),
    }
    config.write_text(
        "[default]\nregion = d\n[profile 'a b']\nregion = ab\n[profile \"it's\"]\nregion = q\n"
        "[profilefoo]\nx = 1\n[sso-session s]\nsso_region = r\n"
    )
    os.utime(config, (OLD, OLD))
    fresh = load_files(environ)
    for _ in range(2):  # the first run indexes the file, the second uses the index
        assert list_profile_names(environ) == fresh.profile_names() == ["default", "a b", "it's"]
        for name in fresh.profile_names():
            indexed = load_files(environ, keep=name).profile(name)
            expected = fresh.profile(name)
            assert indexed is not None and expected is not None
            assert indexed.settings == expected.settings
        session = load_files(environ, keep="s").sso_session("s")
        assert session is not None and session.text("sso_region") == "r"
