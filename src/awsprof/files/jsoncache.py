"""The JSON caches shared with the AWS CLI and boto3 (``~/.aws/cli/cache``, ``~/.aws/sso/cache``).

Same directories, file names and JSON as the AWS CLI, so credentials cached by one are used by the
other. Unlike the AWS CLI, entries are written atomically (temporary file + rename, 0600, in a 0700
directory), a corrupt or truncated entry is a cache miss that is reported and then replaced, and a
per-entry lock lets many processes share one refresh instead of each calling AWS.

A cache directory that cannot be used (not writable, a file in its place, a read-only disk) never
fails a command: awsprof carries on without caching, and says so once per directory.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Callable, Iterable, Iterator
from json.encoder import encode_basestring_ascii as _quoted  # json's own string escaping
from pathlib import Path

from awsprof.errors import FileWriteError
from awsprof.files import regular
from awsprof.files.atomic import FILE_MODE, ensure_dir
from awsprof.hashing import sha1_hex, sha1_hex_each

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

Report = Callable[[str], None]

# A cache entry larger than this is not credentials: treat it as corrupt rather than parse it.
MAX_ENTRY_BYTES = 1 << 20


def sha1_key(text: str) -> str:
    return sha1_hex(text.encode("utf-8"))  # the AWS CLI's file names


def assume_role_key(arguments: dict[str, Any]) -> str:
    """File name stem of the AWS CLI's assume-role cache for these AssumeRole arguments."""
    digest = sha1_key(json.dumps(arguments, sort_keys=True))
    return digest.replace(":", "_").replace("/", "_")


def sso_role_key(account_id: str, role_name: str, session_name: str | None, start_url: str) -> str:
    """File name stem of the AWS CLI's SSO role-credential cache."""
    return sso_role_keys(session_name, start_url, [(account_id, role_name)])[0]


def sso_role_keys(
    session_name: str | None, start_url: str, roles: Iterable[tuple[str, str]]
) -> list[str]:
    """:func:`sso_role_key` of each (account, role) of one session: the SHA-1 of
    ``json.dumps(arguments, sort_keys=True, separators=(",", ":"))``, written out here with
    json's own string escaping (``sso sessions`` computes one key per profile, 100,000 in a
    generated config, and the encoder's generic walk was most of that command's time)."""
    tail = (
        f'"sessionName":{_quoted(session_name)}}}'
        if session_name
        else f'"startUrl":{_quoted(start_url)}}}'
    )
    roles = list(roles)
    quoted = {name: _quoted(name) for name in {role for _, role in roles}}  # a handful
    texts = [  # ASCII: json's escaping leaves nothing else
        f'{{"accountId":{_quoted(account)},"roleName":{quoted[role]},{tail}'.encode()
        for account, role in roles
    ]
    return sha1_hex_each(texts)


_default_report: list[Report] = []  # set by the command line: where a cache's warnings go
_warned: set[str] = set()  # directories already reported unusable by this process


def report_warnings_to(report: Report) -> None:
    """Where caches made without their own ``report`` send warnings (the command line's)."""
    _default_report[:] = [report]


def _save_error(path: Path, error: OSError) -> FileWriteError:
    return FileWriteError(
        f"could not save {path}: {error.strerror or type(error).__name__}",
        f"Make {path.parent} a writable directory, then run the command again.",
    )


class JsonCache:
    """One cache directory of ``KEY.json`` files."""

    def __init__(self, directory: Path, report: Report | None = None) -> None:
        self.directory = directory
        self._own_report = report

    def _report(self, message: str) -> None:
        for report in [self._own_report] if self._own_report else _default_report:
            report(message)

    def _unusable(self, error: OSError) -> None:
        """Warn once per directory that caching is off; the command goes on without it."""
        if str(self.directory) in _warned:
            return
        _warned.add(str(self.directory))
        reason = error.strerror or type(error).__name__
        self._report(
            f"cannot use the cache directory {self.directory} ({reason}); continuing without "
            "caching"
        )

    def _directory_unusable(self) -> bool:
        return self.directory.exists() and not (
            self.directory.is_dir() and os.access(self.directory, os.R_OK | os.X_OK)
        )

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        """The entry, or None when missing or unreadable (reported, so a person can see why)."""
        path = self.path(key)
        try:
            data = regular.read_bytes(path, MAX_ENTRY_BYTES)  # a FIFO is refused, not waited on
        except FileNotFoundError:
            return None
        except OSError as error:
            if error.errno == errno.ENOTDIR or self._directory_unusable():
                self._unusable(error)
                return None
            why = error.strerror or f"{getattr(error, 'kind', 'not a regular file')}"
            self._report(f"cache entry {path} cannot be read ({why}); ignoring it")
            return None
        if len(data) > MAX_ENTRY_BYTES:
            self._report(f"cache entry {path} is too large to be credentials; ignoring it")
            return None
        try:
            value = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            self._report(f"cache entry {path} is corrupt (not JSON); it will be replaced")
            return None
        if not isinstance(value, dict):
            self._report(f"cache entry {path} is not a JSON object; it will be replaced")
            return None
        return value

    def put(
        self,
        key: str,
        value: dict[str, Any],
        required: bool = False,
        separators: tuple[str, str] = (",", ":"),
    ) -> None:
        """Write an entry atomically; a symlink planted at a temporary name is never followed.

        A cache entry that cannot be written is skipped with a warning, unless ``required`` (an
        SSO token is the login itself): then the failure is an error that says where and why.
        ``separators``: the login cache keeps botocore's ``json.dumps`` defaults.
        """
        import tempfile

        data = json.dumps(value, indent=None, separators=separators).encode("utf-8")
        try:
            ensure_dir(self.directory)
            fd, temporary = tempfile.mkstemp(prefix=f".{key}.", suffix=".tmp", dir=self.directory)
        except OSError as error:
            if required:
                raise _save_error(self.path(key), error) from None
            self._unusable(error)
            return
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                os.fchmod(handle.fileno(), FILE_MODE)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path(key))
        except BaseException as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            if not isinstance(error, OSError):
                raise
            if required:
                raise _save_error(self.path(key), error) from None
            self._unusable(error)  # a full or read-only disk: the entry is simply not kept

    def delete(self, key: str) -> bool:
        try:
            os.unlink(self.path(key))
        except FileNotFoundError:
            return False
        return True

    @contextlib.contextmanager
    def lock(self, key: str, timeout: float = 300.0) -> Iterator[None]:
        """Cross-process lock of one entry: the holder refreshes it, the others wait and re-read."""
        import filelock

        lock = filelock.FileLock(str(self.directory / f".{key}.lock"), timeout=timeout, mode=0o600)
        try:
            ensure_dir(self.directory)
            lock.acquire()
        except filelock.Timeout:
            raise  # another process holds it: not an unusable directory
        except OSError as error:
            # No lock without a directory: each process refreshes for itself, as the AWS CLI does.
            self._unusable(error)
            yield
            return
        try:
            yield
        finally:
            lock.release()
