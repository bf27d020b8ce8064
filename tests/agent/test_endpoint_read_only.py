"""``exec --server --read-only`` and ``serve --read-only``: the endpoint serves the read-only
session (narrowed at AWS), and boto3 through it can read and is refused a write by the sandbox's
session policy, while the same endpoint without --read-only can write."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from pathlib import Path

from awsprof.sandbox import accounts as world
from fixtures_sandbox import Sandbox
from guard.guard_helpers import bucket_exists, new_bucket
from resolution.helpers import BIN

# boto3 with nothing but the endpoint: list buckets, then try to delete one.
BOTO3_CHILD = r"""
import json, os, sys
os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = sys.argv[2]
import boto3, botocore.exceptions
session = boto3.Session(region_name="us-east-1")
s3 = session.client("s3", endpoint_url=sys.argv[1])
listed = [b["Name"] for b in s3.list_buckets()["Buckets"]]
arn = session.client("sts", endpoint_url=sys.argv[1]).get_caller_identity()["Arn"]
try:
    s3.delete_bucket(Bucket=sys.argv[3])
    deleted = "ok"
except botocore.exceptions.ClientError as error:
    deleted = error.response["Error"]["Code"]
print(json.dumps({"method": session.get_credentials().method, "listed": listed, "arn": arn,
                  "deleted": deleted, "keys_in_env": "AWS_ACCESS_KEY_ID" in os.environ}))
"""


def _exec_server(sandbox: Sandbox, tmp_path: Path, bucket: str, *flags: str) -> dict[str, object]:
    empty = tmp_path / "empty"
    empty.write_text("")
    done = subprocess.run(
        [
            str(BIN / "awsprof"),
            "exec",
            "--server",
            *flags,
            "--confirm-account",
            world.PROD.account_id,
            "--profile",
            "prod",
            "--",
            sys.executable,
            "-c",
            BOTO3_CHILD,
            sandbox.moto_url,
            str(empty),
            bucket,
        ],
        env=sandbox.env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    answer: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return answer


def test_exec_server_read_only_reads_and_is_refused_a_write(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.login_sso()
    bucket = new_bucket(world.PROD.account_id)
    answer = _exec_server(sandbox, tmp_path, bucket, "--read-only")
    assert answer["method"] == "container-role" and answer["keys_in_env"] is False
    assert bucket in answer["listed"]  # type: ignore[operator]
    assert answer["deleted"] == "AccessDenied"
    assert bucket_exists(bucket, world.PROD.account_id)
    assert f":{world.PROD.account_id}:assumed-role/" in str(answer["arn"])
    # The same endpoint without --read-only deletes it: the narrowing is what refused it.
    full = _exec_server(sandbox, tmp_path, bucket)
    assert full["deleted"] == "ok"
    assert not bucket_exists(bucket, world.PROD.account_id)


def test_serve_read_only_serves_the_narrowed_session(sandbox: Sandbox, tmp_path: Path) -> None:
    sandbox.login_sso()
    bucket = new_bucket(world.WORK.account_id)
    server = subprocess.Popen(
        [str(BIN / "awsprof"), "serve", "--read-only", "--profile", "work"],
        env=sandbox.env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    try:
        printed = ""
        while "devcontainer" not in printed or not printed.rstrip().endswith("}"):
            line = server.stdout.readline()
            assert line, server.stderr.read() if server.stderr else ""
            printed += line
        assert "read-only credentials of profile 'work'" in printed
        url = re.search(r"AWS_CONTAINER_CREDENTIALS_FULL_URI=(\S+)", printed)
        token = re.search(r"AWS_CONTAINER_AUTHORIZATION_TOKEN=(\S+)", printed)
        assert url and token
        empty = tmp_path / "empty"
        empty.write_text("")
        child_env = sandbox.env(
            AWS_CONTAINER_CREDENTIALS_FULL_URI=url.group(1),
            AWS_CONTAINER_AUTHORIZATION_TOKEN=token.group(1),
        )
        done = subprocess.run(
            [sys.executable, "-c", BOTO3_CHILD, sandbox.moto_url, str(empty), bucket],
            env=child_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        answer = json.loads(done.stdout)
        assert answer["method"] == "container-role"
        assert "ReadOnlyAccess" in answer["arn"]  # the read-only permission set of the account
        assert bucket in answer["listed"]
        assert answer["deleted"] == "AccessDenied"
        assert bucket_exists(bucket, world.WORK.account_id)
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=20)


def test_a_read_only_session_leaves_its_source_session_unnarrowed(sandbox: Sandbox) -> None:
    """Regression (the sandbox): the session policy of a read-only AssumeRole was put on the
    newest session of the caller's account (the SSO source), so the next narrowing was refused."""
    sandbox.login_sso()
    for _ in range(2):
        done = sandbox.run_awsprof(
            "exec", "--read-only", "prod", "--", "aws", "sts", "get-caller-identity"
        )
        assert done.returncode == 0, done.stderr
    whoami = sandbox.run_awsprof(
        "exec",
        "--confirm-account",
        world.PROD.account_id,
        "prod",
        "--",
        "aws",
        "s3api",
        "create-bucket",
        "--bucket",
        "awsprof-unnarrowed",
    )
    assert whoami.returncode == 0, whoami.stderr
