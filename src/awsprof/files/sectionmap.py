"""Where each section of a big, validated config file is, so a hot command reads only its own.

The prompt and the guard need one profile (and, when the file has protection marks, the marked
ones). On a file of 100,000 profiles, reading, decoding and searching all 15 MB, and loading the
index's 100,000 names, costs several times Python's own start-up. So once such a file has been
validated (:mod:`awsprof.files.index` knows it by its identity), its *section map* is stored next
to the index entry, under the same identity:

- the section names joined into one string (one object to load, searched like the names list);
- every ``CHUNK`` bytes, at a line start: the offset, the lines and the headers before it;
- whether the file has awsprof's marks; the profiles named by the sections that mention
  ``awsprof`` (a superset of the marked ones), and where every section defining one of them is.

A section is then found without reading the file: its position in the names gives how many
headers come before it, the chunk table where to start reading, and a short read the section.
The map is built only for a settled, plain, ASCII file without ``\\r`` (so byte and character
offsets agree, and every ``\\n[`` starts a header); it is used only while the file keeps that
identity, checked on the open descriptor before and after the read, like the index.
"""

from __future__ import annotations

import marshal
import os

from awsprof.files import entries
from awsprof.hashing import sha1_hex

FORMAT = 1
CHUNK = 1 << 12


def _identity(stat: os.stat_result) -> list[int]:
    return list(entries.identity(stat))  # stored as a list: marshal gives a list back


def _entry(cache_dir: str, path: str) -> str:
    digest = sha1_hex(os.fsencode(os.path.realpath(path)))
    return os.path.join(cache_dir, f"ini-{digest}.sections")


class SectionMap:
    """The stored map of one file (see the module's description)."""

    __slots__ = (
        "has_marks",
        "headers",
        "identity",
        "lines",
        "marked",
        "marked_profiles",
        "name_offsets",
        "names",
        "offsets",
    )

    def __init__(
        self,
        identity: list[int],
        names: str,
        has_marks: bool,
        marked: list[int],
        marked_profiles: list[str],
        offsets: list[int],
        lines: list[int],
        headers: list[int],
        name_offsets: list[int],
    ) -> None:
        self.identity = identity
        self.names = names  # every section name, in file order, joined with "\n"
        self.has_marks = has_marks  # as the reader's exact test answered on the whole text
        # The sections that mention "awsprof" (any case), and every section that defines a
        # profile one of them defines (the later definition wins whole): their positions, and
        # those profiles (the other file's sections for them matter too).
        self.marked = marked
        self.marked_profiles = marked_profiles
        self.offsets = offsets  # chunk starts (line starts), the first at 0
        self.lines = lines  # lines before each chunk start
        self.headers = headers  # headers before each chunk start
        self.name_offsets = name_offsets  # where in ``names`` the name of each chunk's first is

    def section_numbers(self, wanted: list[str]) -> list[tuple[int, str]]:
        """(position, name) in file order of the sections whose name contains any of ``wanted``
        or holds a quote or backslash (botocore's shell-like split may make it name one): the
        sections :func:`awsprof.files.ini.parse` keeps for each of them."""
        joined = self.names
        if (
            "'" in joined
            or '"' in joined
            or "\\" in joined
            or any(not name or "\n" in name for name in wanted)
        ):
            return [
                (number, name)
                for number, name in enumerate(joined.split("\n"))
                if any(w in name for w in wanted) or "'" in name or '"' in name or "\\" in name
            ]
        spans: set[tuple[int, int]] = set()
        for name in wanted:
            at = joined.find(name)
            while at >= 0:
                start = joined.rfind("\n", 0, at) + 1
                end = joined.find("\n", at)
                end = len(joined) if end < 0 else end
                spans.add((start, end))
                at = joined.find(name, end)
        import bisect

        # A name's position: the headers before its chunk's first, then the names in between.
        found = []
        for start, end in sorted(spans):
            chunk = bisect.bisect_right(self.name_offsets, start) - 1
            number = self.headers[chunk] + joined.count("\n", self.name_offsets[chunk], start)
            found.append((number, joined[start:end]))
        return found

    def read(self, fd: int, sections: list[tuple[int, str | None]]) -> list[tuple[str, int]] | None:
        """(text, line of its header) of each section of ``sections`` (from
        :meth:`section_numbers`), read from ``fd``; None when the file is not as the map says
        (the caller then reads it whole). A section given with its name is checked to have it."""
        import bisect

        size = self.identity[2]
        found: list[tuple[str, int]] = []
        for number, name in sections:
            chunk = bisect.bisect_right(self.headers, number) - 1
            start = self.offsets[chunk]
            stop = self.offsets[chunk + 1] if chunk + 1 < len(self.offsets) else size
            try:
                text = os.pread(fd, stop - start, start).decode("ascii")
                # The chunk's headers start at its first byte or right after a line break.
                at = 0 if text.startswith("[") else _next_header(text, 0)
                for _ in range(number - self.headers[chunk]):
                    at = _next_header(text, at) if at >= 0 else -1
                if at < 0:
                    return None
                end = text.find("\n[", at)
                while end < 0 and start + len(text) < size:  # the section runs past its chunk
                    more = os.pread(fd, 2 * CHUNK, start + len(text)).decode("ascii")
                    if not more:
                        break
                    searched = len(text) - 1
                    text += more
                    end = text.find("\n[", searched)
            except (OSError, UnicodeDecodeError):
                return None
            section = text[at : len(text) if end < 0 else end + 1]
            line_end = section.find("\n")
            header = section if line_end < 0 else section[:line_end]
            if not header.startswith("[") or (
                name is not None and header[1 : header.rfind("]")] != name
            ):
                return None  # not the file the map was made from
            found.append((section, self.lines[chunk] + 1 + text.count("\n", 0, at)))
        return found


def _next_header(text: str, at: int) -> int:
    """Where the header after the one at ``at`` starts (-1: none in ``text``)."""
    found = text.find("\n[", at)
    return -1 if found < 0 else found + 1


def load(cache_dir: str, path: str, stat: os.stat_result) -> SectionMap | None:
    """The map stored for ``path`` at identity ``stat``, or None."""
    try:
        with open(_entry(cache_dir, path), "rb") as handle:
            stored = marshal.loads(handle.read())  # noqa: S302 - our own 0700 cache
        (version, identity, names, has_marks, marked, marked_profiles) = stored[:6]
        offsets, lines, headers, name_offsets = stored[6:]
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if version != FORMAT or identity != _identity(stat):
        return None
    if not (isinstance(names, str) and isinstance(marked, list) and isinstance(offsets, list)):
        return None
    if not isinstance(marked_profiles, list):
        return None
    if not (isinstance(lines, list) and isinstance(headers, list) and offsets and offsets[0] == 0):
        return None
    if not isinstance(name_offsets, list) or len(name_offsets) != len(offsets):
        return None
    return SectionMap(
        identity,
        names,
        bool(has_marks),
        marked,
        marked_profiles,
        offsets,
        lines,
        headers,
        name_offsets,
    )


def _profile_of(header: str, is_config: bool) -> str | None:
    """The profile a section defines (None: not a profile), by botocore's rules."""
    if not is_config:
        return header
    name = header[8:]
    common = header.startswith("profile ") and name and header.isprintable()
    if common and " " not in name and "'" not in name and '"' not in name and "\\" not in name:
        return name  # the common form, without the general rules (as the index reads it)
    from awsprof.files.sections import Kind, config_header_meaning

    kind, name = config_header_meaning(header)
    return name if kind is Kind.PROFILE else None


def _marked(text: str, names: list[str], is_config: bool) -> tuple[list[int], list[str]]:
    """(the sections to read when marks matter, the profiles they define): see SectionMap."""
    lowered = text.lower()  # an ASCII text: the same offsets
    mentions: set[int] = set()
    counted, number = 0, -1  # headers counted up to ``counted``; the section there
    if text.startswith("["):
        number = 0
    at = lowered.find("awsprof")
    while at >= 0:
        number += text.count("\n[", counted, at)
        counted = at
        if number >= 0:  # (a mention before the first header is in a comment)
            mentions.add(number)
        following = text.find("\n[", at)  # on to the next section
        at = -1 if following < 0 else lowered.find("awsprof", following)
    profiles = {_profile_of(names[n], is_config) for n in mentions} - {None}
    defining = {n for n, name in enumerate(names) if _profile_of(name, is_config) in profiles}
    return sorted(mentions | defining), sorted(p for p in profiles if p is not None)


def build(text: str, names: list[str], has_marks: bool, is_config: bool) -> SectionMap | None:
    """The map of ``text``, a validated plain file whose sections are ``names`` (None when the
    file is not one the map can describe: not ASCII, or with ``\\r`` line ends)."""
    if not text.isascii() or "\r" in text or not names:
        return None
    if text.count("\n[") + text.startswith("[") != len(names):
        return None  # some "\n[" is not a header: not a file the map can describe
    offsets, lines, headers = [0], [0], [0]
    size = len(text)
    start = 0
    while True:
        end = text.find("\n", start + CHUNK)
        if end < 0 or end + 1 >= size:
            break
        end += 1
        # Headers starting in [start, end): a "\n[" from start - 1 on, ending before end.
        found = text.count("\n[", max(start - 1, 0), end)
        if start == 0 and text.startswith("["):
            found += 1
        offsets.append(end)
        lines.append(lines[-1] + text.count("\n", start, end))
        headers.append(headers[-1] + found)
        start = end
    marked, marked_profiles = _marked(text, names, is_config) if has_marks else ([], [])
    import itertools

    starts = [0, *itertools.accumulate(len(name) + 1 for name in names)]
    name_offsets = [starts[min(count, len(names))] for count in headers]
    joined = "\n".join(names)
    return SectionMap(
        [], joined, has_marks, marked, marked_profiles, offsets, lines, headers, name_offsets
    )


def save(cache_dir: str, path: str, stat: os.stat_result, section_map: SectionMap) -> None:
    """Store the map of the text read at ``stat`` (only for a settled file, as the index)."""
    if not entries.settled(stat):
        return
    data = marshal.dumps(
        (
            FORMAT,
            _identity(stat),
            section_map.names,
            section_map.has_marks,
            section_map.marked,
            section_map.marked_profiles,
            section_map.offsets,
            section_map.lines,
            section_map.headers,
            section_map.name_offsets,
        )
    )
    entries.store(cache_dir, _entry(cache_dir, path), data)
