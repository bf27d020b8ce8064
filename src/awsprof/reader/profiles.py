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

    Settings = dict[str, tuple[str, str]]  # key -> (value, "file:line")

# awsprof's own keys (marks, pins) or tier sections: configparser lower-cases keys, match any case.
_MARK = re.compile(r"(?im)^\s*(?:awsprof_|\[\s*awsprof-tier\s)")
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
    return text is not None and "awsprof" in text.lower() and _MARK.search(text) is not None


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


class ProfileFiles:
    """The two files' profiles: all of them, or only ``only`` when no other profile can matter
    (no protection marks anywhere, or the caller says marks cannot change its answer)."""

    __slots__ = ("config_path", "credentials_path", "has_marks", "profiles", "tier_sections")

    def __init__(
        self, environ: Mapping[str, str], only: str | None = None, marks_matter: bool = True
    ) -> None:
        self.config_path = config_path(environ)
        self.credentials_path = credentials_path(environ)
        config_text, config_identity = _read_file(self.config_path)
        credentials_text, credentials_identity = _read_file(self.credentials_path)
        # awsprof's own keys (protection marks, pins) make every profile matter to the guard.
        self.has_marks = marks_matter and (_has_marks(config_text) or _has_marks(credentials_text))
        keep = None if self.has_marks else only
        config = _parsed_file(self.config_path, config_text, config_identity, keep, environ, True)
        credentials = _parsed_file(
            self.credentials_path, credentials_text, credentials_identity, keep, environ, False
        )
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
