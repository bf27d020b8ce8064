"""Click-free handlers for the hot commands.

Each handler accepts only the exact, simple forms of its command and returns None for anything else,
so that click (with its help and error messages) handles every other case. Both paths call the same
core function and the same renderer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

Handler = Callable[[list[str]], "int | None"]

# (words of the command) -> handler; filled by modules as hot commands land.
_HANDLERS: dict[tuple[str, ...], Handler] = {}


def dispatch(argv: Sequence[str]) -> int | None:
    """Run a hot command without click, or return None to let click handle the line."""
    args = list(argv)
    for words, handler in _HANDLERS.items():
        if tuple(args[: len(words)]) == words:
            return handler(args[len(words) :])
    return None
