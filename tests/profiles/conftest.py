"""Profile tests reuse the INI file generators that live beside the file-layer tests."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "files"))
