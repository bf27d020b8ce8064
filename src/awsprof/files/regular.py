"""Opening files that someone else may have replaced with something that is not a file.

``AWS_CONFIG_FILE`` can name a FIFO (every read would wait forever for a writer), a terminal or a
device. Reads here look at what the path is before opening it and open it without blocking, so
nothing awsprof reads can hang it: anything but a regular file is refused. ``/dev/null`` is the one
exception, read as an empty file, because ``AWS_CONFIG_FILE=/dev/null`` is the common way to run
the AWS CLI without a config and it can never block.

Imports only ``os`` and ``stat``: the prompt and the guard read through here.
"""

from __future__ import annotations

import os
import stat

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import IO

    from awsprof.errors import ConfigFileError


class NotRegularFileError(OSError):
    """The path is a FIFO, socket, device or directory: refused before any blocking open."""

    def __init__(self, path: str, kind: str) -> None:
        super().__init__(f"{path} is {kind}, not a regular file")
        self.path = path
        self.kind = kind


def refused(path: object, kind: str, verb: str = "reads") -> ConfigFileError:
    """The error for a file that is not a regular file (exit 3), naming the variables to fix."""
    from awsprof.errors import ConfigFileError

    return ConfigFileError(
        str(path),
        None,
        f"is {kind}, not a regular file; awsprof {verb} only regular files",
        "Point AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE at a regular file.",
    )


def kind_of(mode: int) -> str:
    """What a non-regular file is, in words for an error message."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a regular file"


def is_devnull(info: os.stat_result) -> bool:
    try:
        null = os.stat(os.devnull)
    except OSError:
        return False
    # The device number, not the path: a null device made with mknod elsewhere is the same.
    return stat.S_ISCHR(info.st_mode) and info.st_rdev == null.st_rdev


def _allowed(info: os.stat_result) -> bool:
    return stat.S_ISREG(info.st_mode) or is_devnull(info)


def open_fd(path: str | os.PathLike[str], follow_symlinks: bool = True) -> int:
    """A read-only descriptor of a regular file (or ``/dev/null``); never blocks.

    Raises ``FileNotFoundError`` and the other ``OSError``s of ``open``, and
    :class:`NotRegularFileError` for anything else, before opening it.
    """
    name = os.fspath(path)
    info = os.stat(name, follow_symlinks=follow_symlinks)
    if not _allowed(info):
        raise NotRegularFileError(name, kind_of(info.st_mode))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    # O_NONBLOCK: if the path was swapped for a FIFO between stat and open, the open still
    # returns at once, and the check below refuses it.
    fd = os.open(name, flags)
    try:
        opened = os.fstat(fd)
        if not _allowed(opened):
            raise NotRegularFileError(name, kind_of(opened.st_mode))
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_text(path: str | os.PathLike[str], encoding: str = "utf-8") -> IO[str]:
    """``open(path, encoding=...)`` for reading, refusing what :func:`open_fd` refuses."""
    return os.fdopen(open_fd(path), "r", encoding=encoding)


def open_binary(path: str | os.PathLike[str]) -> IO[bytes]:
    """``open(path, "rb")``, refusing what :func:`open_fd` refuses."""
    return os.fdopen(open_fd(path), "rb")


def read_bytes(path: str | os.PathLike[str], limit: int | None = None) -> bytes:
    """The file's bytes (at most ``limit + 1`` of them, so a caller can see it was too big)."""
    with open_binary(path) as handle:
        return handle.read() if limit is None else handle.read(limit + 1)
