"""Checks on one file's text, read with botocore's rules: what the AWS CLI silently drops or
misreads. Pure: text in, findings out (the caller reads the files)."""

from __future__ import annotations

from collections.abc import Callable, Container
from pathlib import Path

from awsprof.doctor.findings import Finding, Severity
from awsprof.doctor.known_keys import (
    CREDENTIAL_KEYS,
    PROFILE_KEYS,
    SSO_SESSION_KEYS,
    TOP_LEVEL_SECTIONS,
    closest,
)
from awsprof.errors import ConfigFileError
from awsprof.files import ini
from awsprof.files.sections import Kind, config_header_meaning
from awsprof.guard.tiers import SECTION_PREFIX as TIER_PREFIX
from awsprof.profiles.model import Deferred, notable_headers, profile_names_of

BOM = "\ufeff"


def unreadable(error: ConfigFileError) -> Finding:
    """What the shared reader refused (not UTF-8, a folder, no permission), as commands say it."""
    return Finding(
        "AWSP008",
        Severity.ERROR,
        error.path,
        error.line,
        f"the file cannot be read: {error.reason}",
        "Every command (and the AWS CLI) refuses the whole file, so every profile in it fails.",
        error.hint or "Fix the file so that it can be read.",
    )


def readable_text(path: Path, text: str) -> tuple[list[Finding], ini.IniFile]:
    """Parse ``text`` (a BOM is reported and set aside so the other checks still run)."""
    findings: list[Finding] = []
    if text.startswith(BOM):
        findings.append(
            Finding(
                "AWSP007",
                Severity.ERROR,
                path,
                1,
                "the file starts with a UTF-8 byte-order mark",
                "botocore cannot read a file with a BOM: every profile in it fails.",
                "Remove the BOM (`awsprof doctor --fix` does it; every other byte is kept).",
                fixable=True,
            )
        )
        text = text[len(BOM) :]
    parsed = ini.parse(text)
    if parsed.error is not None:
        findings.append(
            Finding(
                "AWSP006",
                Severity.ERROR,
                path,
                parsed.error.line,
                f"the file cannot be parsed: {parsed.error.reason}",
                "botocore refuses the whole file, so every profile in it stops working.",
                parsed.error.hint or "Remove or merge the duplicate on that line.",
            )
        )
    return findings, parsed


def config_sections(path: Path, parsed: ini.IniFile | Deferred) -> list[Finding]:
    """Headers of the config file that botocore drops or reads other than meant."""
    findings: list[Finding] = []
    profiles: Container[str]
    if isinstance(parsed, Deferred):
        # A plain file: a simple `profile NAME` header means just that, so only the other
        # headers (and `profile default`) are looked at.
        sections = [parsed.section(header) for header in notable_headers(parsed.names)]
        meanings = [config_header_meaning(s.name) for s in sections]
        profiles = _Names(lambda: set(profile_names_of(parsed.names)))
    else:
        sections = parsed.sections
        meanings = [config_header_meaning(s.name) for s in sections]
        profiles = {name for kind, name in meanings if kind is Kind.PROFILE}
    defaults = []
    for section, (kind, name) in zip(sections, meanings, strict=True):
        if kind is Kind.PROFILE and name == "default":
            defaults.append(section)
        if kind is Kind.DROPPED:
            findings.append(_dropped(path, section))
        elif (
            kind is Kind.OTHER
            and section.name not in TOP_LEVEL_SECTIONS
            # awsprof's own tier sections (docs/guard.md), which the AWS CLI keeps and ignores.
            and not section.name.startswith(TIER_PREFIX)
        ):
            taken = section.name in profiles
            findings.append(
                Finding(
                    "AWSP002",
                    Severity.WARNING,
                    path,
                    section.line,
                    f"[{section.name}] in the config file is not a profile",
                    "In the config file a profile header needs the word `profile`: the AWS CLI "
                    f"ignores every setting of [{section.name}].",
                    f"Rename it to [profile {section.name}]"
                    + (
                        " (a profile of that name exists already: merge the two by hand)."
                        if taken
                        else " (`awsprof doctor --fix` does it)."
                    ),
                    profile=section.name,
                    fixable=not taken,
                )
            )
    if len(defaults) > 1:
        winner = defaults[-1]
        for loser in defaults[:-1]:
            findings.append(
                Finding(
                    "AWSP005",
                    Severity.WARNING,
                    path,
                    loser.line,
                    f"[{loser.name}] is shadowed by [{winner.name}] at line {winner.line}",
                    "With both [default] and [profile default], the AWS CLI uses only the later "
                    "one whole (other SDKs pick the other): the two disagree silently.",
                    "Merge the settings into one [default] section and delete the other.",
                    profile="default",
                )
            )
    return findings


def _dropped(path: Path, section: ini.Section) -> Finding:
    header = section.name
    words = header.split()
    plain_spaced = (
        words[0] in ("profile", "sso-session", "services")
        and len(words) > 2
        and not any(c in header for c in "'\"\\")
    )
    if plain_spaced:
        name = " ".join(words[1:])
        return Finding(
            "AWSP004",
            Severity.WARNING,
            path,
            section.line,
            f"[{header}] is ignored: a name with spaces must be quoted",
            "botocore splits the header like a shell and drops a section of more than two words.",
            f"Write [{words[0]} '{name}'] (`awsprof doctor --fix` does it).",
            profile=name,
            fixable=True,
        )
    return Finding(
        "AWSP001",
        Severity.WARNING,
        path,
        section.line,
        f"[{header}] is silently ignored by the AWS CLI",
        "A header that starts with `profile`, `sso-session` or `services` must be that word, one "
        "space and one name; anything else is dropped with every setting under it.",
        "Write it as [profile NAME] (or delete the section).",
    )


class _Names:
    """A set of names made when first asked about (most files never ask)."""

    def __init__(self, make: Callable[[], set[str]]) -> None:
        self._make = make
        self._names: set[str] | None = None

    def __contains__(self, name: object) -> bool:
        if self._names is None:
            self._names = self._make()
        return name in self._names


def credentials_sections(path: Path, parsed: ini.IniFile | Deferred) -> list[Finding]:
    findings = []
    if isinstance(parsed, Deferred):
        sections = [parsed.section(h) for h in parsed.names if h.startswith("profile ")]
    else:
        sections = parsed.sections
    for section in sections:
        if section.name.startswith("profile "):
            findings.append(
                Finding(
                    "AWSP003",
                    Severity.WARNING,
                    path,
                    section.line,
                    f"[{section.name}] in the credentials file names a profile literally "
                    f"called '{section.name}'",
                    "The credentials file takes bare names: these keys are not used by the "
                    f"profile '{section.name[len('profile ') :].strip()}'.",
                    f"Rename it to [{section.name[len('profile ') :].strip()}].",
                    profile=section.name,
                )
            )
    return findings


def values(path: Path, parsed: ini.IniFile | Deferred, is_config: bool) -> list[Finding]:
    """Inline comments, stray quotes, unknown keys and settings in the wrong file."""
    if isinstance(parsed, Deferred):
        headers = _value_candidates(parsed, is_config)
        if headers is None:
            sections = parsed.parse().sections
        else:
            sections = [parsed.section(header) for header in headers]
    else:
        sections = parsed.sections
    findings: list[Finding] = []
    for section in sections:
        findings += _section_values(path, section, is_config)
    return findings


def _section_values(path: Path, section: ini.Section, is_config: bool) -> list[Finding]:
    kind = config_header_meaning(section.name)[0] if is_config else Kind.PROFILE
    if kind in (Kind.DROPPED, Kind.OTHER, Kind.SERVICES) and is_config:
        return []  # reported as a header, or free-form (services, plugins)
    findings: list[Finding] = []
    known = SSO_SESSION_KEYS if kind is Kind.SSO_SESSION else PROFILE_KEYS
    for option in section.options.values():
        key = option.key
        if is_config and key in known and key not in CREDENTIAL_KEYS:
            # The common case, settled cheaply: a known key whose value has no comment
            # character and no quote at either end.
            parts = option.parts
            raw = parts[0] if len(parts) == 1 else option.raw
            if not raw or (
                "#" not in raw and ";" not in raw and raw[0] not in "\"'" and raw[-1] not in "\"'"
            ):
                continue
        findings += _value_findings(path, section.name, option, known, is_config)
    return findings


# Key lines of a plain file: the key as written (up to the first "=").
_KEY_TEXTS = r"\n([^\[#;\n][^=\n]*)="


def _value_candidates(parsed: Deferred, is_config: bool) -> list[str] | None:
    """The sections of a plain file that can have a finding of :func:`values`, in file order,
    found on the text (100,000 generated sections then cost one pass, not a parse): those
    with a key that has a finding whatever its value, or with an odd value, and in the config
    file every header that is not a simple ``profile NAME`` (other kinds know other keys).
    None when the text is not ASCII (the sections are read one by one then)."""
    import re

    text = parsed.text
    if not text.isascii():
        return None
    padded = "\n" + text
    flagged = [
        written
        for written in _distinct_keys(padded)
        if _section_values(Path(), _probe(written.rstrip().lower()), is_config)
    ]
    lines = _odd_value_lines(padded)
    if flagged:
        pattern = r"\n(?:" + "|".join(map(re.escape, flagged)) + ")="
        lines += [match.start() for match in re.finditer(pattern, padded)]
    found = dict.fromkeys(ini.plain_header_at(padded, at) for at in sorted(lines))
    if is_config:
        found.update(dict.fromkeys(notable_headers(parsed.names)))
    if not found:
        return []
    return [name for name in parsed.names if name in found]  # file order


def _odd_value_lines(padded: str) -> list[int]:
    """Where each key line whose value holds a comment character or a quote starts (at its
    "\n"): found from the few places those characters are, not by reading every line."""
    found: list[int] = []
    at = 0
    while True:
        hits = [padded.find(mark, at) for mark in "#;'\""]
        hit = min((h for h in hits if h >= 0), default=-1)
        if hit < 0:
            return found
        start = padded.rfind("\n", 0, hit)
        end = padded.find("\n", hit)
        line = padded[start + 1 : len(padded) if end < 0 else end]
        cut = line.find("=")
        if line[:1] in ("[", "#", ";") or not 0 <= cut < hit - start - 1:
            at = hit + 1  # not in a value: a later one on this line may be
            continue
        found.append(start)
        if end < 0:
            return found
        at = end


def _distinct_keys(padded: str) -> list[str]:
    """Each key as written (up to its "=") in the key lines of ``padded``, once: a search for
    a key line whose key is not known yet, resumed where the last one stopped, so a file of
    500,000 key lines and ten keys costs one pass and ten matches."""
    import re

    found: list[str] = []
    position = 0
    while True:
        known = "|".join(re.escape(key) + "=" for key in found)
        pattern = rf"\n(?!{known})([^\[#;\n][^=\n]*)=" if found else _KEY_TEXTS
        match = re.compile(pattern).search(padded, position)
        if match is None:
            return found
        found.append(match.group(1))
        position = match.start()


def _probe(key: str) -> ini.Section:
    """A profile section holding ``key`` with an ordinary value."""
    option = ini.Option(key, 1, 1, 0, ["x"])
    return ini.Section("profile probe", 1, 1, {key: option})


def _value_findings(
    path: Path, section: str, option: ini.Option, known: frozenset[str], is_config: bool
) -> list[Finding]:
    found: list[Finding] = []
    raw = option.raw
    where = f"'{option.key}' in [{section}]"
    if not raw.startswith("\n"):
        comment = next((m for m in (" #", "\t#", " ;", "\t;") if m in raw), None)
        if comment is not None:
            found.append(
                Finding(
                    "AWSP010",
                    Severity.WARNING,
                    path,
                    option.line,
                    f"the value of {where} holds an inline comment",
                    "The AWS CLI keeps everything after `=` as the value, the comment included "
                    "(other SDKs strip it): the setting is not what it looks like.",
                    "Move the comment to a line of its own above the key.",
                )
            )
        if raw and (raw[0] in "\"'" or raw[-1] in "\"'"):
            found.append(
                Finding(
                    "AWSP011",
                    Severity.WARNING,
                    path,
                    option.line,
                    f"the value of {where} is wrapped in quotes",
                    "The AWS CLI does not strip quotes: they become part of the value.",
                    "Remove the quotes around the value.",
                )
            )
    key = option.key
    if not is_config and key not in CREDENTIAL_KEYS:
        if key in PROFILE_KEYS:
            found.append(
                Finding(
                    "AWSP014",
                    Severity.WARNING,
                    path,
                    option.line,
                    f"{where} is a config setting in the credentials file",
                    "Only the AWS CLI and boto3 read settings other than keys from the credentials "
                    "file; other SDKs and tools ignore it there.",
                    f"Move it to the config file: `awsprof configure set {key} VALUE --profile "
                    f"{section}`, then delete this line.",
                    profile=section,
                )
            )
            return found
        known = CREDENTIAL_KEYS | PROFILE_KEYS
    if is_config and key in CREDENTIAL_KEYS and key != "aws_security_token":
        found.append(
            Finding(
                "AWSP013",
                Severity.WARNING,
                path,
                option.line,
                f"{where} puts a credential in the config file",
                "The config file is often shared or committed; keys belong in the credentials "
                "file (mode 0600) or, better, in the keychain.",
                "Move the keys to the credentials file with `awsprof configure set`, or use "
                "`awsprof keys to-keychain`.",
            )
        )
    elif key not in known:
        guess = closest(key, known)
        found.append(
            Finding(
                "AWSP012",
                Severity.WARNING,
                path,
                option.line,
                f"unknown key {where}" + (f"; did you mean '{guess}'?" if guess else ""),
                "The AWS CLI ignores keys it does not know, so a misspelt setting does nothing.",
                f"Rename it to '{guess}'." if guess else "Delete it or correct its name.",
            )
        )
    return found
