"""``awsprof doctor``: read both files once, run every check, return the findings in file order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

from awsprof.credentials import now_utc
from awsprof.doctor import file_checks, profile_checks, system_checks
from awsprof.doctor.findings import Finding, Severity
from awsprof.doctor.tier_checks import check_tiers
from awsprof.errors import ConfigFileError
from awsprof.files import ini, locate
from awsprof.files.gcpause import paused_gc
from awsprof.profiles import model
from awsprof.profiles.model import AwsFiles
from awsprof.reader.profiles import TIER_PREFIX
from awsprof.signin.token import cache_dir as login_cache_dir


def cache_dirs(environ: Mapping[str, str]) -> list[Path]:
    aws = Path(locate.home_dir(environ)) / ".aws"
    # The login cache holds refresh tokens and their private DPoP keys: the most sensitive of all.
    return [aws / "sso" / "cache", aws / "cli" / "cache", login_cache_dir(environ)]


def _file(
    path: Path, is_config: bool, cache: Path
) -> tuple[list[Finding], ini.IniFile | model.Deferred | None]:
    try:
        read = model.read_plain(path, cache, is_config)  # the reader every command uses
    except ConfigFileError as error:
        return [file_checks.unreadable(error)], None
    if read is None:
        return [], None
    text, deferred = read
    parsed: ini.IniFile | model.Deferred
    findings: list[Finding] = []
    if deferred is not None:
        # A valid plain file: checked on its text and names, its sections read when needed.
        parsed = deferred
    else:
        findings, whole = file_checks.readable_text(path, text)
        if whole.error is not None:
            return findings, None  # the per-key checks need a file botocore can read
        parsed = whole
    if is_config:
        findings += file_checks.config_sections(path, parsed)
    else:
        findings += file_checks.credentials_sections(path, parsed)
    findings += file_checks.values(path, parsed, is_config)
    return findings, parsed


def examine(
    environ: Mapping[str, str],
    online: bool = False,
    now: Callable[[], dt.datetime] = now_utc,
) -> list[Finding]:
    """Every finding for the files ``environ`` selects (``online``: also ask IAM about keys)."""
    with paused_gc():  # every profile's objects stay alive to the end (see gcpause)
        return _examine(environ, online, now)


def _examine(
    environ: Mapping[str, str], online: bool, now: Callable[[], dt.datetime]
) -> list[Finding]:
    from awsprof.resolution.identity import known_account

    config_path, credentials_path = locate.aws_files(environ)
    cache = locate.cache_dir(environ)
    findings, config = _file(config_path, True, cache)
    more, credentials = _file(credentials_path, False, cache)
    findings += more
    files = AwsFiles(config_path, credentials_path, config, credentials)
    key_accounts: dict[str, str] = {}
    long_lived = profile_checks.long_lived(files)
    for profile in long_lived:
        key_id = profile.text("aws_access_key_id") or ""
        account = known_account(environ, key_id)
        if account is not None:
            key_accounts[key_id] = account
    if online:
        from awsprof.doctor.online_run import online_findings

        more, accounts = online_findings(environ, long_lived, now())
        findings += more
        key_accounts.update(accounts)
    findings += profile_checks.check_profiles(files, key_accounts, long_lived)
    if config is not None and any(name.startswith(TIER_PREFIX) for name in _names(config)):
        # Only a config with a tier section has tiers to check: the guard's map of every
        # profile would read both files again (seconds on 100,000 profiles) for nothing.
        findings += check_tiers(environ)
    findings += system_checks.permissions(config_path, credentials_path, cache_dirs(environ))
    findings += system_checks.git_exposure(
        credentials_path, Path(locate.home_dir(environ)), environ
    )
    return sorted(findings, key=_order)


def _names(parsed: ini.IniFile | model.Deferred) -> list[str]:
    """The headers that may start with ``TIER_PREFIX``: in a plain file, those that are not a
    simple ``profile NAME`` (a few of 100,000)."""
    if isinstance(parsed, model.Deferred):
        return model.notable_headers(parsed.names)
    return [section.name for section in parsed.sections]


def _order(finding: Finding) -> tuple[str, int, str]:
    return (str(finding.path or ""), finding.line or 0, finding.id)


def summary(findings: list[Finding]) -> str:
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    if not findings:
        return "no findings: the files read as they look"
    return ", ".join(f"{n} {s.value}" for s, n in reversed(counts.items()) if n)
