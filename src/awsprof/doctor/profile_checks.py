"""Checks across profiles: role chains, SSO sessions, the ``default`` profile, long-lived keys.

Pure: the merged files in, findings out. Accounts are known offline only from the files (role ARN,
``sso_account_id``, the guard's ``awsprof_expected_account``) and from ``key_accounts`` (access
key ID -> account, from awsprof's identity cache or, with ``--online``, from STS).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from awsprof.doctor.findings import Finding, Severity
from awsprof.doctor.known_keys import LEGACY_SSO_KEYS
from awsprof.files.ini import VALUE_END
from awsprof.guard.marks import EXPECTED_ACCOUNT_KEY, PROTECTED_KEY, is_account_id, parse_level
from awsprof.keys.long_lived import is_long_lived
from awsprof.profiles.model import AwsFiles, Profile
from awsprof.reader.accounts import KeyAccounts
from awsprof.reader.accounts import account_of as reader_account_of
from awsprof.resolution.chain import LOGIN, PROCESS, ROLE, SSO, WEB_IDENTITY, credential_sources

CHAINED_ROLE_LIMIT = 3600  # AWS caps a role session assumed from role credentials at one hour
_PRODUCTION = re.compile(r"(?:^|[^a-z])(?:prod|production|prd)(?:$|[^a-z])", re.IGNORECASE)


def _line(profile: Profile, key: str) -> tuple[Path, int]:
    setting = profile.settings[key]
    return setting.source.path, setting.source.line


def account_of(
    profile: Profile,
    key_accounts: Mapping[str, str],
    plain: Mapping[str, tuple[str, str]] | None = None,
) -> str | None:
    """The account the profile reaches: the reader's one rule (role first, then web identity,
    SSO, known keys); when that is unknown, its pin (the guard refuses anything else).
    ``plain``: ``profile.plain()`` when already built."""
    settings = profile.plain() if plain is None else plain
    account = reader_account_of(settings, KeyAccounts({}, key_accounts))[0]
    if account is not None:
        return account
    pin = (profile.text(EXPECTED_ACCOUNT_KEY) or "").strip()
    return pin if is_account_id(pin) else None


def protected_account_of(profile: Profile, key_accounts: Mapping[str, str]) -> str | None:
    """The account a mark on ``profile`` protects: its pin, else the account it reaches (the
    guard's rule, :func:`awsprof.guard.facts.read_marks`)."""
    pin = (profile.text(EXPECTED_ACCOUNT_KEY) or "").strip()
    return pin if is_account_id(pin) else account_of(profile, key_accounts)


def is_sso(profile: Profile) -> bool:
    return profile.text("sso_account_id") is not None and profile.text("role_arn") is None


class _Profiles(dict[str, Profile]):
    """The merged profiles, each built when a check first needs it: in a generated config of
    100,000 profiles only a few can have a finding, and the keys that say which ones are read
    without building any (:meth:`AwsFiles.texts`). ``in`` answers for every profile."""

    def __init__(self, files: AwsFiles, names: list[str]) -> None:
        super().__init__()
        self._files = files
        self.names = names  # every profile, in file order
        self._known = set(names)

    def __contains__(self, name: object) -> bool:
        return name in self._known

    def __missing__(self, name: str) -> Profile:
        profile = self._files.profile(name)
        if profile is None:
            raise KeyError(name)
        self[name] = profile
        return profile


# Each check of check_profiles finds nothing in a profile without one of these keys.
_RARE_KEYS = (
    "source_profile",
    "role_arn",
    "login_session",
    "aws_access_key_id",
    PROTECTED_KEY,
    EXPECTED_ACCOUNT_KEY,
    *LEGACY_SSO_KEYS,
)


def long_lived(files: AwsFiles) -> list[Profile]:
    """The profiles that hold long-lived keys."""
    keyed = (files.profile(name) for name in files.where(("aws_access_key_id",)))
    return [profile for profile in keyed if profile is not None and is_long_lived(profile)]


def _any_but(values: list[str]) -> str:
    """An expression for a value that is none of ``values``, for :meth:`AwsFiles.where`."""
    if not values:
        return "[^\n]*"
    listed = "|".join(map(re.escape, values))
    return rf"(?!(?:{listed}){VALUE_END})[^\n]*"


def check_profiles(
    files: AwsFiles, key_accounts: Mapping[str, str], keyed: list[Profile] | None = None
) -> list[Finding]:
    """``keyed``: :func:`long_lived` when the caller has it already."""
    findings: list[Finding] = []
    names = files.profile_names()
    profiles = _Profiles(files, names)
    # Only profiles with a rare key, or naming an sso-session that does not exist, can have a
    # finding below: in a generated config, a handful of 100,000 (found on the text). Each
    # check still decides for itself on the merged profile.
    candidates = set(files.where(_RARE_KEYS))
    candidates.update(files.where(("sso_session",), _any_but(files.sso_session_names())))
    in_cycle: set[str] = set()
    marked: list[str] = []
    for name in [name for name in names if name in candidates]:
        profile = profiles[name]
        findings += _sources(profile, profiles, in_cycle)
        findings += _sso(profile, files)
        findings += _login_mixed(profile)
        if (
            profile.text(PROTECTED_KEY) is not None
            or profile.text(EXPECTED_ACCOUNT_KEY) is not None
        ):
            marked.append(name)
    findings += _default(profiles, key_accounts, marked)
    keys = long_lived(files) if keyed is None else keyed
    findings += _keys_beside_sso(keys, profiles, key_accounts, files)
    return findings


def _sources(profile: Profile, profiles: dict[str, Profile], in_cycle: set[str]) -> list[Finding]:
    source = profile.text("source_profile")
    if source is None or profile.text("role_arn") is None:
        return []
    path, line = _line(profile, "source_profile")
    if source not in profiles:
        return [
            Finding(
                "AWSP021",
                Severity.ERROR,
                path,
                line,
                f"profile '{profile.name}' names source_profile '{source}', which does not exist",
                "Every command with this profile fails: it has no credentials to assume the "
                "role with.",
                "Create that profile or correct the name.",
                profile=profile.name,
            )
        ]
    chain = [profile.name]
    current = profile
    findings: list[Finding] = []
    while True:
        name = current.text("source_profile")
        if name is None or current.text("role_arn") is None or name not in profiles:
            break
        if name == current.name and is_long_lived(current):
            break  # a profile may use its own keys to assume its role
        if name in chain:
            loop = chain[chain.index(name) :]
            if not in_cycle & set(loop):
                in_cycle.update(loop)
                findings.append(
                    Finding(
                        "AWSP020",
                        Severity.ERROR,
                        path,
                        line,
                        "source_profile cycle: " + " -> ".join([*loop, name]),
                        "The AWS CLI cannot resolve any profile of the cycle.",
                        "Point one source_profile of the cycle at a profile with credentials.",
                        profile=profile.name,
                    )
                )
            break
        chain.append(name)
        current = profiles[name]
    findings += _duration(profile, profiles[source])
    return findings


def _duration(profile: Profile, source: Profile) -> list[Finding]:
    text = profile.text("duration_seconds")
    chained = source.name != profile.name and (
        source.text("role_arn") is not None or is_sso(source)
    )
    if text is None or not chained or not text.strip().isdigit():
        return []
    if int(text) <= CHAINED_ROLE_LIMIT:
        return []
    path, line = _line(profile, "duration_seconds")
    return [
        Finding(
            "AWSP024",
            Severity.WARNING,
            path,
            line,
            f"profile '{profile.name}' asks for duration_seconds = {text} on a chained role",
            "A role assumed with role credentials (another role or SSO) is limited to 3600 "
            "seconds: AssumeRole fails with this duration.",
            "Set duration_seconds to 3600 or less.",
            profile=profile.name,
        )
    ]


def _sso(profile: Profile, files: AwsFiles) -> list[Finding]:
    session = profile.text("sso_session")
    if session is None:
        return []
    path, line = _line(profile, "sso_session")
    if files.sso_session(session) is None:
        return [
            Finding(
                "AWSP022",
                Severity.ERROR,
                path,
                line,
                f"profile '{profile.name}' names sso_session '{session}', which does not exist",
                "SSO login and every command with this profile fail.",
                f"Add an [sso-session {session}] section (`awsprof configure sso-session`) or "
                "correct the name.",
                profile=profile.name,
            )
        ]
    legacy = [key for key in LEGACY_SSO_KEYS if key in profile.settings]
    if not legacy:
        return []
    path, line = _line(profile, legacy[0])
    return [
        Finding(
            "AWSP023",
            Severity.WARNING,
            path,
            line,
            f"profile '{profile.name}' has legacy {', '.join(legacy)} beside sso_session",
            "The session's values are the ones used; if the two ever differ the AWS CLI "
            "refuses the profile.",
            "Delete the legacy keys from the profile; keep them in the [sso-session] section.",
            profile=profile.name,
        )
    ]


def _login_mixed(profile: Profile) -> list[Finding]:
    """A ``login_session`` beside another credential source: one of the two is dead weight, and
    which one is botocore's order, not the reader's guess."""
    session = profile.text("login_session")
    if session is None:
        return []
    path, line = _line(profile, "login_session")
    sources = credential_sources(profile, {})  # the resolution's own order: the first is used
    if sources[0] != LOGIN:
        message = (
            f"profile '{profile.name}' has login_session and {_label(profile, sources[0])}: "
            "the console login is never used"
        )
        fix = f"Remove login_session from '{profile.name}', or the other settings if it is meant."
    else:
        losers = [_label(profile, source) for source in sources[1:]]
        if not losers:
            return []
        message = (
            f"profile '{profile.name}' has login_session: its {' and '.join(losers)} "
            "never run or are never used"
        )
        fix = f"Remove {' and '.join(losers)} from '{profile.name}'."
    return [
        Finding(
            "AWSP025",
            Severity.WARNING,
            path,
            line,
            message,
            "The AWS CLI and boto3 take the first credential source in their fixed order; the "
            "profile reads as if it used the other.",
            fix,
            profile=profile.name,
        )
    ]


def _label(profile: Profile, source: str) -> str:
    """How a finding names a credential source: by the setting that defines it."""
    if source == ROLE:
        return "the role (role_arn)"
    if source == WEB_IDENTITY:
        return "web identity (web_identity_token_file)"
    if source == SSO:
        key = next(k for k in ("sso_session", "sso_account_id", "sso_start_url") if profile.text(k))
        return f"SSO ({key})"
    if source == PROCESS:
        return "credential_process"
    return f"the {source}"


def _production_accounts(profiles: _Profiles, key_accounts: Mapping[str, str]) -> dict[str, str]:
    """Account -> the profile whose name says production (a hint; protection is the guard's)."""
    accounts: dict[str, str] = {}
    for name in profiles.names:
        if not _PRODUCTION.search(name):
            continue
        account = protected_account_of(profiles[name], key_accounts)
        if account is not None and account not in accounts:
            accounts[account] = f"the account of profile '{name}'"
    return accounts


def _guard_protection(
    profiles: _Profiles, key_accounts: Mapping[str, str], marked: list[str]
) -> str | None:
    """Why the guard protects what the implicit `default` reaches, or None: the guard's own
    rule (marks by profile, by account and by pin; the stricter applies), never a copy. Only
    marked or pinned profiles make marks, so only theirs are read."""
    from awsprof.guard.decide import Protection
    from awsprof.guard.facts import IMPLICIT_DEFAULT, Facts, read_marks

    settings = {name: profiles[name].plain() for name in marked}
    default = profiles["default"].plain()
    marks, _ = read_marks(settings, KeyAccounts({}, key_accounts))
    facts = Facts(
        "default",
        IMPLICIT_DEFAULT,
        account=account_of(profiles["default"], key_accounts, default),
        marks=marks,
        settings=default,
    )
    protection = Protection(facts)
    return protection.why if protection.level is not None else None


def _default(
    profiles: _Profiles, key_accounts: Mapping[str, str], marked: list[str]
) -> list[Finding]:
    if "default" not in profiles:
        return []
    default = profiles["default"]
    findings = []
    header = default.config_source or default.credentials_source
    account = account_of(default, key_accounts)
    reason = None
    if parse_level(default.text(PROTECTED_KEY))[0] is not None:
        reason = "it is marked protected"
    else:
        why = _guard_protection(profiles, key_accounts, marked)
        if why is not None:
            reason = f"it reaches a protected account: {why}"
        elif account is not None and account in (
            production := _production_accounts(profiles, key_accounts)
        ):
            reason = f"its account {account} is {production[account]}"
    if reason is None and _PRODUCTION.search(default.text("role_arn") or ""):
        reason = "its role ARN looks like production"
    if reason is not None and header is not None:
        findings.append(
            Finding(
                "AWSP030",
                Severity.ERROR,
                header.path,
                header.line,
                f"the default profile reaches a protected or production account: {reason}",
                "Any command run without --profile or AWS_PROFILE silently lands in production.",
                "Point [default] at a harmless account (or remove it) and select production "
                "explicitly with --profile.",
                profile="default",
            )
        )
    if is_long_lived(default):
        path, line = _line(default, "aws_access_key_id")
        findings.append(
            Finding(
                "AWSP031",
                Severity.WARNING,
                path,
                line,
                "the default profile holds long-lived access keys",
                "Every tool that finds no profile uses these keys silently, so one forgotten "
                "flag acts with them.",
                "Move the keys to a named profile (or the keychain) and keep [default] free of "
                "long-lived keys.",
                profile="default",
            )
        )
    return findings


def _keys_beside_sso(
    long_lived: list[Profile],
    profiles: _Profiles,
    key_accounts: Mapping[str, str],
    files: AwsFiles,
) -> list[Finding]:
    """Long-lived keys in an account an SSO profile also reaches."""
    if not long_lived:
        return []
    credentials_path = files.credentials_path
    accounts = {account_of(profile, key_accounts) for profile in long_lived} - {None}
    # An SSO profile reaches its sso_account_id when that is an account ID (the reader's
    # rule), so only one whose id is a keyed account, or is not an ID, is read.
    listed = "|".join(re.escape(account) for account in accounts if account)
    either = rf"(?:{listed})|" if listed else ""
    value = rf"{either}(?!\d{{12}}{VALUE_END})[^\n]*"
    sso_accounts = {}
    for name in files.where(("sso_account_id",), value) if accounts else []:
        if is_sso(profiles[name]):
            sso_accounts[account_of(profiles[name], key_accounts)] = name
    findings = []
    for profile in long_lived:
        path, line = _line(profile, "aws_access_key_id")
        account = account_of(profile, key_accounts)
        if account is not None and account in sso_accounts:
            findings.append(
                Finding(
                    "AWSP050",
                    Severity.WARNING,
                    path,
                    line,
                    f"profile '{profile.name}' uses long-lived keys in account {account}, which "
                    f"SSO profile '{sso_accounts[account]}' also reaches",
                    "Long-lived keys can leak and never expire; SSO gives the same access with "
                    "short-lived credentials.",
                    f"Use profile '{sso_accounts[account]}' instead, then delete the keys "
                    "(IAM DeleteAccessKey).",
                    profile=profile.name,
                )
            )
        elif path == credentials_path and profile.name != "default":
            findings.append(
                Finding(
                    "AWSP051",
                    Severity.INFO,
                    path,
                    line,
                    f"profile '{profile.name}' keeps long-lived keys in a plain-text file",
                    "Anything that can read your home directory can copy them.",
                    f"Move them to the OS keychain: `awsprof keys to-keychain --profile "
                    f"{profile.name}`.",
                    profile=profile.name,
                )
            )
    return findings
