"""credential_process output cached until its Expiration: one run per expiry across processes."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from resolution.helpers import BIN, awsprof

SECRET = "CanarySecretKey0123456789abcdefGHIJKLMNOP"

# Slow on purpose: every concurrent caller would otherwise run it too. Each run is counted.
SCRIPT = """
import datetime as dt, json, sys, time
with open(sys.argv[1], "a") as count:
    count.write("run\\n")
time.sleep(1.5)
runs = sum(1 for _ in open(sys.argv[1]))
data = {"Version": 1, "AccessKeyId": "AKIAPROCESS%012d" % runs, "SecretAccessKey": sys.argv[3]}
if sys.argv[2] != "none":
    expiry = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=int(sys.argv[2]))
    data["Expiration"] = expiry.strftime("%Y-%m-%dT%H:%M:%SZ")
print(json.dumps(data))
"""


def _setup(aws_dir: Path, lifetime: str = "3600") -> Path:
    script = aws_dir / "slow.py"
    script.write_text(SCRIPT)
    counter = aws_dir / "runs.txt"
    command = f"{sys.executable} {script} {counter} {lifetime} {SECRET}"
    (aws_dir / "config").write_text(f"[profile tool]\ncredential_process = {command}\n")
    return counter


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS", "XDG"))}
    env["HOME"] = str(home)
    return env


def _runs(counter: Path) -> int:
    return len(counter.read_text().splitlines()) if counter.exists() else 0


def _cache_files(home: Path) -> list[Path]:
    return sorted((home / ".cache" / "awsprof" / "credential-process").glob("*.json"))


def test_eight_concurrent_callers_run_the_process_once(aws_dir: Path, isolated_home: Path) -> None:
    counter = _setup(aws_dir)
    command = [str(BIN / "awsprof"), "configure", "export-credentials", "--profile", "tool"]
    callers = [
        subprocess.Popen(
            command, env=_env(isolated_home), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(8)
    ]
    results = [caller.communicate(timeout=120) for caller in callers]
    assert [c.returncode for c in callers] == [0] * 8, [r[1] for r in results]
    keys = {json.loads(out)["AccessKeyId"] for out, _ in results}
    assert keys == {"AKIAPROCESS000000000001"}
    assert _runs(counter) == 1
    (entry,) = _cache_files(isolated_home)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE(entry.parent.stat().st_mode) == 0o700


def test_runs_again_once_the_cached_output_nears_expiry(aws_dir: Path, isolated_home: Path) -> None:
    counter = _setup(aws_dir)
    first = awsprof(_env(isolated_home), "configure", "export-credentials", "--profile", "tool")
    assert first.returncode == 0, first.stderr
    (entry,) = _cache_files(isolated_home)
    data = json.loads(entry.read_text())
    soon = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5)  # inside the 15-minute window
    data["Expiration"] = soon.strftime("%Y-%m-%dT%H:%M:%SZ")
    entry.write_text(json.dumps(data))
    again = awsprof(_env(isolated_home), "configure", "export-credentials", "--profile", "tool")
    assert again.returncode == 0, again.stderr
    assert _runs(counter) == 2
    assert json.loads(again.stdout)["AccessKeyId"] == "AKIAPROCESS000000000002"


def test_output_without_expiration_is_never_written(aws_dir: Path, isolated_home: Path) -> None:
    counter = _setup(aws_dir, "none")
    for _ in range(2):
        done = awsprof(_env(isolated_home), "configure", "export-credentials", "--profile", "tool")
        assert done.returncode == 0, done.stderr
    assert _runs(counter) == 2
    assert _cache_files(isolated_home) == []


def test_switch_off_runs_every_time(aws_dir: Path, isolated_home: Path) -> None:
    counter = _setup(aws_dir)
    env = dict(_env(isolated_home), AWSPROF_CREDENTIAL_PROCESS_CACHE="0")
    for _ in range(2):
        done = awsprof(env, "configure", "export-credentials", "--profile", "tool")
        assert done.returncode == 0, done.stderr
    assert _runs(counter) == 2


def test_corrupt_entry_is_replaced(aws_dir: Path, isolated_home: Path) -> None:
    counter = _setup(aws_dir)
    assert (
        awsprof(
            _env(isolated_home), "configure", "export-credentials", "--profile", "tool"
        ).returncode
        == 0
    )
    (entry,) = _cache_files(isolated_home)
    entry.write_text('{"AccessKeyId": 1')
    done = awsprof(_env(isolated_home), "configure", "export-credentials", "--profile", "tool")
    assert done.returncode == 0, done.stderr
    assert str(entry) in done.stderr
    assert _runs(counter) == 2
    assert json.loads(entry.read_text())["AccessKeyId"] == "AKIAPROCESS000000000002"
