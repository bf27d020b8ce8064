"""``json.dumps(value, indent=2)`` for the guard's dry run, without importing :mod:`json`.

``guard --dry-run`` runs before commands typed in a shell and is measured against Python's own
start-up; importing ``json`` (decoder, scanner, encoder and their expressions) is about a tenth of
what the guard may add. Its answer is a small tree of dicts, lists, strings, integers, booleans
and None, written here exactly as ``json.dumps(..., indent=2)`` writes it; any other value, and
any string that ``json`` would escape, is handed to ``json`` itself, so the text is always the
same as the standard library's.
"""

from __future__ import annotations


def _string(text: str) -> str:
    # Printable ASCII but the quote and the backslash is written as is by json.dumps (which
    # escapes everything outside ' '..'~' by default): nearly every string of a dry run.
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    import json

    return json.dumps(text)


def _write(value: object, indent: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif type(value) is int:
        out.append(str(value))
    elif isinstance(value, dict) and all(isinstance(key, str) for key in value):
        if not value:
            out.append("{}")
            return
        inner = indent + "  "
        out.append("{")
        for position, (key, item) in enumerate(value.items()):
            out.append(("\n" if position == 0 else ",\n") + inner + _string(key) + ": ")
            _write(item, inner, out)
        out.append("\n" + indent + "}")
    elif isinstance(value, list):
        if not value:
            out.append("[]")
            return
        inner = indent + "  "
        out.append("[")
        for position, item in enumerate(value):
            out.append(("\n" if position == 0 else ",\n") + inner)
            _write(item, inner, out)
        out.append("\n" + indent + "]")
    else:  # floats, tuples, non-string keys...: the standard library's own text
        import json

        text = json.dumps(value, indent=2)
        out.append(text.replace("\n", "\n" + indent))


def dumps(value: object) -> str:
    """The same text as ``json.dumps(value, indent=2)``."""
    out: list[str] = []
    _write(value, "", out)
    return "".join(out)
