"""Writing a file so that it always holds either the old or the new bytes.

The AWS CLI truncates and rewrites its files in place, so an interrupted write leaves them empty.
Here every write goes to a temporary file in the same directory (created exclusively, so a planted
symlink is never followed), is flushed to disk, given the old file's mode (0600 for a new file,
whatever the umask) and then atomically renamed over the target. A symlinked file is edited
through its link: the target is replaced, the link is kept.

Writers of the same file take a cross-process lock beside it, so concurrent read-modify-write
cycles never lose each other's changes; the lock file is removed when the write is done (see
:func:`_flock`). Temporary files left by a writer that was killed are removed by the next writer,
which holds the lock and so knows nobody else is writing.

Only regular files are replaced. Before anything is created next to it, a target that is a device,
FIFO or socket is refused (renaming over ``/dev/null`` would replace the device), as are a file
without write permission (the AWS CLI refuses it too; a rename would not notice) and a file with
other hard links (a rename would silently split them; awsprof refuses rather than edit in place,
which would lose the guarantee that the file is always whole).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from awsprof.errors import FileWriteError
from awsprof.files.regular import kind_of, refused

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


def check_replaceable(target: Path) -> None:
    """Refuse a target that a rename must not replace (see the module docstring)."""
    try:
        info = os.stat(target)
    except (FileNotFoundError, NotADirectoryError):
        return
    except OSError as error:
        raise _write_error(target, error) from None
    if not stat.S_ISREG(info.st_mode):
        raise refused(target, kind_of(info.st_mode), "writes")
    if not _mode_allows_write(info):
        raise FileWriteError(
            f"could not write {target}: it is read-only (mode {stat.S_IMODE(info.st_mode):04o}); "
            "the file was left exactly as it was",
            f"If awsprof should edit it, run `chmod u+w {target}` and run the command again.",
        )
    if info.st_nlink > 1:
        raise FileWriteError(
            f"could not write {target}: it has {info.st_nlink - 1} other hard link(s), which an "
            "atomic replace would split from it; the file was left exactly as it was",
            "Replace the other links with symbolic links (`ln -sf`), then run the command again.",
        )


def _mode_allows_write(info: os.stat_result) -> bool:
    """Whether the file's mode lets this user write it (as the AWS CLI's in-place write needs).

    The mode bits, not ``os.access``: root may write anything, but a 0444 file is one its owner
    marked read-only, and a read-only file system is reported by the write itself.
    """
    if not hasattr(os, "geteuid"):
        return bool(info.st_mode & stat.S_IWUSR)
    euid = os.geteuid()
    if euid == 0:
        return bool(info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    if info.st_uid == euid:
        return bool(info.st_mode & stat.S_IWUSR)
    if info.st_gid in (os.getegid(), *os.getgroups()):
        return bool(info.st_mode & stat.S_IWGRP)
    return bool(info.st_mode & stat.S_IWOTH)


@contextlib.contextmanager
def locked(path: Path, timeout: float = 30.0) -> Iterator[Path]:
    """Hold the cross-process write lock of ``path``; yields the real file to write."""
    target = real_target(path)
    check_replaceable(target)
    try:
        ensure_dir(target.parent)
    except OSError as error:
        raise _write_error(target, error) from None
    try:
        with _flock(_lock_path(target), timeout):
            _remove_stale_temporaries(target)
            yield target
    except TimeoutError:
        raise FileWriteError(
            f"{target}: another process has held its lock for {timeout:.0f} s",
            "Wait for the other awsprof command to finish, then try again.",
        ) from None
    except OSError as error:
        # The lock file could not be opened (permissions, read-only, a planted symlink that
        # filelock refuses to follow) or the file could not be read: nothing was written.
        raise _write_error(target, error) from None


@contextlib.contextmanager
def _flock(lock_path: Path, timeout: float) -> Iterator[None]:
    """An exclusive lock on ``lock_path``, which is deleted again on release.

    Deleting a lock file is safe only if a waiter that wakes up holding the lock of a deleted
    file notices: after each acquisition the open file must still be the one at the path, else
    the waiter starts again. The holder deletes the file before releasing, so at any moment at
    most one process holds the lock of the file at the path. (A writer killed while holding it
    leaves the file behind; the next writer takes it over and deletes it.)
    """
    try:
        import fcntl
    except ImportError:  # Windows: filelock's own lock, whose file stays beside the target
        import filelock

        try:
            with filelock.FileLock(str(lock_path), timeout=timeout, mode=FILE_MODE):
                yield
        except filelock.Timeout:
            raise TimeoutError from None
        return
    import time

    deadline = time.monotonic() + timeout
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    while True:
        fd = os.open(lock_path, flags, FILE_MODE)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise TimeoutError from None
                    time.sleep(0.01)
            try:
                current = os.stat(lock_path, follow_symlinks=False)
            except FileNotFoundError:
                current = None
            held = os.fstat(fd)
            if current is None or (current.st_dev, current.st_ino) != (held.st_dev, held.st_ino):
                continue  # the previous holder deleted this file: lock the new one
            try:
                yield
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(lock_path)
            return
        finally:
            os.close(fd)


def _remove_stale_temporaries(target: Path) -> None:
    prefix = f".{target.name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            if entry.name.startswith(prefix) and entry.name.endswith(_TMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def write_atomic(target: Path, data: bytes, new_mode: int = FILE_MODE) -> None:
    """Replace ``target`` with ``data`` atomically. Call it while holding :func:`locked`."""
    check_replaceable(target)
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
