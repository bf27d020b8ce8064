"""Running a child process whose output awsprof reads, with limits that hold while it runs.

``communicate()`` collects everything before anything can be checked: a ``credential_process``
that prints forever grows awsprof without bound. Here stdout and stderr are read as they arrive,
each against its own byte limit, within one deadline. The child runs in its own process group, so
when a limit is hit the whole group is killed (a shell script's own children too), and the error
says which limit it was.

The price of its own group (a new session, so no controlling terminal) is that the child cannot
prompt on the terminal; its stdin was already closed. Prompts must come from an agent or a window
(gpg-agent's pinentry, a password manager's app), which are unaffected.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence

_CHUNK = 1 << 16


class ChildLimitError(Exception):
    """A limit was hit and the process group was killed. ``limit`` names it for the message."""

    def __init__(self, limit: str, stdout: bytes, stderr: bytes) -> None:
        super().__init__(limit)
        self.limit = limit  # "timeout", "stdout" or "stderr"
        self.stdout = stdout
        self.stderr = stderr


class Finished:
    """What a child printed and how it ended."""

    __slots__ = ("returncode", "stderr", "stdout")

    def __init__(self, stdout: bytes, stderr: bytes, returncode: int) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.returncode = returncode


def run_capped(
    argv: Sequence[str],
    env: Mapping[str, str],
    timeout: float,
    max_stdout: int,
    max_stderr: int,
) -> Finished:
    """Run ``argv`` (no shell, stdin closed); raise :class:`ChildLimitError` on any limit.

    ``OSError`` from starting the command propagates to the caller, which knows what it is.
    """
    posix = os.name == "posix"
    process = subprocess.Popen(  # noqa: S603 - callers pass a configured command, never a shell
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(env),
        start_new_session=posix,  # its own process group, killed as a whole
    )
    if not posix:  # no select() on pipes: collect, then check (Windows)
        return _run_windows(process, timeout, max_stdout, max_stderr)
    import selectors

    assert process.stdout is not None and process.stderr is not None  # noqa: S101 - PIPE given
    out, err = process.stdout.fileno(), process.stderr.fileno()
    limits = {out: max_stdout, err: max_stderr}
    names = {out: "stdout", err: "stderr"}
    buffers: dict[int, bytearray] = {fd: bytearray() for fd in limits}
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        for fd in limits:
            os.set_blocking(fd, False)
            selector.register(fd, selectors.EVENT_READ)
        try:
            while selector.get_map():
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ChildLimitError("timeout", bytes(buffers[out]), bytes(buffers[err]))
                for key, _ in selector.select(left):
                    fd = key.fd
                    with contextlib.suppress(BlockingIOError):
                        chunk = os.read(fd, _CHUNK)
                        if not chunk:
                            selector.unregister(fd)
                            continue
                        buffers[fd] += chunk
                        if len(buffers[fd]) > limits[fd]:
                            raise ChildLimitError(names[fd], b"", bytes(buffers[err])[-4096:])
            # Both pipes are closed; the child itself must still end within the deadline.
            left = max(deadline - time.monotonic(), 0.0)
            try:
                code = process.wait(left)
            except subprocess.TimeoutExpired:
                raise ChildLimitError("timeout", bytes(buffers[out]), bytes(buffers[err])) from None
        except BaseException:
            _kill_group(process)
            raise
        finally:
            process.stdout.close()
            process.stderr.close()
    return Finished(bytes(buffers[out]), bytes(buffers[err]), code)


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        process.kill()
    process.wait()


def _run_windows(
    process: subprocess.Popen[bytes], timeout: float, max_stdout: int, max_stderr: int
) -> Finished:
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise ChildLimitError("timeout", b"", b"") from None
    if len(stdout) > max_stdout:
        raise ChildLimitError("stdout", b"", b"")
    if len(stderr) > max_stderr:
        raise ChildLimitError("stderr", b"", b"")
    return Finished(stdout, stderr, process.returncode)


def process_alive(pid: int) -> bool:
    """Running, and not a zombie waiting for a parent that does not reap it."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's: alive
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (macOS): what kill said
    return state != "Z"
