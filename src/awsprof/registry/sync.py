"""Merging a registry's fragment into its own marked block of the config file.

Everything outside the block is kept byte for byte. Inside it, the fragment's sections are copied
as written, except what is refused and reported:

- a section that the config already has outside the block (a local profile wins, always);
- ``[default]`` (a registry must never decide where an unnamed command lands);
- keys that run a command on this machine (``credential_process``), unless the person trusts that
  registry for them (``awsprof registry trust NAME``);
- a fragment that botocore could not read (the whole registry, with the line).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from awsprof.errors import ServiceError
from awsprof.files import ini
from awsprof.files.atomic import locked, write_atomic
from awsprof.files.paths import config_path
from awsprof.files.sections import Kind, config_header_meaning
from awsprof.registry.store import Registration

EXEC_KEYS = frozenset({"credential_process"})  # keys whose value is a command awsprof would run
TIER_PREFIX = "awsprof-tier "


def begin_marker(name: str) -> str:
    return f"# >>> awsprof registry {name}: written by `awsprof registry sync`; edit its source"


def end_marker(name: str) -> str:
    return f"# <<< awsprof registry {name}"


@dataclass
class Plan:
    registration: Registration
    path: Path
    before: str  # the config file as read
    after: str  # the config file with the new block
    old_block: list[str]
    new_block: list[str]
    profiles: list[str] = field(default_factory=list)  # sections written
    collisions: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        import difflib

        return "".join(
            difflib.unified_diff(
                [line + "\n" for line in self.old_block],
                [line + "\n" for line in self.new_block],
                f"{self.path} (registry {self.registration.name}, now)",
                f"{self.path} (registry {self.registration.name}, after sync)",
            )
        )


def _block_span(lines: list[str], name: str) -> tuple[int, int] | None:
    """(first, last) line indexes of the registry's block, markers included."""
    begin = begin_marker(name).split(":", 1)[0] + ":"
    start = next((i for i, line in enumerate(lines) if line.startswith(begin)), None)
    if start is None:
        return None
    end = next((i for i in range(start, len(lines)) if lines[i] == end_marker(name)), None)
    if end is None:
        raise ServiceError(
            f"the block of registry '{name}' in the config file has no end marker",
            f"Restore the line `{end_marker(name)}` after the block, or remove the block.",
        )
    return start, end


def _key(header: str) -> tuple[str, str]:
    if header.startswith(TIER_PREFIX):
        return ("tier", header[len(TIER_PREFIX) :].strip())
    kind, name = config_header_meaning(header)
    return (kind.value, name)


def plan_sync(registration: Registration, fragment: str, environ: Mapping[str, str]) -> Plan:
    path = Path(config_path(environ))
    try:
        before = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        before = ""
    lines = before.split("\n")
    if lines and lines[-1] == "":
        lines = lines[:-1]
    span = _block_span(lines, registration.name)
    outside = lines if span is None else lines[: span[0]] + lines[span[1] + 1 :]
    old_block = [] if span is None else lines[span[0] : span[1] + 1]
    local = ini.parse("\n".join(outside) + "\n")
    taken = {_key(section.name) for section in local.sections}

    parsed = ini.parse(fragment)
    if parsed.error is not None:
        raise ServiceError(
            f"registry '{registration.name}': its fragment cannot be read, line "
            f"{parsed.error.line}: {parsed.error.reason}",
            "Nothing was changed; fix the fragment at its source.",
        )
    source_lines = fragment.split("\n")
    plan = Plan(registration, path, before, before, old_block, [])
    body: list[str] = []
    for section in parsed.sections:
        key = _key(section.name)
        kind = key[0]
        if kind not in (Kind.PROFILE.value, Kind.SSO_SESSION.value, Kind.SERVICES.value, "tier"):
            plan.refused.append(f"[{section.name}]: not a profile, sso-session, services or tier")
            continue
        if key == (Kind.PROFILE.value, "default"):
            plan.refused.append("[default]: a registry never decides where an unnamed command runs")
            continue
        if key in taken:
            plan.collisions.append(f"[{section.name}]")
            continue
        dropped: set[int] = set()
        for option in section.options.values():
            if option.key in EXEC_KEYS and not registration.trust_exec:
                plan.refused.append(
                    f"[{section.name}] {option.key}: it runs a command; "
                    f"`awsprof registry trust {registration.name}` accepts it"
                )
                dropped.update(range(option.line, option.last_line + 1))
        body += [""] if body else []
        body += [
            source_lines[number - 1]
            for number in range(section.line, section.last_line + 1)
            if number not in dropped and source_lines[number - 1].strip()
        ]
        plan.profiles.append(section.name)
    new_block = (
        [
            begin_marker(registration.name),
            f"# source: {registration.source}",
            *body,
            end_marker(registration.name),
        ]
        if body
        else []
    )
    if span is None:
        merged = list(lines)
        if new_block:
            merged += ([""] if merged and merged[-1].strip() else []) + new_block
    else:
        merged = lines[: span[0]] + new_block + lines[span[1] + 1 :]
    after = "\n".join(merged) + ("\n" if merged else "")
    check = ini.parse(after)
    if check.error is not None:
        raise ServiceError(
            f"registry '{registration.name}' would make the config file unreadable (line "
            f"{check.error.line}: {check.error.reason})",
            "Nothing was changed. Two registries may define the same section.",
        )
    plan.after = after
    plan.new_block = new_block
    return plan


def apply(plan: Plan) -> None:
    """Write the plan, unless the file changed since it was read (then nothing is written)."""
    with locked(plan.path) as target:
        try:
            current = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            current = ""
        if current != plan.before:
            raise ServiceError(
                f"{plan.path} changed while the sync was being prepared; nothing was written",
                "Run `awsprof registry sync` again.",
            )
        write_atomic(target, plan.after.encode("utf-8"))


def remove_block(name: str, environ: Mapping[str, str]) -> bool:
    path = Path(config_path(environ))
    with locked(path) as target:
        try:
            text = target.read_text(encoding="utf-8")
        except FileNotFoundError:
            return False
        lines = text.split("\n")
        span = _block_span(lines, name)
        if span is None:
            return False
        start, end = span
        if start > 0 and not lines[start - 1].strip():
            start -= 1  # the blank line the sync put before the block
        write_atomic(target, "\n".join(lines[:start] + lines[end + 1 :]).encode("utf-8"))
        return True
