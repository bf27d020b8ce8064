"""A doctor finding: a stable ID, a severity, where, why it matters and the fix.

IDs are stable (documented in docs/doctor.md) so that teams can grep for them and CI can act on
them. A finding never holds a secret or the text of a file's line: only names, paths and lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return ("info", "warning", "error").index(self.value)


@dataclass(frozen=True)
class Finding:
    id: str
    severity: Severity
    path: Path | None
    line: int | None
    message: str  # what was found, naming the profile or section
    why: str  # one sentence: why it matters
    fix: str  # what to do (or what `--fix` does)
    profile: str | None = None
    fixable: bool = False  # `doctor --fix` can apply it without losing data

    @property
    def where(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line is not None else str(self.path)

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "severity": self.severity.value,
            "file": str(self.path) if self.path is not None else None,
            "line": self.line,
            "profile": self.profile,
            "message": self.message,
            "why": self.why,
            "fix": self.fix,
            "fixable": self.fixable,
        }


def fails(findings: list[Finding]) -> bool:
    """Whether the doctor should exit 1: a finding of warning level or higher."""
    return any(f.severity.rank >= Severity.WARNING.rank for f in findings)
