"""Writing data to stdout without importing click or rich (used by the hot commands)."""

from __future__ import annotations

import sys
from collections.abc import Iterable


def emit_lines(lines: Iterable[str]) -> None:
    """Data lines to stdout in one write (fast for tens of thousands of names)."""
    text = "\n".join(lines)
    if text:
        sys.stdout.write(text + "\n")
