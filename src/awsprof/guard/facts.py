"""What the guard knows without the network about where a command would run: which profile the
client will use and why, which account it reaches, and which accounts are protected.

Everything here is read through the offline profile reader (:mod:`awsprof.reader`): selection for
the client that will run, the files, the one ``account_of``, the caches. Facts are values: the
slow path (:mod:`awsprof.guard.identify`) returns new facts with what AWS said.
"""

from __future__ import annotations

from awsprof.guard import marks
from awsprof.guard.tiers import Tier, parse_tier
from awsprof.reader.accounts import (
    KeyAccounts,
    account_of,
    assumes_role,
    role_account,
    shown_key,
    web_identity,
)
from awsprof.reader.caches import read_cache
from awsprof.reader.profiles import ProfileFiles
from awsprof.reader.selection import AWS_CLI_V2, SelectedBy, select_profile
from awsprof.values import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping

    from awsprof.reader.selection import Selection

__all__ = [
    "AWS_DEFAULT_PROFILE",
    "AWS_PROFILE",
    "FLAG",
    "IMPLICIT_DEFAULT",
    "Facts",
    "Mark",
    "environment_keys",
    "gather",
    "read_cache",
    "role_account",
    "select",
    "shown_key",
]

# How the profile was chosen (the values of awsprof.reader.selection.SelectedBy).
FLAG = SelectedBy.FLAG.value
AWS_PROFILE = SelectedBy.AWS_PROFILE.value
AWS_DEFAULT_PROFILE = SelectedBy.AWS_DEFAULT_PROFILE.value
IMPLICIT_DEFAULT = SelectedBy.IMPLICIT_DEFAULT.value


def select(
    profile_flag: str | None, environ: Mapping[str, str], client: str = AWS_CLI_V2
) -> tuple[str, str]:
    """(profile, how it was chosen) for ``client``: the reader's selection, as plain strings."""
    selection = select_profile(profile_flag, environ, client)
    return selection.profile, selection.selected_by.value


def environment_keys(environ: Mapping[str, str]) -> str | None:
    """The access key ID when the environment holds a key pair (it beats AWS_PROFILE)."""
    key_id = environ.get("AWS_ACCESS_KEY_ID")
    return key_id if key_id and environ.get("AWS_SECRET_ACCESS_KEY") else None


class Mark(Value):
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
        self.account = account  # the pin, else the account known offline (or found out)
        self.account_source = account_source
        self.expected_account = expected_account


class Facts(Value):
    """Everything known about where a command would run. Immutable: change with ``replace``."""

    __slots__ = (
        "account",
        "account_source",
        "alias",
        "arn",
        "client",
        "disagreement",
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
        "tiers",
        "unresolved_marks",
    )

    def __init__(
        self,
        profile: str,
        selected_by: str,
        *,
        client: str = AWS_CLI_V2,
        disagreement: str | None = None,
        profile_exists: bool = True,
        environment_key: str | None = None,
        account: str | None = None,
        account_source: str | None = None,
        role_arn: str | None = None,
        region: str | None = None,
        expected_account: str | None = None,
        expected_source: str | None = None,
        marks: tuple[Mark, ...] | list[Mark] = (),
        marks_read: bool = True,
        level_problem: str | None = None,
        settings: Mapping[str, tuple[str, str]] | None = None,
        identified: bool = False,
        identity_error: str | None = None,
        arn: str | None = None,
        alias: str | None = None,
        unresolved_marks: tuple[str, ...] = (),
        tiers: tuple[Tier, ...] = (),
    ) -> None:
        self.profile = profile
        self.selected_by = selected_by
        self.client = client  # whose rules chose the profile (awsprof.reader.selection)
        self.disagreement = disagreement  # AWS_PROFILE and AWS_DEFAULT_PROFILE differ
        self.profile_exists = profile_exists
        self.environment_key = environment_key  # credentials come from the environment
        self.account = account
        self.account_source = account_source
        self.role_arn = role_arn
        self.region = region
        self.expected_account = expected_account  # the selected profile's pin
        self.expected_source = expected_source
        self.marks = tuple(marks)
        self.marks_read = marks_read  # False when the caller said they cannot matter
        self.level_problem = level_problem  # a mark whose value was not understood
        self.settings = dict(settings or {})  # the selected profile's: key -> (value, where)
        # What the slow path (awsprof.guard.identify) found out from AWS:
        self.identified = identified  # the account comes from the resolved credentials
        self.identity_error = identity_error  # why it could not be determined
        self.arn = arn
        self.alias = alias
        # Marked profiles whose account AWS could not tell: they protect only themselves.
        self.unresolved_marks = unresolved_marks
        self.tiers = tiers  # the account tiers of the config (awsprof.guard.tiers)

    def __hash__(self) -> int:
        return hash((self.profile, self.selected_by, self.account, self.marks))

    @property
    def implicit_default(self) -> bool:
        """The silent `default`: nobody named a profile and no keys are in the environment."""
        return self.selected_by == IMPLICIT_DEFAULT and self.environment_key is None


def _pin(settings: Mapping[str, tuple[str, str]]) -> tuple[str | None, str | None]:
    pin = settings.get(marks.EXPECTED_ACCOUNT_KEY)
    return (pin[0].strip(), pin[1]) if pin is not None else (None, None)


def read_marks(
    profiles: Mapping[str, Mapping[str, tuple[str, str]]], accounts: KeyAccounts
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
            account, source = account_of(settings, accounts)
        where = (mark or settings[marks.EXPECTED_ACCOUNT_KEY])[1]
        found.append(Mark(name, level, where, account, source, pin))
    return found, problem


def _region(
    region_flag: str | None, environ: Mapping[str, str], settings: Mapping[str, tuple[str, str]]
) -> str | None:
    region = settings.get("region")
    return (
        region_flag
        or environ.get("AWS_REGION")
        or environ.get("AWS_DEFAULT_REGION")
        or (region[0] if region else None)
    )


def gather(
    environ: Mapping[str, str],
    profile_flag: str | None = None,
    region_flag: str | None = None,
    want_marks: bool = True,
    *,
    client: str = AWS_CLI_V2,
    known_keys: Mapping[str, str] | None = None,
    selection: Selection | None = None,
) -> Facts:
    """The facts for a command line's ``--profile``/``--region`` and this environment, as
    ``client`` would choose the profile and its credentials.

    ``want_marks=False`` skips reading every profile's marks (a read-only command through a
    named profile cannot be stopped by them), which keeps huge shared configs cheap.
    ``known_keys`` maps access key IDs to accounts already known (``exec``'s own resolution).
    """
    chosen = selection or select_profile(profile_flag, environ, client)
    profile, selected_by = chosen.profile, chosen.selected_by.value
    files = ProfileFiles(environ, profile, marks_matter=want_marks)
    accounts = KeyAccounts(environ)
    settings = files.get(profile)
    named_by_flag = chosen.selected_by is SelectedBy.FLAG
    # botocore: an explicit profile switches the environment providers off (keys, web identity).
    provider_environ = {} if named_by_flag else environ
    key_id = None if named_by_flag else environment_keys(environ)
    own = settings or {}
    account: str | None = None
    source: str | None = None
    role_arn: str | None = None
    if key_id is not None:
        account = (known_keys or {}).get(key_id) or accounts.of_key(key_id)
        if account is not None:
            source = f"STS, earlier, for {shown_key(key_id)} in AWS_ACCESS_KEY_ID"
    else:
        account, source = account_of(own, accounts, provider_environ)
        if assumes_role(own):
            role_arn = own["role_arn"][0]
        else:
            found = web_identity(own, provider_environ)
            role_arn = found[0][0] if found is not None else None
    pin, pin_source = _pin(own)
    marks_found: list[Mark] = []
    level_problem = None
    if files.has_marks:
        marks_found, level_problem = read_marks(files.profiles, accounts)
    return Facts(
        profile,
        selected_by,
        client=chosen.client,
        disagreement=chosen.disagreement(environ),
        profile_exists=settings is not None,
        environment_key=key_id,
        account=account,
        account_source=source,
        role_arn=role_arn,
        region=_region(region_flag, environ, own),
        expected_account=pin,
        expected_source=pin_source,
        marks=marks_found,
        marks_read=want_marks,
        level_problem=level_problem,
        settings=settings,
        tiers=tuple(parse_tier(*section) for section in files.tier_sections),
    )
