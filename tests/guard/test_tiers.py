"""Account tiers: the guard level, the confirmation and the prompt follow the tier, in the real
bash and zsh; `awsprof tiers` shows the map and doctor flags what falls into none."""

from __future__ import annotations

import json
from typing import Any

import pytest

from awsprof.guard import marks
from awsprof.guard.tiers import parse_tier, tier_for
from fixtures_sandbox import Sandbox
from guard.guard_helpers import PROD, Terminal, bucket_exists, new_bucket, plain
from resolution.helpers import append_config

TIERS = """\
[awsprof-tier production]
accounts = 8888*
level = writes
confirm = alias
colour = yellow
label = PROD

[awsprof-tier playground]
profiles = dev, default
level = false
colour = green
"""
ASK_ALIAS = "Type the account alias to run it"


def dry_run(sandbox: Sandbox, *command: str) -> dict[str, Any]:
    done = sandbox.run_awsprof("guard", "--dry-run", "--", "aws", *command)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def object_exists(bucket: str, key: str) -> bool:
    from moto.s3.models import s3_backends

    from awsprof.sandbox import accounts as world

    return key in s3_backends[PROD][world.PARTITION].buckets[bucket].keys


def test_a_tier_matches_by_account_before_profile_and_reports_what_it_does_not_know() -> None:
    prod = parse_tier("prod", "c:1", {"accounts": ("8888*, 123456789012", "c:2")})
    named = parse_tier("named", "c:5", {"profiles": ("prod*", "c:6"), "level": ("writes", "c:7")})
    assert tier_for([named, prod], "888899990000", "prod-admin") is prod
    assert tier_for([named, prod], "222233334444", "prod-admin") is named
    assert tier_for([named, prod], None, "dev") is None
    assert tier_for([prod], "88889999000", None) is prod  # a glob: 8888 and anything after
    assert tier_for([prod], "988889999000", None) is None  # never a substring
    typo = parse_tier("x", "c:9", {"level": ("wirtes", "c:10"), "confirm": ("nope", "c:11")})
    assert typo.level == marks.REFUSE_WRITES
    assert typo.confirm == "alias"
    assert typo.problem is not None and "wirtes" in typo.problem


def test_the_guard_level_follows_the_tier(sandbox: Sandbox) -> None:
    append_config(sandbox.config_file, TIERS)
    sandbox.login_sso()
    # `writes`: a plain write into the production tier asks; the alias is what it takes.
    decision = dry_run(
        sandbox, "s3api", "put-object", "--bucket", "b", "--key", "k", "--profile", "prod"
    )
    assert decision["decision"] == "confirm"
    assert decision["protection"]["level"] == "writes"
    assert decision["protection"]["tier"] == "production"
    assert decision["protection"]["confirm_with"] == "alias"
    # The playground tier sets no level: dev's destructive commands run.
    dev = dry_run(sandbox, "s3", "rb", "s3://x", "--profile", "dev")
    assert dev["decision"] == "run"
    assert dev["protection"]["tier"] == "playground"
    # Any profile reaching the production account is in the tier, whatever its name.
    append_config(
        sandbox.config_file,
        "[profile harmless]\n"
        f"role_arn = arn:aws:iam::{PROD}:role/OrganizationAccountAccessRole\n"
        f"source_profile = work\nendpoint_url = {sandbox.moto_url}\n",
    )
    harmless = dry_run(
        sandbox, "s3api", "put-object", "--bucket", "b", "--key", "k", "--profile", "harmless"
    )
    assert harmless["decision"] == "confirm"
    assert harmless["protection"]["tier"] == "production"


def test_tiers_map_and_doctor(sandbox: Sandbox) -> None:
    append_config(sandbox.config_file, TIERS)
    done = sandbox.run_awsprof("--output", "json", "tiers")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    by_name = {tier["name"]: tier for tier in data["tiers"]}
    assert {m["profile"] for m in by_name["production"]["members"]} == {"prod"}
    assert {m["profile"] for m in by_name["playground"]["members"]} == {"dev", "default"}
    assert [m["profile"] for m in data["untiered"]] == ["work"]
    doctor = sandbox.run_awsprof("doctor", "--output", "json")
    text = doctor.stdout + doctor.stderr
    assert "AWSP070" in text and "'work'" in text
    assert "awsprof-tier" not in text  # its own sections are not "a profile without `profile`"
    before = sandbox.config_file.read_bytes()
    assert sandbox.run_awsprof("doctor", "--fix").returncode in (0, 1)
    assert b"[awsprof-tier production]" in sandbox.config_file.read_bytes()
    assert before.count(b"[awsprof-tier") == sandbox.config_file.read_bytes().count(
        b"[awsprof-tier"
    )
    assert "'dev'" not in text.split("AWSP070", 1)[1].split("AWSP", 1)[0]


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_the_tier_asks_for_the_alias_and_colours_the_prompt(sandbox: Sandbox, shell: str) -> None:
    append_config(sandbox.config_file, TIERS)
    sandbox.login_sso()
    bucket = new_bucket(PROD)
    terminal = Terminal(sandbox, shell, sandbox.home)
    try:
        put = f"aws s3api put-object --bucket {bucket} --key k --body /etc/hostname --profile prod"
        terminal.start(put)
        box = plain(terminal.expect(ASK_ALIAS))
        assert "PROTECTED ACCOUNT" in box and "tier 'production'" in box
        terminal.child.sendline(PROD)  # the ID is not enough for this tier
        code, _ = terminal.exit_code()
        assert code == 7
        assert not object_exists(bucket, "k")
        terminal.start(put)
        terminal.expect(ASK_ALIAS)
        terminal.child.sendline("prod")  # the account alias
        code, output = terminal.exit_code()
        assert code == 0, output
        assert object_exists(bucket, "k")
        shown = terminal.run("AWS_PROFILE=prod awsprof prompt --format '[{tier}]'")
        assert "\x1b[33m" in shown and "[PROD]" in plain(shown)  # yellow, the tier's label
        shown = terminal.run("AWS_PROFILE=dev awsprof prompt --format '[{tier}]'")
        assert "\x1b[32m" in shown and "[playground]" in plain(shown)
    finally:
        terminal.close()
    assert bucket_exists(bucket, PROD)
