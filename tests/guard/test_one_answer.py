"""Issue 10's cases: every path (the guard, the shell, exec, the library, doctor) gives one answer.

Each test runs against the sandbox with the real AWS CLI (v1 from this environment) or boto3,
and checks afterwards that the bucket or object a refused command aimed at still exists.
"""

from __future__ import annotations

import json
import os
import pwd
import subprocess
from pathlib import Path
from typing import Any

import pytest

import awsprof
from awsprof.errors import GuardRefusedError
from awsprof.files.paths import config_path, expand_path
from awsprof.reader.selection import AWS_CLI_V1, AWS_CLI_V2, BOTOCORE, select_profile
from awsprof.sandbox import accounts as world
from fixtures_sandbox import BIN_DIR, Sandbox
from guard.guard_helpers import DEV, PROD, bucket_exists, new_bucket, run_in_shell
from resolution.helpers import append_config

SANDBOX_ACCOUNT = world.SANDBOX.account_id


def dry_run(sandbox: Sandbox, *command: str, **env: str) -> dict[str, Any]:
    done = sandbox.run_awsprof("guard", "--dry-run", "--", "aws", *command, **env)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def put_object(bucket: str, key: str, account: str) -> None:
    from moto.s3.models import s3_backends

    s3_backends[account][world.PARTITION].put_object(bucket, key, b"keep me")


def object_exists(bucket: str, key: str, account: str) -> bool:
    from moto.s3.models import s3_backends

    return key in s3_backends[account][world.PARTITION].buckets[bucket].keys


def dev_keys_profile(sandbox: Sandbox, name: str) -> None:
    """A second profile holding dev's own keys: the same account under another name."""
    keys = sandbox.static_keys["dev"]
    with sandbox.credentials_file.open("a") as handle:
        handle.write(
            f"\n[{name}]\naws_access_key_id = {keys.access_key_id}\n"
            f"aws_secret_access_key = {keys.secret_access_key}\n"
        )
    append_config(
        sandbox.config_file,
        f"[profile {name}]\nregion = {world.REGION}\nendpoint_url = {sandbox.moto_url}\n",
    )


# -- case 1: the library judges as the CLI does ------------------------------------------------


def test_library_refuses_what_the_guard_asks_for_through_a_same_account_profile(
    sandbox: Sandbox,
) -> None:
    protect = sandbox.run_awsprof("protect", "dev", "--no-pin")
    assert protect.returncode == 0, protect.stderr
    dev_keys_profile(sandbox, "dev2")
    bucket = new_bucket(DEV)
    decision = dry_run(sandbox, "s3api", "delete-bucket", "--bucket", bucket, "--profile", "dev2")
    assert decision["decision"] == "confirm"
    assert decision["account"] == DEV
    s3 = awsprof.session("dev2", environ=sandbox.env()).client("s3")
    with pytest.raises(GuardRefusedError, match=r"s3\.DeleteBucket"):
        s3.delete_bucket(Bucket=bucket)
    assert bucket_exists(bucket, DEV)


def test_library_refuses_a_wrong_pin_even_with_the_right_confirmation(sandbox: Sandbox) -> None:
    pinned = sandbox.run_awsprof(
        "configure", "set", "awsprof_expected_account", "999999999999", "--profile", "dev"
    )
    assert pinned.returncode == 0, pinned.stderr
    bucket = new_bucket(DEV)
    decision = dry_run(sandbox, "s3api", "delete-bucket", "--bucket", bucket, "--profile", "dev")
    assert decision["decision"] == "refuse"
    assert "expects account 999999999999" in decision["reason"]
    with pytest.raises(GuardRefusedError, match="expects account 999999999999"):
        awsprof.session("dev", environ=sandbox.env(), confirm_account=DEV)
    assert bucket_exists(bucket, DEV)


# -- case 2: a confirmation is compared with an account somebody looked up ---------------------


def test_confirm_account_on_a_cold_cache_looks_the_account_up(sandbox: Sandbox) -> None:
    assert sandbox.run_awsprof("protect", "dev", "--no-pin").returncode == 0
    bucket = new_bucket(DEV)
    cache = Path(sandbox.env()["HOME"]) / ".cache" / "awsprof" / "accounts.json"
    assert not cache.exists()  # nobody asked STS about dev's key yet
    done = sandbox.run_awsprof(
        "guard",
        "--confirm-account",
        DEV,
        "--",
        "aws",
        "s3api",
        "delete-bucket",
        "--bucket",
        bucket,
        "--profile",
        "dev",
    )
    assert done.returncode == 0, done.stderr
    assert not bucket_exists(bucket, DEV)  # confirmed: it ran
    wrong = new_bucket(DEV)
    refused = sandbox.run_awsprof(
        "guard",
        "--confirm-account",
        PROD,
        "--",
        "aws",
        "s3api",
        "delete-bucket",
        "--bucket",
        wrong,
        "--profile",
        "dev",
    )
    assert refused.returncode == 7
    assert f"does not name the target account {DEV}" in refused.stderr
    assert bucket_exists(wrong, DEV)


# -- case 3: doctor and the guard take a profile's account from the same rule -------------------


def test_default_role_into_prod_with_a_leftover_sso_account_is_seen_by_doctor_and_guard(
    sandbox: Sandbox,
) -> None:
    text = sandbox.config_file.read_text()
    text = text.replace(
        "[default]\n",
        f"[default]\nrole_arn = {world.org_role_arn(world.PROD)}\nsource_profile = work\n"
        f"sso_account_id = {world.WORK.account_id}\n",
        1,
    )
    sandbox.config_file.write_text(text)
    sandbox.login_sso()
    bucket = new_bucket(PROD)
    refused = run_in_shell(sandbox, "bash", f"aws s3 rb s3://{bucket}")
    assert refused.returncode == 7, refused.stderr
    assert "implicit 'default'" in refused.stderr
    assert bucket_exists(bucket, PROD)
    doctor = sandbox.run_awsprof("doctor", "--output", "json")
    assert "AWSP030" in doctor.stdout + doctor.stderr
    assert PROD in doctor.stdout + doctor.stderr


# -- case 5: the AWS CLI v1 reads AWS_DEFAULT_PROFILE first ------------------------------------


def test_selection_follows_the_client() -> None:
    environ = {"AWS_PROFILE": "dev", "AWS_DEFAULT_PROFILE": "prod"}
    assert select_profile(None, environ, AWS_CLI_V2).profile == "dev"
    assert select_profile(None, environ, AWS_CLI_V1).profile == "prod"
    assert select_profile(None, environ, BOTOCORE).profile == "prod"
    assert select_profile(None, environ, AWS_CLI_V2).other_profile == "prod"
    assert select_profile("x", environ, AWS_CLI_V1).profile == "x"
    only_default = {"AWS_DEFAULT_PROFILE": "prod"}
    assert select_profile(None, only_default, AWS_CLI_V2).other_profile is None


def test_disagreeing_profile_variables_are_judged_as_the_aws_cli_v1_on_path_reads_them(
    sandbox: Sandbox,
) -> None:
    sandbox.login_sso()
    bucket = new_bucket(PROD)
    put_object(bucket, "x", PROD)
    env = {"AWS_PROFILE": "dev", "AWS_DEFAULT_PROFILE": "prod"}
    decision = dry_run(sandbox, "s3", "rm", f"s3://{bucket}/x", **env)
    assert decision["client"] == AWS_CLI_V1  # the `aws` of this environment is v1
    assert decision["profile"] == "prod"
    assert decision["decision"] == "confirm"
    assert "disagree" in (decision["profile_variables_disagree"] or "")
    done = run_in_shell(sandbox, "bash", f"aws s3 rm s3://{bucket}/x", **env)
    assert done.returncode == 7, done.stderr
    assert object_exists(bucket, "x", PROD)
    # The same environment through boto3's rules: the library is refused too.
    s3 = awsprof.session(environ=sandbox.env(**env)).client("s3")
    with pytest.raises(GuardRefusedError):
        s3.delete_object(Bucket=bucket, Key="x")
    assert object_exists(bucket, "x", PROD)


def test_an_aws_cli_v2_on_path_is_recognised_and_judged_by_its_order(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    """A native `aws` is v2 without running it; v2 reads AWS_PROFILE first."""
    fake_dir = tmp_path / "bin"
    fake_dir.mkdir()
    native = fake_dir / "aws"
    native.write_bytes(b"\x7fELF" + b"\0" * 60)
    native.chmod(0o755)
    env = {
        "AWS_PROFILE": "dev",
        "AWS_DEFAULT_PROFILE": "prod",
        "PATH": f"{fake_dir}{os.pathsep}{sandbox.env()['PATH']}",
    }
    decision = dry_run(sandbox, "s3", "rb", "s3://some-bucket", **env)
    assert decision["client"] == AWS_CLI_V2
    assert decision["profile"] == "dev"


def test_an_aws_that_cannot_be_told_is_judged_both_ways(sandbox: Sandbox, tmp_path: Path) -> None:
    fake_dir = tmp_path / "bin"
    fake_dir.mkdir()
    mute = fake_dir / "aws"
    mute.write_text("#!/bin/sh\nexit 3\n")
    mute.chmod(0o755)
    sandbox.login_sso()
    env = {
        "AWS_PROFILE": "dev",
        "AWS_DEFAULT_PROFILE": "prod",
        "PATH": f"{fake_dir}{os.pathsep}{sandbox.env()['PATH']}",
    }
    decision = dry_run(sandbox, "s3", "rb", "s3://some-bucket", **env)
    assert decision["profile"] == "prod"  # the stricter of the two readings
    assert decision["decision"] == "confirm"


# -- case 7: exec judges the child's own --profile ---------------------------------------------


def test_exec_judges_the_aws_childs_own_profile(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    bucket = new_bucket(PROD)
    put_object(bucket, "x", PROD)
    done = sandbox.run_awsprof(
        "exec", "dev", "--", "aws", "s3", "rm", f"s3://{bucket}/x", "--profile", "prod"
    )
    assert done.returncode == 7, done.stderr
    assert "refused without a terminal" in done.stderr
    assert PROD in done.stderr
    assert object_exists(bucket, "x", PROD)
    # Without its own --profile, the child uses exec's credentials: dev, not protected.
    dev_bucket = new_bucket(DEV)
    ran = sandbox.run_awsprof("exec", "dev", "--", "aws", "s3", "rb", f"s3://{dev_bucket}")
    assert ran.returncode == 0, ran.stderr
    assert not bucket_exists(dev_bucket, DEV)


# -- case 8: a named profile switches the web identity variables off ---------------------------


def web_identity_env(sandbox: Sandbox, tmp_path: Path) -> dict[str, str]:
    token = tmp_path / "token"
    token.write_text("eyJhbGciOiJub25lIn0.eyJzdWIiOiJjaSJ9.")
    return {
        "AWS_ROLE_ARN": world.org_role_arn(world.PROD),
        "AWS_WEB_IDENTITY_TOKEN_FILE": str(token),
        "AWS_ENDPOINT_URL_STS": sandbox.moto_url,
    }


def test_a_named_profile_turns_the_web_identity_variables_off(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    env = web_identity_env(sandbox, tmp_path)
    named = sandbox.run_awsprof("whoami", "--profile", "dev", **env)
    assert named.returncode == 0, named.stderr
    assert json.loads(named.stdout)["Account"] == DEV
    exported = sandbox.run_awsprof(
        "configure", "export-credentials", "--profile", "dev", "--format", "process", **env
    )
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["AccessKeyId"] == sandbox.static_keys["dev"].access_key_id
    # Through AWS_PROFILE the environment is on: web identity comes before dev's keys, in the
    # AWS CLI, in awsprof's resolution and in the guard alike. (The sandbox's STS does not
    # answer AssumeRoleWithWebIdentity, so both clients fail there: which call they make is
    # what shows the provider they chose.)
    via_variable = sandbox.run_awsprof("whoami", AWS_PROFILE="dev", **env)
    assert "AssumeRoleWithWebIdentity" in via_variable.stderr, via_variable.stderr
    aws = subprocess.run(
        [str(BIN_DIR / "aws"), "sts", "get-caller-identity", "--debug"],
        env=sandbox.env(AWS_PROFILE="dev", **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "AssumeRoleWithWebIdentity" in aws.stderr
    bucket = new_bucket(PROD)
    decision = dry_run(sandbox, "s3", "rb", f"s3://{bucket}", AWS_PROFILE="dev", **env)
    assert decision["account"] == PROD
    assert decision["decision"] == "confirm"
    refused = run_in_shell(sandbox, "bash", f"aws s3 rb s3://{bucket}", AWS_PROFILE="dev", **env)
    assert refused.returncode == 7, refused.stderr
    assert bucket_exists(bucket, PROD)


# -- case 9: the AWS CLI's path expansion, ~user included -------------------------------------


def test_tilde_user_paths_expand_as_the_aws_cli_expands_them() -> None:
    me = pwd.getpwuid(os.getuid())
    assert expand_path(f"~{me.pw_name}/.aws/config", {}) == f"{me.pw_dir.rstrip('/')}/.aws/config"
    assert expand_path("~no-such-user-here/config", {}) == "~no-such-user-here/config"
    assert expand_path("~/config", {"HOME": "/h"}) == "/h/config"
    assert expand_path("$XDIR/config", {"XDIR": "/x"}) == "/x/config"
    environ = {"AWS_CONFIG_FILE": f"~{me.pw_name}/somewhere/config", "HOME": "/elsewhere"}
    assert config_path(environ) == f"{me.pw_dir.rstrip('/')}/somewhere/config"


def test_the_guard_reads_a_config_named_with_tilde_user(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard opens the file the AWS CLI opens: `~alice/...` is alice's home directory, read
    from the password database (stood in for here, so no real home is touched)."""
    from awsprof.guard import engine

    class Entry:
        pw_dir = str(sandbox.config_file.parent.parent)

    real = pwd.getpwnam
    monkeypatch.setattr(pwd, "getpwnam", lambda name: Entry() if name == "alice" else real(name))
    env = sandbox.env(AWS_CONFIG_FILE="~alice/.aws/config", HOME="/nonexistent")
    verdict = engine.evaluate(
        engine.Request.for_command(["aws", "s3", "rb", "s3://x", "--profile", "prod"], env),
        identifier=None,
    )
    assert verdict.facts.profile_exists
    assert verdict.facts.account == PROD
    assert verdict.decision.action == "confirm"


def test_the_real_aws_cli_v2_on_path_is_judged_by_its_own_order(
    sandbox: Sandbox, aws_v2_path: Path
) -> None:
    """The official v2 reads AWS_PROFILE first: with v2 on PATH the same environment that v1
    sends to prod (above) reaches dev, and the guard follows the `aws` that will run."""
    sandbox.login_sso()
    path = f"{aws_v2_path.parent}{os.pathsep}{sandbox.env()['PATH']}"
    env = {"AWS_PROFILE": "dev", "AWS_DEFAULT_PROFILE": "prod", "PATH": path}
    dev_bucket = new_bucket(DEV)
    decision = dry_run(sandbox, "s3", "rb", f"s3://{dev_bucket}", **env)
    assert decision["client"] == AWS_CLI_V2
    assert decision["profile"] == "dev" and decision["decision"] == "run"
    ran = run_in_shell(sandbox, "bash", f"aws s3 rb s3://{dev_bucket}", **env)
    assert ran.returncode == 0, ran.stderr
    assert not bucket_exists(dev_bucket, DEV)  # v2 really went to dev, as judged
    prod_bucket = new_bucket(PROD)
    swapped = {**env, "AWS_PROFILE": "prod", "AWS_DEFAULT_PROFILE": "dev"}
    refused = run_in_shell(sandbox, "bash", f"aws s3 rb s3://{prod_bucket}", **swapped)
    assert refused.returncode == 7, refused.stderr
    assert bucket_exists(prod_bucket, PROD)
