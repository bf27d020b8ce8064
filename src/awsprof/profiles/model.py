"""Profiles, sso-sessions and services sections as botocore sees them, with where each value is.

The config file is read first; each profile is then updated key by key from the credentials file
(credentials win per key) and profiles found only in the credentials file are added after the
others. ``[default]`` and ``[profile default]`` both define ``default``; the later one in the file
wins whole, as in botocore. Every value keeps its file and line, which is what makes
``whoami --explain`` and ``doctor`` possible.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from awsprof import values
from awsprof.errors import ConfigFileError, ProfileNotFoundError
from awsprof.files import entries, index, locate, regular
from awsprof.files.ini import (
    DEFAULT_SECTION,
    IniFile,
    IniSyntaxError,
    Option,
    Section,
    _kept,
    header_names,
    parse,
    parse_plain,
    parse_validated,
    plain_columns,
    plain_headers_where,
    plain_index,
    sections_at,
)
from awsprof.files.sections import Kind, config_header_meaning

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

Value = str | dict[str, str]


class Source(values.Value):
    """Where a value was read: a file and a 1-based line."""

    __slots__ = ("line", "path")

    def __init__(self, path: Path, line: int) -> None:
        self.path = path
        self.line = line

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


class Setting(values.Value):
    __slots__ = ("source", "value")

    def __init__(self, value: Value, source: Source) -> None:
        self.value = value
        self.source = source

    def __repr__(self) -> str:  # never show the value: it may be a secret
        return f"Setting(source={self.source!r})"


class Profile(values.Value):
    """One named profile after merging both files."""

    __slots__ = ("config_source", "credentials_source", "name", "settings")

    def __init__(
        self,
        name: str,
        settings: Mapping[str, Setting],
        config_source: Source | None = None,  # header line in the config file
        credentials_source: Source | None = None,  # header line in the credentials file
    ) -> None:
        self.name = name
        self.settings = settings
        self.config_source = config_source
        self.credentials_source = credentials_source

    def __hash__(self) -> int:
        return hash((self.name, self.config_source, self.credentials_source))

    def get(self, key: str) -> Value | None:
        setting = self.settings.get(key)
        return None if setting is None else setting.value

    def text(self, key: str) -> str | None:
        """A string setting, or None when unset or nested."""
        value = self.get(key)
        return value if isinstance(value, str) else None

    def plain(self) -> dict[str, tuple[str, str]]:
        """The string settings as the offline reader (``awsprof.reader``) takes them:
        key -> (value, "file:line")."""
        return {
            key: (setting.value, str(setting.source))
            for key, setting in self.settings.items()
            if isinstance(setting.value, str)
        }

    def __repr__(self) -> str:  # never show values: some are secrets
        return f"Profile(name={self.name!r}, keys={sorted(self.settings)!r})"


class NamedSection(values.Value):
    """An ``[sso-session NAME]`` or ``[services NAME]`` section."""

    __slots__ = ("name", "settings", "source")

    def __init__(self, name: str, settings: Mapping[str, Setting], source: Source) -> None:
        self.name = name
        self.settings = settings
        self.source = source

    def __hash__(self) -> int:
        return hash((self.name, self.source))

    def text(self, key: str) -> str | None:
        setting = self.settings.get(key)
        return setting.value if setting is not None and isinstance(setting.value, str) else None


class DroppedSection(values.Value):
    """A section botocore silently ignores (``[profilefoo]``, ``[profile a b]``)."""

    __slots__ = ("header", "source")

    def __init__(self, header: str, source: Source) -> None:
        self.header = header
        self.source = source


def read_plain(path: Path, cache: Path, is_config: bool) -> tuple[str, Deferred | None] | None:
    """The file's text as every command reads it (None when absent) and, when it is a valid
    plain file, that file as every command takes it: its section names from the index (or
    validated now, and remembered). Unreadable raises exit 3; a malformed file is not plain."""
    loaded = _load(path)
    if loaded is None:
        return None
    text, stat = loaded
    return text, _deferred(path, stat, text, cache, is_config)


def _load(path: Path) -> tuple[str, os.stat_result | None] | None:
    """The file's text and the identity it was read at, both from one open file.

    The identity is None when the file changed while being read. Text and identity must come
    from the same read: a writer may replace the file at any moment, and remembered header
    lines applied to another version's text pick the wrong lines.
    """
    try:
        with regular.open_binary(path) as handle:
            before = os.fstat(handle.fileno())
            data = handle.read()
            after = os.fstat(handle.fileno())
    except (FileNotFoundError, NotADirectoryError):
        return None
    except IsADirectoryError:
        raise ConfigFileError(path, None, "is a directory, not a file") from None
    except regular.NotRegularFileError as error:
        if error.kind == "a directory":
            raise ConfigFileError(path, None, "is a directory, not a file") from None
        # Refused before opening: a FIFO would make every command (the prompt too) hang.
        raise regular.refused(path, error.kind) from None
    except PermissionError:
        raise ConfigFileError(
            path, None, "cannot be read (permission denied)", "Fix its owner or mode (0600)."
        ) from None
    unchanged = entries.identity(before) == entries.identity(after)
    try:
        return data.decode("utf-8"), before if unchanged else None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigFileError(
            path,
            line,
            "this line is not valid UTF-8, so the AWS CLI cannot read the file",
            "Fix or delete that line.",
        ) from None


def load_text(path: Path) -> tuple[str, os.stat_result | None] | None:
    """The file's text and the identity it was read at (None: changed while read); None when
    there is no file. A file that cannot be read raises exit 3 naming it."""
    return _load(path)


def parse_known(
    path: Path, stat: os.stat_result | None, text: str, keep: str, cache: Path, is_config: bool
) -> IniFile:
    """``text`` (read at ``stat``) with only the sections named like ``keep``: a file validated
    before is not validated again (:mod:`awsprof.files.index`); a malformed one raises exit 3."""
    known = _validated(path, stat, text, cache, is_config)
    if known is not None:
        return parse_validated(text, known[0], keep)
    parsed = parse(text, keep)
    if parsed.error is not None:
        raise ConfigFileError(path, parsed.error.line, parsed.error.reason, parsed.error.hint)
    return parsed


class Deferred:
    """A valid plain file whose sections are parsed only when asked for.

    A command needs a handful of sections (its profile, the source profiles, an sso-session);
    parsing all 100,000 of a generated config for them costs seconds. Validation already gave
    the section names, so a section is found by its header line when first needed.
    """

    __slots__ = (
        "_columns",
        "_origin",
        "_padded_text",
        "_parsed",
        "_text_digest",
        "_whole",
        "names",
        "text",
    )
    partial = False
    defaults: Mapping[str, Option] = {}  # a plain file has no [DEFAULT] section
    # Each lookup searches the text: past this many, one parse of the whole file is cheaper
    # (a command walking every profile must stay linear).
    LOOKUPS = 64

    # From this size on, what is read from the whole text (columns, the headers where a key is)
    # is kept in the index directory (a 100,000-profile file: about 80 ms to load its columns
    # against about 300 ms to read them from the text).
    KEEP_FROM = 1 << 18

    def __init__(self, text: str, names: list[str], origin: index.Origin | None = None) -> None:
        """``origin``: (awsprof's cache directory, the path, the identity ``text`` was read at)."""
        self.text = text
        self.names = names
        self._origin = origin
        self._padded_text: str | None = None
        self._text_digest: str | None = None
        self._parsed: dict[str, Section] = {}
        self._whole: IniFile | None = None
        self._columns: tuple[tuple[str, ...], dict[str, list[str | None]] | None] | None = None

    def section(self, header: str) -> Section:
        found = self._parsed.get(header)
        if found is None:
            if len(self._parsed) >= self.LOOKUPS:
                self.parse()
                return self._parsed[header]
            padded = self._padded()
            alone = None if padded is None else sections_at(padded, [header])
            if alone is None:
                alone = parse_validated(self.text, [header], header).sections
            found = self._parsed[header] = alone[0]
        return found

    def _padded(self) -> str | None:
        """The text after a "\n", made once for every lookup (a lookup of 15 MB otherwise
        copies, scans and counts the lines of the whole text); None with "\r" line ends."""
        if self._padded_text is None:
            self._padded_text = "" if "\r" in self.text else "\n" + self.text
        return self._padded_text or None

    def columns(self, keys: tuple[str, ...]) -> dict[str, list[str | None]] | None:
        """Header -> the values of ``keys`` in every section (:func:`plain_columns`), or None
        when the file is not ASCII (read its sections then). One expression over the text
        is several times faster than reading the keys from every parsed section."""
        if self._columns is None or self._columns[0] != keys:  # the last one is kept
            self._columns = (keys, self._read_columns(keys))
        return self._columns[1]

    def _read_columns(self, keys: tuple[str, ...]) -> dict[str, list[str | None]] | None:
        from awsprof.secrets import SECRET_KEYS

        return self._derived(  # type: ignore[no-any-return]
            ("columns", *keys),
            dict,
            lambda: plain_columns(self.text, keys),
            SECRET_KEYS.isdisjoint(keys),  # a secret is never written to awsprof's cache
        )

    def headers_where(self, keys: tuple[str, ...], value: str | None) -> set[str] | None:
        """:func:`plain_headers_where` of this text (kept like the columns)."""
        return self._derived(  # type: ignore[no-any-return]
            ("where", repr(value), *keys), set, lambda: plain_headers_where(self.text, keys, value)
        )

    def _derived(
        self, what: tuple[str, ...], kind: type, compute: Callable[[], Any], keep: bool = True
    ) -> Any:
        """``compute()``, kept in awsprof's cache directory for a big file (by its identity):
        one pass over 15 MB is several times the cost of loading its answer."""
        origin = self._origin if keep and len(self.text) >= self.KEEP_FROM else None
        if origin is not None:
            kept = index.load_derived(origin, what, kind, self._digest)
            if kept is not None:
                return kept
        found = compute()
        if found is not None and origin is not None:
            index.save_derived(origin, what, found, self._digest)
        return found

    def _digest(self) -> str:
        """The text's digest (for answers kept about a file that has not settled), once."""
        if self._text_digest is None:
            self._text_digest = index.digest(self.text.encode("utf-8", "surrogateescape"))
        return self._text_digest

    def parse(self) -> IniFile:
        if self._whole is None:
            from awsprof.files.gcpause import paused_gc

            with paused_gc():
                self._whole = parse_plain(self.text)  # validated already: no second check
            self._parsed = {section.name: section for section in self._whole.sections}
        return self._whole


def plain_names(
    path: Path, stat: os.stat_result, text: str, cache: Path, is_config: bool
) -> list[str] | None:
    """The section names of ``text`` (read at ``stat``) when it is a valid plain file, from the
    index or validated now (and then remembered); None when it is not plain. A malformed file
    raises exit 3."""
    known = _validated(path, stat, text, cache, is_config)
    return None if known is None else known[0]


def indexed_names(path: Path, stat: os.stat_result, text: str, cache: Path) -> list[str] | None:
    """The section names the index holds for ``text`` (read at ``stat``), or None: nothing is
    validated here (a writer that misses validates the text it edits itself)."""
    known = _indexed(path, stat, text, cache)
    return None if known is None else known[0]


def _indexed(
    path: Path, stat: os.stat_result | None, text: str, cache: Path | None
) -> index.Entry | None:
    """(names, profiles) the index holds for ``text`` read at ``stat``, or None."""
    if cache is None or stat is None:
        return None
    known = index.load(cache, path, stat)
    return None if known is None else _checked(path, stat, text, cache, known)


def _deferred(
    path: Path, stat: os.stat_result | None, text: str, cache: Path | None, is_config: bool
) -> Deferred | None:
    """``text`` as a :class:`Deferred` file when it is a valid plain file (see
    :func:`_plain_names`), with where it was read for the answers kept about it."""
    names = _plain_names(path, stat, text, cache, is_config)
    if names is None:
        return None
    return Deferred(text, names, None if stat is None or cache is None else (cache, path, stat))


def _parse(
    path: Path, keep: str | None, cache: Path | None, is_config: bool
) -> IniFile | Deferred | None:
    """Read and parse one file; with ``keep``, a file validated before skips re-validation;
    without, a valid plain file is :class:`Deferred`."""
    loaded = _load(path)
    if loaded is None:
        return None
    text, stat = loaded
    if keep is None:
        deferred = _deferred(path, stat, text, cache, is_config)
        if deferred is not None:
            return deferred
    known = _validated(path, stat, text, cache, is_config) if keep is not None else None
    if known is not None:
        return parse_validated(text, known[0], keep or "")
    parsed = parse(text, keep)
    if parsed.error is not None:
        raise ConfigFileError(path, parsed.error.line, parsed.error.reason, parsed.error.hint)
    return parsed


def _plain_names(
    path: Path, stat: os.stat_result | None, text: str, cache: Path | None, is_config: bool
) -> list[str] | None:
    """The section names of ``text`` when it is a valid plain file (remembered in the index),
    else None: checked with the one-pass validation, so a file that is not plain costs the
    general parser alone, as before."""
    known = _indexed(path, stat, text, cache)
    if known is not None:
        return known[0]
    names = plain_index(text)
    if names is not None and cache is not None and stat is not None:
        index.save(cache, path, stat, names, _profiles_of(names, is_config))
    return names


def _section_meaning(header: str) -> tuple[Kind, str]:
    """:func:`config_header_meaning`, with the common ``profile NAME`` (no quotes or odd spaces)
    read directly: the same result, about three times faster on 100,000 headers."""
    name = header[8:]
    if (
        header.startswith("profile ")
        and name
        and header.isprintable()
        and " " not in name
        and "'" not in name
        and '"' not in name
        and "\\" not in name
    ):
        return Kind.PROFILE, name
    return config_header_meaning(header)


# A header ``profile NAME`` whose NAME is printable ASCII without spaces, quotes or backslashes:
# :func:`_section_meaning` gives (PROFILE, NAME), so a big file's headers are read in bulk. Each
# header line follows a "\n" (a literal start lets the expression engine skip ahead quickly).
_SIMPLE_NAME = r"[!#-&(-\[\]-~]+"
_SIMPLE_PROFILE = rf"\nprofile ({_SIMPLE_NAME})(?=\n|\Z)"
_SIMPLE_PROFILE_HEADER = rf"\n(?=profile ({_SIMPLE_NAME})(?:\n|\Z))([^\n]*)"  # (NAME, header)
_NOT_SIMPLE = rf"\n(?!profile {_SIMPLE_NAME}(?:\n|\Z))([^\n]*)"


def _runs(names: list[str], headers: bool) -> list[tuple[list[Any], str | None]]:
    """The headers in order, as runs of simple profile headers (their names, or (name, header)
    pairs with ``headers``), each run followed by one other header (None after the last).

    The last answer of each form is kept: a command that checks every header asks several
    times about the one list of names (never changed once read)."""
    last = _last_runs.get(headers)
    if last is not None and last[0] is names:
        kept: list[tuple[list[Any], str | None]] = last[1]
        return kept
    import re

    found: list[tuple[list[Any], str | None]] = []
    if names:
        lines = "\n" + "\n".join(names)  # a header never holds "\n": one line per header
        simple = re.compile(_SIMPLE_PROFILE_HEADER if headers else _SIMPLE_PROFILE)
        start = 0
        for other in re.finditer(_NOT_SIMPLE, lines):
            found.append((simple.findall(lines, start, other.start()), other.group(1)))
            start = other.end()
        found.append((simple.findall(lines, start), None))
    _last_runs[headers] = (names, found)
    return found


_last_runs: dict[bool, tuple[list[str], list[tuple[list[Any], str | None]]]] = {}


def notable_headers(names: list[str]) -> list[str]:
    """The headers, in order, that are not a simple ``profile NAME`` (see :func:`_runs`), and
    ``profile default`` where it is one: what a check of headers must look at, since a simple
    profile header means exactly its name."""
    found = []
    for run, other in _runs(names, headers=True):  # the form the model's index reads too
        if ("default", "profile default") in run:
            found.append("profile default")
        if other is not None:
            found.append(other)
    return found


def profile_names_of(names: list[str]) -> list[str]:
    """The profiles a config file's section ``names`` define, in order."""
    return _profiles_of(names, is_config=True)


def _stat(path: Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return None  # reading it will raise the clear error


def _value(option: Option) -> Value:
    # A one-line value (nearly all) is its only part, already stripped: no property calls.
    parts = option.parts
    return parts[0] if len(parts) == 1 else option.value


def _settings(path: Path, parsed: IniFile | Deferred, section: Section) -> dict[str, Setting]:
    result = {
        key: Setting(_value(option), Source(path, option.line))
        for key, option in section.options.items()
    }
    for key, option in parsed.defaults.items():
        if key not in result:
            result[key] = Setting(option.value, Source(path, option.line))
    return result


def _text(parsed: IniFile | Deferred, section: Section | None, key: str) -> str | Setting | None:
    """``key`` of ``section`` as :func:`_settings` gives it: its string, ``UNSET`` when the
    section and its file's [DEFAULT] lack it, None when it is nested (not a string)."""
    if section is None:
        return UNSET
    option = section.options.get(key) or parsed.defaults.get(key)
    if option is None:
        return UNSET
    value = _value(option)
    return value if isinstance(value, str) else None


UNSET = Setting("", Source(Path(), 0))  # a marker: no such key


class AwsFiles:
    """Both files, parsed once. ``keep`` (hot paths) limits which sections keep their values."""

    def __init__(
        self,
        config_path: Path,
        credentials_path: Path,
        config: IniFile | Deferred | None,
        credentials: IniFile | Deferred | None,
    ) -> None:
        self.config_path = config_path
        self.credentials_path = credentials_path
        self._config = config
        self._credentials = credentials
        # A str is the header of a section of a Deferred file, parsed when first looked up.
        self._profile_sections: dict[str, Section | str] = {}
        self._sessions: dict[str, Section | str] = {}
        self._services: dict[str, Section | str] = {}
        self._dropped: list[DroppedSection] = []
        self._default_headers: list[Section | str] = []
        self._credential_sections: dict[str, Section | str] = {}
        self._built: dict[str, Profile | None] = {}  # profiles merged once (doctor asks twice)
        self._named_built: dict[tuple[Kind, str], NamedSection | None] = {}
        self._texts: tuple[tuple[str, ...], list[tuple[str, list[str | None]]]] | None = None
        self._merged_names: list[str] | None = None
        self._indexed = True
        self._index_sections()

    @property
    def config(self) -> IniFile | None:
        """The config file parsed whole (a deferred one is parsed now)."""
        if isinstance(self._config, Deferred):
            return self._config.parse()
        return self._config

    @property
    def credentials(self) -> IniFile | None:
        """The credentials file parsed whole (a deferred one is parsed now)."""
        if isinstance(self._credentials, Deferred):
            return self._credentials.parse()
        return self._credentials

    def _section(self, found: Section | str | None, config: bool = True) -> Section | None:
        if not isinstance(found, str):
            return found
        parsed = self._config if config else self._credentials
        if isinstance(parsed, Deferred):
            return parsed.section(found)
        assert parsed is not None  # noqa: S101 - headers are only stored for a parsed file
        return next(s for s in parsed.sections if s.name == found)

    def __repr__(self) -> str:
        return f"AwsFiles({self.config_path!r}, {self.credentials_path!r})"

    def _index_sections(self) -> None:
        if isinstance(self._credentials, Deferred):
            self._credential_sections = {name: name for name in self._credentials.names}
        elif self._credentials is not None:
            self._credential_sections = {
                s.name: s for s in self._credentials.sections if s.name != DEFAULT_SECTION
            }
        if isinstance(self._config, Deferred):
            self._indexed = False  # names are classified when first listed (_full_index)
            self._lookups = 0
            return
        if self._config is None:
            return
        for section in self._config.sections:
            if section.name == DEFAULT_SECTION:
                continue
            kind, name = _section_meaning(section.name)
            if kind is Kind.PROFILE:
                self._profile_sections[name] = section
                if name == "default":
                    self._default_headers.append(section)
            elif kind is Kind.SSO_SESSION:
                self._sessions[name] = section
            elif kind is Kind.SERVICES:
                self._services[name] = section
            elif kind is Kind.DROPPED:
                self._dropped.append(
                    DroppedSection(section.name, Source(self.config_path, section.line))
                )

    def _full_index(self) -> None:
        if not self._indexed and isinstance(self._config, Deferred):
            self._indexed = True
            self._index_deferred(self._config)

    def _header(
        self, table: dict[str, Section | str], kind: Kind, name: str
    ) -> Section | str | None:
        """The section in force for ``name`` of ``kind``. In a deferred file not yet indexed,
        only the headers that may name it are read (found in one search over the names); past
        a few lookups, classifying every header once is cheaper."""
        if self._indexed or not isinstance(self._config, Deferred):
            return table.get(name)
        self._lookups += 1
        if self._lookups > Deferred.LOOKUPS:
            self._full_index()
            return table.get(name)
        found = None
        for header in _kept(self._config.names, name):
            if _section_meaning(header) == (kind, name):
                found = header  # the last one wins whole, as in botocore
        return found

    def _index_deferred(self, config: Deferred) -> None:
        """:meth:`_index_sections` from the names alone: sections are parsed when looked up."""
        profiles = self._profile_sections
        simple_default = ("default", "profile default")
        maybe_default = "profile default" in config.names
        for run, header in _runs(config.names, headers=True):
            profiles.update(run)
            if maybe_default and simple_default in run:
                self._default_headers.append(simple_default[1])
            if header is None:
                break
            kind, name = _section_meaning(header)
            if kind is Kind.PROFILE:
                profiles[name] = header
                if name == "default":
                    self._default_headers.append(header)
            elif kind is Kind.SSO_SESSION:
                self._sessions[name] = header
            elif kind is Kind.SERVICES:
                self._services[name] = header
            elif kind is Kind.DROPPED:
                line = config.section(header).line
                self._dropped.append(DroppedSection(header, Source(self.config_path, line)))

    # -- names ---------------------------------------------------------------------------

    def profile_names(self) -> list[str]:
        """Every profile, config file order first, then those only in the credentials file."""
        if self.is_partial:
            return _profile_names(self.config_path, self.credentials_path)
        self._full_index()
        if not self._credential_sections:
            return list(self._profile_sections)
        if self._merged_names is None:  # both files' names, merged once (doctor asks often)
            names = dict.fromkeys(self._profile_sections)
            names.update(dict.fromkeys(self._credential_sections))
            self._merged_names = list(names)
        return list(self._merged_names)

    @property
    def is_partial(self) -> bool:
        """Loaded for one name only (hot paths): lookups work, listings re-read the files."""
        return any(f is not None and f.partial for f in (self._config, self._credentials))

    def sso_session_names(self) -> list[str]:
        self._full_index()
        return list(self._sessions)

    def services_names(self) -> list[str]:
        self._full_index()
        return list(self._services)

    def dropped_sections(self) -> list[DroppedSection]:
        self._full_index()
        return list(self._dropped)

    def default_headers(self) -> list[Source]:
        """Headers that define ``default`` in the config file; with two, the last one wins."""
        headers = self._default_headers
        if not self._indexed and isinstance(self._config, Deferred):
            meaning = (Kind.PROFILE, "default")
            kept = _kept(self._config.names, "default")
            headers = [h for h in kept if _section_meaning(h) == meaning]
        sections = [self._section(s) for s in headers]
        return [Source(self.config_path, s.line) for s in sections if s is not None]

    # -- lookups -------------------------------------------------------------------------

    def has_profile(self, name: str) -> bool:
        return (
            self._header(self._profile_sections, Kind.PROFILE, name) is not None
            or self._credentials_section(name) is not None
        )

    def profile(self, name: str) -> Profile | None:
        """The merged profile, or None when neither file defines it."""
        if name not in self._built:
            self._built[name] = self._merge(name)
        return self._built[name]

    def _merge(self, name: str) -> Profile | None:
        config_section = self._section(self._header(self._profile_sections, Kind.PROFILE, name))
        credentials_section = self._credentials_section(name)
        if config_section is None and credentials_section is None:
            return None
        settings: dict[str, Setting] = {}
        config_source = credentials_source = None
        if config_section is not None and self._config is not None:
            settings.update(_settings(self.config_path, self._config, config_section))
            config_source = Source(self.config_path, config_section.line)
        if credentials_section is not None and self._credentials is not None:
            settings.update(
                _settings(self.credentials_path, self._credentials, credentials_section)
            )
            credentials_source = Source(self.credentials_path, credentials_section.line)
        return Profile(name, settings, config_source, credentials_source)

    def require_profile(self, name: str) -> Profile:
        profile = self.profile(name)
        if profile is None:
            raise ProfileNotFoundError(name, did_you_mean(name, self.profile_names(), "--profile"))
        return profile

    def sso_session(self, name: str) -> NamedSection | None:
        key = (Kind.SSO_SESSION, name)  # built once: every SSO profile of a big file asks
        if key not in self._named_built:
            found = self._header(self._sessions, Kind.SSO_SESSION, name)
            self._named_built[key] = self._named(found, name)
        return self._named_built[key]

    def services(self, name: str) -> NamedSection | None:
        key = (Kind.SERVICES, name)
        if key not in self._named_built:
            found = self._header(self._services, Kind.SERVICES, name)
            self._named_built[key] = self._named(found, name)
        return self._named_built[key]

    def other_section(self, header: str) -> dict[str, Value] | None:
        """A top-level config section such as ``[plugins]`` or ``[preview]``."""
        if self.config is None:
            return None
        for section in self.config.sections:
            if section.name == header and config_header_meaning(header) == (Kind.OTHER, header):
                return self.config.values(section)
        return None

    def parse_all(self) -> None:
        """For a command about to visit every profile: a deferred file is parsed whole now, in
        one pass, rather than first looked up section by section (each lookup searches the
        whole text)."""
        for parsed in (self._config, self._credentials):
            if isinstance(parsed, Deferred):
                parsed.parse()

    def texts(self, keys: tuple[str, ...]) -> list[tuple[str, list[str | None]]]:
        """Every profile's name with its string values of ``keys`` (None: unset or nested),
        merged as :meth:`profile` merges them (credentials win key by key, [DEFAULT] keys
        included), without building the profiles: a command that reads a few keys of
        100,000 profiles pays for those keys only. The last answer is kept (several walks
        of one command ask for the same keys)."""
        if self._texts is None or self._texts[0] != keys:
            self._texts = (keys, self._columns_walk(keys) or list(self._walk(keys)))
        return self._texts[1]

    def keep_texts(self, keys: tuple[str, ...]) -> None:
        """Read ``keys`` of every section of a plain config now, so that the answer is kept for
        the next command (:meth:`Deferred.columns`, for a big file); nothing otherwise."""
        if isinstance(self._config, Deferred):
            self._config.columns(keys)

    def _columns_walk(self, keys: tuple[str, ...]) -> list[tuple[str, list[str | None]]] | None:
        """:meth:`_walk` for a plain config read by columns, in one pass over its profiles;
        the few profiles the credentials file also has are merged one by one. None when the
        config is not such a file."""
        config = self._config
        if not isinstance(config, Deferred) or self.is_partial:
            return None
        columns = config.columns(keys)
        if columns is None:
            return None
        self._full_index()
        unset: list[str | None] = [None] * len(keys)
        # A deferred file's profiles are indexed by header text (never a parsed Section); the
        # loops run in C (``map``): 100,000 profiles are most of this command's time otherwise.
        from itertools import repeat

        names = list(self._profile_sections)
        headers: Iterable[Any] = self._profile_sections.values()
        rows = list(map(columns.get, headers, repeat(unset)))
        if not self._credential_sections:
            return list(zip(names, rows, strict=True))
        merged = dict(self._walk(keys, self._credential_sections))
        rows = list(map(merged.pop, names, rows))  # the credentials file wins, key by key
        # Then the profiles only in the credentials file.
        return list(zip(names, rows, strict=True)) + list(merged.items())

    def _walk(
        self, keys: tuple[str, ...], names: Iterable[str] | None = None
    ) -> Iterator[tuple[str, list[str | None]]]:
        self._full_index()
        config = self._rows(self._config, keys, True)
        credentials = self._rows(self._credentials, keys, False)
        in_config, in_credentials = self._profile_sections, self._credential_sections
        for name in self.profile_names() if names is None else names:
            mine = in_credentials.get(name) if in_credentials else None
            found = in_config.get(name)
            if mine is None:
                if found is not None:
                    yield name, config(found, False)
                continue
            values: list[str | Setting | None] = list(credentials(mine, True))
            if found is not None:
                under = config(found, False)
                values = [v if v is not UNSET else u for v, u in zip(values, under, strict=True)]
            yield name, [value if isinstance(value, str) else None for value in values]

    def _rows(
        self, parsed: IniFile | Deferred | None, keys: tuple[str, ...], config: bool
    ) -> Callable[[Section | str, bool], list[Any]]:
        """How to read ``keys`` of one section of ``parsed``: each value, None when nested, and
        when unset None, or ``UNSET`` if ``marked``."""
        if isinstance(parsed, Deferred):
            columns = parsed.columns(keys)
            if columns is not None:  # a plain file: no nested values, no [DEFAULT]
                unset: list[str | None] = [None] * len(keys)

                def row(header: Section | str, marked: bool) -> list[Any]:
                    found = columns.get(header, unset) if isinstance(header, str) else unset
                    return [UNSET if v is None else v for v in found] if marked else found

                return row
            parsed.parse()

        def section(found: Section | str, marked: bool) -> list[Any]:
            where = self._section(found, config)
            values = [_text(parsed, where, key) for key in keys]  # type: ignore[arg-type]
            return values if marked else [None if v is UNSET else v for v in values]

        return section

    def where(self, keys: tuple[str, ...], value: str | None = None) -> list[str]:
        """The profiles, in order, that may have one of ``keys`` set to a value the
        expression ``value`` matches whole (any value when None), in either file: a superset,
        for a check that then reads the merged profile. A plain file is searched on its text,
        so finding the few of 100,000 profiles that hold a rare key costs one pass."""
        import re

        self._full_index()
        found: set[str] = set()
        for parsed, is_config in ((self._config, True), (self._credentials, False)):
            headers: set[str] | None = None
            if isinstance(parsed, Deferred):
                headers = parsed.headers_where(keys, value)
            if headers is None and parsed is not None:
                whole = parsed.parse() if isinstance(parsed, Deferred) else parsed
                headers = set()
                for section in whole.sections:
                    if section.name == DEFAULT_SECTION:
                        continue  # its keys count through each section (defaults)
                    for key in keys:
                        text = _text(whole, section, key)
                        if isinstance(text, str) and (
                            value is None or re.fullmatch(value, text) is not None
                        ):
                            headers.add(section.name)
            for header in headers or ():
                if not is_config:
                    found.add(header)
                    continue
                kind, name = _section_meaning(header)
                if kind is Kind.PROFILE:
                    found.add(name)
        if not found:
            return []
        return [name for name in self.profile_names() if name in found]

    def profiles(self) -> Iterator[Profile]:
        self.parse_all()
        for name in self.profile_names():
            profile = self.profile(name)
            if profile is not None:
                yield profile

    def _named(self, found: Section | str | None, name: str) -> NamedSection | None:
        section = self._section(found)
        if section is None or self._config is None:
            return None
        settings = _settings(self.config_path, self._config, section)
        return NamedSection(name, settings, Source(self.config_path, section.line))

    def _credentials_section(self, name: str) -> Section | None:
        return self._section(self._credential_sections.get(name), config=False)


def did_you_mean(name: str, candidates: list[str], flag: str, joiner: str = " ") -> str:
    """A hint naming the closest candidate, or listing how to see them all."""
    import difflib  # only on the error path

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if close:
        return f"Did you mean `{flag}{joiner}{close[0]}`?"
    if not candidates:
        return "No profiles are defined: create one with `awsprof configure --profile NAME`."
    return "Run `awsprof configure list-profiles` to see the profiles that exist."


def load_files(environ: Mapping[str, str], keep: str | None = None) -> AwsFiles:
    """Read and parse both files named by ``environ``. A malformed file raises exit 3.

    ``keep`` (hot paths) keeps only sections whose name contains it; the rest of each file is
    still validated, or known valid from :mod:`awsprof.files.index`.
    """
    config_path, credentials_path = locate.aws_files(environ)
    cache = locate.cache_dir(environ)
    config = _parse(config_path, keep, cache, True)
    credentials = _parse(credentials_path, keep, cache, False)
    return AwsFiles(config_path, credentials_path, config, credentials)


def _file_profiles(path: Path, cache: Path | None, is_config: bool) -> list[str]:
    """The profiles one file defines, in order (remembered for validated plain files)."""
    stat = _stat(path)
    if stat is None:
        return []
    known = index.load(cache, path, stat) if cache is not None else None
    if known is not None and known[1] is None:
        return known[0][1]  # names only: no need to read the file at all
    loaded = _load(path)
    if loaded is None:
        return []
    text, read_stat = loaded
    if known is not None and read_stat is not None:
        checked = _checked(path, read_stat, text, cache, known)
        if checked is not None:
            return checked[1]
    return _scan(path, read_stat, text, cache, is_config)[2]


def _checked(
    path: Path,
    stat: os.stat_result,
    text: str,
    cache: Path | None,
    known: tuple[index.Entry, str | None],
) -> index.Entry | None:
    """A remembered entry that holds for ``text`` (read at ``stat``): one stored by a reader
    holds by identity; one stored by awsprof's own write must match the text's digest, and is
    then stored as a reader's once the file has settled."""
    entry, text_digest = known
    if text_digest is None:
        return entry
    if index.digest(text.encode("utf-8", "surrogateescape")) != text_digest:
        return None
    if cache is not None and index.settled(stat):
        index.save(cache, path, stat, *entry)
    return entry


def remember_written(
    path: Path,
    data: bytes,
    environ: Mapping[str, str],
    is_config: bool,
    previous: tuple[os.stat_result, bytes] | None = None,
) -> bool:
    """After awsprof's own atomic write of ``data`` to ``path``: index the new text now, so the
    next read is as fast as before the write (instead of validating the whole file again).
    Whether the new text is a plain file, indexed (read by sections from now on).

    ``previous`` (the identity and bytes the edit started from) says the write kept every
    section name and plain line: the entry of the previous text then stays, with a small record
    of the new identity, instead of the whole file being scanned and its entry rewritten.
    """
    try:
        stat = os.stat(path)
    except OSError:
        return False
    cache = locate.cache_dir(environ)
    if previous is not None:
        before, old = previous
        if index.moved(cache, path, before, lambda: index.digest(old), stat, index.digest(data)):
            return True
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if "\r" in text:
        plain: list[bool] = []
        found = header_names(text, plain)
        names = None if isinstance(found, IniSyntaxError) or not plain else found
    else:
        # Only a plain file is remembered: the one-pass check says so without the general
        # parser's walk over every line of a file that is not (sso populate's big writes).
        names = plain_index(text)
    if names is None:
        return False
    profiles = _profiles_of(names, is_config)
    index.save(cache, path, stat, names, profiles, index.digest(data))
    return True


def _profiles_of(names: list[str], is_config: bool) -> list[str]:
    if not is_config:
        return names
    found: list[str] = []
    repeated = False  # only a header that is not simple can name a profile a second time
    for run, other in _runs(names, headers=False):
        found += run  # simple headers are unique, and so are their names
        if other is not None:
            kind, name = _section_meaning(other)
            if kind is Kind.PROFILE:
                found.append(name)
                repeated = True
    return list(dict.fromkeys(found)) if repeated else found


def _validated(
    path: Path, stat: os.stat_result | None, text: str, cache: Path | None, is_config: bool
) -> index.Entry | None:
    """(names, profiles) of ``text``, a valid plain file, remembered under ``stat`` (the
    identity ``text`` was read at); None if not plain.

    A malformed file raises exit 3 here.
    """
    known = _indexed(path, stat, text, cache)
    if known is not None:
        return known
    names, plain, profiles = _scan(path, stat, text, cache, is_config)
    return (names, profiles) if plain else None


def _scan(
    path: Path, stat: os.stat_result | None, text: str, cache: Path | None, is_config: bool
) -> tuple[list[str], bool, list[str]]:
    """Validate ``text`` once: (section names, whether it is plain, profiles).

    A valid plain file is remembered in the index; a malformed one raises exit 3.
    """
    plain: list[bool] = []
    names = header_names(text, plain)
    if isinstance(names, IniSyntaxError):
        raise ConfigFileError(path, names.line, names.reason, names.hint)
    profiles = _profiles_of(names, is_config)
    if not plain:
        return names, False, profiles  # not a plain file: the general parser reads it
    if cache is not None and stat is not None:
        index.save(cache, path, stat, names, profiles)
    return names, True, profiles


def _profile_names(
    config_path: Path, credentials_path: Path, cache: Path | None = None
) -> list[str]:
    in_config = _file_profiles(config_path, cache, True)
    in_credentials = _file_profiles(credentials_path, cache, False)
    if not in_credentials:
        return list(in_config)  # already one name each
    profiles = dict.fromkeys(in_config)
    profiles.update(dict.fromkeys(in_credentials))
    return list(profiles)


def list_profile_names(environ: Mapping[str, str]) -> list[str]:
    """``configure list-profiles``: names only, without building any profile (hot path)."""
    return _profile_names(*locate.aws_files(environ), locate.cache_dir(environ))
