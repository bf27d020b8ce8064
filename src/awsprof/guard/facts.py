"""What the guard and the prompt can know without the network: which profile a command uses and
why, which account it reaches, and which accounts are protected.

This runs before every `aws` command typed through the shell wrapper and on every shell prompt,
so it is deliberately lean: plain classes, no botocore, no dataclasses, no `awsprof.resolution`
(whose imports cost more than the whole budget). It reads the two files with the same scanner as
the rest of awsprof and takes accounts only from what cannot lie about them:

- a role profile's ``role_arn`` (the final role of a chain decides: it is the identity used);
- an SSO profile's ``sso_account_id``;
- long-term keys: the account STS returned for that access key ID earlier (awsprof's per-key
  cache, see ``awsprof.resolution.identity``): a key never changes account.

Never the profile's name. Anything else is "unknown", and the decision says what that costs.
"""

from __future__ import annotations

import os
import re

from awsprof.files.ini import IniFile, Section, parse
from awsprof.files.regular import open_text
from awsprof.files.sections import Kind, config_header_meaning
from awsprof.guard import marks

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping

# How the profile was chosen: the AWS CLI v2 order (aws-facts.md section 3).
FLAG = "--profile"
AWS_PROFILE = "AWS_PROFILE"
AWS_DEFAULT_PROFILE = "AWS_DEFAULT_PROFILE"
IMPLICIT_DEFAULT = "implicit default"

_MARK = re.compile(r"(?im)^\s*awsprof_")  # configparser lower-cases keys: match any case


def select(profile_flag: str | None, environ: Mapping[str, str]) -> tuple[str, str]:
    """(profile, how it was chosen), as ``awsprof.resolution.selection.select_profile`` decides.

    Repeated here in four lines because that module's imports cost more than the hot path's
    whole budget; a test keeps the two in agreement.
    """
    if profile_flag:
        return profile_flag, FLAG
    for variable in (AWS_PROFILE, AWS_DEFAULT_PROFILE):
        if environ.get(variable):
            return environ[variable], variable
    return "default", IMPLICIT_DEFAULT


def environment_keys(environ: Mapping[str, str]) -> str | None:
    """The access key ID when the environment holds a key pair (it beats AWS_PROFILE)."""
    key_id = environ.get("AWS_ACCESS_KEY_ID")
    return key_id if key_id and environ.get("AWS_SECRET_ACCESS_KEY") else None


def role_account(role_arn: str) -> str | None:
    """The account of ``arn:PARTITION:iam::ACCOUNT:role/NAME``, or None when malformed."""
    parts = role_arn.split(":", 5)
    if len(parts) == 6 and parts[0] == "arn" and parts[2] == "iam" and parts[5][:5] == "role/":
        return parts[4] if marks.is_account_id(parts[4]) else None
    return None


def shown_key(access_key_id: str) -> str:
    """An access key ID as a person sees it in messages: the last 4 characters only."""
    return "access key ****" + access_key_id[-4:]


class Mark:
    """A profile carrying a protection mark or an expected-account pin."""

    __slots__ = ("account", "account_source", "expected_account", "level", "profile", "where")

    def __init__(
        self,
        profile: str,
        level: str | None,
        where: str,
        account: str | None = None,
        account_source: str | None = None,
        expected_account: str | None = None,
    ) -> None:
        self.profile = profile
        self.level = level  # None: only a pin, or explicitly unprotected
        self.where = where  # "file:line" of the mark
        self.account = account  # the pin, else the account known offline
        self.account_source = account_source
        self.expected_account = expected_account

    def __repr__(self) -> str:
        return f"Mark({self.profile!r}, {self.level!r}, account={self.account!r})"


class Facts:
    """Everything known offline about where a command would run."""

    __slots__ = (
        "account",
        "account_source",
        "alias",
        "arn",
        "environment_key",
        "expected_account",
        "expected_source",
        "identified",
        "identity_error",
        "level_problem",
        "marks",
        "marks_read",
        "profile",
        "profile_exists",
        "region",
        "role_arn",
        "selected_by",
        "settings",
    )

    def __init__(
        self,
        profile: str,
        selected_by: str,
        *,
        profile_exists: bool = True,
        environment_key: str | None = None,
        account: str | None = None,
        account_source: str | None = None,
        role_arn: str | None = None,
        region: str | None = None,
        expected_account: str | None = None,
        expected_source: str | None = None,
        marks: list[Mark] | None = None,
        marks_read: bool = True,
        level_problem: str | None = None,
        settings: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self.profile = profile
        self.selected_by = selected_by
        self.profile_exists = profile_exists
        self.environment_key = environment_key  # credentials come from the environment
        self.account = account
        self.account_source = account_source
        self.role_arn = role_arn
        self.region = region
        self.expected_account = expected_account  # the selected profile's pin
        self.expected_source = expected_source
        self.marks = marks or []
        self.marks_read = marks_read  # False when the caller said they cannot matter
        self.level_problem = level_problem  # a mark whose value was not understood
        self.settings = settings or {}  # the selected profile's settings: key -> (value, where)
        # Filled by the slow path (awsprof.guard.identify), which asks AWS:
        self.identified = False  # the account comes from the resolved credentials
        self.identity_error: str | None = None  # why it could not be determined
        self.arn: str | None = None
        self.alias: str | None = None

    @property
    def implicit_default(self) -> bool:
        """The silent `default`: nobody named a profile and no keys are in the environment."""
        return self.selected_by == IMPLICIT_DEFAULT and self.environment_key is None


# -- reading -----------------------------------------------------------------------------------


def _home(environ: Mapping[str, str]) -> str:
    return environ.get("HOME") or os.path.expanduser("~")


def _path(raw: str, environ: Mapping[str, str]) -> str:
    """``$VAR`` then ``~`` expansion, as ``awsprof.files.locate`` does on POSIX."""
    if "$" in raw:
        from awsprof.files.locate import expand_path

        return expand_path(raw, environ)
    if raw == "~" or raw.startswith("~/"):
        return _home(environ) + raw[1:]
    return raw


def file_paths(environ: Mapping[str, str]) -> tuple[str, str]:
    if os.name == "nt":  # Windows rules for the home directory: the full implementation
        from awsprof.files import locate

        config, credentials = locate.aws_files(environ)
        return str(config), str(credentials)
    return (
        _path(environ.get("AWS_CONFIG_FILE") or "~/.aws/config", environ),
        _path(environ.get("AWS_SHARED_CREDENTIALS_FILE") or "~/.aws/credentials", environ),
    )


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


def _profiles(
    config_path: str,
    config: IniFile | None,
    credentials_path: str,
    credentials: IniFile | None,
    only: str | None = None,
) -> dict[str, dict[str, tuple[str, str]]]:
    """Profiles as botocore merges them (config, then credentials keys per key); nested values
    are left out (no account lives in them)."""
    result: dict[str, dict[str, tuple[str, str]]] = {}
    if config is not None:
        for section in config.sections:
            kind, name = config_header_meaning(section.name)
            if kind is not Kind.PROFILE or (only is not None and name != only):
                continue
            # With both [default] and [profile default], the later one wins whole.
            result[name] = _values(config_path, config, section)
    if credentials is not None:
        for section in credentials.sections:
            name = section.name
            if name == "DEFAULT" or (only is not None and name != only):
                continue
            result.setdefault(name, {}).update(_values(credentials_path, credentials, section))
    return result


def _values(path: str, parsed: IniFile, section: Section) -> dict[str, tuple[str, str]]:
    options = dict(parsed.defaults)
    options.update(section.options)
    values = {}
    for key, option in options.items():
        value = option.raw
        if not value.startswith("\n"):
            values[key] = (value, f"{path}:{option.line}")
    return values


# -- accounts known offline --------------------------------------------------------------------


def cache_dir(environ: Mapping[str, str]) -> str:
    """awsprof's own cache (``awsprof.files.locate.cache_dir``, not imported: start-up time)."""
    base = environ.get("XDG_CACHE_HOME") or os.path.join(_home(environ), ".cache")
    return os.path.join(base, "awsprof")


def read_cache(environ: Mapping[str, str], name: str) -> dict[str, object]:
    """One JSON file of awsprof's cache, or an empty dict (missing or unreadable: unknown)."""
    try:
        with open(os.path.join(cache_dir(environ), f"{name}.json"), "rb") as handle:
            data = handle.read()
    except OSError:
        return {}
    import json

    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class _Accounts:
    """The per-key account cache, read at most once."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ
        self._known: dict[str, object] | None = None

    def of_key(self, access_key_id: str) -> str | None:
        if self._known is None:
            self._known = read_cache(self._environ, "accounts")
        entry = self._known.get(access_key_id)
        account = entry.get("Account") if isinstance(entry, dict) else None
        return account if isinstance(account, str) and marks.is_account_id(account) else None


def offline_account(
    settings: dict[str, tuple[str, str]], accounts: _Accounts
) -> tuple[str | None, str | None]:
    """(account, where it comes from) for a profile's own settings, without the network."""
    role_arn = settings.get("role_arn")
    if role_arn is not None:
        # A role profile's identity is its role, whatever the chain below it.
        account = role_account(role_arn[0])
        return account, (f"role_arn ({role_arn[1]})" if account else None)
    sso_account = settings.get("sso_account_id")
    if sso_account is not None and marks.is_account_id(sso_account[0]):
        return sso_account[0], f"sso_account_id ({sso_account[1]})"
    key = settings.get("aws_access_key_id")
    if key is not None:
        account = accounts.of_key(key[0])
        if account is not None:
            return account, f"STS, earlier, for {shown_key(key[0])}"
    return None, None


def _pin(settings: dict[str, tuple[str, str]]) -> tuple[str | None, str | None]:
    pin = settings.get(marks.EXPECTED_ACCOUNT_KEY)
    return (pin[0].strip(), pin[1]) if pin is not None else (None, None)


def read_marks(
    profiles: dict[str, dict[str, tuple[str, str]]], accounts: _Accounts
) -> tuple[list[Mark], str | None]:
    """Every marked or pinned profile, with its account when known offline; and the first
    mark whose value was not understood (it counts as the strictest level)."""
    found: list[Mark] = []
    problem = None
    for name, settings in profiles.items():
        mark = settings.get(marks.PROTECTED_KEY)
        pin, _ = _pin(settings)
        if mark is None and pin is None:
            continue
        level, understood = marks.parse_level(mark[0] if mark else None)
        if not understood and problem is None and mark is not None:
            problem = (
                f"{marks.PROTECTED_KEY} = {mark[0].strip()} ({mark[1]}) is not a level I know; "
                f"it counts as {marks.REFUSE_WRITES}"
            )
        account: str | None
        source: str | None
        if pin is not None and marks.is_account_id(pin):
            pin_where = settings[marks.EXPECTED_ACCOUNT_KEY][1]
            account, source = pin, f"{marks.EXPECTED_ACCOUNT_KEY} ({pin_where})"
        else:
            account, source = offline_account(settings, accounts)
        where = (mark or settings[marks.EXPECTED_ACCOUNT_KEY])[1]
        found.append(Mark(name, level, where, account, source, pin))
    return found, problem


def gather(
    environ: Mapping[str, str],
    profile_flag: str | None = None,
    region_flag: str | None = None,
    want_marks: bool = True,
) -> Facts:
    """The facts for a command line's ``--profile``/``--region`` and this environment.

    ``want_marks=False`` skips reading every profile's marks (a read-only command through a
    named profile cannot be stopped by them), which keeps huge shared configs cheap.
    """
    profile, selected_by = select(profile_flag, environ)
    config_path, credentials_path = file_paths(environ)
    config_text, credentials_text = _read(config_path), _read(credentials_path)
    has_marks = want_marks and any(
        text is not None and _MARK.search(text) for text in (config_text, credentials_text)
    )
    keep = None if has_marks else profile
    config = _parsed(config_path, config_text, keep)
    credentials = _parsed(credentials_path, credentials_text, keep)
    profiles = _profiles(
        config_path, config, credentials_path, credentials, None if has_marks else profile
    )
    accounts = _Accounts(environ)
    settings = profiles.get(profile)
    key_id = None if selected_by == FLAG else environment_keys(environ)
    facts = Facts(
        profile,
        selected_by,
        profile_exists=settings is not None,
        environment_key=key_id,
        marks_read=want_marks,
        settings=settings,
    )
    settings = settings or {}
    if key_id is not None:
        facts.account = accounts.of_key(key_id)
        if facts.account is not None:
            facts.account_source = f"STS, earlier, for {shown_key(key_id)} in AWS_ACCESS_KEY_ID"
    else:
        facts.account, facts.account_source = offline_account(settings, accounts)
        role_arn = settings.get("role_arn")
        facts.role_arn = role_arn[0] if role_arn else None
    facts.expected_account, facts.expected_source = _pin(settings)
    region = settings.get("region")
    facts.region = (
        region_flag
        or environ.get("AWS_REGION")
        or environ.get("AWS_DEFAULT_REGION")
        or (region[0] if region else None)
    )
    if has_marks:
        facts.marks, facts.level_problem = read_marks(profiles, accounts)
    return facts
