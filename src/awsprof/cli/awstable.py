"""The AWS CLI's ``--output table`` for a flat response, so awsprof's tables look like ``aws``'s.

Rules of the AWS CLI's table output (observed facts): keys sorted, each column as wide as its
longest cell plus 4, a 1-character border on each side, the title centred; the whole table at least
as wide as the title plus the borders (columns are scaled up proportionally to fill it); a
one-row table wider than the terminal (80 columns when stdout is not one) turns vertical, one
``key | value`` row per key.
"""

from __future__ import annotations

import os
import sys

PADDING = 4


def terminal_width() -> int:
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except (OSError, ValueError):
        return 80


def _scale(widths: list[int], total: int) -> list[int]:
    factor = total / float(sum(widths))
    scaled = [round(factor * width) for width in widths]
    off_by = sum(scaled) - total
    while off_by:
        order = range(len(scaled)) if off_by > 0 else reversed(range(len(scaled)))
        for index in order:
            scaled[index] += -1 if off_by > 0 else 1
            off_by += -1 if off_by > 0 else 1
            if not off_by:
                break
    return scaled


def _centre(text: str, length: int, left: str = "|") -> str:
    start = length // 2 - len(text) // 2 - 1
    head = left + " " * start + text
    return head + " " * (length - 1 - len(head)) + "|"


def _left(text: str, length: int, left: str) -> str:
    padding = 2 if length - (len(text) + 2 + len(left) + 1) >= 0 else 0
    head = left + " " * padding + text
    return head + " " * (length - len(head) - 1) + "|"


def _rule(widths: list[int]) -> str:
    return "+" + "-" * (widths[0] - 2) + "+" + "".join("-" * (w - 1) + "+" for w in widths[1:])


def render_table(title: str, data: dict[str, str], width_limit: int | None = None) -> str:
    keys = sorted(data)
    headers: list[str] = keys
    rows = [[data[key] for key in keys]]
    limit = terminal_width() if width_limit is None else width_limit
    if _width(title, headers, rows)[0] > limit:  # one row too wide for the terminal: vertical
        headers, rows = [], [[key, data[key]] for key in keys]
    return _render(title, headers, rows)


def render_rows(title: str, rows: list[list[str]]) -> str:
    """Rows without a header line (a list of values: one row each)."""
    return _render(title, [], rows)


def render_with_headers(title: str, headers: list[str], rows: list[list[str]]) -> str:
    """A header line, then the rows (a list of records)."""
    return _render(title, headers, rows)


def render_title(title: str) -> str:
    """The title block alone: what the AWS CLI's table shows for a single value."""
    width = len(title) + 2
    return "\n".join(["-" * width, _centre(title, width), _rule([width])]) + "\n"


def _width(title: str, headers: list[str], rows: list[list[str]]) -> tuple[int, list[int]]:
    columns = [headers, *rows] if headers else rows
    widths = [max(len(row[i]) for row in columns) + PADDING for i in range(len(columns[0]))]
    return max(len(title) + 2, sum(widths) + 2), widths


def _render(title: str, headers: list[str], rows: list[list[str]]) -> str:
    width, widths = _width(title, headers, rows)
    widths = _scale(widths, width)
    lines = ["-" * width, _centre(title, width)]
    if headers:
        lines.append(_rule(widths))
        cells = [
            _centre(h, w, "|" if i == 0 else "")
            for i, (h, w) in enumerate(zip(headers, widths, strict=True))
        ]
        lines.append("".join(cells))
    lines.append(_rule(widths))
    for row in rows:
        cells = [
            _left(c, w, "|" if i == 0 else "")
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("".join(cells))
    lines.append(_rule(widths))
    return "\n".join(lines) + "\n"
