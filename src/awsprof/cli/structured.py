"""``--query`` and ``--output json|text|table`` for commands with structured output, as the AWS
CLI has them (no click, no rich: whoami runs on the fast path).

The query is JMESPath (the ``jmespath`` package botocore depends on), imported only when a query
is given. The text form follows the AWS CLI's text output rules (observed facts):

- a scalar is printed as Python prints it (``None``, ``True``);
- a mapping's scalar values make one tab-separated line in sorted key order; each list or mapping
  value follows, labelled with its key in capitals;
- the mappings of a list share one set of columns (every scalar key of any of them, sorted; an
  absent key is an empty cell);
- a list of scalars is one tab-separated line, or one ``LABEL<TAB>value`` line per item under a
  label.

The table form covers flat shapes: a mapping of scalars (one key: a ``key | value`` row), a list
of scalars or of equally long lists of scalars, a list of mappings of scalars (a header of every
key, sorted) and a scalar (which the AWS CLI's table shows as its title alone, and not at all when
it is false or empty). Nested shapes (the AWS CLI's indented sub-tables) are refused with a usage
error naming json and text.
"""

from __future__ import annotations

import json

from awsprof.cli.spec import OUTPUTS
from awsprof.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


def check_query(query: str | None) -> Any:
    """The compiled query (a usage error when it is not JMESPath), or None without one.

    Checked before any work, as the AWS CLI checks it while parsing its arguments.
    """
    if query is None:
        return None
    import jmespath
    from jmespath.exceptions import JMESPathError

    try:
        return jmespath.compile(query)
    except JMESPathError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else "invalid"
        raise UsageError(
            f"bad value for --query {query!r}: {first}",
            "--query takes a JMESPath expression, e.g. --query Account (https://jmespath.org).",
        ) from None


OUTPUT_VARIABLE = "AWS_DEFAULT_OUTPUT"


def chosen_output(
    flag: str | None, environ: Mapping[str, str], setting: str | None, profile: str
) -> str:
    """The output format as the AWS CLI picks it: ``--output``, then ``AWS_DEFAULT_OUTPUT``,
    then the profile's ``output`` setting, then json."""
    if flag:
        return flag
    for value, where in (
        (environ.get(OUTPUT_VARIABLE), OUTPUT_VARIABLE),
        (setting, f"output of profile '{profile}'"),
    ):
        if value:
            if value not in OUTPUTS:
                raise UsageError(
                    f"{where} is '{value}', not one of {', '.join(OUTPUTS)}",
                    "Set it to json, text or table, or pass --output.",
                )
            return value
    return "json"


def render(data: Any, output: str, title: str, query: Any = None) -> str:
    """``data`` (JSON-like) after the compiled ``query``, in the AWS CLI's ``output`` form."""
    if query is not None:
        data = query.search(data)
    if output == "text":
        return text(data)
    if output == "table":
        return table(title, data)
    if data == {}:  # the AWS CLI prints nothing for an empty response
        return ""
    return json.dumps(data, indent=4, ensure_ascii=False) + "\n"


def write_queried(data: Any, output: str | None, title: str, query: str | None) -> bool:
    """For commands with their own text form: with ``--query``, print ``data`` (their JSON
    form) queried, in the AWS CLI's ``output`` form (json by default), and return True."""
    if query is None:
        return False
    import sys

    sys.stdout.write(render(data, output or "json", title, check_query(query)))
    return True


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def text(data: Any) -> str:
    lines: list[str] = []
    _text(data, None, None, lines)
    return "".join(line + "\n" for line in lines)


def _text(item: Any, label: str | None, columns: list[str] | None, lines: list[str]) -> None:
    if isinstance(item, dict):
        _text_mapping(item, label, columns, lines)
    elif isinstance(item, list):
        _text_list(item, label, lines)
    else:
        lines.append(str(item))


def _text_mapping(
    item: dict[str, Any], label: str | None, columns: list[str] | None, lines: list[str]
) -> None:
    if columns is None:
        cells = [str(item[key]) for key in sorted(item) if _is_scalar(item[key])]
        nested = [key for key in sorted(item) if not _is_scalar(item[key])]
    else:
        cells = [str(item.get(key, "")) for key in columns]
        nested = sorted(set(item) - set(columns))
    if cells:
        lines.append("\t".join(([label.upper()] if label is not None else []) + cells))
    for key in nested:
        _text(item[key], key, None, lines)


def _text_list(items: list[Any], label: str | None, lines: list[str]) -> None:
    if not items:
        return
    if any(isinstance(element, dict) for element in items):
        columns = sorted(
            {
                key
                for element in items
                if isinstance(element, dict)
                for key, value in element.items()
                if _is_scalar(value)
            }
        )
        for element in items:
            _text(element, label, columns, lines)
        return
    scalars = [element for element in items if _is_scalar(element)]
    if scalars:
        if label is not None:
            lines.extend(f"{label.upper()}\t{element}" for element in scalars)
        else:
            lines.append("\t".join(str(element) for element in scalars))
    for element in items:
        if not _is_scalar(element):
            _text(element, label, None, lines)


def table(title: str, data: Any) -> str:
    from awsprof.cli.awstable import render_rows, render_table, render_title, render_with_headers

    if not data:  # the AWS CLI's table shows nothing for null, false, 0, "", [] and {}
        return ""
    if _is_scalar(data):
        return render_title(title)
    if isinstance(data, dict) and all(_is_scalar(value) for value in data.values()):
        if len(data) == 1:  # one key: a `key | value` row, no header
            return render_rows(title, [[str(key), str(value)] for key, value in data.items()])
        return render_table(title, {key: str(value) for key, value in data.items()})
    if isinstance(data, list) and all(_is_scalar(value) for value in data):
        return render_rows(title, [[str(value)] for value in data])
    rows_alike = isinstance(data, list) and len({len(r) for r in data if isinstance(r, list)}) == 1
    if rows_alike and all(_is_flat_list(row) for row in data):
        return render_rows(title, [[str(value) for value in row] for row in data])
    if isinstance(data, list) and all(_is_flat_mapping(row) for row in data):
        headers = sorted({key for row in data for key in row})
        rows = [[str(row.get(key, "")) for key in headers] for row in data]
        return render_with_headers(title, headers, rows)
    raise UsageError(
        "--output table shows a flat result only (records of values, a list of values or one "
        "value)",
        "Use --output json or --output text, or narrow the result with --query.",
    )


def _is_flat_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_scalar(v) for v in value)


def _is_flat_mapping(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and all(_is_scalar(v) for v in value.values())
