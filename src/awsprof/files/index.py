"""A cache of "this exact file was validated, and here are its sections", for the hot commands.

Validating a config with tens of thousands of profiles exactly as botocore would takes most of a
``list-profiles`` run; the result only changes when the file does. So after a full validation of a
plain file (see :func:`awsprof.files.ini.plain_headers`) the section names and header lines are
stored, keyed by the file's path and its stat identity (device, inode, size, modification and
change times in nanoseconds). Any write, rename, ``chmod`` or atomic replace changes that identity,
so a stale entry is never used. An entry is only stored for a file last modified more than two
seconds ago: two writes within one tick of the file system's clock could otherwise leave the same
identity for different contents (the "racy git" problem). Entries live in awsprof's own cache
directory (0700), never in ``~/.aws``; anything unreadable there is simply a miss.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import time
from pathlib import Path

from awsprof.hashing import sha1_hex

FORMAT = 2
SETTLED_NS = 2_000_000_000


def _identity(stat: os.stat_result) -> tuple[int, ...]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _entry(cache_dir: Path, path: Path) -> Path:
    digest = sha1_hex(os.fsencode(os.path.realpath(path)))
    return cache_dir / f"ini-{digest}.marshal"


Entry = tuple[list[str], list[int], list[str]]


def load(cache_dir: Path, path: Path, stat: os.stat_result) -> Entry | None:
    """(section names, header line numbers, profile names) of a file validated before."""
    try:
        data = _entry(cache_dir, path).read_bytes()
        stored = marshal.loads(data)  # noqa: S302 - our own 0700 cache of str/int lists
        version, identity, names, lines, profiles = stored
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if version != FORMAT or tuple(identity) != _identity(stat):
        return None
    if not all(isinstance(x, list) for x in (names, lines, profiles)) or len(names) != len(lines):
        return None
    return names, lines, profiles


def save(
    cache_dir: Path,
    path: Path,
    stat: os.stat_result,
    names: list[str],
    lines: list[int],
    profiles: list[str],
) -> None:
    """Remember a validated plain file (silently skipped when that is not safe or possible)."""
    if time.time_ns() - stat.st_mtime_ns < SETTLED_NS:
        return
    import tempfile

    with contextlib.suppress(OSError):
        cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = marshal.dumps((FORMAT, list(_identity(stat)), names, lines, profiles))
        fd, temporary = tempfile.mkstemp(prefix=".ini-", suffix=".tmp", dir=cache_dir)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, _entry(cache_dir, path))
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
