"""Read an AWS INI file exactly as botocore does, remembering where each section and key is.

botocore reads both files with ``configparser.RawConfigParser`` (strict mode, ``=`` and ``:``
delimiters, full-line ``#``/``;`` comments only, indented continuation lines, lower-cased keys, a
``[DEFAULT]`` section inherited by all others) and then turns values that start with a newline into
one level of nested keys. This module reproduces those rules line for line so that awsprof reads the
same names and values, rejects the same files, and can point at the line of every setting.

It is written for speed as much as for exactness: organisations generate files with tens of
thousands of profiles, and ``configure list-profiles`` must answer in tens of milliseconds. A file
made only of plain lines (nearly every real one) is validated on the whole buffer at once
(:func:`plain_index`: compiled expressions and string methods, no Python loop per line); lines
that start in column 0 take a short path; only indented or unusual lines go through the general
rules, which decide whenever a faster path declines.
"""

from __future__ import annotations

import re

# The patterns configparser uses for headers and options (facts of its format, written here).
# (Only the header's is compiled at import; the others, needed by few files, on first use
# through ``re``'s cache: every compiled expression is start-up time of the prompt and the guard.)
_HEADER = re.compile(r"\[(?P<header>.+)\]")
_NONSPACE = r"\S"
# Universal newlines as Python's text files see them: only \r\n, \r and \n end a line.
_LINE_BREAK = r"\r\n|\r|\n"

DEFAULT_SECTION = "DEFAULT"
BOM = "\ufeff"


class IniSyntaxError(Exception):
    """A file botocore would refuse; ``line`` is 1-based. The reason never quotes the line."""

    def __init__(self, line: int, reason: str, hint: str | None = None) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line
        self.reason = reason
        self.hint = hint


class Option:
    """One key of a section. ``parts`` are its stripped value lines, as configparser keeps them.

    (Plain classes rather than dataclasses here: this module is on every hot path, and
    generating dataclass methods costs start-up time.)
    """

    __slots__ = ("indent", "key", "last_line", "line", "parts")

    def __init__(self, key: str, line: int, last_line: int, indent: int, parts: list[str]) -> None:
        self.key = key  # lower-cased, as botocore sees it
        self.line = line  # 1-based line of ``key = value``
        self.last_line = last_line  # last line of its value (continuation lines included)
        self.indent = indent  # column of the key
        self.parts = parts

    @property
    def raw(self) -> str:
        """The value as configparser returns it (continuation lines joined with newlines)."""
        parts = self.parts
        return parts[0] if len(parts) == 1 else "\n".join(parts).rstrip()

    @property
    def value(self) -> str | dict[str, str]:
        """The value as botocore returns it: a string, or a dict for a nested sub-section."""
        raw = self.raw
        return parse_nested(raw, self.line) if raw.startswith("\n") else raw


class Section:
    """One ``[header]`` and the keys under it."""

    __slots__ = ("last_line", "line", "name", "options")

    def __init__(self, name: str, line: int, last_line: int, options: dict[str, Option]) -> None:
        self.name = name  # the text between the brackets, as configparser sees it
        self.line = line  # 1-based line of the header
        self.last_line = last_line  # last line that belongs to it (before the next header)
        self.options = options


class IniFile:
    """The parsed file: sections in file order (``[DEFAULT]`` kept apart) and any syntax error."""

    __slots__ = ("defaults", "error", "line_count", "partial", "plain", "sections")

    def __init__(
        self,
        sections: list[Section],
        defaults: dict[str, Option],
        error: IniSyntaxError | None,
        line_count: int,
        partial: bool = False,
        plain: bool = False,
    ) -> None:
        self.sections = sections
        self.defaults = defaults
        self.error = error
        self.line_count = line_count
        # True when only the sections asked for (``keep``) are listed; the file was still
        # validated whole.
        self.partial = partial
        self.plain = plain  # a valid file of plain lines only (see plain_index), read whole

    def raise_if_invalid(self) -> None:
        if self.error is not None:
            raise self.error

    def values(self, section: Section) -> dict[str, str | dict[str, str]]:
        """Keys and values of ``section`` as botocore returns them, ``[DEFAULT]`` keys included."""
        result = {key: option.value for key, option in section.options.items()}
        for key, option in self.defaults.items():
            if key not in result:
                result[key] = option.value
        return result


def parse_nested(raw: str, line: int) -> dict[str, str]:
    """botocore's one level of nesting: ``k = v`` lines (keys keep their case)."""
    nested: dict[str, str] = {}
    for offset, entry in enumerate(raw.splitlines()):
        if not entry.strip():
            continue
        key, sep, value = entry.partition("=")
        if not sep:
            raise IniSyntaxError(
                line + offset,
                "an indented line under a nested key has no '='",
                "Write nested settings as '    key = value', indented under the parent key.",
            )
        nested[key.strip()] = value.strip()
    return nested


def split_lines(text: str) -> list[str]:
    """Lines without their endings, split as Python's universal newlines split them."""
    lines = text.split("\n") if "\r" not in text else re.split(_LINE_BREAK, text)
    if lines and lines[-1] == "":
        lines.pop()  # the text ended with a line break: no further line
    return lines


def parse(text: str, keep: str | None = None) -> IniFile:
    """Parse ``text`` with configparser's rules.

    ``keep`` limits which sections keep their options: only those whose header contains it, or
    holds quotes or backslashes that botocore's shell-like split removes (the hot commands need
    one profile's values but must still validate the whole file). ``None`` keeps every section.
    """
    fast = plain_index(text)
    if fast is not None:
        return parse_plain(text) if keep is None else parse_validated(text, fast, keep)
    lines = split_lines(text)
    if keep is not None:
        headers = _plain_headers(lines)
        if headers is not None:
            return _parse_plain(lines, headers, keep)
    return _Scanner(keep).run(lines)


# Whitespace as str.isspace() sees it: a line starting with one of these is indented.
_WHITESPACE = frozenset(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _keeps(keep: str, header: str) -> bool:
    """Whether a section may name ``keep``: ``[profile 'it'"'"'s']`` names ``it's``."""
    return keep in header or "'" in header or '"' in header or "\\" in header


def _plain_headers(lines: list[str]) -> list[str] | None:
    """The header lines of a file made only of plain lines, or None when any line is not plain.

    Plain lines start in column 0 and are blank, a comment, a ``[header]`` or ``key = value``
    with no ``:`` in the key. In such a file no line can continue another, so validating it needs
    only the headers and each section's keys; it is the shape of nearly every real file, and this
    loop is several times faster than the general one. Anything else (and any error) returns None
    so the general scanner decides, with the same result.
    """
    headers: list[str] = []
    keys: list[str] = []
    groups: list[list[str]] = []
    whitespace = _WHITESPACE
    for line in lines:
        if not line:
            continue
        first = line[0]
        if first == "[":
            headers.append(line)
            keys = []
            groups.append(keys)
        elif first == "#" or first == ";":
            continue
        elif first in whitespace:
            return None
        else:
            cut = line.find("=")
            key = line[:cut]
            if cut <= 0 or ":" in key or not groups:
                return None
            keys.append(key)
    for keys in groups:
        if len(set(map(str.lower, map(str.rstrip, keys)))) != len(keys):
            return None
    names = set()
    for header in headers:
        end = header.rfind("]")
        name = header[1:end]
        if end < 2 or name == DEFAULT_SECTION or name in names:
            return None
        names.add(name)
    return headers


# Whole-buffer forms of the plain rules (see plain_index).
_VALUES = "=.*"  # a line's text from its first '=' on ('.' stops at a line end)
_HEADER_LINES = r"\n\[.*"
_HEADER_NAMES = r"\n\[(.*)\]"  # greedy: up to the last ']' of the line, as rfind


def plain_index(text: str) -> list[str] | None:
    """The section names of a plain file, validated on the whole buffer.

    The same rules as :func:`_plain_headers` (and the same answer: None whenever a line is not
    plain or a rule fails, and the general scanner decides), but without a Python loop per line.
    Sections of a generated file come in a handful of shapes (the same keys, comments and blank
    lines in the same order; only names and values differ), and a section's validity depends on
    its shape alone. So each new shape is checked once with the per-line rules and becomes an
    expression; one ``match`` of all known shapes then runs over the text, stopping only at a
    section of a shape not seen yet (:func:`_sections_plain`). A file of too many shapes is
    checked section skeleton by section skeleton instead (:func:`_skeletons_plain`). Names come
    from one ``findall``.
    """
    if "\r" in text:
        return None  # other line ends: the line-based path splits them exactly
    # Every header line now follows a "\n", and every line ends with one (one copy of the text).
    padded = "\n" + text if not text or text.endswith("\n") else "\n" + text + "\n"
    first = padded.find("\n[")
    if any(map(_has_key_line, padded[: None if first < 0 else first].split("\n"))):
        return None  # a setting before any header (or a line that is not plain)
    if first >= 0:
        plain = _sections_plain(padded, first + 1)
        if plain is None:
            plain = _skeletons_plain(padded)
        if not plain:
            return None
    names = re.findall(_HEADER_NAMES, padded)
    unique = set(names)
    if len(names) != padded.count("\n[") or len(unique) != len(names):
        return None  # a '[' line without ']', or a section twice
    if "" in unique or DEFAULT_SECTION in unique:
        return None
    return names


MAX_SHAPES = 48


def _sections_plain(body: str, position: int = 0) -> bool | None:
    """Whether every section of ``body`` from ``position`` (its first header) on is plain
    (``body`` ends with a line break); None when it has more than ``MAX_SHAPES`` shapes."""
    shapes: list[str] = []
    pattern: re.Pattern[str] | None = None
    while True:
        if pattern is not None:
            position = pattern.match(body, position).end()  # type: ignore[union-attr]
        if position >= len(body):
            return True
        if len(shapes) == MAX_SHAPES:
            return None
        # A section of a new shape starts here (always at a header: every shape ends at one).
        end = body.find("\n[", position)
        lines = body[position : len(body) if end < 0 else end + 1].split("\n")[1:-1]
        if not _plain_skeleton("\n" + "\n".join(lines)):
            return False
        shapes.append(_shape(lines))
        pattern = re.compile("(?:" + "|".join(shapes) + ")*")


def _shape(lines: list[str]) -> str:
    """An expression for sections of these lines' shape: any header, then the same blank,
    comment and key lines (each key written exactly so, any value), up to the next header."""
    parts = [r"\[[^\n]*\n"]
    for line in lines:
        if not line:
            parts.append(r"\n")
        elif line[0] in "#;":
            parts.append(r"[#;][^\n]*\n")
        else:
            parts.append(re.escape(line[: line.find("=")]) + r"=[^\n]*\n")
    return "".join(parts) + r"(?=\[|\Z)"


def _skeletons_plain(padded: str) -> bool:
    """Whether every section is plain, for a file of many shapes: one substitution cuts every
    value, one turns every header into ``[``, and each distinct section skeleton left is checked
    with the per-line rules."""
    parts = re.sub(_HEADER_LINES, "\n[", re.sub(_VALUES, "=", padded)).split("\n[")
    return all(map(_plain_skeleton, set(parts[1:])))


def _has_key_line(line: str) -> bool:
    """A preamble line that is not blank and not a comment (so not plain before any header)."""
    return bool(line) and line[0] not in "#;"


def _plain_skeleton(skeleton: str) -> bool:
    """Whether one section's lines after its header (values cut off) are plain: the loop of
    :func:`_plain_headers` for one section."""
    keys = []
    whitespace = _WHITESPACE
    for line in skeleton.split("\n")[1:]:
        if not line:
            continue
        first = line[0]
        if first == "#" or first == ";":
            continue
        if first in whitespace:
            return False
        cut = line.find("=")
        key = line[:cut]
        if cut <= 0 or ":" in key:
            return False
        keys.append(key)
    return len(set(map(str.lower, map(str.rstrip, keys)))) == len(keys)


def parse_validated(text: str, names: list[str], keep: str) -> IniFile:
    """:func:`parse` for a plain file already validated whole (``names`` are its sections).

    Only the sections that may name ``keep`` are found, by their header line, and read; the rest
    of the text is never split into lines.
    """
    if "\r" in text:
        return _Scanner(keep).run(split_lines(text))  # line ends the search below does not know
    sections = sections_at("\n" + text, _kept(names, keep))
    if sections is None:  # pragma: no cover - the names come from this very text
        return _Scanner(keep).run(split_lines(text))
    line_count = text.count("\n") + (0 if not text or text.endswith("\n") else 1)
    return IniFile(sections, {}, None, line_count, partial=True)


def sections_at(padded: str, names: list[str]) -> list[Section] | None:
    """The sections ``names`` (in file order) of a valid plain file without "\r", given as
    ``padded``: its text after a "\n" (so every header line follows one). Each is found by its
    header line and read alone; None if one is missing."""
    sections: list[Section] = []
    cursor = 0  # sections are found in file order, each after the one before
    number = 0  # the line number of the "\n" at cursor (the padding is line 0)
    for name in names:
        needle = "\n[" + name + "]"
        at = padded.find(needle, cursor)
        while at >= 0:
            line_end = padded.find("\n", at + 1)
            if (
                padded.rfind("]", at, len(padded) if line_end < 0 else line_end)
                == at + len(needle) - 1
            ):
                break  # this line's last ']' closes the name: its header
            at = padded.find(needle, at + 1)
        if at < 0:
            return None
        number += padded.count("\n", cursor, at + 1)
        end = padded.find("\n[", at + 1)
        lines = split_lines(padded[at + 1 : None if end < 0 else end + 1])  # its blank lines too
        sections.append(_Scanner(None).run(lines, number).sections[0])
        cursor = at + 1
    return sections


def parse_plain(text: str) -> IniFile:
    """:func:`parse` of every section of a plain file already validated whole (by
    :func:`plain_index` or the index): the general scanner's answer, option for option, without
    its checks. In such a file every line is blank, a comment, a header or ``key = value`` in
    column 0, with unique names and keys, so no line can continue, fail or repeat another."""
    lines = split_lines(text)
    sections: list[Section] = []
    section: Section | None = None
    options: dict[str, Option] = {}
    option: Option | None = None
    for lineno, line in enumerate(lines, 1):
        if not line:
            if option is not None:
                option.parts.append("")  # as the scanner keeps blank lines after a value
            continue
        first = line[0]
        if first == "[":
            if section is not None:
                section.last_line = lineno - 1
            options = {}
            section = Section(line[1 : line.rfind("]")], lineno, lineno, options)
            sections.append(section)
            option = None
        elif first != "#" and first != ";":
            cut = line.find("=")
            key = line[:cut].rstrip().lower()
            option = Option(key, lineno, lineno, 0, [line[cut + 1 :].strip()])
            options[key] = option
    if section is not None:
        section.last_line = max(section.last_line, len(lines))
    return IniFile(sections, {}, None, len(lines), plain=True)


# ASCII whitespace as str.strip() sees it, but for the line ends a plain file splits on.
_BLANK = "[\t\x0b\x0c\x1c-\x1f ]"
_NOT_BLANK = "[^\t\x0b\x0c\x1c-\x1f \n]"
# Where a value ends, for the expressions of :func:`plain_headers_where`: after its trailing
# blanks, at the end of its line in a file's text or at the end of a stripped value.
VALUE_END = rf"{_BLANK}*(?:\n|\Z)"


def plain_header_at(padded: str, at: int) -> str:
    """The name of the section a key line belongs to, in ``padded`` (a plain file's text after
    a "\n"; the line's "\n" at ``at``): in a plain file only header lines start with "["."""
    start = padded.rfind("\n[", 0, at + 1)
    header = padded[start + 1 : padded.find("\n", start + 1)]  # a key line follows
    return header[1 : header.rfind("]")]


def plain_columns(text: str, keys: tuple[str, ...]) -> dict[str, list[str | None]] | None:
    """Header -> the values of ``keys`` (lower case; None: unset) in every section of a valid
    plain file, as :func:`parse_plain` would give them, found by one expression over the buffer
    instead of building every section; None when the text is not ASCII (case folding and
    whitespace beyond ASCII are left to the parser).

    In a plain file a key line is ``key = value`` in column 0 and nothing continues it, so its
    value is the rest of the line, stripped, and its key is what comes before the first ``=``,
    stripped on the right and lower-cased. Every line follows a "\n" (a literal start lets
    the expression engine skip ahead quickly).
    """
    if not text.isascii() or "\r" in text:
        return None
    import re

    alternatives = "|".join(re.escape(key) for key in keys)
    found = re.findall(
        rf"\n(?:\[(.*)\][^\]\n]*|({alternatives}){_BLANK}*={_BLANK}*"
        rf"((?:[^\n]*{_NOT_BLANK})?){_BLANK}*(?=\n|\Z))",
        "\n" + text,
        re.IGNORECASE | re.ASCII,
    )
    position = {key: index for index, key in enumerate(keys)}
    position.update((key.upper(), index) for index, key in enumerate(keys))
    unset: list[str | None] = [None] * len(keys)
    columns: dict[str, list[str | None]] = {}
    row = unset
    for header, key, value in found:
        if not key:
            row = columns[header] = unset.copy()
        elif key in position:
            row[position[key]] = value
        else:
            row[position[key.lower()]] = value
    return columns


def plain_headers_where(text: str, keys: tuple[str, ...], value: str | None) -> set[str] | None:
    """The headers of the sections of a valid plain file with a line for one of ``keys``
    (lower case) whose value ``value`` matches whole (any value when None), found by one
    search over the text; None when the text is not ASCII (read its sections then)."""
    if not text.isascii() or "\r" in text:
        return None
    import re

    # Keys match in any case (configparser lower-cases them); values exactly.
    written = "|".join(
        "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in key)
        for key in keys
    )
    wanted = "[^\n]*" if value is None else value
    padded = "\n" + text
    # The value starts after every blank (a lookahead pins it: no backtracking into them).
    pattern = (
        rf"\n(?:{written}){_BLANK}*={_BLANK}*(?={_NOT_BLANK}|\n|\Z)(?:{wanted})(?={VALUE_END})"
    )
    return {plain_header_at(padded, match.start()) for match in re.finditer(pattern, padded)}


def parse_sections(parts: list[tuple[str, int]]) -> IniFile:
    """The sections of a plain file validated whole, each given as (its text from its header
    line on, the number of that line): :func:`parse_validated` for sections found elsewhere
    (:mod:`awsprof.files.sectionmap`)."""
    sections = [_Scanner(None).run(split_lines(text), line).sections[0] for text, line in parts]
    return IniFile(sections, {}, None, 0, partial=True)


def _kept(names: list[str], keep: str) -> list[str]:
    """The names that may name ``keep`` (see :func:`_keeps`), in order, found in one string."""
    joined = "\n".join(names)
    if not keep or "\n" in keep or "'" in joined or '"' in joined or "\\" in joined:
        return [name for name in names if _keeps(keep, name)]
    found = []
    at = joined.find(keep)
    while at >= 0:
        start = joined.rfind("\n", 0, at) + 1
        end = joined.find("\n", at)
        end = len(joined) if end < 0 else end
        found.append(joined[start:end])
        at = joined.find(keep, end)
    return found


def _parse_plain(lines: list[str], headers: list[str], keep: str) -> IniFile:
    """The sections of a valid plain file whose name contains ``keep``, with their options."""
    sections: list[Section] = []
    index = -1
    for position, header in enumerate(headers):
        if not _keeps(keep, header):
            continue
        index = lines.index(header, index + 1)
        end = lines.index(headers[position + 1], index + 1) if position + 1 < len(headers) else None
        scanned = _Scanner(None).run(lines[index:end], index + 1)
        sections.append(scanned.sections[0])
    return IniFile(sections, {}, None, len(lines), partial=True)


def header_names(text: str, plain: list[bool] | None = None) -> list[str] | IniSyntaxError:
    """Every section name in file order (``[DEFAULT]`` excluded), or the file's syntax error.

    ``plain`` (when given) receives True for a plain file, which :func:`parse_validated` can
    read from its names alone, so the caller can remember it (:mod:`awsprof.files.index`).
    """
    fast = plain_index(text)
    if fast is not None:
        if plain is not None:
            plain.append(True)
        return fast
    lines = split_lines(text)
    headers = _plain_headers(lines)
    if headers is not None:
        if plain is not None:
            plain.append(True)
        return [header[1 : header.rfind("]")] for header in headers]
    parsed = _Scanner(None).run(lines)
    if parsed.error is not None:
        return parsed.error
    return [s.name for s in parsed.sections if s.name != DEFAULT_SECTION]


class _Scanner:
    """configparser's reading loop, with every line's position remembered."""

    __slots__ = (
        "defaults",
        "defaults_errors",
        "discard",
        "error",
        "indent_level",
        "keep",
        "names",
        "option",
        "section",
        "sections",
        "seen",
    )

    def __init__(self, keep: str | None) -> None:
        self.keep = keep
        self.sections: list[Section] = []
        self.defaults: dict[str, Option] = {}
        self.names: set[str] = set()
        self.section: Section | None = None  # the section that keys go to
        self.seen: set[str] | None = None  # keys already in the current section
        self.option: Option | None = None  # the key that continuation lines extend
        self.indent_level = 0
        self.error: IniSyntaxError | None = None
        self.defaults_errors: dict[str, IniSyntaxError] = {}
        self.discard = Option("", 0, 0, 0, [""])

    def run(self, lines: list[str], first_line: int = 1) -> IniFile:
        if first_line == 1 and lines and lines[0].startswith(BOM):
            self._fail(
                IniSyntaxError(
                    1,
                    "the file starts with a UTF-8 byte-order mark, which the AWS CLI cannot read",
                    "Save the file as UTF-8 without a BOM (`awsprof doctor --fix` does it).",
                )
            )
        lineno = first_line - 1
        try:
            for lineno, line in enumerate(lines, first_line):
                if not line:
                    option = self.option
                    if option is not None:
                        option.parts.append("")
                    continue
                first = line[0]
                if first == "[":
                    self._header(line.rstrip(), lineno)
                elif first == "#" or first == ";":
                    continue
                elif first.isspace():
                    self._indented(line, lineno)
                else:
                    self._key(line.rstrip(), 0, lineno)
        except IniSyntaxError as error:
            self._fail(error)
        if self.sections:
            self.sections[-1].last_line = max(self.sections[-1].last_line, lineno)
        if self.defaults_errors and self.names:
            if self.keep is not None:
                return _Scanner(None).run(lines, first_line)  # needs every section's keys
            for key, nested_error in self.defaults_errors.items():
                if any(key not in s.options for s in self.sections if s.name != DEFAULT_SECTION):
                    self._fail(nested_error)
        return IniFile(self.sections, self.defaults, self.error, len(lines))

    def _fail(self, error: IniSyntaxError) -> None:
        if self.error is None or error.line < self.error.line:
            self.error = error

    def _indented(self, line: str, lineno: int) -> None:
        value = line.strip()
        if not value:
            option = self.option
            if option is not None:
                option.parts.append("")
            return
        if value[0] in "#;":
            return  # a full-line comment, even inside a multi-line value
        match = re.search(_NONSPACE, line)
        indent = match.start() if match else 0
        option = self.option
        if option is not None and indent > self.indent_level:
            if option.parts[0] == "" and not all("=" in p for p in value.splitlines()):
                self._nested_error(lineno, option)
            option.parts.append(value)
            option.last_line = lineno
            return
        if value[0] == "[" and _HEADER.match(value):
            self._header(value, lineno)
        else:
            self._key(value, indent, lineno)

    def _nested_error(self, lineno: int, option: Option) -> None:
        error = IniSyntaxError(
            lineno,
            f"an indented line under the nested key '{option.key}' has no '='",
            "Write nested settings as '    key = value', indented under the parent key.",
        )
        if self.defaults.get(option.key) is option:
            # botocore reads [DEFAULT] keys only through sections that inherit them.
            self.defaults_errors.setdefault(option.key, error)
        else:
            self._fail(error)

    def _header(self, value: str, lineno: int) -> None:
        match = _HEADER.match(value)
        if match is None:
            # '[' without a closing ']' is read as a key line, as configparser does.
            self._key(value, 0, lineno)
            return
        name = match.group("header")
        if self.sections:
            self.sections[-1].last_line = lineno - 1
        self.option = None  # a header ends any multi-line value
        if name == DEFAULT_SECTION:
            section = Section(name, lineno, lineno, self.defaults)
            self.sections.append(section)
            self.section = section
            self.seen = set(self.defaults)
            return
        if name in self.names:
            raise IniSyntaxError(
                lineno,
                f"section [{name}] appears twice; the AWS CLI then cannot read this file at all",
                "Merge the two sections into one.",
            )
        self.names.add(name)
        keep = self.keep
        options: dict[str, Option] = {}
        section = Section(name, lineno, lineno, options)
        self.sections.append(section)
        self.section = section
        self.seen = None if keep is None or _keeps(keep, name) else set()

    def _key(self, value: str, indent: int, lineno: int) -> None:
        self.indent_level = indent
        section = self.section
        if value[0] == "[" and "]" not in value and "=" not in value and ":" not in value:
            # `[profile dev` without its `]`: configparser calls it a setting; say what it is.
            error = IniSyntaxError(
                lineno,
                "this section header has no closing ']'",
                "Close it with ']', as in [profile NAME].",
            )
            if section is None:
                raise error
            self._fail(error)
            self.option = None
            return
        if section is None:
            raise IniSyntaxError(
                lineno,
                "a setting appears before any [section] header",
                "Put it under a header such as [default] or [profile NAME].",
            )
        equals = value.find("=")
        colon = value.find(":")
        cut = equals if colon < 0 or 0 <= equals < colon else colon
        if cut < 0:
            self._fail(
                IniSyntaxError(
                    lineno,
                    "this line is neither a [section], a 'key = value' setting nor a comment",
                    "Comment it out with '#' or write it as 'key = value'.",
                )
            )
            self.option = None
            return
        key = value[:cut].rstrip().lower()
        if not key:
            self._fail(IniSyntaxError(lineno, "a setting has no key before its '='"))
        seen = self.seen
        if seen is None:  # this section keeps its options
            options = section.options
            if key in options:
                raise _duplicate_key(section.name, key, lineno)
            option = Option(key, lineno, lineno, indent, [value[cut + 1 :].strip()])
            options[key] = option
            self.option = option
        else:
            if key in seen:
                raise _duplicate_key(section.name, key, lineno)
            seen.add(key)
            if section.options is self.defaults:
                option = Option(key, lineno, lineno, indent, [value[cut + 1 :].strip()])
                self.defaults[key] = option
                self.option = option
            else:
                # Not kept: continuation lines still need checking, then are thrown away.
                discard = self.discard
                discard.key = key
                discard.parts = [value[cut + 1 :].strip()]
                self.option = discard


def _duplicate_key(section: str, key: str, lineno: int) -> IniSyntaxError:
    return IniSyntaxError(
        lineno,
        f"key '{key}' appears twice in section [{section}] (keys ignore case); "
        "the AWS CLI then cannot read this file at all",
        "Delete one of the two lines.",
    )
