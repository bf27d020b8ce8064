"""One exception tree for the whole tool.

Every error carries the exit code of the command contract, a message for people and, where there is
one, a hint that says the fix. Messages never contain secrets or the text of a file's line (it may
hold a key); callers pass names, paths and line numbers only.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from pathlib import Path


class AwsprofError(Exception):
    """Base of every error awsprof raises on purpose."""

    exit_code = 1
    # Shown only with --debug (after masking), e.g. a credential_process's stderr: it may hold
    # secrets no pattern recognises, so it never reaches the normal message.
    debug_detail: str | None = None

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n{self.hint}"


class UsageError(AwsprofError):
    """The command line asks for something impossible (exit 2)."""

    exit_code = 2


class InvalidInputError(UsageError):
    """A name, key or value that cannot be written safely (newline, NUL, ...). Never echoes it."""


class ConfigFileError(AwsprofError):
    """A config or credentials file is malformed (exit 3). Names file and line, never the text."""

    exit_code = 3

    def __init__(
        self, path: Path | str, line: int | None, reason: str, hint: str | None = None
    ) -> None:
        from pathlib import Path  # only on this error path: pathlib costs the hot commands ~5 ms

        self.path = Path(path)
        self.line = line
        self.reason = reason
        where = f"{path}, line {line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {reason}", hint)


class FileWriteError(AwsprofError):
    """The system refused a write (disk full, read-only, permissions): the old file is intact."""

    exit_code = 1


class ProfileNotFoundError(AwsprofError):
    """The named profile does not exist in either file (exit 4)."""

    exit_code = 4

    def __init__(self, profile: str, hint: str | None = None) -> None:
        self.profile = profile
        super().__init__(f"The config profile ({profile}) could not be found", hint)


class ResolutionError(AwsprofError):
    """A profile exists but cannot be resolved: cycle, missing source, bad setting (exit 4)."""

    exit_code = 4


class LoginRequiredError(AwsprofError):
    """Login required or credentials expired (exit 5)."""

    exit_code = 5


class ServiceError(AwsprofError):
    """An AWS service (or the sandbox emulating one) refused or failed (exit 6)."""

    exit_code = 6


class GuardRefusedError(AwsprofError):
    """The guard refused to run a command (exit 7)."""

    exit_code = 7


class SandboxError(AwsprofError):
    """The local sandbox could not start, stop or be reached (exit 1 unless a subclass says so)."""

    exit_code = 1
