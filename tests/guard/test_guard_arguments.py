"""The AWS CLI's argument grammar through the real guard: abbreviations, `--no-` forms,
`--cli-input-json`, and secrets never shown. Against the sandbox, with the real AWS CLI (v1)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from awsprof.sandbox import accounts as world
from fixtures_sandbox import BIN_DIR, Sandbox
from guard.guard_helpers import PROD, new_bucket

CANARY = "Canary7SecretValueZz"  # its last four characters may be shown, never the rest
HIDDEN = CANARY[:-4]


def guard(
    sandbox: Sandbox, *args: str, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN_DIR / "awsprof"), "guard", *args],
        env=sandbox.env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        start_new_session=True,  # no terminal to ask on
        cwd=cwd,
    )


def dry_run(sandbox: Sandbox, *argv: str, cwd: Path | None = None) -> dict[str, Any]:
    done = guard(sandbox, "--dry-run", "--", "aws", *argv, cwd=cwd)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def put_objects(bucket: str, *keys: str) -> None:
    from moto.s3.models import s3_backends

    backend = s3_backends[PROD][world.PARTITION]
    for key in keys:
        backend.put_object(bucket, key, b"keep me")


def object_keys(bucket: str) -> set[str]:
    from moto.s3.models import s3_backends

    return set(s3_backends[PROD][world.PARTITION].buckets[bucket].keys.keys())


# -- case 6: unique prefixes, as the AWS CLI's argparse reads them -----------------------------


def test_case6_sync_with_an_abbreviated_delete_is_destructive(sandbox: Sandbox) -> None:
    decision = dry_run(sandbox, "s3", "sync", ".", "s3://prod-data/", "--del", "--profile", "prod")
    assert decision["classification"]["kind"] == "destructive"
    assert "`--del` is read as `--delete`" in decision["classification"]["reason"]
    assert decision["decision"] != "run"


def test_case6_no_dry_after_dry_run_is_not_a_dry_run(sandbox: Sandbox) -> None:
    base = ("ec2", "terminate-instances", "--instance-ids", "i-1", "--profile", "prod")
    dry = dry_run(sandbox, *base, "--dry-run")
    assert dry["classification"]["effective_kind"] == "read-only"  # the control: a dry run
    assert dry["decision"] == "run"
    for undo in ("--no-dry", "--no-dry-r", "--no-dry-run"):
        decision = dry_run(sandbox, *base, "--dry-run", undo)
        assert decision["classification"]["effective_kind"] == "destructive", undo
        assert decision["decision"] != "run", undo


def test_case6_dry_run_in_cli_input_json_is_honoured_and_can_be_undone(sandbox: Sandbox) -> None:
    base = ("ec2", "terminate-instances", "--instance-ids", "i-1", "--profile", "prod")
    honoured = dry_run(sandbox, *base, "--cli-input-json", '{"DryRun": true}')
    assert honoured["classification"]["effective_kind"] == "read-only"
    undone = dry_run(sandbox, *base, "--dry-run", "--cli-input-json", '{"DryRun": false}')
    assert undone["classification"]["effective_kind"] == "destructive"
    broken = dry_run(sandbox, *base, "--cli-input-json", '{"DryRun": tru')
    assert broken["classification"]["effective_kind"] == "destructive"
    assert "cannot be read" in broken["classification"]["reason"]


def test_case6_sync_del_into_a_protected_bucket_is_refused_and_objects_stay(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.login_sso()
    empty = tmp_path / "empty"
    empty.mkdir()
    # The control: the AWS CLI itself reads `--del` as `--delete` and empties a bucket.
    control = new_bucket()
    put_objects(control, "a.txt", "b/c.txt")
    synced = sandbox.run_aws(
        "s3", "sync", str(empty), f"s3://{control}/", "--del", "--profile", "prod"
    )
    assert synced.returncode == 0, synced.stderr
    assert object_keys(control) == set()

    bucket = new_bucket()
    put_objects(bucket, "a.txt", "b/c.txt")
    done = guard(
        sandbox,
        "--",
        "aws",
        "s3",
        "sync",
        str(empty),
        f"s3://{bucket}/",
        "--del",
        "--profile",
        "prod",
    )
    assert done.returncode == 7, done.stderr
    assert object_keys(bucket) == {"a.txt", "b/c.txt"}


def instance_state(sandbox: Sandbox, instance_id: str) -> str:
    from moto.ec2.models import ec2_backends

    backend = ec2_backends[PROD][world.REGION]
    return str(backend.get_instance(instance_id).state)


def start_instance(sandbox: Sandbox) -> str:
    from moto.ec2.models.amis import AMIS

    started = sandbox.run_aws(
        "ec2", "run-instances", "--image-id", AMIS[0]["ami_id"], "--count", "1",
        "--instance-type", "t3.micro", "--region", world.REGION, "--profile", "prod",
        "--query", "Instances[0].InstanceId", "--output", "text",
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    return started.stdout.strip()


def test_case6_terminate_with_dry_run_undone_is_refused_and_the_instance_runs(
    sandbox: Sandbox,
) -> None:
    sandbox.login_sso()
    region = ["--region", world.REGION, "--profile", "prod"]
    # The control: the AWS CLI itself reads `--no-dry` as `--no-dry-run` and terminates.
    control = start_instance(sandbox)
    sandbox.run_aws("ec2", "terminate-instances", "--instance-ids", control, "--dry-run",
                    "--no-dry", *region)  # fmt: skip
    assert "running" not in instance_state(sandbox, control)
    instance = start_instance(sandbox)
    base = ["aws", "ec2", "terminate-instances", "--instance-ids", instance]
    # A real dry run runs without a question and changes nothing.
    dry = guard(sandbox, "--", *base, "--dry-run", *region)
    assert "DryRunOperation" in dry.stderr, dry.stderr
    assert "running" in instance_state(sandbox, instance)
    done = guard(sandbox, "--", *base, "--dry-run", "--no-dry", *region)
    assert done.returncode == 7, done.stderr
    assert "running" in instance_state(sandbox, instance)


# -- case 11: secrets in every argument form are masked -------------------------------------

SECRET_FORMS = [
    ["secretsmanager", "put-secret-value", "--secret-id", "app", "--secret-string", CANARY],
    ["secretsmanager", "put-secret-value", "--secret-id", "app", f"--secret-string={CANARY}"],
    ["secretsmanager", "put-secret-value", "--secret-id", "app", "--secret-s", CANARY],
    ["secretsmanager", "put-secret-value", "--secret-id", "app", "--sec", CANARY],  # ambiguous
    ["secretsmanager", "create-secret", "--cli-input-json",
     f'{{"Name":"a","SecretString":"{CANARY}"}}'],
    ["iam", "create-login-profile", "--user-name", "u", "--pass", CANARY],
    ["rds", "create-db-instance", "--db-instance-identifier", "d", "--master-user-pass", CANARY],
    ["ssm", "put-parameter", "--name", "n", "--type", "SecureString", "--val", CANARY],
    ["cloudformation", "create-stack", "--stack-name", "s", "--parameters",
     f"ParameterKey=DbPassword,ParameterValue={CANARY}"],
    ["ec2", "create-tags", "--resources", "i-1", "--tags", f"Key=Password,Value={CANARY}"],
    ["glue", "create-connection", "--connection-input",
     f'{{"Name":"c","ConnectionProperties":{{"PASSWORD":"{CANARY}"}}}}'],
    ["iam", "create-user", "--cli-input-yaml", f"UserName: u\nPassword: {CANARY}\n"],
    ["sts", "decode-authorization-message", "--encoded-message", f"SecretAccessKey={CANARY}"],
    ["s3", "cp", "a.txt", "s3://b/a.txt", "--sse-c-k", CANARY],
    ["configure", "set", "profile.prod.aws_secret_access_key", CANARY],
]  # fmt: skip


@pytest.mark.parametrize("argv", SECRET_FORMS, ids=lambda argv: " ".join(argv[:2] + argv[4:5]))
def test_case11_a_secret_in_any_form_never_appears_in_dry_run_output(
    sandbox: Sandbox, argv: list[str]
) -> None:
    done = guard(sandbox, "--dry-run", "--", "aws", *argv, "--profile", "prod")
    assert done.returncode == 0, done.stderr
    assert HIDDEN not in done.stdout + done.stderr
    assert CANARY[-4:] in json.loads(done.stdout)["command"]  # masked where it was, not dropped


def test_case11_a_secret_key_shape_anywhere_is_masked(sandbox: Sandbox) -> None:
    secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYz9EXAMPLE1"
    token = "IQoJb3JpZ2luX2VjE" + "A1b2C3d4" * 12
    payload = f'{{"k":"{secret_key}","t":"{token}"}}'
    argv = ["lambda", "invoke", "--function-name", "f", "--payload", payload, "out.json"]
    done = guard(sandbox, "--dry-run", "--", "aws", *argv, "--profile", "prod")
    assert done.returncode == 0, done.stderr
    assert secret_key[:-4] not in done.stdout
    assert token[:-4] not in done.stdout


def test_case11_the_refusal_message_never_shows_the_secret(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    done = guard(sandbox, "--", "aws", "secretsmanager", "delete-secret", "--secret-id", "x",
                 "--client-request-token", "t", "--cli-input-json",
                 f'{{"SecretString":"{CANARY}"}}', "--profile", "prod")  # fmt: skip
    assert done.returncode == 7
    assert HIDDEN not in done.stdout + done.stderr
