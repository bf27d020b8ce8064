"""The classifier runs before every `aws` typed through the shell wrapper: it must be cheap."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = {"botocore", "boto3", "click", "rich", "prompt_toolkit", "keyring", "dataclasses"}
OURS = ("awsprof.guard.classify", "awsprof.guard.verbs")


def import_times(pycache: Path) -> dict[str, int]:
    """Module -> its own import time in microseconds, from `python -X importtime`."""
    # With bytecode, as an installed package runs (this environment may turn it off).
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import awsprof.guard.classify"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    times = {}
    for line in completed.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            own, _, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
            if own.isdigit():
                times[name] = int(own)
    return times


def test_import_loads_nothing_heavy(tmp_path: Path) -> None:
    modules = import_times(tmp_path)
    assert set(OURS) <= set(modules)
    assert {name.split(".")[0] for name in modules} & HEAVY == set()


def test_import_costs_well_under_5_ms(tmp_path: Path) -> None:
    import_times(tmp_path)  # writes the bytecode
    own = min(sum(import_times(tmp_path)[name] for name in OURS) for _ in range(5))  # noise
    assert own < 5_000, f"{own} µs"
