"""Profile settings as botocore merges them, read from the two files without the full model.

Config sections first, then the credentials file's keys per key; nested values are left out (no
account or credential lives in them). Each value keeps its ``file:line`` for messages. A file that
botocore cannot read raises the same typed error (exit 3) as the full model.
"""

from __future__ import annotations

import os
import re

from awsprof.files.ini import IniFile, Section, parse
from awsprof.files.paths import config_path, credentials_path
from awsprof.files.regular import open_text
from awsprof.files.sections import Kind, config_header_meaning

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping

    from awsprof.files.sectionmap import SectionMap

    Settings = dict[str, tuple[str, str]]  # key -> (value, "file:line")

# awsprof's own keys (marks, pins) or tier sections: configparser lower-cases keys, match any case.
# (Compiled on first use, through ``re``'s cache: most configs have no mark at all.)
_MARK = r"(?im)^\s*(?:awsprof_|\[\s*awsprof-tier\s)"
TIER_PREFIX = "awsprof-tier "


def _read(path: str) -> str | None:
    try:
        with open_text(path) as handle:  # a FIFO or device is refused, never waited on
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError):
        # The full loader says exactly what is wrong with the file (exit 3).
        from awsprof.profiles.model import load_files

        load_files({"AWS_CONFIG_FILE": path, "AWS_SHARED_CREDENTIALS_FILE": path})
        raise


def _parsed(path: str, text: str | None, keep: str | None) -> IniFile | None:
    if text is None:
        return None
    parsed = parse(text, keep)
    if parsed.error is not None:
        from awsprof.errors import ConfigFileError

        error = parsed.error
        raise ConfigFileError(path, error.line, error.reason, error.hint)
    return parsed


def _values(path: str, parsed: IniFile, section: Section) -> Settings:
    options = dict(parsed.defaults)
    options.update(section.options)
    values = {}
    for key, option in options.items():
        value = option.raw
        if not value.startswith("\n"):
            values[key] = (value, f"{path}:{option.line}")
    return values


# Above this size the index (awsprof.files.index) saves more than its own cost: a big file that
# was validated before is not validated again on every prompt and every `aws` command.
BIG_FILE = 1 << 20


def _has_marks(text: str | None) -> bool:
    """Whether awsprof's own keys or tier sections appear (any case, as configparser reads keys).

    A plain search of the lower-cased text first: the precise multi-line expression alone takes
    over 100 ms on a 10 MB config, and most configs have no mark at all.
    """
    return text is not None and "awsprof" in text.lower() and re.search(_MARK, text) is not None


def _read_file(path: str) -> tuple[str | None, object]:
    """(text, the identity it was read at): a big file is read with its identity, so that the
    index can vouch for it; a small one is simply read (validating it costs less)."""
    try:
        size = os.stat(path).st_size
    except OSError:
        size = 0
    if size <= BIG_FILE:
        return _read(path), None
    from pathlib import Path

    from awsprof.profiles.model import load_text

    loaded = load_text(Path(path))
    return (None, None) if loaded is None else loaded


def _parsed_file(
    path: str,
    text: str | None,
    identity: object,
    keep: str | None,
    environ: Mapping[str, str],
    is_config: bool,
) -> IniFile | None:
    if text is not None and keep is not None and identity is not None:
        from pathlib import Path

        from awsprof.files.paths import cache_dir
        from awsprof.profiles.model import parse_known

        cache = Path(cache_dir(environ))
        return parse_known(Path(path), identity, text, keep, cache, is_config)  # type: ignore[arg-type]
    return _parsed(path, text, keep)


class _Mapped:
    """A big file known by its section map (:mod:`awsprof.files.sectionmap`), open at the
    map's identity: only the sections asked for are read."""

    __slots__ = ("fd", "map", "path")

    def __init__(self, path: str, fd: int, section_map: SectionMap) -> None:
        self.path = path
        self.fd = fd
        self.map = section_map

    def parse(self, wanted: list[str], with_marked: bool) -> IniFile | None:
        """The sections that may name a profile of ``wanted`` (and, ``with_marked``, those the
        marks make matter), or None when the file no longer is what the map describes."""
        from awsprof.files.ini import parse_sections

        sections: list[tuple[int, str | None]] = [*self.map.section_numbers(wanted)]
        if with_marked and self.map.marked:
            known = dict(sections)
            for number in self.map.marked:
                known.setdefault(number, None)  # (found by position: no name to check)
            sections = sorted(known.items())
        parts = self.map.read(self.fd, sections)
        if parts is None or _identity(os.fstat(self.fd)) != self.map.identity:
            return None
        return parse_sections(parts)


def _identity(stat: os.stat_result) -> list[int]:
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def _open_mapped(path: str, environ: Mapping[str, str]) -> _Mapped | None:
    """The file through its section map, when it is big and has one for its identity."""
    import stat as kinds

    try:
        info = os.stat(path)
    except OSError:
        return None
    if info.st_size <= BIG_FILE or not kinds.S_ISREG(info.st_mode) or not hasattr(os, "pread"):
        return None  # (no os.pread on Windows: the whole file is read there)
    from awsprof.files import sectionmap
    from awsprof.files.paths import cache_dir
    from awsprof.files.regular import open_fd

    found = sectionmap.load(cache_dir(environ), path, info)
    if found is None:
        return None
    try:
        fd = open_fd(path)
    except OSError:
        return None
    if _identity(os.fstat(fd)) != found.identity:
        os.close(fd)
        return None
    return _Mapped(path, fd, found)


def _remember_sections(
    path: str,
    text: str,
    identity: object,
    environ: Mapping[str, str],
    has_marks: bool,
    is_config: bool,
) -> None:
    """After a hot read of a whole big file that the index vouches for: store its section map,
    so that the next reads take only the sections they need."""
    from awsprof.files import entries, sectionmap

    stat: os.stat_result = identity  # type: ignore[assignment]
    if not text.isascii() or not entries.settled(stat):
        return
    if not hasattr(os, "pread"):
        return  # no reader could use it
    if "\r" in text:
        return  # line ends the map does not describe
    from pathlib import Path

    from awsprof.files.paths import cache_dir
    from awsprof.profiles.model import plain_names

    cache = cache_dir(environ)
    names = plain_names(Path(path), stat, text, Path(cache), is_config)
    if names is None:
        return  # not a plain file: the map cannot describe it
    built = sectionmap.build(text, names, has_marks, is_config)
    if built is not None:
        sectionmap.save(cache, path, stat, built)


def _with_marks(parsed: IniFile | None, is_config: bool) -> list[str]:
    """The profiles of a wholly parsed file that hold any awsprof key (a superset of the
    marked)."""
    names: list[str] = []
    for section in parsed.sections if parsed is not None else ():
        if not any(key.startswith("awsprof") for key in section.options):
            continue
        if not is_config:
            names.append(section.name)
            continue
        kind, name = config_header_meaning(section.name)
        if kind is Kind.PROFILE:
            names.append(name)
    return names


class ProfileFiles:
    """The two files' profiles: all of them, or only ``only`` when no other profile can matter
    (no protection marks anywhere, or the caller says marks cannot change its answer).

    With marks and ``only``, a big file known by its section map gives only the profiles that
    can matter: ``only``, every profile that mentions awsprof in either file, and the tiers.
    """

    __slots__ = ("config_path", "credentials_path", "has_marks", "profiles", "tier_sections")

    def __init__(
        self, environ: Mapping[str, str], only: str | None = None, marks_matter: bool = True
    ) -> None:
        self.config_path = config_path(environ)
        self.credentials_path = credentials_path(environ)
        mapped: list[_Mapped | None] = [None, None]
        if only is not None:
            mapped = [_open_mapped(self.config_path, environ)]
            mapped.append(_open_mapped(self.credentials_path, environ))
        try:
            if not self._read(environ, only, marks_matter, mapped[0], mapped[1]):
                self._read(environ, only, marks_matter, None, None)  # the map did not hold
        finally:
            for found in mapped:
                if found is not None:
                    os.close(found.fd)

    def _read(
        self,
        environ: Mapping[str, str],
        only: str | None,
        marks_matter: bool,
        config_map: _Mapped | None,
        credentials_map: _Mapped | None,
    ) -> bool:
        config_text, config_identity = (None, None) if config_map else _read_file(self.config_path)
        credentials_text, credentials_identity = (
            (None, None) if credentials_map else _read_file(self.credentials_path)
        )
        config_marks = config_map.map.has_marks if config_map else _has_marks(config_text)
        credentials_marks = (
            credentials_map.map.has_marks if credentials_map else _has_marks(credentials_text)
        )
        # awsprof's own keys (protection marks, pins) make every profile matter to the guard.
        self.has_marks = marks_matter and (config_marks or credentials_marks)
        keep = None if self.has_marks else only
        config = None
        if config_map is None:
            config = _parsed_file(
                self.config_path, config_text, config_identity, keep, environ, True
            )
            if only is not None and config_identity is not None and config_text is not None:
                _remember_sections(
                    self.config_path, config_text, config_identity, environ, config_marks, True
                )
        credentials = None
        if credentials_map is None:
            credentials = _parsed_file(
                self.credentials_path,
                credentials_text,
                credentials_identity,
                keep,
                environ,
                False,
            )
            if only is not None and credentials_identity is not None and credentials_text:
                _remember_sections(
                    self.credentials_path,
                    credentials_text,
                    credentials_identity,
                    environ,
                    credentials_marks,
                    False,
                )
        if config_map is not None or credentials_map is not None:
            # A file's own marked sections come from its map; the profiles marked in the other
            # file are looked for by name.
            for_config, for_credentials = [only or ""], [only or ""]
            if self.has_marks:
                for_config += _with_marks(credentials, False)
                for_credentials += _with_marks(config, True)
                if credentials_map is not None:
                    for_config += credentials_map.map.marked_profiles
                if config_map is not None:
                    for_credentials += config_map.map.marked_profiles
            if config_map is not None:
                config = config_map.parse(for_config, self.has_marks)
                if config is None:
                    return False
            if credentials_map is not None:
                credentials = credentials_map.parse(for_credentials, self.has_marks)
                if credentials is None:
                    return False
        self._collect(config, credentials, keep)
        return True

    def _collect(
        self, config: IniFile | None, credentials: IniFile | None, keep: str | None
    ) -> None:
        self.profiles: dict[str, Settings] = {}
        # [awsprof-tier NAME] sections: (name, "file:line", settings), in file order.
        self.tier_sections: list[tuple[str, str, Settings]] = []
        if config is not None:
            for section in config.sections:
                if section.name.startswith(TIER_PREFIX):
                    self.tier_sections.append(
                        (
                            section.name[len(TIER_PREFIX) :].strip(),
                            f"{self.config_path}:{section.line}",
                            _values(self.config_path, config, section),
                        )
                    )
                    continue
                kind, name = config_header_meaning(section.name)
                if kind is not Kind.PROFILE or (keep is not None and name != keep):
                    continue
                # With both [default] and [profile default], the later one wins whole.
                self.profiles[name] = _values(self.config_path, config, section)
        if credentials is not None:
            for section in credentials.sections:
                name = section.name
                if name == "DEFAULT" or (keep is not None and name != keep):
                    continue
                values = _values(self.credentials_path, credentials, section)
                self.profiles.setdefault(name, {}).update(values)

    def get(self, name: str) -> Settings | None:
        return self.profiles.get(name)


def profile_settings(environ: Mapping[str, str], name: str) -> Settings | None:
    """One profile's settings (None when no file defines it)."""
    return ProfileFiles(environ, name).get(name)
