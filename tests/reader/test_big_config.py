"""A big config (over the reader's index threshold) gives the same answers as a small one, and a
protection mark anywhere in it, in any case, is still seen: the fast path never fails open."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from awsprof.reader.profiles import BIG_FILE

BIN = Path(sys.executable).parent
COUNT = 15_000


def big_config(path: Path, extra: str = "") -> None:
    sections = [
        f"[profile p{i}]\nsso_session = org\nsso_account_id = {100000000000 + i}\n"
        f"sso_role_name = Admin\nregion = eu-west-1\n"
        for i in range(COUNT)
    ]
    session = "[sso-session org]\nsso_start_url = https://org.awsapps.com/start\n"
    path.write_text(session + "sso_region = eu-west-1\n\n" + "\n".join(sections) + extra)
    assert path.stat().st_size > BIG_FILE
    settled = time.time() - 60  # the index trusts only files not modified in the last seconds
    os.utime(path, (settled, settled))


def dry_run(home: Path, profile: str) -> dict[str, object]:
    done = subprocess.run(
        [
            str(BIN / "awsprof"),
            "guard",
            "--dry-run",
            "--",
            "aws",
            "s3",
            "rb",
            "s3://b",
            "--profile",
            profile,
        ],
        env={"HOME": str(home), "PATH": f"{BIN}:/usr/bin:/bin", "XDG_CACHE_HOME": str(home / "c")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / ".aws").mkdir()
    return tmp_path


def test_a_big_config_reads_through_the_index_with_the_same_answers(home: Path) -> None:
    config = home / ".aws" / "config"
    big_config(config)
    last = f"p{COUNT - 1}"
    first = dry_run(home, last)  # validates, and stores the index entry
    assert list((home / "c" / "awsprof").glob("ini-*.marshal"))
    again = dry_run(home, last)  # answered through the index
    assert first == again
    assert first["account"] == str(100000000000 + COUNT - 1)
    assert first["decision"] == "run"
    # A near name must not be confused with it (the reader keeps sections by name fragment).
    assert dry_run(home, "p1")["account"] == "100000000001"


@pytest.mark.parametrize(
    "spelling", ["awsprof_protected", "AWSPROF_Protected", "Awsprof_protected"]
)
def test_a_mark_anywhere_in_a_big_config_is_seen_in_any_case(home: Path, spelling: str) -> None:
    config = home / ".aws" / "config"
    marked = (
        f"\n[profile guarded]\nsso_session = org\nsso_account_id = 999999999999\n"
        f"sso_role_name = Admin\n{spelling} = true\n"
    )
    big_config(config, marked)
    decision = dry_run(home, "guarded")
    assert decision["decision"] == "confirm"
    assert "guarded" in str(decision["protection"])
