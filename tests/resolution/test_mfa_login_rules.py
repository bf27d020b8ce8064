"""``configure mfa-login``'s rules without a terminal: the suggested profile name (the AWS CLI
v2's), the duration limits and the refusal to overwrite the keys the login uses."""

from __future__ import annotations

import pytest

from awsprof.credentials import Credentials
from awsprof.errors import UsageError
from awsprof.resolution.mfa_login import check_duration, check_target, suggested_profile


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        ("arn:aws:iam::123456789012:mfa/alice", "123456789012-alice"),
        ("arn:aws:iam::123456789012:mfa/team/alice-phone", "123456789012-alice-phone"),
        ("GAHT12345678", "session-GAHT12345678"),
        ("arn:aws-cn:iam::123456789012:mfa/bob", "session-arn:aws-cn:iam::123456789012:mfa/bob"),
        (None, "session-temp"),
        ("", "session-temp"),
    ],
)
def test_suggested_profile_is_the_aws_cli_v2s(serial: str | None, expected: str) -> None:
    assert suggested_profile(serial) == expected


@pytest.mark.parametrize("seconds", [899, 129601, 0, -1])
def test_duration_outside_sts_limits_is_refused(seconds: int) -> None:
    with pytest.raises(UsageError):
        check_duration(seconds)


@pytest.mark.parametrize("seconds", [900, 43200, 129600])
def test_duration_within_sts_limits_is_taken(seconds: int) -> None:
    check_duration(seconds)


def test_target_holding_the_source_keys_is_refused() -> None:
    source = Credentials("AKIASOURCEKEY0000001", "secret")
    with pytest.raises(UsageError, match="long-term keys"):
        check_target("dev", "AKIASOURCEKEY0000001", None, source)
    check_target("dev", "AKIASOURCEKEY0000001", "a-token", source)  # a former MFA session
    check_target("dev-mfa", "ASIAOTHER00000000001", "token", source)
    check_target("new", None, None, source)


@pytest.mark.parametrize("name", ["", "two\nlines"])
def test_unwritable_target_names_are_refused(name: str) -> None:
    with pytest.raises(UsageError):
        check_target(name, None, None, Credentials("AKIASOURCEKEY0000001", "secret"))
