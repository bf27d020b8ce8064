"""A hostile or broken credential_process (issue 12, cases 5 and 8): floods on stdout and stderr
are cut off while they run, a timeout kills the whole process group, and its stderr is shown only
with --debug, with every secret awsprof knows for the profile masked."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from urllib.parse import quote

from resolution.helpers import awsprof

KNOWN_SECRET = "not-shaped-like-a-key-but-secret"  # a secret awsprof knows: in the environment
KEY_SHAPED = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
UNKNOWN = "hunter2-password"


def _env(home: Path, timeout: str = "5") -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS")}
    env.update(HOME=str(home), AWSPROF_CREDENTIAL_PROCESS_TIMEOUT=timeout)
    return env


def _profile(aws_dir: Path, command: str) -> None:
    (aws_dir / "config").write_text(f"[profile tool]\ncredential_process = {command}\n")


def _script(aws_dir: Path, body: str) -> str:
    path = aws_dir / "tool.py"
    path.write_text(body)
    return f"{sys.executable} {path}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (dead, not yet reaped by init) counts as dead.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


def test_yes_as_credential_process_is_cut_off_at_the_stdout_limit(
    aws_dir: Path, isolated_home: Path
) -> None:
    yes = shutil.which("yes")
    assert yes, "coreutils' yes is part of every test machine"
    _profile(aws_dir, yes)
    started = time.monotonic()
    done = awsprof(_env(isolated_home), "configure", "export-credentials", "--profile", "tool")
    assert time.monotonic() - started < 20
    assert done.returncode == 4, done.stderr
    assert "printed more than 1048576 bytes on stdout" in done.stderr
    assert done.stdout == ""


def test_stderr_flood_is_cut_off_at_the_stderr_limit(aws_dir: Path, isolated_home: Path) -> None:
    flood = "import sys\nwhile True:\n    sys.stderr.write('x' * 65536)\n"
    _profile(aws_dir, _script(aws_dir, flood))
    done = awsprof(_env(isolated_home), "configure", "export-credentials", "--profile", "tool")
    assert done.returncode == 4, done.stderr[-500:]
    assert "printed more than 1048576 bytes on stderr" in done.stderr
    assert len(done.stderr) < 10_000, "the flood itself is never relayed"


def test_flood_kills_the_children_the_process_started(aws_dir: Path, isolated_home: Path) -> None:
    pid_file = aws_dir / "grandchild.pid"
    script = (
        "import subprocess, sys\n"
        "child = subprocess.Popen(['sleep', '300'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "while True:\n    sys.stdout.write('y' * 65536)\n"
    )
    _profile(aws_dir, _script(aws_dir, script))
    done = awsprof(_env(isolated_home), "configure", "export-credentials", "--profile", "tool")
    assert "on stdout" in done.stderr
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild), "the process group was not killed"


def test_timeout_kills_the_whole_process_group(aws_dir: Path, isolated_home: Path) -> None:
    pid_file = aws_dir / "grandchild.pid"
    script = (
        "import subprocess, time\n"
        "child = subprocess.Popen(['sleep', '300'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(300)\n"
    )
    _profile(aws_dir, _script(aws_dir, script))
    started = time.monotonic()
    done = awsprof(_env(isolated_home, "2"), "configure", "export-credentials", "--profile", "tool")
    assert time.monotonic() - started < 15
    assert done.returncode == 4
    assert "did not finish within 2 s" in done.stderr
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def _known(env: dict[str, str]) -> dict[str, str]:
    # --profile wins over keys in the environment, but they are secrets awsprof holds.
    env.update(AWS_ACCESS_KEY_ID="AKIAEXAMPLEEXAMPLE01", AWS_SECRET_ACCESS_KEY=KNOWN_SECRET)
    return env


def _failing_with_secrets(aws_dir: Path) -> None:
    body = (
        "import sys\n"
        f"sys.stderr.write('known {KNOWN_SECRET}\\n')\n"
        f"sys.stderr.write('encoded {quote(KNOWN_SECRET + '/+=', safe='')}\\n')\n"
        f"sys.stderr.write('url X-Amz-Credential={quote(KEY_SHAPED, safe='')}&x=1\\n')\n"
        f"sys.stderr.write('other {UNKNOWN}\\n')\n"
        "sys.exit(7)\n"
    )
    _profile(aws_dir, _script(aws_dir, body))


def test_stderr_of_a_failed_process_is_hidden_without_debug(
    aws_dir: Path, isolated_home: Path
) -> None:
    _failing_with_secrets(aws_dir)
    env = _known(_env(isolated_home))
    done = awsprof(env, "configure", "export-credentials", "--profile", "tool")
    assert done.returncode == 4
    assert "failed with exit code 7 (run with --debug to see its stderr)" in done.stderr
    assert UNKNOWN not in done.stderr
    assert KNOWN_SECRET not in done.stderr


def test_debug_shows_stderr_with_known_and_encoded_secrets_masked(
    aws_dir: Path, isolated_home: Path
) -> None:
    _failing_with_secrets(aws_dir)
    env = _known(_env(isolated_home))
    done = awsprof(env, "--debug", "configure", "export-credentials", "--profile", "tool")
    assert done.returncode == 4
    err = done.stderr
    assert f"other {UNKNOWN}" in err, "--debug shows the stderr"
    assert KNOWN_SECRET not in err
    assert quote(KNOWN_SECRET, safe="") not in err
    assert quote(KEY_SHAPED, safe="") not in err
    assert "known ****************cret" in err


def test_awsprof_as_credential_process_still_says_why(aws_dir: Path, isolated_home: Path) -> None:
    """awsprof's own messages (masked already, with the fix) are not hidden behind --debug."""
    awsprof_bin = Path(sys.executable).with_name("awsprof")
    (aws_dir / "config").write_text(
        f"[profile tool]\ncredential_process = {awsprof_bin} credential-process --profile gone\n"
    )
    done = awsprof(_env(isolated_home), "configure", "export-credentials", "--profile", "tool")
    assert done.returncode == 4
    assert "The config profile (gone) could not be found" in done.stderr
    assert "--debug" not in done.stderr
