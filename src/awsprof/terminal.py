"""Text from files made safe to show on a terminal.

A profile name or value read from a file may hold ESC, BEL, DEL, C1 controls or bidirectional
overrides, written there by hand or by another tool (awsprof refuses them on write). Printed raw,
they retitle the window, move the cursor, hide text or reorder it. Everything awsprof shows people
goes through here: each such character is shown as a visible escape (``\\x1b``, ``\\u202e``).

Data a program reads (``configure get``, ``list-profiles`` into a pipe) is left byte-exact; it is
escaped only when it goes to a terminal, as ``ls`` does with file names.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import TextIO

# C0 (but tab and newline, kept by messages), DEL, C1, and the invisible direction controls.
# None of them is printable (``str.isprintable``), so printable text, nearly all of it, skips
# the expressions; they are compiled on first use (start-up of the prompt and the guard).
_DIRECTION = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_IN_MESSAGES = f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_DIRECTION}]"
_IN_VALUES = f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_DIRECTION}]"


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """One value (a name, a setting): every control character, newline and tab included."""
    return text if text.isprintable() else re.sub(_IN_VALUES, _visible, text)


def escape_message(text: str) -> str:
    """A message for people: its own line breaks and tabs kept, every other control escaped."""
    return text if text.isprintable() else re.sub(_IN_MESSAGES, _visible, text)


def for_stream(text: str, stream: TextIO) -> str:
    """``text`` escaped when ``stream`` is a terminal, byte-exact for a program."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return escape_message(text) if tty else text
