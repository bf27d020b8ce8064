"""``json.loads`` for the guard's payloads, without importing the :mod:`json` package.

The guard reads JSON payloads (a change batch, ``--cli-input-json``) on the path of every such
`aws` command, whose start-up is measured against Python's own; importing ``json`` (its decoder,
scanner and encoder modules and their expressions) is a noticeable part of it. The parsing here
is the standard library's own: its C scanner (``_json.make_scanner``), set up as
``json.JSONDecoder()`` sets it up, and the same rules around it (whitespace on both sides,
nothing after the value). Whenever that does not give a value (malformed text, a Python without
the C scanner), ``json.loads`` itself runs, so values and errors are always exactly its own.
"""

from __future__ import annotations

_WHITESPACE = " \t\n\r"  # json.decoder.WHITESPACE
_CONSTANTS = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}


class _Settings:
    """What the scanner reads from its decoder: json.JSONDecoder()'s defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = staticmethod(_CONSTANTS.__getitem__)


_scanner: object = None  # made on first use; False when there is no C scanner


def _scan() -> object:
    global _scanner
    if _scanner is None:
        try:
            from _json import make_scanner

            _scanner = make_scanner(_Settings())  # type: ignore[arg-type]
        except (ImportError, AttributeError, TypeError):
            _scanner = False
    return _scanner


def loads(text: str) -> object:
    """The value ``json.loads(text)`` returns, or the error it raises."""
    scan = _scan()
    if scan and isinstance(text, str) and not text.startswith("\ufeff"):
        start = len(text) - len(text.lstrip(_WHITESPACE))
        try:
            value, end = scan(text, start)  # type: ignore[operator]
        except (StopIteration, ValueError, RecursionError):
            pass  # json.loads below raises its own error
        else:
            if not text[end:].strip(_WHITESPACE):
                return value
    import json

    return json.loads(text)
