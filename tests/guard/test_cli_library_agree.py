"""Random configs, environments and commands: the CLI guard and the library always agree.

Both run offline here (the identifier stands for an AWS that cannot be reached, so every
decision that needs an account fails closed the same way); the `aws` is taken to be v1, whose
profile order is boto3's, so the two clients choose the same profile.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from awsprof.errors import GuardRefusedError
from awsprof.guard import engine
from awsprof.guard import session as guarded
from awsprof.guard.facts import Facts, gather
from awsprof.reader.selection import AWS_CLI_V1, BOTOCORE

ACCOUNTS = ["111122223333", "222233334444", "888899990000"]
NAMES = ["default", "dev", "prod", "ops"]
COMMANDS = {
    ("s3api", "delete-bucket"): ("s3", "DeleteBucket", {"Bucket": "b"}),
    ("s3api", "list-buckets"): ("s3", "ListBuckets", {}),
    ("s3api", "put-object"): ("s3", "PutObject", {"Bucket": "b", "Key": "k"}),
    ("ec2", "terminate-instances"): ("ec2", "TerminateInstances", {"InstanceIds": ["i-1"]}),
}

profile = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["keys", "role", "sso"]),
        "account": st.sampled_from(ACCOUNTS),
        "mark": st.sampled_from([None, "true", "writes", "refuse-writes", "bogus"]),
        "pin": st.sampled_from([None, *ACCOUNTS]),
        "key_known": st.booleans(),
    }
)
world = st.fixed_dictionaries(
    {
        "profiles": st.dictionaries(st.sampled_from(NAMES), profile, min_size=2, max_size=4),
        "flag": st.sampled_from([None, *NAMES]),
        "aws_profile": st.sampled_from([None, *NAMES]),
        "aws_default_profile": st.sampled_from([None, *NAMES]),
        "command": st.sampled_from(sorted(COMMANDS)),
        "confirm": st.sampled_from([None, *ACCOUNTS]),
    }
)


def write_world(root: Path, data: dict[str, Any]) -> dict[str, str]:
    config, credentials, known = [], [], {}
    for index, (name, spec) in enumerate(sorted(data["profiles"].items())):
        header = "default" if name == "default" else f"profile {name}"
        lines = [f"[{header}]"]
        if spec["kind"] == "role":
            lines += [f"role_arn = arn:aws:iam::{spec['account']}:role/r", "source_profile = x"]
        elif spec["kind"] == "sso":
            lines += [f"sso_account_id = {spec['account']}", "sso_role_name = R"]
        else:
            key_id = f"AKIATESTKEY{index:09d}"
            credentials += [
                f"[{name}]",
                f"aws_access_key_id = {key_id}",
                "aws_secret_access_key = s",
            ]
            if spec["key_known"]:
                known[key_id] = {"Account": spec["account"], "Arn": "arn"}
        if spec["mark"]:
            lines.append(f"awsprof_protected = {spec['mark']}")
        if spec["pin"]:
            lines.append(f"awsprof_expected_account = {spec['pin']}")
        config += [*lines, ""]
    (root / "config").write_text("\n".join(config))
    (root / "credentials").write_text("\n".join(credentials) + "\n")
    cache = root / "cache" / "awsprof"
    cache.mkdir(parents=True, exist_ok=True)
    (cache / "accounts.json").write_text(json.dumps(known))
    environ = {
        "HOME": str(root),
        "AWS_CONFIG_FILE": str(root / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(root / "credentials"),
        "XDG_CACHE_HOME": str(root / "cache"),
    }
    if data["aws_profile"]:
        environ["AWS_PROFILE"] = data["aws_profile"]
    if data["aws_default_profile"]:
        environ["AWS_DEFAULT_PROFILE"] = data["aws_default_profile"]
    return environ


def unreachable(facts: Facts, *args: object, **kwargs: object) -> Facts:
    """An identifier for an AWS that cannot be reached: nothing more becomes known."""
    return facts.replace(identified=True, identity_error="AWS cannot be reached")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=world)
@example(  # the variables disagree: boto3 (and v1) reach the protected one
    data={
        "profiles": {
            "dev": {
                "kind": "sso",
                "account": ACCOUNTS[1],
                "mark": None,
                "pin": None,
                "key_known": False,
            },
            "prod": {
                "kind": "sso",
                "account": ACCOUNTS[2],
                "mark": "true",
                "pin": None,
                "key_known": False,
            },
        },
        "flag": None,
        "aws_profile": "dev",
        "aws_default_profile": "prod",
        "command": ("s3api", "delete-bucket"),
        "confirm": None,
    }
)
def test_the_cli_and_the_library_always_agree(tmp_path_factory: Any, data: dict[str, Any]) -> None:
    root = tmp_path_factory.mktemp("world")
    environ = write_world(root, data)
    words = list(data["command"])
    command = ["aws", *words] + (["--profile", data["flag"]] if data["flag"] else [])
    cli = engine.evaluate(
        engine.Request(
            argv=command[1:],
            environ=environ,
            program="aws",
            client=AWS_CLI_V1,
            confirm_account=data["confirm"],
        ),
        identifier=unreachable,
    )
    cli_runs = cli.action == "run"

    facts = gather(environ, data["flag"], client=BOTOCORE)
    if facts.marks or facts.expected_account is not None:
        facts = unreachable(facts)
    service, operation, params = COMMANDS[data["command"]]
    try:
        guarded.check_session(facts, environ, data["confirm"])
        argv = engine.call_argv(service, operation, params)
        guarded.check(argv, facts, environ, data["confirm"], f"{service}.{operation}")
        library_runs = True
    except GuardRefusedError:
        library_runs = False
    if cli.classification.kind.value == "read-only" and cli_runs:
        # The session's own check is a read: a read the CLI runs, the library runs.
        assert library_runs
    assert library_runs == cli_runs, (cli.decision, data)
