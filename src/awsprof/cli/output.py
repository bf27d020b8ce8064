"""Writing data to stdout without importing click or rich (used by the hot commands)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from awsprof.terminal import escape_message, for_stream


def emit_lines(lines: Iterable[str]) -> None:
    """Data lines to stdout in one write (fast for tens of thousands of names); escaped only on
    a terminal (:mod:`awsprof.terminal`)."""
    text = "\n".join(lines)
    if text:
        sys.stdout.write(for_stream(text, sys.stdout) + "\n")


def warn(message: str) -> None:
    """A message for people (warnings, notes), on stderr; control characters escaped."""
    sys.stderr.write(f"awsprof: {escape_message(message)}\n")


def secret_prompt(text: str) -> str:
    """Ask for a secret or an MFA code without echo; the prompt goes to stderr."""
    import getpass

    return getpass.getpass(text, stream=sys.stderr).strip()


def mfa_prompt() -> Callable[[str], str] | None:
    """The MFA prompt when a person is at a terminal, else None (MFA profiles then fail clearly)."""
    return secret_prompt if sys.stdin.isatty() else None
