"""The assume-role cache: shared with the AWS CLI both ways, corrupt entries repaired, one refresh
for many processes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from fixtures_sandbox import Sandbox
from resolution.helpers import BIN, awsprof


def _cache_files(sandbox: Sandbox) -> list[Path]:
    return sorted(p for p in sandbox.paths.cli_cache.glob("*.json"))


def _exported(sandbox: Sandbox, profile: str = "prod") -> dict[str, str]:
    done = awsprof(sandbox.env(), "configure", "export-credentials", "--profile", profile)
    assert done.returncode == 0, done.stderr
    result: dict[str, str] = json.loads(done.stdout)
    return result


def test_awsprof_uses_what_the_aws_cli_cached(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    done = sandbox.run_aws("sts", "get-caller-identity", "--profile", "prod")
    assert done.returncode == 0, done.stderr
    role_entries = [json.loads(p.read_text()) for p in _cache_files(sandbox)]
    aws_cached = [e for e in role_entries if "AssumedRoleUser" in e]
    assert len(aws_cached) == 1
    ours = _exported(sandbox)
    assert ours["AccessKeyId"] == aws_cached[0]["Credentials"]["AccessKeyId"]


def test_aws_cli_v2_expiry_form_is_read(sandbox: Sandbox) -> None:
    """The AWS CLI v2 writes `2026-01-01T12:00:00UTC` (v1's botocore writes `...Z`)."""
    sandbox.login_sso()
    first = _exported(sandbox)
    entry = next(p for p in _cache_files(sandbox) if b"AssumedRoleUser" in p.read_bytes())
    data = json.loads(entry.read_text())
    data["Credentials"]["Expiration"] = "2099-01-01T12:00:00UTC"
    entry.write_text(json.dumps(data))
    again = _exported(sandbox)
    assert again["AccessKeyId"] == first["AccessKeyId"]
    assert again["Expiration"] == "2099-01-01T12:00:00+00:00"


def test_the_aws_cli_uses_what_awsprof_cached(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    ours = _exported(sandbox)
    before = {p.name: p.read_bytes() for p in _cache_files(sandbox)}
    done = sandbox.run_aws("sts", "get-caller-identity", "--profile", "prod")
    assert done.returncode == 0, done.stderr
    after = {p.name: p.read_bytes() for p in _cache_files(sandbox)}
    assert after == before, "the AWS CLI refreshed instead of using awsprof's cache"
    arn = json.loads(done.stdout)["Arn"]
    cached = next(json.loads(v) for v in after.values() if b"AssumedRoleUser" in v)
    assert arn.endswith(cached["AssumedRoleUser"]["Arn"].split("/")[-1])
    assert ours["AccessKeyId"] == cached["Credentials"]["AccessKeyId"]


@pytest.mark.parametrize(
    "content",
    [b"", b"{", b'{"Credentials": {"AccessKeyId": "x"}}', b"[1, 2]", b"\xff\xfe", b" " * (2 << 20)],
    ids=["empty", "truncated", "missing_fields", "not_an_object", "binary", "huge"],
)
def test_corrupt_cache_is_a_reported_miss_and_repaired(sandbox: Sandbox, content: bytes) -> None:
    sandbox.login_sso()
    first = _exported(sandbox)
    entry = next(p for p in _cache_files(sandbox) if b"AssumedRoleUser" in p.read_bytes())
    entry.write_bytes(content)
    done = awsprof(sandbox.env(), "configure", "export-credentials", "--profile", "prod")
    assert done.returncode == 0, done.stderr
    assert str(entry) in done.stderr  # reported with its path
    repaired = json.loads(entry.read_text())
    assert repaired["Credentials"]["AccessKeyId"] == json.loads(done.stdout)["AccessKeyId"]
    assert json.loads(done.stdout)["AccessKeyId"] != first["AccessKeyId"]


def test_sixteen_processes_make_one_assume_role_call(sandbox: Sandbox) -> None:
    """Every AssumeRole call returns a new random key: one key across all 16 means one call."""
    sandbox.login_sso()
    _exported(sandbox, "work")  # SSO role credentials cached; the race is about the role
    processes = [
        subprocess.Popen(
            [str(BIN / "awsprof"), "configure", "export-credentials", "--profile", "prod"],
            env=sandbox.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(16)
    ]
    keys = set()
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        keys.add(json.loads(out)["AccessKeyId"])
    assert len(keys) == 1


def test_export_from_a_valid_cache_imports_no_botocore(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    _exported(sandbox)  # prime the role cache
    done = subprocess.run(
        [
            str(BIN / "python"),
            "-X",
            "importtime",
            "-m",
            "awsprof",
            "configure",
            "export-credentials",
            "--profile",
            "prod",
        ],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    imported = [line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line]
    assert "awsprof.resolution.chain" in imported
    heavy = [
        m for m in imported if m.split(".")[0] in {"botocore", "click", "rich", "prompt_toolkit"}
    ]
    assert heavy == []
