"""Concurrency (reliability D11): 32 processes setting different keys in one file lose none.

Each process is the real console script; they start together and race for the file's lock.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from awsprof.files.ini import parse
from awsprof.profiles.model import load_files

AWSPROF = str(Path(sys.executable).with_name("awsprof"))
WRITERS = 32


def test_32_processes_setting_different_keys_lose_none(aws_dir: Path) -> None:
    config = aws_dir / "config"
    original = "# keep me\n[default]\nregion = us-east-1\n\n[profile other]\noutput = json\n"
    config.write_text(original)
    processes = [
        subprocess.Popen(
            [AWSPROF, "configure", "set", f"key_{i}", f"value_{i}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(WRITERS)
    ]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert (process.returncode, out, err) == (0, "", "")
    text = config.read_text()
    assert parse(text).error is None
    profile = load_files({"AWS_CONFIG_FILE": str(config)}).profile("default")
    assert profile is not None
    assert {k: profile.get(k) for k in profile.settings if k.startswith("key_")} == {
        f"key_{i}": f"value_{i}" for i in range(WRITERS)
    }
    assert profile.get("region") == "us-east-1"
    assert text.startswith("# keep me\n[default]\nregion = us-east-1\n")
    assert text.endswith("\n\n[profile other]\noutput = json\n")
    assert [p.name for p in aws_dir.iterdir() if p.name.endswith(".awsprof-tmp")] == []
