"""awsprof's ``configure`` family against the official AWS CLI v2 (2.36), side by side.

Each test gives both tools the same sandbox home and the same variables and compares what they
print (and, for ``set``, the bytes they write). The sandbox's AWS home has static keys (default,
dev), an SSO profile (work) and a role reached through it (prod).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fixtures_awscli_v2 import Clis

EXPORT_FORMATS = ("process", "env", "env-no-export", "powershell", "windows-cmd", "fish")


def same_output(clis: Clis, *args: str, env: dict[str, str] | None = None) -> str:
    """Run ``args`` with both tools; assert the same exit status and stdout; return stdout."""
    v2 = clis.v2(*args, env=env)
    ours = clis.awsprof(*args, env=env)
    assert (ours.returncode == 0) == (v2.returncode == 0), (args, v2.stderr, ours.stderr)
    assert ours.stdout == v2.stdout, args
    return v2.stdout


def prime_caches(clis: Clis) -> None:
    """Log in and let the AWS CLI v2 cache the SSO and role credentials both tools then read.

    The AWS CLI prints a fresh AssumeRole expiry with moto's fractions of a second but caches it
    without them, so the comparisons start from the cache, as a second command does.
    """
    clis.sandbox.login_sso()
    for profile in ("work", "prod"):
        done = clis.v2("sts", "get-caller-identity", "--profile", profile)
        assert done.returncode == 0, done.stderr


# -- configure list -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env"),
    [
        pytest.param([], {}, id="implicit-default"),
        pytest.param(["--profile", "dev"], {}, id="flag-static"),
        pytest.param([], {"AWS_PROFILE": "dev"}, id="aws-profile"),
        pytest.param(
            [], {"AWS_DEFAULT_PROFILE": "dev", "AWS_REGION": "eu-west-3"}, id="env-region"
        ),
        pytest.param(
            [],
            {
                "AWS_PROFILE": "dev",
                "AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT00042",
                "AWS_SECRET_ACCESS_KEY": "environment/secret/value/0042",
            },
            id="env-keys-beat-aws-profile",
        ),
        pytest.param(["--profile", "work"], {}, id="sso"),
        pytest.param(["--profile", "prod"], {}, id="assume-role"),
    ],
)
def test_configure_list_matches_v2(clis: Clis, args: list[str], env: dict[str, str]) -> None:
    if {"work", "prod"} & set(args):
        prime_caches(clis)
    out = same_output(clis, "configure", "list", *args, env=env)
    assert out.startswith("NAME       : VALUE                    : TYPE             : LOCATION\n")
    # No secret is shown in full by either tool.
    for keys in clis.sandbox.static_keys.values():
        assert keys.secret_access_key not in out


def test_configure_list_config_keys_and_alternate_file_match_v2(clis: Clis, tmp_path: Path) -> None:
    config = tmp_path / "elsewhere-config"
    config.write_text(
        "[profile inline]\naws_access_key_id = AKIAINLINEKEY0000077\n"
        "aws_secret_access_key = abc\nregion = ca-central-1\n[profile bare]\noutput = text\n"
    )
    env = {"AWS_CONFIG_FILE": str(config)}
    out = same_output(clis, "configure", "list", "--profile", "inline", env=env)
    assert "config-file" in out and str(config) in out
    same_output(clis, "configure", "list", "--profile", "bare", env=env)


def test_configure_list_unknown_profile_fails_in_both(clis: Clis) -> None:
    v2 = clis.v2("configure", "list", "--profile", "nope")
    ours = clis.awsprof("configure", "list", "--profile", "nope")
    assert v2.returncode != 0 and ours.returncode == 4
    assert ours.stdout == v2.stdout  # header and profile row, then the error
    assert "The config profile (nope) could not be found" in v2.stderr
    assert "The config profile (nope) could not be found" in ours.stderr


# -- list-profiles and get ----------------------------------------------------------------------

EXTRA_CONFIG = """
[profile 'quoted name']
region = eu-north-1

[profile  spaced  ]
region = ap-east-1
s3 =
    max_concurrent_requests = 20
    addressing_style = path

[profile default]
output = text

[sso-session other]
sso_region = eu-west-1
"""
EXTRA_CREDENTIALS = """
[credentials-only]
aws_access_key_id = AKIACREDONLY00000001
aws_secret_access_key = credentials/only/secret/0001
"""


@pytest.fixture
def tricky_home(clis: Clis) -> Clis:
    with clis.sandbox.config_file.open("a") as handle:
        handle.write(EXTRA_CONFIG)
    with clis.sandbox.credentials_file.open("a") as handle:
        handle.write(EXTRA_CREDENTIALS)
    return clis


def test_list_profiles_matches_v2(tricky_home: Clis) -> None:
    out = same_output(tricky_home, "configure", "list-profiles")
    assert "credentials-only" in out.splitlines()


@pytest.mark.parametrize(
    "args",
    [
        ["region"],
        ["region", "--profile", "dev"],
        ["output", "--profile", "default"],
        ["endpoint_url", "--profile", "prod"],
        ["role_arn", "--profile", "prod"],
        ["aws_access_key_id", "--profile", "dev"],
        ["aws_secret_access_key", "--profile", "credentials-only"],
        ["profile.dev.region"],
        ["default.output"],
        ["region", "--profile", "quoted name"],
        ["s3.max_concurrent_requests", "--profile", "spaced"],
        ["s3", "--profile", "spaced"],
        ["sso_region", "--profile", "work"],
        ["no_such_key", "--profile", "dev"],
        ["region", "--profile", "does-not-exist"],
    ],
    ids=lambda args: "-".join(args).replace(" ", "_"),
)
def test_configure_get_matches_v2(tricky_home: Clis, args: list[str]) -> None:
    v2 = tricky_home.v2("configure", "get", *args)
    ours = tricky_home.awsprof("configure", "get", *args)
    assert ours.stdout == v2.stdout
    # Exit 1 for an unset value in both; an unknown profile is 255 in the AWS CLI, 4 here.
    expected = {0: 0, 1: 1, 255: 4}[v2.returncode]
    assert ours.returncode == expected, (v2.stderr, ours.stderr)


def test_configure_get_from_aws_profile_matches_v2(tricky_home: Clis) -> None:
    same_output(tricky_home, "configure", "get", "region", env={"AWS_PROFILE": "quoted name"})


# -- configure set: the same commands leave the same bytes --------------------------------------

SET_SEQUENCE: list[list[str]] = [
    ["region", "eu-west-2", "--profile", "dev"],  # change a value in place
    ["output", "yaml", "--profile", "dev"],  # change another
    ["cli_pager", "", "--profile", "dev"],  # an empty value
    ["region", "us-west-1", "--profile", "brand-new"],  # a new profile at the end
    ["aws_access_key_id", "AKIANEWKEYEXAMPLE001", "--profile", "brand-new"],  # credentials file
    ["aws_secret_access_key", "new/secret/EXAMPLE/value/0001", "--profile", "brand-new"],
    ["aws_session_token", "token-EXAMPLE", "--profile", "dev"],
    ["s3.max_concurrent_requests", "15", "--profile", "dev"],  # a new nested section
    ["s3.max_concurrent_requests", "25", "--profile", "dev"],  # a nested value changed
    ["profile.work.region", "eu-central-1"],  # dotted profile form
    ["default.ca_bundle", "/etc/ssl/ca.pem"],  # default form
    ["region", "sa-east-1", "--profile", "with space"],
    ["role_session_name", "me", "--profile", "prod"],
]


def _copy_home(source: Path, target: Path) -> dict[str, str]:
    target.mkdir()
    for name in ("config", "credentials"):
        shutil.copy2(source / name, target / name)
    return {
        "AWS_CONFIG_FILE": str(target / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(target / "credentials"),
    }


def test_configure_set_writes_the_same_bytes_as_v2(clis: Clis, tmp_path: Path) -> None:
    theirs = _copy_home(clis.sandbox.aws_dir, tmp_path / "v2")
    ours = _copy_home(clis.sandbox.aws_dir, tmp_path / "awsprof")
    for args in SET_SEQUENCE:
        done_v2 = clis.v2("configure", "set", *args, env=theirs)
        done_ours = clis.awsprof("configure", "set", *args, env=ours)
        assert done_v2.returncode == 0, (args, done_v2.stderr)
        assert done_ours.returncode == 0, (args, done_ours.stderr)
    for name in ("config", "credentials"):
        expected = (tmp_path / "v2" / name).read_bytes()
        assert (tmp_path / "awsprof" / name).read_bytes() == expected, name
    assert expected != (clis.sandbox.aws_dir / "credentials").read_bytes()


def test_second_nested_key_stays_in_its_block_unlike_v2(clis: Clis, tmp_path: Path) -> None:
    """A deliberate difference (docs/compatibility.md): when a nested block ends a section before
    a blank line, the AWS CLI v2 writes a second nested key after that blank line; awsprof keeps
    the block together. Both files read back the same values in both tools."""
    envs = {
        "v2": _copy_home(clis.sandbox.aws_dir, tmp_path / "v2"),
        "awsprof": _copy_home(clis.sandbox.aws_dir, tmp_path / "awsprof"),
    }
    for args in (
        ["s3.max_concurrent_requests", "15", "--profile", "dev"],
        ["s3.addressing_style", "virtual", "--profile", "dev"],
    ):
        assert clis.v2("configure", "set", *args, env=envs["v2"]).returncode == 0
        assert clis.awsprof("configure", "set", *args, env=envs["awsprof"]).returncode == 0
    theirs = (tmp_path / "v2" / "config").read_text()
    ours = (tmp_path / "awsprof" / "config").read_text()
    block = "s3 =\n    max_concurrent_requests = 15\n    addressing_style = virtual\n"
    assert block in ours
    assert block not in theirs  # the AWS CLI's blank line sits inside the block
    for env in envs.values():
        for tool in (clis.v2, clis.awsprof):
            done = tool("configure", "get", "s3.addressing_style", "--profile", "dev", env=env)
            assert done.stdout == "virtual\n", done.stderr


SECTION_SEQUENCE: list[list[str]] = [
    ["sso_start_url", "https://other.awsapps.com/start", "--sso-session", "my-org"],
    ["sso_region", "eu-west-1", "--sso-session", "brand-new"],
    ["sts.endpoint_url", "http://127.0.0.1:1", "--services", "sandbox"],
    ["endpoint_url", "http://127.0.0.1:2", "--services", "fresh"],
]


def test_sso_session_and_services_sections_match_v2(clis: Clis, tmp_path: Path) -> None:
    envs = {
        "v2": _copy_home(clis.sandbox.aws_dir, tmp_path / "v2"),
        "awsprof": _copy_home(clis.sandbox.aws_dir, tmp_path / "awsprof"),
    }
    for args in SECTION_SEQUENCE:
        assert clis.v2("configure", "set", *args, env=envs["v2"]).returncode == 0, args
        assert clis.awsprof("configure", "set", *args, env=envs["awsprof"]).returncode == 0, args
    theirs = (tmp_path / "v2" / "config").read_bytes()
    assert (tmp_path / "awsprof" / "config").read_bytes() == theirs
    assert b"[sso-session brand-new]" in theirs
    for args in (
        ["sso_start_url", "--sso-session", "my-org"],
        ["sts.endpoint_url", "--services", "sandbox"],
        ["sso", "--services", "sandbox"],  # a nested section: exit 1 in both
        ["no_such_key", "--sso-session", "my-org"],
    ):
        v2 = clis.v2("configure", "get", *args, env=envs["v2"])
        ours = clis.awsprof("configure", "get", *args, env=envs["v2"])
        assert (ours.returncode, ours.stdout) == (v2.returncode, v2.stdout), args


def test_configure_set_creates_files_like_v2(clis: Clis, tmp_path: Path) -> None:
    dirs = {"v2": tmp_path / "v2", "awsprof": tmp_path / "ours"}
    envs = {
        tool: {
            "AWS_CONFIG_FILE": str(path / "sub" / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(path / "sub" / "credentials"),
        }
        for tool, path in dirs.items()
    }
    for args in (["region", "us-east-2"], ["aws_access_key_id", "AKIAFIRSTKEYEXAMPLE1"]):
        assert clis.v2("configure", "set", *args, env=envs["v2"]).returncode == 0
        assert clis.awsprof("configure", "set", *args, env=envs["awsprof"]).returncode == 0
    for name in ("config", "credentials"):
        theirs, ours = dirs["v2"] / "sub" / name, dirs["awsprof"] / "sub" / name
        assert ours.read_bytes() == theirs.read_bytes(), name


# -- export-credentials -------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["dev", "work", "prod"])
def test_export_credentials_matches_v2(clis: Clis, profile: str) -> None:
    if profile != "dev":
        prime_caches(clis)
    for output_format in EXPORT_FORMATS:
        out = same_output(
            clis, "configure", "export-credentials", "--profile", profile, "--format", output_format
        )
        if output_format == "process":
            data = json.loads(out)
            assert "AccountId" not in data  # v2.36 prints none, even for an assumed role
            if profile != "dev":
                assert data["Expiration"].endswith("+00:00")


def test_export_credentials_from_the_environment_matches_v2(clis: Clis) -> None:
    env = {
        "AWS_ACCESS_KEY_ID": "AKIAENVIRONMENT00042",
        "AWS_SECRET_ACCESS_KEY": "environment/secret/value/0042",
        "AWS_SESSION_TOKEN": "environment-token",
        "AWS_CREDENTIAL_EXPIRATION": "2099-05-01T10:00:00Z",
    }
    for output_format in EXPORT_FORMATS:
        same_output(clis, "configure", "export-credentials", "--format", output_format, env=env)
