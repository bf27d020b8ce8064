"""Writing data to stdout without importing click or rich (used by the hot commands)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable

from awsprof.errors import UsageError
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


def end_of_input(prompt: str, hint: str) -> UsageError:
    """End of input where a person's answer was expected: a usage error (exit 2) that says how
    to answer without a prompt. Ctrl-C is not this: it stays an interrupt (130)."""
    what = prompt.strip().rstrip(":").strip() or "a prompt"
    return UsageError(f"end of input at the prompt '{what}': no answer was given", hint)


def read_answer(prompt: str, hint: str) -> str:
    """One line from stdin after ``prompt`` (on stderr); end of input: :func:`end_of_input`."""
    sys.stderr.write(prompt)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        sys.stderr.write("\n")
        raise end_of_input(prompt, hint)
    return line.strip()


def secret_prompt(text: str, hint: str = "Type the answer at the prompt.") -> str:
    """Ask for a secret or an MFA code without echo; the prompt goes to stderr."""
    import getpass

    try:
        return getpass.getpass(text, stream=sys.stderr).strip()
    except EOFError:
        sys.stderr.write("\n")
        raise end_of_input(text, hint) from None


def mfa_prompt() -> Callable[[str], str] | None:
    """The MFA prompt when a person is at a terminal, else None (MFA profiles then fail clearly)."""
    if not sys.stdin.isatty():
        return None

    def ask(text: str) -> str:
        return secret_prompt(text, "Type the code from the MFA device (Ctrl-C cancels).")

    return ask


def show_agent_login(prompt: dict[str, object]) -> None:
    """The login the agent runs for this command: what the person opens (stderr, escaped)."""
    session, url, code = prompt.get("session"), prompt.get("url"), prompt.get("code")
    if code:
        warn(f"the agent is logging in to {session}: open {url} on any device and enter {code}")
    else:
        warn(f"the agent is logging in to {session}: open {url} in a browser on this machine")
