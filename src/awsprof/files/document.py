"""A lossless, editable AWS INI file.

The document is the file's lines, each with its own line ending, plus any BOM and invalid bytes
(kept through ``surrogateescape``). An unchanged document serialises to exactly the bytes it was
read from; an edit replaces, inserts or removes whole lines and touches nothing else. Where to edit
is decided on the parsed file (:mod:`awsprof.files.ini`), so the writer and botocore always agree
on what a line means.

Edits follow the AWS CLI's writer (a changed key is rewritten as ``key = value``; a new key goes
after the last key of its section; a missing section is appended at the end; a missing final
newline is added before appending) without its known defects: indented headers and keys that
differ only in case are found, nested blocks turned into a scalar leave no orphan lines, and a file
the AWS CLI cannot read is refused instead of being made worse.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from awsprof.errors import ConfigFileError, InvalidInputError
from awsprof.files.ini import (
    DEFAULT_SECTION,
    IniFile,
    IniSyntaxError,
    Option,
    Section,
    parse,
    parse_validated,
)
from awsprof.files.sections import Kind, config_header, config_header_meaning
from awsprof.values import Value

_BREAK = re.compile(r"(\r\n|\r|\n)")
# An invalid byte, kept through ``surrogateescape``.
_INVALID_BYTE = re.compile("[\udc80-\udcff]")
# Characters that end a line for some reader (str.splitlines, configparser, editors), that drive a
# terminal when the value is shown (ESC, BEL, DEL, C1 controls) or that reorder text on screen
# (bidirectional overrides): refused in names, keys and values. Tab stays: it is only whitespace.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
NESTED_INDENT = "    "


def check_text(what: str, text: str) -> None:
    """Refuse characters that would split a line; never echo the text (it may be a secret)."""
    if _FORBIDDEN.search(text):
        raise InvalidInputError(
            f"the {what} contains a line break or control character, which would corrupt the file",
            "Pass it on a single line without control characters.",
        )


def check_key(key: str) -> None:
    check_text("key", key)
    if not key or key != key.strip() or any(c in key for c in "=:[]#;"):
        raise InvalidInputError(
            "a key must be a non-empty word without spaces at its ends or any of = : [ ] # ;"
        )


class Target(Value):
    """A section to edit: found by botocore's reading of headers, appended when missing."""

    __slots__ = ("kind", "name")

    def __init__(self, kind: Kind | None, name: str) -> None:
        self.kind = kind  # None: a credentials-file section, whose header is the name as written
        self.name = name

    @classmethod
    def profile(cls, name: str, credentials_file: bool = False) -> Target:
        return cls(None if credentials_file else Kind.PROFILE, name)

    @property
    def header(self) -> str:
        if self.kind is None or self.kind is Kind.OTHER:
            return self.name
        return config_header(self.kind, self.name)

    def matches(self, header: str) -> bool:
        if self.kind is None or self.kind is Kind.OTHER:
            return header == self.name
        return config_header_meaning(header) == (self.kind, self.name)

    def find(self, parsed: IniFile) -> Section | None:
        """The section in force: the last one botocore maps to this target."""
        found = None
        for section in parsed.sections:
            if section.name != DEFAULT_SECTION and self.matches(section.name):
                found = section
        return found


class IniDocument:
    """One file's bytes as editable lines."""

    def __init__(
        self, path: Path, text: str, existed: bool, names: list[str] | None = None
    ) -> None:
        self.path = path
        self.existed = existed
        if "\r" not in text:  # the common case, without a capturing split of the whole text
            self.lines: list[str] = text.split("\n")
            self.endings: list[str] = ["\n"] * (len(self.lines) - 1)
            self.endings.append("")
        else:
            pieces = _BREAK.split(text)
            self.lines = pieces[0::2]
            self.endings = [*pieces[1::2], ""]
        if self.lines[-1] == "":  # text ended with a line break (or was empty)
            self.lines.pop()
            self.endings.pop()
        self._parsed: IniFile | None = None
        # The file parsed with only the sections that may name one target kept (still
        # validated whole): an edit of one profile of a big file needs no more.
        self._partial: tuple[str, IniFile] | None = None
        # The section names of the text as read, when it is known to be a valid plain file
        # (awsprof's index): then it is not validated again. Dropped at the first edit.
        self._names = names
        self.sections_added = False  # whether an edit appended a section (names changed)

    @classmethod
    def from_bytes(
        cls, path: Path, data: bytes | None, names: list[str] | None = None
    ) -> IniDocument:
        """``names``: the sections of ``data``, a valid plain file (see :attr:`_names`)."""
        text = "" if data is None else data.decode("utf-8", "surrogateescape")
        return cls(path, text, data is not None, names)

    def to_bytes(self) -> bytes:
        return self.text().encode("utf-8", "surrogateescape")

    def text(self) -> str:
        count, endings = self.endings.count("\n"), len(self.endings)
        if count == endings and endings:  # every line ends with "\n": one join, no loop in Python
            return "\n".join(self.lines) + "\n"
        if count == endings - 1 and self.endings[-1] == "":
            return "\n".join(self.lines)
        return "".join(line + end for line, end in zip(self.lines, self.endings, strict=True))

    @property
    def newline(self) -> str:
        """The line ending new lines get: the file's first one, else ``\\n``."""
        return next((end for end in self.endings if end), "\n")

    def parsed(self) -> IniFile:
        if self._parsed is None:
            self._parsed = parse("\n".join(self.lines))
        return self._parsed

    def _parsed_for(self, keep: str | None) -> IniFile:
        """:meth:`parsed`, or with ``keep`` only the sections that may name it."""
        if keep is None or self._parsed is not None:
            return self.parsed()
        if self._partial is None or self._partial[0] != keep:
            text = "\n".join(self.lines)
            if self._names is not None:
                self._partial = (keep, parse_validated(text, self._names, keep))
            else:
                self._partial = (keep, parse(text, keep))
        return self._partial[1]

    def check_writable(self, keep: str | None = None) -> None:
        """Refuse to edit a file the AWS CLI cannot read: an edit must never make it worse."""
        text = "\n".join(self.lines)
        invalid = None if text.isascii() else _INVALID_BYTE.search(text)
        if invalid is not None:
            raise ConfigFileError(
                self.path,
                text.count("\n", 0, invalid.start()) + 1,
                "this line is not valid UTF-8, so the AWS CLI cannot read the file",
                "Fix or delete that line; awsprof will not edit the file until then.",
            )
        error = self._parsed_for(keep).error
        if error is not None:
            raise ConfigFileError(
                self.path,
                error.line,
                error.reason,
                f"{error.hint + ' ' if error.hint else ''}"
                "awsprof does not edit a file the AWS CLI cannot read.",
            )

    # -- edits -------------------------------------------------------------------------------

    def set(self, target: Target, key: str, value: str | dict[str, str]) -> bool:
        """Set ``key`` (or nested ``key.sub``) in the target section. Returns whether it changed."""
        check_text("name", target.name)
        check_key(key)
        if isinstance(value, dict):
            for sub, sub_value in value.items():
                check_key(sub)
                check_text("value", sub_value)
        else:
            check_text("value", value)
        if target.header == DEFAULT_SECTION:
            # configparser hands the keys of [DEFAULT] to every section: in the credentials file
            # a profile named DEFAULT would give its keys to every other profile.
            raise InvalidInputError(
                "a section named DEFAULT cannot hold settings: its keys would apply to every "
                "profile of the file",
                "Choose another profile name.",
            )
        return self._guarded(
            lambda: self._set(target, key, value), target.name, isinstance(value, str)
        )

    def _set(self, target: Target, key: str, value: str | dict[str, str]) -> bool:
        section = target.find(self._parsed_for(target.name))
        if section is None:
            self._append_section(target.header, key, value)
            return True
        option = section.options.get(key.lower())
        if option is None:
            self._insert(self._after_last_key(section), self._new_key_lines(section, key, value))
            return True
        if isinstance(value, dict):
            return self._set_nested(option, value)
        if option.value == value and option.last_line == option.line:
            return False
        self._replace_option(option, [self._key_line(option, value)])
        return True

    def ensure_section(self, target: Target) -> bool:
        """Add an empty ``[header]`` at the end when the section is missing (the AWS CLI v2's
        wizard does so in the config file when only credentials changed)."""
        check_text("name", target.name)

        def edit() -> bool:
            if target.find(self.parsed()) is not None:
                return False
            self._insert(len(self.lines), [f"[{target.header}]"])
            return True

        return self._guarded(edit)

    def unset(self, target: Target, key: str, sub_key: str | None = None) -> bool:
        """Remove ``key`` (or one nested ``sub_key``) from the target section if present."""
        return self._guarded(
            lambda: self._unset(target, key, sub_key), target.name, sub_key is None
        )

    def _unset(self, target: Target, key: str, sub_key: str | None) -> bool:
        section = target.find(self._parsed_for(target.name))
        option = section.options.get(key.lower()) if section is not None else None
        if option is None:
            return False
        if sub_key is None:
            self._replace_option(option, [])
            return True
        # botocore lets a repeated nested key win last: every copy goes, or an older one shows.
        numbers = [
            number
            for number in range(option.line + 1, option.last_line + 1)
            if _nested_key(self.lines[number - 1]) == sub_key
        ]
        for number in reversed(numbers):
            self._splice(number - 1, number, [])
        return bool(numbers)

    def _guarded(
        self, edit: Callable[[], bool], keep: str | None = None, key_line: bool = False
    ) -> bool:
        """Run ``edit`` on a readable file; undo it and refuse if the result is unreadable.

        A [DEFAULT] key with a malformed nested block is harmless until some section inherits
        it: adding that section (or unsetting the key that shadowed it) would break the file.
        """
        self.check_writable(keep)
        # A plain file (validated whole, read by sections) in which one `key = value` line is
        # replaced, added or removed stays plain and readable (keys and values are checked):
        # no second validation of a big file for it.
        plain = keep is not None and self._partial is not None and self._partial[1].partial
        had_sections = self.sections_added
        lines, endings = list(self.lines), list(self.endings)
        changed = edit()
        if not changed or (plain and key_line and self.sections_added == had_sections):
            return changed
        error = self._parsed_for(keep).error
        if error is not None:
            self.lines, self.endings = lines, endings
            self._parsed = self._partial = self._names = None
            raise ConfigFileError(
                self.path,
                error.line,
                f"this edit would make the file unreadable for the AWS CLI: {error.reason}",
                "Fix that line first; awsprof does not write a file the AWS CLI cannot read.",
            )
        return changed

    def remove_lines(self, first: int, last: int) -> None:
        """Delete lines ``first`` to ``last`` (1-based, inclusive). ``sso populate --prune`` uses
        it to drop a generated section without the comment lines that precede the next one."""
        self._splice(first - 1, last, [])

    def replace_lines(self, first: int, last: int, lines: list[str]) -> None:
        """Replace lines ``first`` to ``last`` (1-based, inclusive) with ``lines``: ``sso
        populate`` rewrites or drops a generated section as one block."""
        self._splice(first - 1, last, lines)

    def append_lines(self, lines: list[str]) -> None:
        """Append whole lines at the end, adding the missing final newline first."""
        self._insert(len(self.lines), lines)

    # -- helpers -----------------------------------------------------------------------------

    def _set_nested(self, option: Option, values: dict[str, str]) -> bool:
        indent = _indent(self.lines[option.line - 1])
        if not option.raw.startswith("\n"):
            # A scalar (or empty) key becomes a nested block: `key =` plus indented lines.
            head = f"{indent}{_key_text(self.lines[option.line - 1])} ="
            sub = indent + NESTED_INDENT
            body = [f"{sub}{name} = {text}" for name, text in values.items()]
            self._replace_option(option, [head, *body])
            return True
        changed = False
        pending = dict(values)
        sub_indent = None
        for number in range(option.line + 1, option.last_line + 1):
            line = self.lines[number - 1]
            name = _nested_key(line)
            if name is None:
                continue
            sub_indent = sub_indent or _indent(line)
            if name in values:
                # Every copy of a repeated nested key is rewritten: botocore reads the last one.
                pending.pop(name, None)
                new = f"{_indent(line)}{name} = {values[name]}"
                if new != line:
                    self.lines[number - 1] = new
                    changed = True
        if pending:
            sub = sub_indent or indent + NESTED_INDENT
            new_lines = [f"{sub}{name} = {text}" for name, text in pending.items()]
            self._insert(option.last_line, new_lines)
            changed = True
        self._parsed = self._partial = self._names = None  # lines changed in place
        return changed

    def _replace_option(self, option: Option, new_lines: list[str]) -> None:
        """Replace an option's key line and its value lines; blank and comment lines stay."""
        start, end = option.line - 1, option.last_line
        kept = [
            (line, ending)
            for line, ending in zip(
                self.lines[start + 1 : end], self.endings[start + 1 : end], strict=True
            )
            if not line.strip() or line.lstrip()[0] in "#;"
        ]
        # One splice for new and kept lines, so that a block ending the file without a final
        # newline leaves its last line unterminated, never a new line glued to a kept one.
        self._splice(start, end, [*new_lines, *(line for line, _ in kept)])
        for position, (_, ending) in enumerate(kept, start + len(new_lines)):
            if self.endings[position]:
                self.endings[position] = ending  # kept lines keep their own line endings

    def _key_line(self, option: Option, value: str) -> str:
        line = self.lines[option.line - 1]
        return f"{_indent(line)}{_key_text(line)} = {value}"

    def _new_key_lines(self, section: Section, key: str, value: str | dict[str, str]) -> list[str]:
        last = max(section.options.values(), key=lambda o: o.line, default=None)
        indent = (
            _indent(self.lines[last.line - 1]) if last is not None else self._next_indent(section)
        )
        if isinstance(value, dict):
            sub = indent + NESTED_INDENT
            return [f"{indent}{key} =", *(f"{sub}{k} = {v}" for k, v in value.items())]
        return [f"{indent}{key} = {value}"]

    def _next_indent(self, section: Section) -> str:
        """For a section without keys: the indent of the next header, so a new key written
        below ours is never read as a continuation line that swallows an indented header."""
        for line in self.lines[section.line :]:
            stripped = line.strip()
            if stripped and stripped[0] not in "#;":
                return _indent(line)
        return ""

    def _after_last_key(self, section: Section) -> int:
        """Index after the last line of the section's last key (after the header if none)."""
        if not section.options:
            return section.line
        return max(option.last_line for option in section.options.values())

    def _append_section(self, header: str, key: str, value: str | dict[str, str]) -> None:
        if isinstance(value, dict):
            body = [f"{key} =", *(f"{NESTED_INDENT}{k} = {v}" for k, v in value.items())]
        else:
            body = [f"{key} = {value}"]
        self._insert(len(self.lines), [f"[{header}]", *body])
        self.sections_added = True

    def _insert(self, index: int, new_lines: list[str]) -> None:
        self._splice(index, index, new_lines)

    def _splice(self, start: int, end: int, new_lines: list[str]) -> None:
        newline = self.newline
        endings = [newline] * len(new_lines)
        if new_lines and end > start and end == len(self.lines) and not self.endings[-1]:
            endings[-1] = ""  # a replaced last line keeps the file's missing final newline
        elif new_lines and start > 0 and not self.endings[start - 1]:
            self.endings[start - 1] = newline  # appending: the file had no final newline
        self.lines[start:end] = new_lines
        self.endings[start:end] = endings
        self._parsed = self._partial = self._names = None


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip())]


def _key_text(line: str) -> str:
    """The key as written on its line (case kept), without indentation."""
    stripped = line.strip()
    equals, colon = stripped.find("="), stripped.find(":")
    cut = equals if colon < 0 or 0 <= equals < colon else colon
    return stripped[:cut].rstrip()


def _nested_key(line: str) -> str | None:
    """The key of a nested ``k = v`` line as botocore reads it (case kept)."""
    stripped = line.strip()
    if not stripped or stripped[0] in "#;" or "=" not in stripped:
        return None
    return stripped.partition("=")[0].strip()


def syntax_error(path: Path, error: IniSyntaxError) -> ConfigFileError:
    return ConfigFileError(path, error.line, error.reason, error.hint)
