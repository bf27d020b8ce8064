"""Option abbreviations, `--no-` forms and `--cli-input-json/yaml`, as the AWS CLI reads them."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import botocore.session
import pytest
from botocore import xform_name
from hypothesis import given, settings
from hypothesis import strategies as st

from awsprof.guard import grammar
from awsprof.guard.classify import (
    GLOBAL_OPTIONS,
    S3_COMMAND_OPTIONS,
    Classification,
    Kind,
    classify,
    describe,
)

READ_ONLY, WRITE, DESTRUCTIVE = Kind.READ_ONLY, Kind.WRITE, Kind.DESTRUCTIVE
RANK = {READ_ONLY: 0, WRITE: 1, DESTRUCTIVE: 2}


def run(command: str) -> Classification:
    return classify(shlex.split(command))


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


# --- prefix expansion ----------------------------------------------------------------------

TERMINATE = "ec2 terminate-instances --instance-ids i-1"


@pytest.mark.parametrize(
    ("command", "kind", "dry_run", "said"),
    [
        # unique prefixes of the operation's own options
        ("s3 sync ./d s3://b/ --del", DESTRUCTIVE, False, "`--del` is read as `--delete`"),
        ("s3 sync ./d s3://b/ --delet", DESTRUCTIVE, False, "read as `--delete`"),
        ("s3 sync ./d s3://b/ --del=", DESTRUCTIVE, False, "read as `--delete`"),
        ("s3 sync s3://b/ ./d --del", READ_ONLY, False, ""),  # deletes local files only
        ("s3 rb s3://b --f", DESTRUCTIVE, False, ""),
        ("s3 rm s3://b/k --dryrun", DESTRUCTIVE, True, ""),
        ("s3 rm s3://b/k --dry", DESTRUCTIVE, False, "never makes a command safer"),
        (f"{TERMINATE} --dry-run", DESTRUCTIVE, True, ""),
        (f"{TERMINATE} --dry", DESTRUCTIVE, False, "never makes a command safer"),
        # `--no-` forms, the last one wins
        (f"{TERMINATE} --dry-run --no-dry", DESTRUCTIVE, False, "read as `--no-dry-run`"),
        (f"{TERMINATE} --dry-run --no-dry-r", DESTRUCTIVE, False, "read as `--no-dry-run`"),
        (f"{TERMINATE} --dry-run --no-d", DESTRUCTIVE, False, "read as `--no-dry-run`"),
        (f"{TERMINATE} --no-dry-run --dry-run", DESTRUCTIVE, True, ""),
        (f"{TERMINATE} --dry-run --no-dry-run", DESTRUCTIVE, False, ""),
        ("rds modify-db-instance --db-instance-identifier d --no-del", DESTRUCTIVE, False,
         "read as `--no-deletion-protection`"),
        ("rds modify-db-instance --db-instance-identifier d --del", WRITE, False, ""),
        ("cognito-idp update-user-pool --user-pool-id p --deletion-prot INACTIVE", DESTRUCTIVE,
         False, "read as `--deletion-protection`"),
        # ambiguous prefixes: rejected by the CLI, judged by the worst candidate
        (f"{TERMINATE} --dry-run --no-", DESTRUCTIVE, False, "is ambiguous"),
        (f"{TERMINATE} --cli-input '{{\"DryRun\": true}}'", DESTRUCTIVE, False, "is ambiguous"),
        ("ec2 modify-instance-attribute --instance-id i --cli-input x", DESTRUCTIVE, False,
         "is ambiguous"),
        ("--cli- s3 ls", DESTRUCTIVE, False, "`--cli-auto-prompt`"),
        # a prefix of a global option is that global option, taken by the main parser first
        ("s3 sync ./d s3://b/ --de", WRITE, False, ""),  # `--debug`
        (f"{TERMINATE} --d", DESTRUCTIVE, False, ""),  # `--debug`, not `--dry-run`
        ("s3 sync ./d s3://b/ --prof prod --del", DESTRUCTIVE, False, "read as `--delete`"),
        # after `--` nothing is an option
        ("s3 sync ./d s3://b/ -- --del", WRITE, False, ""),
        (f"{TERMINATE} --dry-run -- --no-dry", DESTRUCTIVE, True, ""),
        # no model for the operation: any option of ours it may abbreviate counts
        ("newservice frobnicate-widget --dry-run --no-dry", WRITE, False, "may be read as"),
    ],
)  # fmt: skip
def test_abbreviations_as_the_cli_reads_them(
    command: str, kind: Kind, dry_run: bool, said: str
) -> None:
    result = run(command)
    assert (result.kind, result.dry_run) == (kind, dry_run), result.reason
    assert said in result.reason


def test_global_options_anywhere_and_abbreviated() -> None:
    result = run("s3 --prof prod sync --reg eu-west-1 ./d s3://b/ --del --endpoint http://x")
    assert (result.profile, result.region, result.endpoint_url) == ("prod", "eu-west-1", "http://x")
    assert result.kind is DESTRUCTIVE
    after_dash = run("s3 ls -- --profile prod")
    assert after_dash.profile is None


def test_an_exact_member_name_that_is_a_prefix_is_exact() -> None:
    # `--dry-run` is exact even though `--dry-run-x` could exist; an exact name is never expanded.
    assert run(f"{TERMINATE} --dry-run").dry_run


# --- the option tables against the AWS CLI's own ----------------------------------------------


def test_s3_tables_hold_every_option_of_awscli_s3_commands() -> None:
    from awscli.customizations.s3 import subcommands
    from awscli.customizations.s3.syncstrategy import delete, exacttimestamps, sizeonly

    commands = {cls.NAME: cls for cls in vars(subcommands).values() if hasattr(cls, "ARG_TABLE")}
    for name, options in S3_COMMAND_OPTIONS.items():
        theirs = {"--" + arg["name"] for arg in commands[name].ARG_TABLE}
        theirs -= {"--paths", "--path"}  # positional
        if name == "sync":
            theirs |= {"--" + module.__dict__[attr]["name"] for module, attr in (
                (delete, "DELETE"), (exacttimestamps, "EXACT_TIMESTAMPS"), (sizeonly, "SIZE_ONLY"),
            )}  # fmt: skip
        assert theirs <= options, (name, theirs - options)


def test_kebab_matches_botocore_for_every_operation_and_member() -> None:
    session = botocore.session.get_session()
    for service in ("ec2", "s3", "rds", "iam", "storagegateway", "secretsmanager", "dynamodb"):
        model = session.get_service_model(service)
        for operation_name in model.operation_names:
            assert grammar.kebab(operation_name) == xform_name(operation_name, "-")
            shape = model.operation_model(operation_name).input_shape
            for member in shape.members if shape is not None else ():
                assert grammar.kebab(member) == xform_name(member, "-")


def test_operation_options_from_the_model() -> None:
    options = grammar.operation_options("ec2", "terminate-instances")
    assert options is not None
    assert {"--instance-ids", "--dry-run", "--no-dry-run", "--cli-input-json"} <= options.options
    assert "--dry-run" in options.booleans
    secrets = grammar.operation_options("secretsmanager", "put-secret-value")
    assert secrets is not None
    assert {"--secret-string", "--secret-binary"} <= secrets.secret
    assert "--secret-id" not in secrets.secret
    assert grammar.operation_options("s3api", "delete-bucket") is not None  # the CLI's name
    assert grammar.operation_options("nosuchservice", "x") is None


def test_the_index_is_cached_and_read_back(tmp_path: Path) -> None:
    grammar._loaded.clear()
    first = grammar.operation_options("rds", "modify-db-instance")
    cached = list((tmp_path / "cache" / "awsprof").glob("options-*.marshal"))
    assert len(cached) == 1
    assert cached[0].stat().st_mode & 0o077 == 0
    grammar._loaded.clear()
    second = grammar.operation_options("rds", "modify-db-instance")
    assert first is not None and second is not None
    assert first.options == second.options


def test_classifying_an_abbreviation_never_imports_botocore(tmp_path: Path) -> None:
    code = (
        "import sys; from awsprof.guard.classify import classify, describe;"
        "r = classify(['ec2','terminate-instances','--dry-run','--no-dry']);"
        "describe(['secretsmanager','put-secret-value','--secret-s','x']);"
        "assert not r.dry_run;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('botocore','boto3')))"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert done.stdout.strip() == "[]"


def test_an_exact_line_loads_none_of_the_slow_parts() -> None:
    code = (
        "import sys; from awsprof.guard.classify import classify;"
        "classify(['ec2','terminate-instances','--instance-ids','i-1','--dry-run','--no-dry-run']);"
        "classify(['s3','sync','.','s3://b','--del']);"
        "print(sorted(m for m in sys.modules if m.startswith('awsprof.guard.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['awsprof.guard.classify', 'awsprof.guard.verbs']"


def test_exact_names_never_read_a_model(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("model read")

    monkeypatch.setattr(grammar, "operation_options", refuse)
    assert run(f"{TERMINATE} --dry-run --no-dry-run").kind is DESTRUCTIVE
    assert run("ec2 describe-instances --filters Name=x,Values=y --max-items 5").kind is READ_ONLY


# --- --cli-input-json / --cli-input-yaml -------------------------------------------------------


def test_cli_input_json_keys_count_as_options(tmp_path: Path) -> None:
    assert run(f"{TERMINATE} --cli-input-json '{{\"DryRun\": true}}'").dry_run
    assert not run(f"{TERMINATE} --dry-run --cli-input-json '{{\"DryRun\": false}}'").dry_run
    off = "rds modify-db-instance --cli-input-json '{\"DeletionProtection\": false}'"
    assert run(off).kind is DESTRUCTIVE
    attribute = '{"InstanceId": "i", "DisableApiTermination": {"Value": false}}'
    assert classify(["ec2", "modify-instance-attribute", "--cli-input-json", attribute]).kind is (
        DESTRUCTIVE
    )
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps({"ChangeBatch": {"Changes": [{"Action": "DELETE"}]}}))
    route53 = ["route53", "change-resource-record-sets", "--cli-input-json", f"file://{batch}"]
    assert classify(route53).kind is DESTRUCTIVE
    batch.write_text(json.dumps({"ChangeBatch": {"Changes": [{"Action": "UPSERT"}]}}))
    assert classify(route53).kind is WRITE


def test_an_abbreviated_input_option_never_makes_a_dry_run() -> None:
    assert not run(f"{TERMINATE} --cli-input-j '{{\"DryRun\": true}}'").dry_run
    assert run(f"{TERMINATE} --cli-input-j '{{\"DryRun\": false}}'").kind is DESTRUCTIVE


def test_cli_input_yaml(tmp_path: Path) -> None:
    assert run(f"{TERMINATE} --cli-input-yaml 'DryRun: true'").dry_run
    assert run("rds modify-db-instance --cli-input-yaml 'DeletionProtection: false'").kind is (
        DESTRUCTIVE
    )


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ('{"DryRun": tru', "not valid JSON"),
        ("[1, 2]", "not an object"),
        ("https://example.com/input.json", "never fetches"),
        ("http://example.com/input.json", "never fetches"),
    ],
)
def test_unreadable_cli_input_assumes_the_worst(value: str, why: str) -> None:
    result = classify([*shlex.split(TERMINATE), "--dry-run", "--cli-input-json", value])
    assert (result.kind, result.dry_run) == (DESTRUCTIVE, False)
    assert why in result.reason
    write = classify(["ec2", "modify-instance-attribute", "--cli-input-json", value])
    assert write.kind is DESTRUCTIVE
    assert "assumed to delete" in write.reason
    read = classify(["ec2", "describe-instances", "--cli-input-json", value])
    assert read.kind is READ_ONLY  # no input turns a read into a change


def test_cli_input_files_are_read_only_when_regular_and_small(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # never opened for reading: that would hang or steal the CLI's input
    result = classify(["ec2", "modify-instance-attribute", "--cli-input-json", f"file://{fifo}"])
    assert (result.kind, "not a regular file" in result.reason) == (DESTRUCTIVE, True)
    big = tmp_path / "big.json"
    big.write_text('{"DryRun": true, "x": "' + "a" * (1 << 20) + '"}')
    result = classify([*shlex.split(TERMINATE), "--cli-input-json", f"fileb://{big}"])
    assert (result.dry_run, "larger than" in result.reason) == (False, True)
    small = tmp_path / "small.json"
    small.write_text('{"DryRun": true}')
    assert classify([*shlex.split(TERMINATE), "--cli-input-json", f"file://{small}"]).dry_run


# --- masking -------------------------------------------------------------------------------

CANARY = "Canary7SecretValueZz"


@pytest.mark.parametrize(
    "argv",
    [
        ["secretsmanager", "put-secret-value", "--secret-string", CANARY],
        ["secretsmanager", "put-secret-value", f"--secret-str={CANARY}"],
        ["secretsmanager", "put-secret-value", "--sec", CANARY],
        ["secretsmanager", "create-secret", "--cli-input-json", f'{{"SecretString": "{CANARY}"}}'],
        ["x", "y", "--cli-input-json", f'{{"a": {{"private_key": "{CANARY}"}}}}'],
        ["x", "y", "--cli-input-json", f'{{"AuthToken": "{CANARY}", "broken": '],
        ["x", "y", "--item", f'{{"password": {{"S": "{CANARY}"}}}}'],
        ["x", "y", "--creds", f"AccessKeyId=AKIA1,SecretAccessKey={CANARY},SessionToken=t"],
        ["x", "y", "--tags", f"Key=Password,Value={CANARY}"],
        ["x", "y", "--tags", f"key=db-password,value={CANARY}"],
        ["x", "y", "--tags", f'[{{"Key": "db_password", "Value": "{CANARY}"}}]'],
        ["x", "y", "--options", f"OptionName=MasterPassword,OptionValue={CANARY}"],
        ["x", "y", "--auth", f"secret_access_key: {CANARY}"],
        ["s3", "cp", "a", "s3://b/a", "--sse-c-key", CANARY],
        ["s3", "cp", "a", "s3://b/a", "--sse-c-k", CANARY],
        ["configure", "set", "aws_session_token", CANARY],
        ["--endpoint-url", f"https://user:{CANARY}@proxy.example:8443", "s3", "ls"],
    ],
)
def test_describe_masks_every_form(argv: list[str]) -> None:
    shown = describe(argv)
    assert CANARY[:-4] not in shown
    assert CANARY[-4:] in shown


def test_describe_keeps_what_is_not_secret() -> None:
    argv = ["secretsmanager", "get-secret-value", "--secret-id", "app/db", "--version-stage", "c"]
    assert describe(argv) == "aws " + shlex.join(argv)
    tags = ["ec2", "create-tags", "--resources", "i-1", "--tags", "Key=Env,Value=prod"]
    assert describe(tags) == "aws " + shlex.join(tags)


SECRET_TEMPLATES = [
    ["secretsmanager", "put-secret-value", "--secret-id", "a", "--secret-string", "{}"],
    ["secretsmanager", "put-secret-value", "--secret-id", "a", "--secret-str={}"],
    ["secretsmanager", "put-secret-value", "--secret-id", "a", "--secret-s", "{}"],
    ["iam", "create-login-profile", "--user-name", "u", "--passw", "{}"],
    ["x", "y", "--cli-input-json", '{{"Auth": {{"ClientSecret": "{}"}}}}'],
    ["x", "y", "--cli-input-json", '{{"SessionToken": "{}"'],
    ["x", "y", "--thing", "Name=api_key,Value={}"],
    ["x", "y", "--thing", "PrivateKey={},Other=1"],
]


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(SECRET_TEMPLATES),
    st.text(alphabet="abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", min_size=10),
)
def test_a_secret_in_any_template_is_never_shown(template: list[str], tail: str) -> None:
    secret = "7Q" + tail  # starts with what no other word on the line holds
    argv = [part.format(secret) for part in template]
    assert secret[:-4] not in describe(argv), argv


# --- properties ------------------------------------------------------------------------------

TOKENS = st.sampled_from(
    [
        "s3", "sync", "rm", "ec2", "terminate-instances", "--", "-", "--del", "--delete", "--dry",
        "--dry-run", "--no-dry", "--no-", "--no", "--cli-input-json", "--cli-input-yaml",
        "--cli-input", "{", '{"DryRun": false}', "file:///dev/null", "--profile", "--prof",
        "--no-deletion", "--deletion-prot", "inactive", "--generate-cli-skeleton", "--gen",
        "--version", "help", "s3://b/", ".", "--sec", "=", "--x=", "-1", "--cli-auto-prompt",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(TOKENS, st.text(max_size=12)), max_size=10))
def test_never_crashes_on_any_argv(argv: list[str]) -> None:
    result = classify(argv)
    assert result.kind in RANK
    assert isinstance(describe(argv), str)


# (full option, a command line it changes) -> the prefix's verdict is never weaker.
FULL = [
    ("--delete", "s3 sync ./d s3://b/ {}"),
    ("--no-dry-run", f"{TERMINATE} --dry-run {{}}"),
    ("--no-deletion-protection", "rds modify-db-instance --db-instance-identifier d {}"),
    ("--cli-input-json", "rds modify-db-instance {} {{}}"),
    ("--dry-run", f"{TERMINATE} {{}}"),
    ("--dryrun", "s3 rm s3://b/k {}"),
    ("--force", "s3 rb s3://b {}"),
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FULL), st.integers(3, 40))
def test_an_abbreviation_is_never_weaker_than_its_option(
    case: tuple[str, str], length: int
) -> None:
    option, line = case
    prefix = option[:length]
    if any(name.startswith(prefix) for name in GLOBAL_OPTIONS):
        return  # the main parser reads it as that global option: another option entirely
    full, short = run(line.format(option)), run(line.format(prefix))
    assert RANK[short.kind] >= RANK[full.kind], (prefix, short.reason)
    assert short.dry_run <= full.dry_run, prefix
