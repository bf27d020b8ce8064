"""Permissions and paths (reliability E15-16): private modes whatever the umask, modes kept,
symlinked files edited through their link, planted symlinks never followed."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from awsprof.profiles.configure import Change, address, apply_changes

AWSPROF = str(Path(sys.executable).with_name("awsprof"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def set_value(*argv: str, umask: int | None = None) -> None:
    result = subprocess.run(
        [AWSPROF, "configure", "set", *argv],
        capture_output=True,
        text=True,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")


def test_new_files_0600_and_new_dirs_0700_under_umask_000(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deep = isolated_home / "a" / "b"
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(deep / "c" / "credentials"))
    set_value("region", "eu-west-1", umask=0)
    set_value("aws_access_key_id", "AKIDEXAMPLE", umask=0)
    aws = isolated_home / ".aws"
    assert mode(aws) == 0o700
    assert mode(aws / "config") == 0o600
    for directory in (isolated_home / "a", deep, deep / "c"):
        assert mode(directory) == 0o700, directory
    assert mode(deep / "c" / "credentials") == 0o600
    for lock in (aws / ".config.lock", deep / "c" / ".credentials.lock"):
        assert not lock.exists(), "the lock file is removed once the write is done"


def test_existing_mode_is_kept_across_the_replace(aws_dir: Path) -> None:
    config = aws_dir / "config"
    config.write_text("[default]\nregion = us-east-1\n")
    config.chmod(0o640)
    inode = config.stat().st_ino
    set_value("region", "eu-west-1", umask=0o077)
    assert config.stat().st_ino != inode  # really replaced, not rewritten in place
    assert mode(config) == 0o640
    assert config.read_text() == "[default]\nregion = eu-west-1\n"


def test_symlinked_config_is_edited_through_its_link(isolated_home: Path, aws_dir: Path) -> None:
    real_dir = isolated_home / "dotfiles"
    real_dir.mkdir()
    real = real_dir / "aws-config"
    real.write_text("[default]\nregion = us-east-1\n")
    real.chmod(0o644)
    link = aws_dir / "config"
    link.symlink_to(Path("..") / "dotfiles" / "aws-config")
    set_value("output", "json")
    assert link.is_symlink()
    assert os.readlink(link) == str(Path("..") / "dotfiles" / "aws-config")
    assert real.read_text() == "[default]\nregion = us-east-1\noutput = json\n"
    assert mode(real) == 0o644
    for directory in (aws_dir, real_dir):
        assert [p.name for p in directory.iterdir() if p.name.endswith(".awsprof-tmp")] == []


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim"
    path.write_text("do not touch\n")
    return path


def test_planted_temporary_symlinks_are_removed_never_followed(aws_dir: Path, victim: Path) -> None:
    (aws_dir / "config").write_text("[default]\nregion = us-east-1\n")
    planted = [aws_dir / f".config.{name}.awsprof-tmp" for name in ("abcd1234", "zzzzzzzz", "x")]
    for link in planted:
        link.symlink_to(victim)
    set_value("region", "eu-west-1")
    assert victim.read_text() == "do not touch\n"
    assert all(not link.is_symlink() for link in planted)
    assert (aws_dir / "config").read_text() == "[default]\nregion = eu-west-1\n"


def test_symlink_raced_onto_the_temporary_name_is_never_followed(
    aws_dir: Path, victim: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An attacker who plants a link at the exact name mkstemp is about to try (after the stale
    clean-up ran): O_EXCL makes the kernel refuse it, and mkstemp moves on to another name."""
    config = aws_dir / "config"
    config.write_text("[default]\nregion = us-east-1\n")
    real_names = tempfile._get_candidate_names()  # type: ignore[attr-defined]
    planted: list[Path] = []

    def names() -> Iterator[str]:
        for guess in ("guess0001", "guess0002", "guess0003"):
            link = aws_dir / f".config.{guess}.awsprof-tmp"
            link.symlink_to(victim)
            planted.append(link)
            yield guess
        yield from real_names

    monkeypatch.setattr(tempfile, "_get_candidate_names", names)
    apply_changes(os.environ, [Change(address("region", "default"), "eu-west-1")])
    assert len(planted) == 3
    assert all(link.is_symlink() for link in planted)  # tried, refused, left for the next clean-up
    assert victim.read_text() == "do not touch\n"
    assert config.read_text() == "[default]\nregion = eu-west-1\n"
    assert not config.is_symlink()


def test_symlink_planted_at_the_lock_is_never_followed(
    aws_dir: Path, victim: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Regression: filelock refuses a symlinked lock file (ELOOP), which surfaced as an
    'unexpected error' instead of a clear write error."""
    from awsprof.cli.main import run

    config = aws_dir / "config"
    config.write_text("[default]\nregion = us-east-1\n")
    (aws_dir / ".config.lock").symlink_to(victim)
    code = run(["configure", "set", "region", "eu-west-1"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert f"could not write {config}: a symbolic link stands where" in err
    assert "unexpected" not in err
    assert victim.read_text() == "do not touch\n"
    assert config.read_text() == "[default]\nregion = us-east-1\n"
