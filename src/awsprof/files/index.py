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
it once the file has settled. A write that keeps every section name (``configure set`` of a key)
does not rewrite the entry (100,000 names): a small record beside it (:func:`moved`) says which
identity and digest the same names now hold for. Entries live in awsprof's own cache directory
(0700), never in ``~/.aws``; anything unreadable there is simply a miss.
"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

from awsprof.files import entries
from awsprof.hashing import sha1_hex

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

FORMAT = 3
_identity = entries.identity
settled = entries.settled


def _entry(cache_dir: Path, path: Path) -> Path:
    digest = sha1_hex(os.fsencode(os.path.realpath(path)))
    return cache_dir / f"ini-{digest}.marshal"


Entry = tuple[list[str], list[str]]  # section names, profile names


def digest(data: bytes) -> str:
    return sha1_hex(data)


def load(cache_dir: Path, path: Path, stat: os.stat_result) -> tuple[Entry, str | None] | None:
    """(section names, profile names) of a file validated before, and the digest its text must
    have (None: the identity alone proves it)."""
    try:
        data = _entry(cache_dir, path).read_bytes()
        stored = marshal.loads(data)  # noqa: S302 - our own 0700 cache of str/int lists
        version, identity, names, profiles, text_digest = stored
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if version != FORMAT:
        return None
    if tuple(identity) != _identity(stat):
        text_digest = _moved_digest(cache_dir, path, identity, stat)
        if text_digest is None:
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
    data = marshal.dumps((FORMAT, list(_identity(stat)), names, profiles, text_digest))
    _replace(cache_dir, _entry(cache_dir, path), data)


def _derived_entry(cache_dir: Path, path: Path, what: tuple[str, ...]) -> Path:
    named = os.fsencode(os.path.realpath(path)) + b"\0" + "\0".join(what).encode()
    return cache_dir / f"{what[0]}-{sha1_hex(named)}.marshal"


Origin = tuple[Path, Path, "os.stat_result"]  # awsprof's cache directory, a file, its identity


def load_derived(
    origin: Origin, what: tuple[str, ...], kind: type, text_digest: Callable[[], str]
) -> Any:
    """What was derived from the file's text as ``what`` (a name, then its arguments), stored
    for the file at exactly its identity (and, if stored for a file not yet settled, for a
    text of the digest ``text_digest()`` gives); None when not stored or not of ``kind``."""
    cache_dir, path, stat = origin
    try:
        data = _derived_entry(cache_dir, path, what).read_bytes()
        stored = marshal.loads(data)  # noqa: S302 - our own 0700 cache
        version, identity, stored_what, value, stored_digest = stored
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if version != FORMAT or tuple(identity) != _identity(stat) or tuple(stored_what) != what:
        return None
    if stored_digest is not None and stored_digest != text_digest():
        return None  # a text written within one tick of the clock by someone else
    return value if isinstance(value, kind) else None


def save_derived(
    origin: Origin, what: tuple[str, ...], value: Any, text_digest: Callable[[], str]
) -> None:
    """Remember what was derived as ``what`` from the file's text: by its identity alone once
    the file has settled, else with the text's digest (as awsprof's own writes are indexed).
    The caller never passes a secret: nothing here is."""
    cache_dir, path, stat = origin
    digest = None if settled(stat) else text_digest()
    data = marshal.dumps((FORMAT, list(_identity(stat)), list(what), value, digest))
    _replace(cache_dir, _derived_entry(cache_dir, path, what), data)


def _moved_entry(cache_dir: Path, path: Path) -> Path:
    return _entry(cache_dir, path).with_suffix(".moved")


def _moved_digest(
    cache_dir: Path, path: Path, identity: list[int], stat: os.stat_result
) -> str | None:
    """The digest a text at ``stat`` must have for the entry of ``identity`` to hold (None: no
    record of awsprof's own write links them)."""
    try:
        stored = marshal.loads(_moved_entry(cache_dir, path).read_bytes())  # noqa: S302 - ours
        version, base, new, text_digest = stored
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if version != FORMAT or base != identity or tuple(new) != _identity(stat):
        return None
    return text_digest if isinstance(text_digest, str) else None


def moved(
    cache_dir: Path,
    path: Path,
    before: os.stat_result,
    before_digest: Callable[[], str],
    after: os.stat_result,
    text_digest: str,
) -> bool:
    """After awsprof's own write that kept every section name of a plain file: record that the
    entry for the text at ``before`` (of digest ``before_digest()``, computed only when the
    entry must be checked against it) holds for the text of ``text_digest`` now at ``after``,
    without rewriting the entry. False when there is no entry
    for that text (the caller then saves a whole one)."""
    try:
        stored = marshal.loads(_entry(cache_dir, path).read_bytes())  # noqa: S302 - ours
        version, base = stored[0], stored[1]
        was: str | None = stored[4]  # the digest the text at ``before`` must have, if any
    except (OSError, ValueError, EOFError, TypeError, IndexError, KeyError):
        return False
    if version != FORMAT:
        return False
    if tuple(base) != _identity(before):  # not the entry itself: an earlier record of ours?
        was = _moved_digest(cache_dir, path, base, before)
        if was is None:
            return False
    if was is not None and was != before_digest():
        return False
    data = marshal.dumps((FORMAT, base, list(_identity(after)), text_digest))
    return _replace(cache_dir, _moved_entry(cache_dir, path), data)


def _replace(cache_dir: Path, target: Path, data: bytes) -> bool:
    return entries.store(str(cache_dir), str(target), data)
