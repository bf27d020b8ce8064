"""Writing a file so that it always holds either the old or the new bytes.

The AWS CLI truncates and rewrites its files in place, so an interrupted write leaves them empty.
Here every write goes to a temporary file in the same directory (created exclusively, so a planted
symlink is never followed), is flushed to disk, given the old file's mode (0600 for a new file,
whatever the umask) and then atomically renamed over the target. A symlinked file is edited
through its link: the target is replaced, the link is kept.

Writers of the same file take a cross-process lock (``filelock``) beside it, so concurrent
read-modify-write cycles never lose each other's changes. Temporary files left by a writer that was
killed are removed by the next writer, which holds the lock and so knows nobody else is writing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from awsprof.errors import FileWriteError

FILE_MODE = 0o600
DIR_MODE = 0o700
_TMP_SUFFIX = ".awsprof-tmp"


def real_target(path: Path) -> Path:
    """The file a write to ``path`` must replace: the end of its symlink chain, if any."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def ensure_dir(directory: Path) -> None:
    """Create ``directory`` (and parents) as 0700 whatever the umask; leave existing ones alone."""
    missing = []
    current = directory
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, DIR_MODE)


def _lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def locked(path: Path, timeout: float = 30.0) -> Iterator[Path]:
    """Hold the cross-process write lock of ``path``; yields the real file to write."""
    import filelock  # imported here: only writers pay for it

    target = real_target(path)
    try:
        ensure_dir(target.parent)
    except OSError as error:
        raise _write_error(target, error) from None
    lock = filelock.FileLock(str(_lock_path(target)), timeout=timeout, mode=FILE_MODE)
    try:
        with lock:
            _remove_stale_temporaries(target)
            yield target
    except filelock.Timeout:
        raise FileWriteError(
            f"{target}: another process has held its lock for {timeout:.0f} s",
            "Wait for the other awsprof command to finish, then try again.",
        ) from None
    except OSError as error:
        # The lock file could not be opened (permissions, read-only, a planted symlink that
        # filelock refuses to follow) or the file could not be read: nothing was written.
        raise _write_error(target, error) from None


def _remove_stale_temporaries(target: Path) -> None:
    prefix = f".{target.name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            if entry.name.startswith(prefix) and entry.name.endswith(_TMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def write_atomic(target: Path, data: bytes, new_mode: int = FILE_MODE) -> None:
    """Replace ``target`` with ``data`` atomically. Call it while holding :func:`locked`."""
    try:
        current = os.stat(target)
    except FileNotFoundError:
        current = None
    mode = stat.S_IMODE(current.st_mode) if current is not None else new_mode
    import tempfile  # imported here: only writers pay for it

    try:
        ensure_dir(target.parent)
        fd, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=_TMP_SUFFIX, dir=target.parent
        )
    except OSError as error:
        raise _write_error(target, error) from None
    try:
        try:
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fchmod(fd, mode)
            if current is not None and os.geteuid() == 0:
                # root editing someone's file must not hand it to root.
                os.fchown(fd, current.st_uid, current.st_gid)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise _write_error(target, error) from None
        raise
    _fsync_dir(target.parent)


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_error(target: Path, error: OSError) -> FileWriteError:
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exhausted",
        errno.EFBIG: "the file-size limit was reached",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.ELOOP: "a symbolic link stands where awsprof creates its lock or temporary file",
    }
    reason = reasons.get(error.errno or 0, error.strerror or type(error).__name__)
    return FileWriteError(
        f"could not write {target}: {reason}; the file was left exactly as it was",
        "Free space or fix the permissions, then run the command again.",
    )
