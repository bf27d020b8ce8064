"""The guard's decisions as a table: facts + command line -> run, confirm, refuse or identify."""

from __future__ import annotations

import pytest

from awsprof.guard import marks
from awsprof.guard.classify import classify
from awsprof.guard.decide import CONFIRM, IDENTIFY, REFUSE, RUN, answer_matches, decide
from awsprof.guard.facts import (
    AWS_DEFAULT_PROFILE,
    AWS_PROFILE,
    FLAG,
    IMPLICIT_DEFAULT,
    Facts,
    Mark,
    role_account,
)

PROD = "888899990000"
NONPROD = "888899990001"
DEV = "222233334444"
PROD_MARK = Mark("prod", marks.DESTRUCTIVE, "config:9", PROD, "role_arn")

RB = "s3 rb s3://prod-data-888899990000"
LS = "s3 ls"
PUT = "s3api put-object --bucket b --key k"


def facts(
    profile: str = "prod",
    selected_by: str = FLAG,
    account: str | None = PROD,
    marks_: tuple[Mark, ...] = (PROD_MARK,),
    **extra: object,
) -> Facts:
    made = Facts(profile, selected_by, account=account, marks=list(marks_))
    for name, value in extra.items():
        setattr(made, name, value)
    return made


def action(situation: Facts, line: str, confirm: str | None = None) -> str:
    return decide(situation, classify(line.split()), confirm).action


TABLE = [
    # (facts, command, --confirm-account, expected action)
    # Read-only never asks, even in a protected account.
    (facts(), LS, None, RUN),
    (facts(), "ec2 describe-instances", None, RUN),
    # Destructive in a protected account asks; a write does not at the default level.
    (facts(), RB, None, CONFIRM),
    (facts(), PUT, None, RUN),
    # --dry-run and local commands reach nothing.
    (facts(), "ec2 terminate-instances --instance-ids i-1 --dry-run", None, RUN),
    (facts(), "configure set region eu-west-1", None, RUN),
    (facts(), "s3 rb s3://x --no-sign-request", None, RUN),
    # --confirm-account: exactly the target account, nothing else.
    (facts(), RB, PROD, RUN),
    (facts(), RB, NONPROD, REFUSE),
    (facts(), RB, "prod", REFUSE),
    (facts(), RB, "88889999", REFUSE),
    # Levels.
    (facts(marks_=(Mark("prod", marks.WRITES, "c:1", PROD),)), PUT, None, CONFIRM),
    (facts(marks_=(Mark("prod", marks.REFUSE_WRITES, "c:1", PROD),)), PUT, None, REFUSE),
    (facts(marks_=(Mark("prod", marks.REFUSE_WRITES, "c:1", PROD),)), RB, PROD, REFUSE),
    (facts(marks_=(Mark("prod", marks.REFUSE_WRITES, "c:1", PROD),)), LS, None, RUN),
    # Unprotected target: everything runs.
    (facts("dev", account=DEV), RB, None, RUN),
    (facts("dev", account=DEV, marks_=()), RB, None, RUN),
    # The implicit default.
    (facts("default", IMPLICIT_DEFAULT, PROD), LS, None, REFUSE),
    (facts("default", IMPLICIT_DEFAULT, PROD), RB, PROD, REFUSE),
    (facts("default", IMPLICIT_DEFAULT, DEV), LS, None, RUN),
    (facts("default", IMPLICIT_DEFAULT, DEV), RB, None, RUN),
    (facts("default", IMPLICIT_DEFAULT, None), LS, None, IDENTIFY),
    (facts("default", IMPLICIT_DEFAULT, None, marks_=()), RB, None, RUN),
    # Named explicitly, `default` is judged like any profile.
    (facts("default", FLAG, PROD), LS, None, RUN),
    (facts("default", FLAG, PROD), RB, None, CONFIRM),
    # Unknown account, possibly protected.
    (facts("dev", account=None), RB, None, IDENTIFY),
    (facts("dev", account=None), PUT, None, RUN),  # no mark asks for writes
    (facts("dev", account=None), LS, None, RUN),
    (facts("dev", account=None, identified=True, identity_error="network down"), RB, None, REFUSE),
    (facts("dev", account=None, identified=True, identity_error="network down"), LS, None, RUN),
    # A marked profile whose account nobody knows: another target might be it.
    (
        facts("dev", account=DEV, marks_=(Mark("keys", marks.DESTRUCTIVE, "c:1"),)),
        RB,
        None,
        IDENTIFY,
    ),
]


@pytest.mark.parametrize(("situation", "line", "confirm", "expected"), TABLE)
def test_decision_table(situation: Facts, line: str, confirm: str | None, expected: str) -> None:
    assert action(situation, line, confirm) == expected


def test_account_match_is_exact_never_a_substring() -> None:
    # aws-nuke #997: `prod` matched `nonprod`. Names never decide; 12-digit IDs match exactly.
    nonprod = facts("nonprod", account=NONPROD)
    assert action(nonprod, RB) == RUN
    assert action(facts("prod-copy", account=PROD), RB) == CONFIRM
    assert not answer_matches("8888", PROD, "prod")
    assert not answer_matches(" 88889999000 ", PROD, "prod")
    assert not answer_matches("nonprod", PROD, "prod")
    assert not answer_matches("", PROD, "prod")
    assert answer_matches(" 888899990000\n", PROD, "prod")
    assert answer_matches("prod\n", PROD, "prod")
    assert not answer_matches("prod", PROD, None)


def test_the_profile_name_never_protects_the_mark_does() -> None:
    unmarked_prod_name = facts("prod", account=DEV, marks_=())
    assert action(unmarked_prod_name, RB) == RUN
    marked_by_account = facts("innocent-name", account=PROD)
    decision = decide(marked_by_account, classify(RB.split()))
    assert decision.action == CONFIRM
    assert decision.protected_by == f"account {PROD} is protected by profile 'prod' (config:9)"


def test_pinned_profile_reaching_another_account_is_refused_showing_both() -> None:
    pinned = facts("dev", account=DEV, expected_account=PROD, expected_source="config:4")
    decision = decide(pinned, classify(LS.split()))
    assert decision.action == REFUSE
    assert PROD in decision.reason and DEV in decision.reason
    malformed = facts("dev", account=DEV, expected_account="prod", expected_source="config:4")
    assert action(malformed, LS) == REFUSE
    unknown = facts("dev", account=None, expected_account=PROD, marks_=())
    assert action(unknown, PUT) == IDENTIFY
    # A pin is never compared with an account nobody looked up, for reads too (issue 10).
    assert action(unknown, LS) == IDENTIFY


def test_environment_keys_shadowing_aws_profile_are_named() -> None:
    shadowed = facts("dev", AWS_PROFILE, PROD, environment_key="AKIAPROD")
    decision = decide(shadowed, classify(RB.split()))
    assert decision.action == CONFIRM
    assert decision.notice is not None
    assert "overrides AWS_PROFILE=dev" in decision.notice and PROD in decision.notice
    # The mark of the shadowed profile does not protect keys of another account...
    keys_of_dev = facts("prod", AWS_PROFILE, DEV, environment_key="AKIADEV")
    assert action(keys_of_dev, RB) == RUN
    # ...and env keys with no profile named are not the implicit default's gotcha.
    no_profile = facts("default", IMPLICIT_DEFAULT, PROD, environment_key="AKIAPROD")
    assert action(no_profile, LS) == RUN
    assert action(no_profile, RB) == CONFIRM
    assert decide(facts("x", AWS_DEFAULT_PROFILE, DEV, environment_key="K"), classify(["s3"]))


def test_implicit_default_notice_names_profile_and_account() -> None:
    decision = decide(facts("default", IMPLICIT_DEFAULT, DEV), classify(LS.split()))
    assert decision.notice == f"no profile named: using the implicit 'default' ({DEV})"


def test_unknown_level_counts_as_the_strictest() -> None:
    assert marks.parse_level("refuse-write") == (marks.REFUSE_WRITES, False)
    assert marks.parse_level("TRUE") == (marks.DESTRUCTIVE, True)
    assert marks.parse_level("false") == (None, True)
    assert marks.parse_level("writes") == (marks.WRITES, True)


@pytest.mark.parametrize(
    ("arn", "account"),
    [
        ("arn:aws:iam::888899990000:role/OrganizationAccountAccessRole", PROD),
        ("arn:aws-us-gov:iam::888899990000:role/path/Name", PROD),
        ("arn:aws:iam::88889999000:role/Short", None),
        ("arn:aws:iam::888899990000:user/alice", None),
        ("arn:aws:sts::888899990000:role/X", None),
        ("not an arn", None),
    ],
)
def test_role_account(arn: str, account: str | None) -> None:
    assert role_account(arn) == account
