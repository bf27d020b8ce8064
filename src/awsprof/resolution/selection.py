"""Which profile a command uses, and why.

The AWS CLI v2 order: ``--profile`` > ``AWS_PROFILE`` > ``AWS_DEFAULT_PROFILE`` > the implicit
``default``. boto3 reads the two variables the other way round, so a shell that sets both to
different profiles sends the AWS CLI and Python scripts to different accounts: the selection
records that disagreement so it can be shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from awsprof.values import Value


class SelectedBy(str, Enum):
    FLAG = "--profile"
    AWS_PROFILE = "AWS_PROFILE"
    AWS_DEFAULT_PROFILE = "AWS_DEFAULT_PROFILE"
    IMPLICIT_DEFAULT = "implicit default"


class Selection(Value):
    __slots__ = ("boto3_profile", "profile", "selected_by")

    def __init__(
        self, profile: str, selected_by: SelectedBy, boto3_profile: str | None = None
    ) -> None:
        self.profile = profile
        self.selected_by = selected_by
        # The profile boto3 would pick from the same environment when it differs (else None).
        self.boto3_profile = boto3_profile

    @property
    def explicit(self) -> bool:
        """Whether a person named the profile (flag or variable) rather than falling to default."""
        return self.selected_by is not SelectedBy.IMPLICIT_DEFAULT

    def describe(self) -> str:
        if self.selected_by is SelectedBy.FLAG:
            return f"profile '{self.profile}' from --profile"
        if self.selected_by is SelectedBy.IMPLICIT_DEFAULT:
            return "profile 'default', implicitly: no --profile, AWS_PROFILE or AWS_DEFAULT_PROFILE"
        return f"profile '{self.profile}' from {self.selected_by.value}"


def select_profile(flag: str | None, environ: Mapping[str, str]) -> Selection:
    """The profile the AWS CLI v2 would use for this command line and environment."""
    aws_profile = environ.get("AWS_PROFILE") or None
    aws_default_profile = environ.get("AWS_DEFAULT_PROFILE") or None
    boto3 = aws_default_profile or aws_profile or "default"
    if flag:
        return Selection(flag, SelectedBy.FLAG)
    if aws_profile:
        chosen = Selection(aws_profile, SelectedBy.AWS_PROFILE)
    elif aws_default_profile:
        chosen = Selection(aws_default_profile, SelectedBy.AWS_DEFAULT_PROFILE)
    else:
        return Selection("default", SelectedBy.IMPLICIT_DEFAULT)
    if boto3 != chosen.profile:
        return Selection(chosen.profile, chosen.selected_by, boto3)
    return chosen


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
