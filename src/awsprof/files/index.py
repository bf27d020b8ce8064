"""A cache of "this exact file was validated, and here are its sections", for the hot commands.

Validating a config with tens of thousands of profiles exactly as botocore would takes most of a
``list-profiles`` run; the result only changes when the file does. So after a full validation of a
plain file (see :func:`awsprof.files.ini.plain_index`) the section and profile names are stored,
keyed by the file's path and its stat identity (device, inode, size, modification and change times
in nanoseconds). Any write, rename, ``chmod`` or atomic replace changes that identity, so a stale
entry is never used.

Two writes within one tick of the file system's clock could leave the same identity for different
contents (the "racy git" problem), so an entry is trusted on identity alone only for a file last
modified more than two seconds before it was read. awsprof's own writes are the exception that
keeps the index valid across them: right after its atomic replace the writer stores the new
text's names with a digest of that text (``digest``), and a reader of such an entry checks the
digest against what it read (a hash, far cheaper than validating), then stores the entry without
it once the file has settled. Entries live in awsprof's own cache directory (0700), never in
``~/.aws``; anything unreadable there is simply a miss.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import time
from pathlib import Path

from awsprof.hashing import sha1_hex

FORMAT = 3
SETTLED_NS = 2_000_000_000


def _identity(stat: os.stat_result) -> tuple[int, ...]:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _entry(cache_dir: Path, path: Path) -> Path:
    digest = sha1_hex(os.fsencode(os.path.realpath(path)))
    return cache_dir / f"ini-{digest}.marshal"


Entry = tuple[list[str], list[str]]  # section names, profile names


def digest(data: bytes) -> str:
    return sha1_hex(data)


def settled(stat: os.stat_result) -> bool:
    return time.time_ns() - stat.st_mtime_ns >= SETTLED_NS


def load(cache_dir: Path, path: Path, stat: os.stat_result) -> tuple[Entry, str | None] | None:
    """(section names, profile names) of a file validated before, and the digest its text must
    have (None: the identity alone proves it)."""
    try:
        data = _entry(cache_dir, path).read_bytes()
        stored = marshal.loads(data)  # noqa: S302 - our own 0700 cache of str/int lists
        version, identity, names, profiles, text_digest = stored
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if version != FORMAT or tuple(identity) != _identity(stat):
        return None
    if not isinstance(names, list) or not isinstance(profiles, list):
        return None
    if text_digest is not None and not isinstance(text_digest, str):
        return None
    return (names, profiles), text_digest


def save(
    cache_dir: Path,
    path: Path,
    stat: os.stat_result,
    names: list[str],
    profiles: list[str],
    text_digest: str | None = None,
) -> None:
    """Remember a validated plain file (silently skipped when that is not safe or possible).

    Without ``text_digest`` the names must come from a text read at ``stat``, settled; with it,
    from a text of that digest (a writer's own), which readers check.
    """
    if text_digest is None and not settled(stat):
        return
    import tempfile

    with contextlib.suppress(OSError):
        cache_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = marshal.dumps((FORMAT, list(_identity(stat)), names, profiles, text_digest))
        fd, temporary = tempfile.mkstemp(prefix=".ini-", suffix=".tmp", dir=cache_dir)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, _entry(cache_dir, path))
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
