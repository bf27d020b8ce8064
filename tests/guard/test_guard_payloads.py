"""Payloads and statements through the real guard, against the sandbox with the real AWS CLI (v1):
a deletion inside a `file://` payload is refused in a protected account and the items stay; a
PartiQL SELECT there runs without a question; the reason names the argument."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path
from typing import Any

from fixtures_sandbox import BIN_DIR, Sandbox


def guard(sandbox: Sandbox, *argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN_DIR / "awsprof"), "guard", *argv],
        env=sandbox.env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        start_new_session=True,  # no terminal to ask on
        cwd=cwd,
    )


def new_table(sandbox: Sandbox, *keys: str) -> str:
    """A table in prod holding items `keys`, made with the AWS CLI directly (no guard)."""
    name = f"guard-{uuid.uuid4().hex[:10]}"
    made = sandbox.run_aws(
        "dynamodb", "create-table", "--table-name", name,
        "--attribute-definitions", "AttributeName=pk,AttributeType=S",
        "--key-schema", "AttributeName=pk,KeyType=HASH",
        "--billing-mode", "PAY_PER_REQUEST", "--profile", "prod",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    for key in keys:
        item = json.dumps({"pk": {"S": key}})
        put = sandbox.run_aws(
            "dynamodb", "put-item", "--table-name", name, "--item", item, "--profile", "prod"
        )
        assert put.returncode == 0, put.stderr
    return name


def keys_in(sandbox: Sandbox, table: str) -> set[str]:
    done = sandbox.run_aws("dynamodb", "scan", "--table-name", table, "--profile", "prod")
    assert done.returncode == 0, done.stderr
    data: dict[str, Any] = json.loads(done.stdout)
    return {item["pk"]["S"] for item in data["Items"]}


def deletes(table: str, *keys: str) -> str:
    return json.dumps({table: [{"DeleteRequest": {"Key": {"pk": {"S": key}}}} for key in keys]})


def test_a_deletion_in_a_payload_file_is_refused_and_the_items_stay(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.login_sso()
    # The control: the AWS CLI itself deletes what the file asks for.
    control = new_table(sandbox, "a", "b")
    (tmp_path / "control.json").write_text(deletes(control, "a", "b"))
    done = sandbox.run_aws(
        "dynamodb", "batch-write-item", "--request-items",
        f"file://{tmp_path / 'control.json'}", "--profile", "prod",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert keys_in(sandbox, control) == set()

    table = new_table(sandbox, "a", "b")
    (tmp_path / "batch.json").write_text(deletes(table, "a", "b"))
    argv = ["aws", "dynamodb", "batch-write-item", "--request-items", "file://batch.json"]
    refused = guard(sandbox, "--", *argv, "--profile", "prod", cwd=tmp_path)
    assert refused.returncode == 7, refused.stderr
    assert "`--request-items` holds a DeleteRequest" in refused.stderr
    assert keys_in(sandbox, table) == {"a", "b"}

    dry = guard(sandbox, "--dry-run", "--", *argv, "--profile", "prod", cwd=tmp_path)
    decision = json.loads(dry.stdout)
    assert decision["classification"]["kind"] == "destructive"
    assert "`--request-items` holds a DeleteRequest" in decision["classification"]["reason"]


def test_a_partiql_select_in_a_protected_account_runs_without_a_question(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    sandbox.login_sso()
    table = new_table(sandbox, "DELETE")
    statement = f"SELECT * FROM \"{table}\" WHERE pk = 'DELETE'"  # noqa: S608 (a test table name)
    argv = ["aws", "dynamodb", "execute-statement", "--statement", statement, "--profile", "prod"]
    dry = json.loads(guard(sandbox, "--dry-run", "--", *argv, cwd=tmp_path).stdout)
    assert dry["decision"] == "run"
    assert "`--statement` runs PartiQL that only reads" in dry["classification"]["reason"]
    deleting = f"DELETE FROM \"{table}\" WHERE pk = 'DELETE'"  # noqa: S608 (a test table name)
    argv[4] = deleting
    done = guard(sandbox, "--", *argv, cwd=tmp_path)
    assert done.returncode == 7, done.stderr
    assert keys_in(sandbox, table) == {"DELETE"}
