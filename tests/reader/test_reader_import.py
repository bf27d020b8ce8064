"""The offline profile reader and the guard engine run on every prompt and every `aws` command:
their start-up cost is held here, not by comments."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HEAVY = {
    "botocore",
    "boto3",
    "click",
    "rich",
    "prompt_toolkit",
    "keyring",
    "questionary",
    "dataclasses",
    "typing",
    "pathlib",
    "json",
    "datetime",
}
OURS = (
    "awsprof.reader",
    "awsprof.reader.selection",
    "awsprof.reader.caches",
    "awsprof.reader.accounts",
    "awsprof.reader.profiles",
    "awsprof.files.paths",
    "awsprof.guard.facts",
    "awsprof.guard.decide",
    "awsprof.guard.engine",
)
BUDGET_MICROSECONDS = 12_000  # the reader and the engine's own modules, classifier excluded


def import_times(pycache: Path, statement: str) -> dict[str, int]:
    """Module -> its own import time in microseconds, from `python -X importtime`."""
    env = {**os.environ, "PYTHONPYCACHEPREFIX": str(pycache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
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


STATEMENT = "import awsprof.guard.engine, awsprof.reader.clients, awsprof.shell.prompt"


def test_the_reader_and_the_engine_load_nothing_heavy(tmp_path: Path) -> None:
    modules = import_times(tmp_path, STATEMENT)
    assert set(OURS) <= set(modules)
    assert {name.split(".")[0] for name in modules} & HEAVY == set()
    assert not any(name.startswith("awsprof.resolution") for name in modules)


def test_the_reader_and_the_engine_stay_within_their_import_budget(tmp_path: Path) -> None:
    import_times(tmp_path, STATEMENT)  # writes the bytecode
    own = min(
        sum(import_times(tmp_path, STATEMENT).get(name, 0) for name in OURS) for _ in range(5)
    )
    assert own < BUDGET_MICROSECONDS, f"{own} µs"
