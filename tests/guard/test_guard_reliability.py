"""reliability.md group H, one test per promise, against the sandbox and the real AWS CLI."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from awsprof.guard.facts import IMPLICIT_DEFAULT, gather, select
from awsprof.reader.selection import select_profile
from awsprof.sandbox import accounts as world
from fixtures_sandbox import BIN_DIR, Sandbox
from guard.guard_helpers import DEV, PROD, bucket_exists, new_bucket, prod_environment_keys
from resolution.helpers import append_config

WORK = world.WORK.account_id


def guard(sandbox: Sandbox, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN_DIR / "awsprof"), "guard", *args],
        env=sandbox.env(**env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def dry_run(sandbox: Sandbox, command: str, **env: str) -> dict[str, Any]:
    done = guard(sandbox, "--dry-run", "--", "aws", *command.split(), **env)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def awsprof(sandbox: Sandbox, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN_DIR / "awsprof"), *args],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# -- H22: identity from the resolved credentials, never from the name --------------------------


def test_h22_a_profile_of_any_name_reaching_the_protected_account_is_protected(
    sandbox: Sandbox,
) -> None:
    append_config(
        sandbox.config_file,
        f"[profile harmless]\nrole_arn = {world.org_role_arn(world.PROD)}\nsource_profile = work\n"
        f"endpoint_url = {sandbox.moto_url}\n",
    )
    decision = dry_run(sandbox, "s3 rb s3://prod-data-888899990000 --profile harmless")
    assert decision["account"] == PROD
    assert decision["decision"] == "confirm"
    assert "protected by profile 'prod'" in decision["protection"]["protected_by"]


def test_h22_long_term_keys_are_identified_by_sts_once_then_from_the_cache(
    sandbox: Sandbox,
) -> None:
    protected = awsprof(sandbox, "protect", "dev")  # static keys: the account comes from STS
    assert protected.returncode == 0, protected.stderr
    assert DEV in protected.stderr
    keys = sandbox.static_keys["dev"]
    append_config(
        sandbox.credentials_file,
        f"[dev-copy]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n",
    )
    append_config(sandbox.config_file, f"[profile dev-copy]\nendpoint_url = {sandbox.moto_url}\n")
    decision = dry_run(sandbox, "s3 rb s3://dev-app-222233334444 --profile dev-copy")
    assert decision["account"] == DEV
    assert decision["account_source"].startswith("STS, earlier, for access key ****")
    assert keys.access_key_id not in json.dumps(decision)  # only its last 4 characters
    assert decision["decision"] == "confirm"
    bucket = new_bucket(DEV)
    refused = guard(sandbox, "--", "aws", "s3", "rb", f"s3://{bucket}", "--profile", "dev-copy")
    assert refused.returncode == 7
    assert bucket_exists(bucket, DEV)


# -- H23: exact 12-digit match, never a substring ---------------------------------------------


def test_h23_nonprod_is_not_prod_and_accounts_match_exactly(sandbox: Sandbox) -> None:
    almost = "888899990001"
    append_config(
        sandbox.config_file,
        f"[profile nonprod]\nrole_arn = arn:aws:iam::{almost}:role/Ops\nsource_profile = work\n\n"
        f"[profile prod-shortpin]\nrole_arn = arn:aws:iam::{PROD}:role/Ops\n"
        "source_profile = work\nawsprof_expected_account = 88889999000\n",
    )
    assert dry_run(sandbox, "s3 rb s3://x --profile nonprod")["decision"] == "run"
    short_pin = dry_run(sandbox, "s3 ls --profile prod-shortpin")
    assert short_pin["decision"] == "refuse"
    assert "not a 12-digit account ID" in short_pin["reason"]
    for near in ("88889999000", "8888999900000", "prod", "888899990000x"):
        done = guard(
            sandbox,
            "--confirm-account",
            near,
            "--",
            "aws",
            "s3",
            "rb",
            "s3://x",
            "--profile",
            "prod",
        )
        assert done.returncode == 7, near


# -- H24: fail closed when the account cannot be determined ------------------------------------


def test_h24_network_error_refuses_a_destructive_command_with_the_reason(sandbox: Sandbox) -> None:
    keys = sandbox.static_keys["dev"]
    append_config(
        sandbox.credentials_file,
        f"[offline]\naws_access_key_id = AKIAOFFLINE{keys.access_key_id[11:]}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n",
    )
    append_config(sandbox.config_file, "[profile offline]\nendpoint_url = http://127.0.0.1:9\n")
    done = guard(sandbox, "--", "aws", "s3", "rb", "s3://anything", "--profile", "offline")
    assert done.returncode == 7
    assert "cannot be determined" in done.stderr
    assert "GetCallerIdentity failed" in done.stderr  # the reason, from the failed call
    read_only = dry_run(sandbox, "s3 ls --profile offline")
    assert read_only["decision"] == "run"  # never slowed: no identification for a read


def test_h24_expired_login_refuses_with_the_reason(sandbox: Sandbox) -> None:
    sandbox.login_sso(expires_in=-60, refreshable=False)
    awsprof_bin = BIN_DIR / "awsprof"
    append_config(
        sandbox.config_file,
        f"[profile via-process]\ncredential_process = {awsprof_bin} credential-process "
        f"--profile work\nendpoint_url = {sandbox.moto_url}\n",
    )
    decision = dry_run(sandbox, "s3 rb s3://work-artifacts-555566667777 --profile via-process")
    assert decision["decision"] == "refuse"
    assert "cannot be determined" in decision["reason"]
    assert "the SSO session of profile 'work' expired" in decision["reason"]
    assert "awsprof sso login --sso-session my-org" in decision["reason"]


def test_h24_a_marked_profile_of_unknown_account_protects_only_itself(
    sandbox: Sandbox,
) -> None:
    """Issue 10 case 10: one protected profile whose account AWS cannot tell must not block
    every destructive command in every account, nor be blamed on the target."""
    append_config(
        sandbox.config_file,
        "[profile mystery]\ncredential_process = /bin/false\nawsprof_protected = true\n",
    )
    sandbox.run_aws("sts", "get-caller-identity", "--profile", "dev")  # nothing cached by it
    decision = dry_run(sandbox, "s3 rb s3://dev-app-222233334444 --profile dev")
    assert decision["decision"] == "run"
    assert decision["account"] == "222233334444"
    assert decision["protection"]["protects_only_itself"] == ["mystery"]
    assert "protected profile 'mystery'" in decision["notice"]
    assert "awsprof protect mystery --account ACCOUNT_ID" in decision["notice"]
    assert "dev" not in decision["notice"].split("'mystery'")[0]
    # By name it is still protected: its own destructive commands are not run blind.
    own = dry_run(sandbox, "s3 rb s3://dev-app-222233334444 --profile mystery")
    assert own["decision"] == "refuse"
    assert "profile 'mystery' reaches cannot be determined" in own["reason"]


# -- H25: the final role decides; environment keys over AWS_PROFILE are seen -------------------


def test_h25_a_chain_is_judged_by_its_final_role(sandbox: Sandbox) -> None:
    append_config(
        sandbox.config_file,
        f"[profile hop]\nrole_arn = arn:aws:iam::{WORK}:role/Hop\nsource_profile = work\n\n"
        f"[profile hop-to-prod]\nrole_arn = {world.org_role_arn(world.PROD)}\n"
        "source_profile = hop\n\n"
        f"[profile prod-to-dev]\nrole_arn = arn:aws:iam::{DEV}:role/Ops\nsource_profile = prod\n",
    )
    into_prod = dry_run(sandbox, "s3 rb s3://b --profile hop-to-prod")
    assert (into_prod["account"], into_prod["decision"]) == (PROD, "confirm")
    out_of_prod = dry_run(sandbox, "s3 rb s3://b --profile prod-to-dev")
    assert (out_of_prod["account"], out_of_prod["decision"]) == (DEV, "run")


def test_h25_environment_keys_overriding_aws_profile_are_detected(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    keys = prod_environment_keys(sandbox)
    decision = dry_run(sandbox, "s3 rb s3://prod-data-888899990000", AWS_PROFILE="dev", **keys)
    assert decision["environment_keys"] is True
    assert decision["account"] == PROD  # asked STS: temporary keys have no cached account
    assert decision["decision"] == "confirm"
    assert "overrides AWS_PROFILE=dev" in decision["notice"]
    bucket = new_bucket()
    done = guard(sandbox, "--", "aws", "s3", "rb", f"s3://{bucket}", AWS_PROFILE="dev", **keys)
    assert done.returncode == 7
    assert bucket_exists(bucket)


# -- H26: destructive blocked, read-only never slowed, the resource still there ---------------


def test_h26_destructive_blocked_read_only_untouched_bucket_still_listed(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    bucket = new_bucket()
    for command in (
        ["s3", "rb", f"s3://{bucket}", "--force"],
        ["s3api", "delete-bucket", "--bucket", bucket],
    ):
        done = guard(sandbox, "--", "aws", *command, "--profile", "prod")
        assert done.returncode == 7, done.stderr
    assert bucket_exists(bucket)
    listed = guard(sandbox, "--", "aws", "s3", "ls", "--profile", "prod")
    assert listed.returncode == 0, listed.stderr
    assert bucket in listed.stdout
    assert listed.stderr == ""  # no box, no question, no notice
    read_only = dry_run(sandbox, "s3api list-objects-v2 --bucket b --profile prod")
    assert read_only["decision"] == "run"


def test_selection_agrees_with_the_resolution_layer() -> None:
    cases: list[dict[str, str]] = [
        {},
        {"AWS_PROFILE": "a"},
        {"AWS_DEFAULT_PROFILE": "b"},
        {"AWS_PROFILE": "a", "AWS_DEFAULT_PROFILE": "b"},
        {"AWS_PROFILE": ""},
    ]
    for environ in cases:
        for flag in (None, "", "c"):
            chosen = select_profile(flag, environ)
            assert select(flag, environ) == (chosen.profile, chosen.selected_by.value)
    assert select(None, {})[1] == IMPLICIT_DEFAULT


def test_gather_reads_marks_in_any_case_and_from_either_file(sandbox: Sandbox) -> None:
    append_config(sandbox.config_file, "[profile loud]\nAWSPROF_PROTECTED = writes\n")
    facts = gather(sandbox.env())
    levels = {mark.profile: mark.level for mark in facts.marks}
    assert levels == {"prod": "destructive", "loud": "writes"}
