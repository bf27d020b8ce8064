"""`awsprof sandbox demo`: the journey end to end, non-interactive, fast, and always cleaned up."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from awsprof.sandbox.demo import STEPS, Step, run_demo

DEMO_PREFIX = "awsprof-sandbox-demo-"


def demo_server_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if "awsprof.sandbox.serve" in command and DEMO_PREFIX in command:
                pids.append(int(entry.name))
    return pids


def wait_no_demo_servers(seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not demo_server_pids():
            return True
        time.sleep(0.1)
    return False


def test_demo_runs_the_journey_and_stops_its_servers() -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "awsprof", "sandbox", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert elapsed < 60
    shown = re.findall(r"^\[(\d+)/(\d+)\] (.+)$", result.stdout, flags=re.MULTILINE)
    assert len(shown) >= 3
    assert [int(n) for n, _, _ in shown] == list(range(1, len(shown) + 1))
    assert "The real AWS CLI agrees" in result.stdout
    assert '"Account": "222233334444"' in result.stdout  # real output of a real command
    assert f"All {len(shown)} steps passed" in result.stdout
    assert not re.search(
        r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])", result.stdout
    )  # no secret key in sight
    assert wait_no_demo_servers()
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob(f"{DEMO_PREFIX}*/sandbox.json"))


def test_a_failing_step_makes_the_demo_fail_and_still_stops() -> None:
    lines: list[str] = []
    steps = [
        STEPS[0],
        Step(
            "A profile that does not exist",
            "This step must fail.",
            ("aws", "sts", "get-caller-identity", "--profile", "nope"),
        ),
    ]
    code = run_demo(
        announce=lambda n, total, title, why, argv: lines.append(f"[{n}/{total}] {title}"),
        output=lines.append,
        message=lines.append,
        is_available=lambda words: True,
        steps=steps,
    )
    assert code == 1
    assert any("1 of 2 steps failed: A profile that does not exist" in line for line in lines)
    assert any("could not be found" in line for line in lines)
    assert wait_no_demo_servers()


def test_steps_of_commands_not_in_this_build_are_left_out() -> None:
    announced: list[str] = []
    code = run_demo(
        announce=lambda n, total, title, why, argv: announced.append(title),
        output=lambda text: None,
        message=lambda text: None,
        is_available=lambda words: words != ("configure", "list-profiles"),
        steps=[STEPS[0], STEPS[2]],
    )
    assert code == 0
    assert announced == [STEPS[2].title]


def test_interrupting_the_demo_stops_its_servers() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "awsprof", "sandbox", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("[1/"):
            break
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    assert process.returncode == 130
    assert wait_no_demo_servers()
