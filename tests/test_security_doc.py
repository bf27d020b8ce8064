"""docs/security.md names the test behind each line: every test and file it names must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")


def _test_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").rglob("test_*.py"))


def test_every_test_file_named_in_security_md_exists() -> None:
    files = set(re.findall(r"tests/[\w/]+\.py", DOC))
    assert files, "the pattern found nothing"
    assert {f for f in files if not (ROOT / f).is_file()} == set()


def test_every_test_function_named_in_security_md_exists() -> None:
    names = {n for n in re.findall(r"\btest_\w+", DOC) if not n.endswith(".py")}
    names -= {Path(f).stem for f in re.findall(r"tests/[\w/]+\.py", DOC)}
    assert names, "the pattern found nothing"
    sources = _test_sources()
    assert {n for n in names if not re.search(rf"def {n}\(", sources)} == set()
