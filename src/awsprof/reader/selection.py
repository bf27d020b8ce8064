"""Which profile a command uses, and why, for the client that will run it.

The AWS CLI v2 reads ``--profile`` > ``AWS_PROFILE`` > ``AWS_DEFAULT_PROFILE`` > the implicit
``default``. The AWS CLI v1, botocore and boto3 read the two variables the other way round
(botocore's ``profile`` setting lists ``AWS_DEFAULT_PROFILE`` first), so a shell that sets both to
different profiles sends `aws` v2 and Python scripts (or `aws` v1) to different accounts. The
selection is made for one client and records what the other order would pick, so that the
disagreement can be shown wherever the profile is shown.
"""

from __future__ import annotations

from enum import Enum

from awsprof.values import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping

# The clients whose rules differ (awsprof.reader.clients tells which `aws` is on PATH).
AWS_CLI_V2 = "aws-cli-v2"
AWS_CLI_V1 = "aws-cli-v1"
BOTOCORE = "botocore"  # boto3, the AWS CLI v1's engine, and awsprof.session()
CLIENTS = (AWS_CLI_V2, AWS_CLI_V1, BOTOCORE)

_V2_ORDER = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")
_BOTOCORE_ORDER = ("AWS_DEFAULT_PROFILE", "AWS_PROFILE")


class SelectedBy(str, Enum):
    FLAG = "--profile"
    AWS_PROFILE = "AWS_PROFILE"
    AWS_DEFAULT_PROFILE = "AWS_DEFAULT_PROFILE"
    IMPLICIT_DEFAULT = "implicit default"


class Selection(Value):
    __slots__ = ("client", "other_profile", "profile", "selected_by")

    def __init__(
        self,
        profile: str,
        selected_by: SelectedBy,
        other_profile: str | None = None,
        client: str = AWS_CLI_V2,
    ) -> None:
        self.profile = profile
        self.selected_by = selected_by
        # The profile the other variable order would pick from the same environment, when it
        # differs (else None): v2 vs v1/boto3.
        self.other_profile = other_profile
        self.client = client

    @property
    def explicit(self) -> bool:
        """Whether a person named the profile (flag or variable) rather than falling to default."""
        return self.selected_by is not SelectedBy.IMPLICIT_DEFAULT

    @property
    def boto3_profile(self) -> str | None:
        """The profile boto3 would pick when it differs from this selection's."""
        return self.other_profile if self.client == AWS_CLI_V2 else None

    def describe(self) -> str:
        if self.selected_by is SelectedBy.FLAG:
            return f"profile '{self.profile}' from --profile"
        if self.selected_by is SelectedBy.IMPLICIT_DEFAULT:
            return "profile 'default', implicitly: no --profile, AWS_PROFILE or AWS_DEFAULT_PROFILE"
        return f"profile '{self.profile}' from {self.selected_by.value}"

    def disagreement(self, environ: Mapping[str, str]) -> str | None:
        """One sentence when AWS_PROFILE and AWS_DEFAULT_PROFILE name different profiles."""
        if self.other_profile is None:
            return None
        v2, v1 = (
            (self.profile, self.other_profile)
            if self.client == AWS_CLI_V2
            else (self.other_profile, self.profile)
        )
        return (
            f"AWS_PROFILE={environ.get('AWS_PROFILE')} and "
            f"AWS_DEFAULT_PROFILE={environ.get('AWS_DEFAULT_PROFILE')} disagree: the AWS CLI v2 "
            f"uses '{v2}', the AWS CLI v1, boto3 and Terraform's AWS provider use '{v1}'"
        )


def variable_order(client: str) -> tuple[str, str]:
    """The two profile variables in the order ``client`` reads them."""
    return _V2_ORDER if client == AWS_CLI_V2 else _BOTOCORE_ORDER


def select_profile(
    flag: str | None, environ: Mapping[str, str], client: str = AWS_CLI_V2
) -> Selection:
    """The profile ``client`` would use for this command line and environment."""
    if flag:
        return Selection(flag, SelectedBy.FLAG, None, client)
    first, second = variable_order(client)
    if environ.get(first):
        chosen, variable = environ[first], first
        other = environ.get(second) or chosen  # the other order reads `second` first
    elif environ.get(second):
        chosen, variable = environ[second], second
        other = chosen
    else:
        return Selection("default", SelectedBy.IMPLICIT_DEFAULT, None, client)
    return Selection(chosen, SelectedBy(variable), other if other != chosen else None, client)


def not_found_hint(selection: Selection, names: list[str]) -> str:
    """The fix for a selected profile that does not exist, where it was chosen: the flag, or the
    variable (a typo in AWS_PROFILE is fixed there, not with --profile)."""
    from awsprof.profiles.model import did_you_mean

    if selection.selected_by in (SelectedBy.AWS_PROFILE, SelectedBy.AWS_DEFAULT_PROFILE):
        variable = selection.selected_by.value
        return (
            f"The name comes from {variable} in your environment. "
            + did_you_mean(selection.profile, names, f"export {variable}", "=")
            + f" (or `unset {variable}`)"
        )
    return did_you_mean(selection.profile, names, "--profile")
