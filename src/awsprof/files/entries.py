"""What the index and the section map share about their entries: the identity a text was read
at, the rule for a file settled enough to vouch for, and the atomic write of an entry.

No pathlib: the section map is read and written on the prompt's and the guard's path.
"""

from __future__ import annotations

import os
import time

# A file changed within this time may still change within the same mtime tick: not vouched for.
SETTLED_NS = 2_000_000_000


def identity(stat: os.stat_result) -> tuple[int, ...]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def settled(stat: os.stat_result) -> bool:
    return time.time_ns() - stat.st_mtime_ns >= SETTLED_NS


def store(folder: str, target: str, data: bytes) -> bool:
    """``data`` into ``target`` through a temporary file in ``folder`` (made 0700 if missing) and
    an atomic rename; False, and nothing left behind, when that is not possible."""
    import tempfile

    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".ini-", suffix=".tmp", dir=folder)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except OSError:
        import contextlib  # only on this failure path: contextlib stays off the hot path

        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True
