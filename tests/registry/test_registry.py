"""Shared registries: a local git repository and a file as sources, synced into one block of the
config; the AWS CLI reads the result; nothing outside the block changes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent

FRAGMENT = """\
# The platform team's profiles.
[profile team-dev]
role_arn = arn:aws:iam::222233334444:role/Developer
source_profile = mine
region = eu-west-1

[profile team-build]
credential_process = /opt/team/bin/creds --profile build
region = eu-west-1

[sso-session team]
sso_start_url = https://team.awsapps.com/start
sso_region = eu-west-1

[default]
region = us-east-1

[profile mine]
region = ap-south-1
"""

LOCAL = """\
# my own settings: never touched by a registry
[default]
region = us-west-2

[profile mine]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
region = eu-central-1   # an inline note kept as it is
"""


def run(home: Path, *args: str, program: str = "awsprof") -> subprocess.CompletedProcess[str]:
    env = {
        "HOME": str(home),
        "PATH": f"{BIN}:/usr/bin:/bin",
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    return subprocess.run(
        [str(BIN / program), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "config").write_text(LOCAL)
    return home


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "team-profiles"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "config").write_text(FRAGMENT)
    git(repo, "add", "config")
    git(repo, "commit", "-q", "-m", "profiles")
    return repo


def test_a_git_registry_syncs_into_its_block_and_nowhere_else(home: Path, repo: Path) -> None:
    config = home / ".aws" / "config"
    assert run(home, "registry", "add", str(repo), "--name", "team").returncode == 0
    dry = run(home, "registry", "sync", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "+[profile team-dev]" in dry.stdout
    assert config.read_text() == LOCAL  # a dry run changes nothing
    assert "[profile mine] is defined locally" in dry.stderr
    assert "refused [default]" in dry.stderr
    assert "refused [profile team-build] credential_process" in dry.stderr

    unattended = run(home, "registry", "sync")
    assert unattended.returncode == 2  # no terminal, no --yes: nothing written
    assert config.read_text() == LOCAL

    applied = run(home, "registry", "sync", "--yes")
    assert applied.returncode == 0, applied.stderr
    text = config.read_text()
    assert text.startswith(LOCAL)  # every byte outside the block kept
    assert "credential_process" not in text
    assert "ap-south-1" not in text and "us-east-1" not in text  # local sections win
    # The AWS CLI reads the result.
    region = run(home, "configure", "get", "region", "--profile", "team-dev", program="aws")
    assert region.stdout.strip() == "eu-west-1", region.stderr
    mine = run(home, "configure", "get", "region", "--profile", "mine", program="aws")
    assert mine.stdout.strip() == "eu-central-1   # an inline note kept as it is"

    again = run(home, "registry", "sync", "--yes")
    assert again.returncode == 0
    assert "up to date" in again.stderr
    assert config.read_text() == text  # the second sync changes nothing

    # Trusted, the command-running key comes in; a change at the source shows as a diff.
    assert run(home, "registry", "trust", "team").returncode == 0
    (repo / "config").write_text(
        FRAGMENT.replace("eu-west-1\n\n[profile team-build]", "eu-north-1\n\n[profile team-build]")
    )
    git(repo, "commit", "-q", "-am", "move dev")
    changed = run(home, "registry", "sync", "--yes")
    assert changed.returncode == 0, changed.stderr
    assert "-region = eu-west-1" in changed.stdout and "+region = eu-north-1" in changed.stdout
    assert "credential_process = /opt/team/bin/creds" in config.read_text()

    removed = run(home, "registry", "remove", "team")
    assert removed.returncode == 0, removed.stderr
    assert config.read_text() == LOCAL


def test_a_file_registry_and_a_broken_fragment(home: Path, tmp_path: Path) -> None:
    fragment = tmp_path / "shared.ini"
    fragment.write_text("[profile shared]\nregion = sa-east-1\n")
    assert run(home, "registry", "add", str(fragment)).returncode == 0
    assert run(home, "registry", "sync", "--yes").returncode == 0
    listed = run(home, "configure", "get", "region", "--profile", "shared", program="aws")
    assert listed.stdout.strip() == "sa-east-1", listed.stderr
    fragment.write_text("[profile shared]\nregion = sa-east-1\n[profile shared]\nregion = x\n")
    before = (home / ".aws" / "config").read_text()
    broken = run(home, "registry", "sync", "--yes")
    assert broken.returncode == 6
    assert "line 3" in broken.stderr
    assert (home / ".aws" / "config").read_text() == before


def test_a_plain_http_registry_is_refused(home: Path) -> None:
    done = run(home, "registry", "add", "http://example.com/profiles.ini")
    assert done.returncode == 2
    assert "not HTTPS" in done.stderr
