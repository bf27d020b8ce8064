"""One verdict per scenario, whichever path runs the command (reliability.md H27, issue 10).

Each case (marks by profile, by account, pins; profiles by flag and by either variable, the two
variables disagreeing, the implicit default, keys in the environment; cold and warm caches; no,
right and wrong confirmations; destructive and read-only commands) is judged by a small oracle
written here from the product's rules, independently of the engine, and then run for real through:

- ``awsprof guard --dry-run`` (the AWS CLI v1 of this environment is the `aws` on PATH);
- the real bash integration without a terminal, running the real `aws`;
- ``awsprof exec -- aws ...`` (exec's own selection: the AWS CLI v2's rules);
- ``awsprof.session()`` with boto3's rules;
- the prompt, once the accounts are in the cache (it never asks AWS by design).

A command that was stopped must leave its bucket in place; one that ran must have deleted it.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field
from typing import Any

import pytest

import awsprof
from awsprof.errors import GuardRefusedError
from awsprof.sandbox import accounts as world
from fixtures_sandbox import BIN_DIR, Sandbox
from guard.guard_helpers import bucket_exists, new_bucket, prod_environment_keys, run_in_shell

SANDBOX_ACCOUNT = world.SANDBOX.account_id
DEV = world.DEV.account_id
WORK = world.WORK.account_id
PROD = world.PROD.account_id
ACCOUNTS = {"default": SANDBOX_ACCOUNT, "dev": DEV, "dev2": DEV, "work": WORK, "prod": PROD}
WRONG = "123412341234"
ENV_KEYS = "prod-keys"  # the environment holds prod's temporary keys


@dataclass(frozen=True)
class Scenario:
    """Marks written into the sandbox's config beside prod's own."""

    name: str
    config: str  # appended to the config file (profile sections of their own)
    protected: frozenset[str]  # protected accounts
    marked: frozenset[str] = frozenset()  # profiles marked by name
    pins: dict[str, str] = field(default_factory=dict)  # profile -> pinned account


SCENARIOS = {
    "base": Scenario("base", "", frozenset({PROD}), frozenset({"prod"})),
    # dev marked with no pin: its account is only known once somebody asks STS; dev2 holds
    # dev's keys under another name.
    "account-mark": Scenario(
        "account-mark",
        f"[profile dev-marker]\nawsprof_protected = true\nawsprof_expected_account = {DEV}\n",
        frozenset({PROD, DEV}),
        frozenset({"prod"}),
    ),
    "profile-mark": Scenario(
        "profile-mark", "", frozenset({PROD, DEV}), frozenset({"prod", "dev"})
    ),
    "default-protected": Scenario(
        "default-protected", "", frozenset({PROD, SANDBOX_ACCOUNT}), frozenset({"prod", "default"})
    ),
    "wrong-pin": Scenario(
        "wrong-pin", "", frozenset({PROD}), frozenset({"prod"}), {"dev": "999999999999"}
    ),
}


@dataclass(frozen=True)
class Case:
    scenario: str
    flag: str | None = None
    aws_profile: str | None = None
    aws_default_profile: str | None = None
    env_keys: bool = False
    destructive: bool = True
    confirm: str | None = None  # "right", "wrong" or None
    warm: bool = False

    @property
    def id(self) -> str:
        parts = [self.scenario]
        if self.flag:
            parts.append(f"flag={self.flag}")
        if self.aws_profile:
            parts.append(f"AWS_PROFILE={self.aws_profile}")
        if self.aws_default_profile:
            parts.append(f"AWS_DEFAULT_PROFILE={self.aws_default_profile}")
        if self.env_keys:
            parts.append("env-keys")
        if not (self.flag or self.aws_profile or self.aws_default_profile or self.env_keys):
            parts.append("implicit")
        parts.append("delete" if self.destructive else "read")
        if self.confirm:
            parts.append(f"confirm-{self.confirm}")
        parts.append("warm" if self.warm else "cold")
        return ",".join(parts)


def target(case: Case, order: str) -> tuple[str, str | None]:
    """(account, profile) the command reaches for a client reading the variables in ``order``
    ("v2": AWS_PROFILE first; "v1": AWS_DEFAULT_PROFILE first, as boto3)."""
    if case.flag:
        return ACCOUNTS[case.flag], case.flag
    if case.env_keys:
        return PROD, None
    first, second = (
        (case.aws_profile, case.aws_default_profile)
        if order == "v2"
        else (case.aws_default_profile, case.aws_profile)
    )
    profile = first or second or "default"
    return ACCOUNTS[profile], profile


def expected(case: Case, order: str) -> str:
    """The product's rules, written out: "run" or "stop" (no terminal anywhere)."""
    scenario = SCENARIOS[case.scenario]
    account, profile = target(case, order)
    implicit = not (case.flag or case.aws_profile or case.aws_default_profile or case.env_keys)
    protected = account in scenario.protected or profile in scenario.marked
    pin = scenario.pins.get(profile or "")
    if pin is not None and pin != account:
        return "stop"
    if implicit and protected:
        return "stop"
    if not case.destructive or not protected:
        return "run"
    return "run" if case.confirm == "right" else "stop"


def _cases() -> list[Case]:
    selections: list[dict[str, Any]] = [
        {"flag": "prod"},
        {"flag": "dev"},
        {"flag": "dev2"},
        {"aws_profile": "prod"},
        {"aws_default_profile": "dev"},
        {"aws_profile": "dev", "aws_default_profile": "prod"},
        {},
        {"aws_profile": "dev", "env_keys": True},
    ]
    warm_selections: list[dict[str, Any]] = [
        {"flag": "dev2"},
        {"aws_profile": "dev", "aws_default_profile": "prod"},
        {},
    ]
    cases: list[Case] = []
    for scenario in SCENARIOS:
        cases += [Case(scenario, **selection) for selection in selections]
        cases += [Case(scenario, warm=True, **selection) for selection in warm_selections]
        cases.append(Case(scenario, flag="prod", confirm="right"))
        cases.append(Case(scenario, flag="dev2", confirm="wrong"))
        cases.append(Case(scenario, destructive=False))
    return cases


CASES = _cases()


def prepare(sandbox: Sandbox, case: Case) -> dict[str, str]:
    """Write the scenario, log in, and return the case's environment."""
    scenario = SCENARIOS[case.scenario]
    keys = sandbox.static_keys["dev"]
    with sandbox.credentials_file.open("a") as handle:
        handle.write(
            f"\n[dev2]\naws_access_key_id = {keys.access_key_id}\n"
            f"aws_secret_access_key = {keys.secret_access_key}\n"
        )
    text = sandbox.config_file.read_text()
    extra = f"\n[profile dev2]\nregion = {world.REGION}\nendpoint_url = {sandbox.moto_url}\n" + (
        f"\n{scenario.config}" if scenario.config else ""
    )
    if "default" in scenario.marked:
        text = text.replace("[default]\n", "[default]\nawsprof_protected = true\n", 1)
    if "dev" in scenario.marked:
        text = text.replace("[profile dev]\n", "[profile dev]\nawsprof_protected = true\n", 1)
    for profile, pin in scenario.pins.items():
        text = text.replace(
            f"[profile {profile}]\n", f"[profile {profile}]\nawsprof_expected_account = {pin}\n", 1
        )
    sandbox.config_file.write_text(text + extra)
    sandbox.login_sso()
    env: dict[str, str] = {}
    if case.aws_profile:
        env["AWS_PROFILE"] = case.aws_profile
    if case.aws_default_profile:
        env["AWS_DEFAULT_PROFILE"] = case.aws_default_profile
    if case.env_keys:
        env.update(prod_environment_keys(sandbox))
        env["AWS_ENDPOINT_URL"] = sandbox.moto_url
    if case.warm:
        for profile in ("default", "dev", "dev2"):
            done = subprocess.run(
                [str(BIN_DIR / "awsprof"), "whoami", "--profile", profile],
                env=sandbox.env(),
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert done.returncode == 0, done.stderr
    return env


def command_words(case: Case, bucket: str) -> list[str]:
    words = (
        ["s3api", "delete-bucket", "--bucket", bucket]
        if case.destructive
        else ["s3api", "list-buckets"]
    )
    return [*words, "--profile", case.flag] if case.flag else words


def confirmation(case: Case, order: str) -> str | None:
    if case.confirm == "right":
        return target(case, order)[0]
    return WRONG if case.confirm == "wrong" else None


def outcome_of_command(done: subprocess.CompletedProcess[str]) -> str:
    return "stop" if done.returncode == 7 else "run"


def check_bucket(case: Case, outcome: str, bucket: str, account: str, done: Any) -> None:
    if not case.destructive:
        return
    if outcome == "stop":
        assert bucket_exists(bucket, account), f"a stopped command deleted its bucket: {done}"
    else:
        assert not bucket_exists(bucket, account), f"a command that ran left its bucket: {done}"


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_every_path_gives_the_same_verdict(sandbox: Sandbox, case: Case) -> None:
    env = prepare(sandbox, case)
    v1_account, _ = target(case, "v1")
    v2_account, _ = target(case, "v2")
    seen: dict[str, str] = {}

    # 1. guard --dry-run, judged for the `aws` on PATH (v1 here).
    confirm_v1 = confirmation(case, "v1")
    extra = ["--confirm-account", confirm_v1] if confirm_v1 else []
    done = sandbox.run_awsprof(
        "guard", "--dry-run", *extra, "--", "aws", *command_words(case, "b"), **env
    )
    assert done.returncode == 0, done.stderr
    decision = json.loads(done.stdout)
    seen["dry-run"] = "run" if decision["decision"] == "run" else "stop"
    assert decision["client"] == "aws-cli-v1" or not (case.aws_profile and case.aws_default_profile)

    # 2. The real bash integration, no terminal, the real `aws`.
    bucket = new_bucket(v1_account)
    confirm_words = f"AWSPROF_CONFIRM_ACCOUNT={confirm_v1} " if confirm_v1 else ""
    line = confirm_words + "aws " + " ".join(command_words(case, bucket))
    done = run_in_shell(sandbox, "bash", line, **env)
    seen["bash"] = outcome_of_command(done)
    check_bucket(case, seen["bash"], bucket, v1_account, done.stderr)

    # 3. exec: its own selection is the AWS CLI v2's; the child's --profile wins.
    bucket = new_bucket(v2_account)
    confirm_v2 = confirmation(case, "v2")
    extra = ["--confirm-account", confirm_v2] if confirm_v2 else []
    done = sandbox.run_awsprof("exec", *extra, "--", "aws", *command_words(case, bucket), **env)
    seen["exec"] = outcome_of_command(done)
    check_bucket(case, seen["exec"], bucket, v2_account, done.stderr)

    # 4. The library, with boto3's order (v1's).
    bucket = new_bucket(v1_account)
    try:
        session = awsprof.session(case.flag, environ=sandbox.env(**env), confirm_account=confirm_v1)
        s3 = session.client("s3")
        if case.destructive:
            s3.delete_bucket(Bucket=bucket)
        else:
            s3.list_buckets()
        seen["library"] = "run"
    except GuardRefusedError:
        seen["library"] = "stop"
    check_bucket(case, seen["library"], bucket, v1_account, "library")

    want = {
        "dry-run": expected(case, "v1"),
        "bash": expected(case, "v1"),
        "exec": expected(case, "v2"),
        "library": expected(case, "v1"),
    }
    assert seen == want

    # 5. The prompt knows offline what the guard found out (after a lookup, or from the files).
    if case.warm and not case.flag:
        shown = sandbox.run_awsprof("prompt", "--format", "{protected}|{account_id}", **env)
        assert shown.returncode == 0, shown.stderr
        text = re.sub(r"\x1b\[[0-9;]*m", "", shown.stdout.strip())
        mark, _, account = text.partition("|")
        scenario = SCENARIOS[case.scenario]
        account_v1, profile_v1 = target(case, "v1")
        if account:
            assert account == account_v1
        protected = account_v1 in scenario.protected or profile_v1 in scenario.marked
        if account or profile_v1 in scenario.marked:
            assert (mark == "!") == protected, shown.stdout
