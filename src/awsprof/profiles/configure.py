"""The ``configure`` family's rules: which file and section a name refers to, reading and writing.

Names follow the AWS CLI: ``region`` (the selected profile), ``default.region``,
``profile.NAME.region``, ``s3.max_concurrent_requests`` (one nested level), ``plugins.NAME``.
The four credential keys go to the credentials file under ``[NAME]``; everything else goes to the
config file under ``[profile NAME]`` (``[default]`` for default). ``--sso-session`` and
``--services`` aim at those sections instead of a profile.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from awsprof import values
from awsprof.errors import ProfileNotFoundError, UsageError
from awsprof.files import locate
from awsprof.files.atomic import locked, write_atomic
from awsprof.files.document import IniDocument, Target, check_text
from awsprof.files.entries import identity
from awsprof.files.sections import Kind
from awsprof.profiles.model import (
    AwsFiles,
    Value,
    did_you_mean,
    indexed_names,
    remember_written,
)

CREDENTIAL_KEYS = frozenset(
    {"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token"}
)
# Top-level config sections that `configure set/get` address as `SECTION.KEY`.
PREDEFINED_SECTIONS = ("plugins", "preview")


class Address(values.Value):
    """Where one setting lives: which file, which section, which key (and nested key)."""

    __slots__ = ("in_credentials", "key", "sub_key", "target")

    def __init__(
        self, in_credentials: bool, target: Target, key: str, sub_key: str | None = None
    ) -> None:
        self.in_credentials = in_credentials
        self.target = target
        self.key = key
        self.sub_key = sub_key

    def value_for(self, value: str) -> str | dict[str, str]:
        return {self.sub_key: value} if self.sub_key is not None else value


def address(
    varname: str,
    profile: str,
    sso_session: str | None = None,
    services: str | None = None,
) -> Address:
    """Turn a ``configure set/get`` name into an address, with the AWS CLI's rules."""
    check_text("name", varname)
    for name in (profile, sso_session, services):
        if name is not None:
            check_text("name", name)  # before any prompt or read: a header cannot hold it
    if sso_session is not None and services is not None:
        raise UsageError("use either --sso-session or --services, not both")
    if sso_session is not None or services is not None:
        kind, name = (
            (Kind.SSO_SESSION, sso_session)
            if sso_session is not None
            else (Kind.SERVICES, services or "")
        )
        key, _, sub = varname.partition(".")
        return Address(False, Target(kind, name), key, sub or None)
    parts = varname.split(".")
    if len(parts) == 1:
        key, sub_key = parts[0], None
    elif parts[0] == "default":
        profile, key, sub_key = "default", parts[1], _nested(parts[2:], varname)
    elif parts[0] == "profile":
        if len(parts) < 3:
            raise UsageError(f"'{varname}' names no key: write profile.NAME.KEY")
        profile, key, sub_key = parts[1], parts[2], _nested(parts[3:], varname)
    elif parts[0] in PREDEFINED_SECTIONS and len(parts) == 2:
        return Address(False, Target(Kind.OTHER, parts[0]), parts[1])
    else:
        key, sub_key = parts[0], _nested(parts[1:], varname)
    if not profile:
        raise UsageError("the profile name is empty")
    in_credentials = key.lower() in CREDENTIAL_KEYS and sub_key is None
    return Address(in_credentials, Target.profile(profile, in_credentials), key, sub_key)


def _nested(rest: list[str], varname: str) -> str | None:
    if not rest:
        return None
    if len(rest) > 1:
        raise UsageError(f"'{varname}' nests more than one level; the AWS CLI reads one level only")
    return rest[0]


class Change(values.Value):
    """One edit: set ``value`` at ``address``, or remove it when ``value`` is None; an address
    with an empty key only makes sure its section exists."""

    __slots__ = ("address", "value")

    def __init__(self, address: Address, value: str | None) -> None:
        self.address = address
        self.value = value


def apply_changes(environ: Mapping[str, str], changes: Iterable[Change]) -> list[Path]:
    """Apply edits file by file, each under its lock, in one atomic write; returns files written."""
    config_path, credentials_path = locate.aws_files(environ)
    by_file: dict[Path, list[Change]] = {}
    for change in changes:
        path = credentials_path if change.address.in_credentials else config_path
        by_file.setdefault(path, []).append(change)
    written = []
    for path, file_changes in by_file.items():
        with locked(path) as target:
            before: os.stat_result | None = None
            names: list[str] | None = None
            try:
                with open(target, "rb") as handle:
                    before = os.fstat(handle.fileno())
                    data: bytes | None = handle.read()
                    if identity(before) != identity(os.fstat(handle.fileno())):
                        before = None  # changed while read: no identity to trust
            except FileNotFoundError:
                data = None
            if data is not None and before is not None:
                # A file the index knows valid is not validated again before the edit.
                text = data.decode("utf-8", "surrogateescape")
                names = indexed_names(path, before, text, locate.cache_dir(environ))
            document = IniDocument.from_bytes(path, data, names)
            changed = False
            for change in file_changes:
                where = change.address
                if not where.key:
                    changed |= document.ensure_section(where.target)
                elif change.value is None:
                    changed |= document.unset(where.target, where.key, where.sub_key)
                else:
                    changed |= document.set(where.target, where.key, where.value_for(change.value))
            if changed:
                old, data = data, document.to_bytes()
                write_atomic(target, data)
                # Keys set or removed, no section added, nothing nested: the same section names
                # and plain lines, so the index of the old text holds for the new one.
                same_names = not document.sections_added and not any(
                    change.address.sub_key for change in file_changes
                )
                previous = (before, old) if same_names and before and old is not None else None
                remember_written(path, data, environ, path == config_path, previous)
                written.append(path)
    return written


def get_value(files: AwsFiles, where: Address, explicit_profile: bool) -> Value | None:
    """The value ``configure get`` prints, read as the AWS CLI reads it."""
    target = where.target
    if target.kind in (Kind.SSO_SESSION, Kind.SERVICES):
        section = (
            files.sso_session(target.name)
            if target.kind is Kind.SSO_SESSION
            else files.services(target.name)
        )
        if section is None:
            return None
        setting = section.settings.get(where.key.lower())
        value: Value | None = None if setting is None else setting.value
    elif target.kind is Kind.OTHER:
        value = (files.other_section(target.name) or {}).get(where.key.lower())
        return value
    else:
        profile = files.profile(target.name)
        if profile is None:
            if explicit_profile and target.name != "default":
                raise ProfileNotFoundError(
                    target.name, did_you_mean(target.name, files.profile_names(), "--profile")
                )
            return None
        value = profile.get(where.key.lower())
    if where.sub_key is not None:
        return value.get(where.sub_key) if isinstance(value, dict) else None
    return value
