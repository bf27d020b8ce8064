"""``doctor --fix``: only the fixes that cannot lose data, each one reported.

Permissions are tightened (never loosened). Header edits rewrite one header line each, through
the lossless document under the file's lock, and are written only if the result still parses the
way botocore parses it; every other byte stays as it was.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from awsprof.doctor.findings import Finding
from awsprof.files import ini, locate
from awsprof.files.atomic import locked, write_atomic
from awsprof.files.document import IniDocument
from awsprof.files.sections import Kind, config_header, config_header_meaning

_BOM = "\ufeff".encode()
# What each permission finding takes away: group/other read+write, or only write.
_PERMISSION_MASKS = {"AWSP040": 0o077, "AWSP042": 0o022, "AWSP041": 0o077}
_HEADER_FIXES = ("AWSP002", "AWSP004")


def apply_fixes(findings: list[Finding], environ: Mapping[str, str]) -> list[str]:
    """Apply every fixable finding; returns one line per change, for people."""
    changes: list[str] = []
    for finding in findings:
        if finding.fixable and finding.id in _PERMISSION_MASKS and finding.path is not None:
            changes += _tighten(finding.path, _PERMISSION_MASKS[finding.id], finding.id)
    config_path, credentials_path = locate.aws_files(environ)
    for path in (config_path, credentials_path):
        mine = [f for f in findings if f.fixable and f.path == path]
        if any(f.id == "AWSP007" for f in mine) or any(f.id in _HEADER_FIXES for f in mine):
            changes += _edit(path, {f.line for f in mine if f.id in _HEADER_FIXES})
    return changes


def _tighten(path: Path, mask: int, finding_id: str) -> list[str]:
    targets = [path]
    if path.is_dir():
        targets += [p for p in path.iterdir() if p.is_file() and not p.is_symlink()]
    changes = []
    for target in targets:
        mode = stat.S_IMODE(os.stat(target).st_mode)
        if mode & mask:
            os.chmod(target, mode & ~mask)
            changes.append(f"{finding_id}: {target}: mode {mode:04o} -> {mode & ~mask:04o}")
    return changes


def _renamed(header: str) -> str | None:
    """The header botocore reads as the profile that ``header`` was meant to be."""
    kind, _ = config_header_meaning(header)
    if kind is Kind.OTHER:
        return config_header(Kind.PROFILE, header)
    words = header.split()
    if kind is Kind.DROPPED and len(words) > 2 and not any(c in header for c in "'\"\\"):
        return config_header(Kind(words[0]), " ".join(words[1:]))
    return None


def _edit(path: Path, header_lines: set[int | None]) -> list[str]:
    with locked(path) as target:
        data = target.read_bytes()
        changes = []
        if data.startswith(_BOM):
            data = data[len(_BOM) :]
            changes.append(f"AWSP007: {path}: removed the byte-order mark")
        document = IniDocument.from_bytes(path, data)
        parsed = ini.parse(document.text())
        for section in parsed.sections:
            if section.line not in header_lines:
                continue
            new = _renamed(section.name)
            line = document.lines[section.line - 1]
            if new is None or f"[{section.name}]" not in line:
                continue
            document.lines[section.line - 1] = line.replace(f"[{section.name}]", f"[{new}]", 1)
            finding = (
                "AWSP002" if config_header_meaning(section.name)[0] is Kind.OTHER else "AWSP004"
            )
            changes.append(f"{finding}: {path}:{section.line}: [{section.name}] -> [{new}]")
        if not changes:
            return []
        if ini.parse(document.text()).error is not None:
            return []  # never write a file botocore would refuse
        write_atomic(target, document.to_bytes())
    return changes
