"""How the classifier reads an argv: global options anywhere, values, `--`, help, odd input."""

from __future__ import annotations

import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awsprof.guard.classify import Classification, Kind, classify, describe

READ_ONLY, WRITE, DESTRUCTIVE = Kind.READ_ONLY, Kind.WRITE, Kind.DESTRUCTIVE


def run(command: str) -> Classification:
    return classify(shlex.split(command))


# --- nothing to run -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", ["", "--profile prod", "--profile", "--debug --region eu-west-1"]
)
def test_no_command_is_read_only(command: str) -> None:
    result = run(command)
    assert (result.kind, result.service, result.operation) == (READ_ONLY, None, None)


def test_profile_then_nothing_still_reports_the_profile() -> None:
    assert run("--profile prod").profile == "prod"


def test_service_without_operation_only_prints_usage() -> None:
    assert run("--profile prod ec2").kind is READ_ONLY
    assert run("configure --profile prod").kind is WRITE  # the interactive wizard writes


# --- global options and their values ------------------------------------------------------------


def test_values_that_look_like_services_are_values() -> None:
    result = run("--profile s3 --region ec2 --output table --query s3 ec2 terminate-instances")
    assert (result.service, result.operation) == ("ec2", "terminate-instances")
    assert (result.profile, result.region) == ("s3", "ec2")
    assert result.kind is DESTRUCTIVE


def test_global_options_between_and_after() -> None:
    result = run("s3 --profile prod rb --region us-east-1 s3://bucket --force --endpoint-url x")
    assert (result.service, result.operation, result.kind) == ("s3", "rb", DESTRUCTIVE)
    assert (result.profile, result.region, result.endpoint_url) == ("prod", "us-east-1", "x")


def test_equals_form() -> None:
    result = run("--profile=prod s3api --region=eu-west-1 delete-bucket --bucket=b")
    assert (result.profile, result.region, result.kind) == ("prod", "eu-west-1", DESTRUCTIVE)


def test_empty_value_with_equals() -> None:
    assert run("--profile= s3 ls").profile == ""


def test_last_profile_wins_as_in_the_cli() -> None:
    assert run("--profile dev s3 ls --profile prod").profile == "prod"


def test_abbreviated_global_options_count_as_argparse_does() -> None:
    # The AWS CLI's argparse accepts unambiguous prefixes: `aws --prof prod` targets prod.
    result = run("--prof prod --reg us-east-1 --endpoint http://localhost:4566 s3 rb s3://b")
    assert (result.profile, result.region) == ("prod", "us-east-1")
    assert result.endpoint_url == "http://localhost:4566"
    assert run("--prof=prod s3 ls").profile == "prod"


def test_ambiguous_abbreviation_takes_no_value() -> None:
    # `--no` could be several options: the CLI refuses it; here it is just an unknown flag.
    result = run("--no ec2 describe-instances")
    assert (result.service, result.operation) == ("ec2", "describe-instances")


def test_missing_value_before_another_option() -> None:
    # The CLI fails ("expected one argument"); the classifier must not take `--region` as a name.
    result = run("--profile --region us-east-1 s3 ls")
    assert (result.profile, result.region, result.service) == (None, "us-east-1", "s3")


def test_flags_take_no_value() -> None:
    result = run("--debug s3 --no-cli-pager ls --no-paginate --no-verify-ssl")
    assert (result.service, result.operation, result.kind) == ("s3", "ls", READ_ONLY)


def test_no_sign_request_is_recorded() -> None:
    assert run("--no-sign-request s3 ls s3://public").no_sign_request
    assert not run("s3 ls").no_sign_request


# --- unknown options and unknown commands ----------------------------------------------------


def test_unknown_option_takes_no_value() -> None:
    # argparse reads `--foo bar` as an unknown flag and a positional: `bar` is the service.
    result = run("--foo bar s3 ls")
    assert (result.service, result.operation) == ("bar", "s3")
    assert result.kind is WRITE


def test_unknown_operation_is_a_write_never_read_only() -> None:
    result = run("newservice frobnicate-widgets")
    assert (result.kind, result.recognized) == (WRITE, False)
    assert "unknown" in result.reason


def test_qualifier_alone_is_unknown() -> None:
    assert run("dynamodb batch").kind is WRITE


# --- `--`, help, version, skeleton -------------------------------------------------------------


def test_double_dash_ends_global_options() -> None:
    result = run("s3 ls -- --profile prod")
    assert result.profile is None
    assert run("-- s3 rb s3://b").kind is DESTRUCTIVE


def test_double_dash_makes_the_rest_arguments() -> None:
    assert run("s3 mv -- ./local s3://b/k").kind is WRITE
    assert run("s3 rb s3://b -- --version").kind is DESTRUCTIVE


@pytest.mark.parametrize(
    "command",
    [
        "help",
        "help s3",
        "s3 help",
        "ec2 terminate-instances help",
        "s3 rm help",
        "--profile p help",
    ],
)
def test_help_only_documents(command: str) -> None:
    assert run(command).kind is READ_ONLY


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        ("ssm put-parameter --name help --value x", WRITE),  # a value named help
        ("ec2 terminate-instances --instance-ids i-1 help", DESTRUCTIVE),  # may be an ID
        ("s3 mv help s3://b/help", WRITE),  # a local file named help
        ("s3 rm s3://b/help", DESTRUCTIVE),
    ],
)
def test_help_as_a_value_is_not_help(command: str, kind: Kind) -> None:
    assert run(command).kind is kind


def test_version_anywhere_runs_nothing() -> None:
    assert run("s3 rb s3://b --force --version").kind is READ_ONLY
    assert run("s3 rb s3://b --vers").kind is DESTRUCTIVE  # an abbreviation never makes it safe


def test_skeleton_runs_nothing() -> None:
    assert (
        run("s3api delete-bucket --bucket b --generate-cli-skeleton yaml-input").kind is READ_ONLY
    )


def test_auto_prompt_can_become_anything() -> None:
    assert run("--cli-auto-prompt s3 ls").kind is DESTRUCTIVE
    assert run("--no-cli-auto-prompt s3 ls").kind is READ_ONLY


# --- dry runs --------------------------------------------------------------------------------


def test_ec2_dry_run_is_recorded_and_still_classified() -> None:
    result = run("ec2 terminate-instances --instance-ids i-1 --dry-run")
    assert (result.kind, result.dry_run) == (DESTRUCTIVE, True)
    assert not run("ec2 terminate-instances --instance-ids i-1 --no-dry-run").dry_run
    assert not run("ec2 terminate-instances --instance-ids i-1").dry_run


def test_s3_dryrun_flag() -> None:
    result = run("s3 rm s3://b/k --recursive --dryrun")
    assert (result.kind, result.dry_run) == (DESTRUCTIVE, True)
    assert not run("s3api delete-object --bucket b --key k --dryrun").dry_run  # not an s3api flag


# --- case, numbers, odd tokens ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        ("S3 RB s3://b", DESTRUCTIVE),
        ("ec2 Delete-Vpc --vpc-id v", DESTRUCTIVE),
        ("EC2 DESCRIBE-INSTANCES", READ_ONLY),
        ("s3 mv S3://b/k ./k", DESTRUCTIVE),
    ],
)
def test_case_never_hides_a_deletion(command: str, kind: Kind) -> None:
    assert run(command).kind is kind


def test_negative_numbers_and_spaced_dashes_are_values() -> None:
    result = run("ec2 describe-instances --max-results -1 --filters '-x y'")
    assert (result.service, result.operation, result.kind) == (
        "ec2",
        "describe-instances",
        READ_ONLY,
    )


def test_dash_is_a_local_path() -> None:
    assert run("s3 cp - s3://b/k").kind is WRITE
    assert run("s3 cp s3://b/k -").kind is READ_ONLY


# --- high-level s3 paths ---------------------------------------------------------------------


def test_s3_option_values_are_not_paths() -> None:
    assert run("s3 mv --acl private ./a s3://b/a").kind is WRITE
    assert run("s3 mv ./a s3://b/a --grants read=uri=x full=id=y --sse").kind is WRITE
    assert run("s3 cp s3://b/a ./a --exclude '*' --include 'a*'").kind is READ_ONLY


def test_s3_unclear_paths_assume_the_worst() -> None:
    assert run("s3 mv s3://b/a").kind is DESTRUCTIVE
    assert run("s3 mv ./a --unknown-option s3://b/a ./c").kind is DESTRUCTIVE
    assert run("s3 cp ./a --unknown-option s3://b/a ./c").kind is WRITE
    assert run("s3 sync ./a s3://b extra --delete").kind is DESTRUCTIVE


# --- payloads and protection ---------------------------------------------------------------------


def test_route53_shorthand_delete_is_seen() -> None:
    command = "route53 change-resource-record-sets --hosted-zone-id Z --change-batch"
    shorthand = "'Changes=[{Action=DELETE,ResourceRecordSet={Name=a.example.com,Type=A}}]'"
    assert run(f"{command} {shorthand}").kind is DESTRUCTIVE
    assert run(f"{command} file://batch.json").kind is WRITE


def test_names_that_start_a_deletion() -> None:
    assert run("personalize create-data-deletion-job --job-name j").kind is DESTRUCTIVE
    assert run("transfer start-remote-delete --connector-id c --delete-path /x").kind is DESTRUCTIVE
    assert run("logs put-log-group-deletion-protection --log-group-identifier g").kind is WRITE


def test_rds_sql_delete_is_seen() -> None:
    base = ["rds-data", "execute-statement", "--resource-arn", "a", "--secret-arn", "s", "--sql"]
    assert classify([*base, "drop table users"]).kind is DESTRUCTIVE
    assert classify([*base, "insert into users values (1)"]).kind is WRITE


# --- the value itself ----------------------------------------------------------------------


def test_classification_is_immutable() -> None:
    result = run("s3 ls")
    with pytest.raises(AttributeError):
        result.kind = DESTRUCTIVE  # type: ignore[misc]


def test_reason_is_one_short_sentence() -> None:
    assert run("s3api delete-bucket --bucket b").reason == "`s3api delete-bucket` deletes"
    assert run("s3 rm s3://b/k").reason == "`s3 rm` deletes objects"


# --- describe --------------------------------------------------------------------------------


def test_describe_quotes_for_a_shell() -> None:
    argv = ["--profile", "prod", "s3", "rm", "s3://b/my file", "--exclude", "*"]
    assert describe(argv) == "aws --profile prod s3 rm 's3://b/my file' --exclude '*'"
    assert shlex.split(describe(argv)) == ["aws", *argv]


@pytest.mark.parametrize(
    "argv",
    [
        ["secretsmanager", "put-secret-value", "--secret-id", "x", "--secret-string", "hunter2pw"],
        ["secretsmanager", "put-secret-value", "--secret-string=hunter2pw"],
        ["configure", "set", "aws_secret_access_key", "hunter2pw"],
        ["configure", "set", "profile.prod.aws_session_token", "hunter2pw"],
        ["rds", "modify-db-instance", "--master-user-password", "hunter2pw"],
        ["ssm", "put-parameter", "--name", "n", "--value", "hunter2pw", "--type", "SecureString"],
    ],
)
def test_describe_masks_secrets(argv: list[str]) -> None:
    shown = describe(argv)
    assert "hunter2" not in shown
    assert "2pw" in shown  # the last four characters, as the AWS CLI masks


def test_describe_keeps_names_that_are_not_secrets() -> None:
    assert "app/db" in describe(["secretsmanager", "get-secret-value", "--secret-id", "app/db"])


# --- global options may go anywhere ----------------------------------------------------------

COMMANDS = [
    ("s3 rb s3://prod-bucket --force", DESTRUCTIVE),
    ("s3 ls s3://prod-bucket/logs/ --recursive", READ_ONLY),
    ("s3 mv ./a.txt s3://b/a.txt", WRITE),
    ("ec2 describe-instances --instance-ids i-1", READ_ONLY),
    ("iam delete-role --role-name r", DESTRUCTIVE),
    ("dynamodb put-item --table-name t --item file://i.json", WRITE),
]
GLOBALS = [
    ["--profile", "prod"],
    ["--profile=s3"],
    ["--region", "ec2"],
    ["--output", "table"],
    ["--query", "rb"],
    ["--endpoint-url", "http://localhost:4566"],
    ["--no-cli-pager"],
    ["--debug"],
    ["--color", "off"],
    ["--cli-read-timeout", "5"],
    ["--ca-bundle", "ls"],
]


@given(
    st.sampled_from(COMMANDS),
    st.lists(st.tuples(st.sampled_from(GLOBALS), st.integers(0, 3)), max_size=4),
)
def test_global_options_anywhere_change_nothing(
    command: tuple[str, Kind], inserts: list[tuple[list[str], int]]
) -> None:
    line, kind = command
    argv = shlex.split(line)
    # Slots: before the service, before the operation, after it, and at the end.
    slots: list[list[str]] = [[], [], [], []]
    for option, slot in inserts:
        slots[slot].extend(option)
    mixed = [*slots[0], argv[0], *slots[1], argv[1], *slots[2], *argv[2:], *slots[3]]
    plain, result = classify(argv), classify(mixed)
    assert (result.service, result.operation, result.kind) == (plain.service, plain.operation, kind)
