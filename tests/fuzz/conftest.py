"""Fuzz targets (issue 12): hostile input for every reader of outside data.

Each target is a hypothesis test marked ``fuzz`` with a bounded budget (``fuzz_budget.FUZZ``: a
fixed number of examples, no per-example deadline), so the whole set stays under a minute in CI.
``pytest -m fuzz`` runs only them; a crash found becomes a named regression test in
``test_fuzz_regressions.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "files"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).parent == here:
            item.add_marker(pytest.mark.fuzz)
