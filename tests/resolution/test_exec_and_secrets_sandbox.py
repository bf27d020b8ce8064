"""exec hands a child the right credentials and nothing else; no command leaks a secret."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest

import awsprof
from fixtures_sandbox import Sandbox
from resolution.helpers import BIN
from resolution.helpers import awsprof as run_awsprof

PRINT_ENV = "import json, os, sys; print(json.dumps(dict(os.environ))); print(json.dumps(sys.argv))"


def test_exec_gives_the_child_the_profile_and_scrubs_inherited_credentials(
    sandbox: Sandbox,
) -> None:
    env = sandbox.env(
        AWS_ACCESS_KEY_ID="AKIAINHERITEDXXXXXXX",
        AWS_SECRET_ACCESS_KEY="inherited-secret",
        AWS_SESSION_TOKEN="inherited-token",
        AWS_PROFILE="default",
    )
    done = run_awsprof(env, "exec", "dev", "--", sys.executable, "-c", PRINT_ENV, "arg1")
    assert done.returncode == 0, done.stderr
    child_env_line, argv_line = done.stdout.strip().splitlines()
    child = json.loads(child_env_line)
    keys = sandbox.static_keys["dev"]
    assert child["AWS_ACCESS_KEY_ID"] == keys.access_key_id
    assert child["AWS_SECRET_ACCESS_KEY"] == keys.secret_access_key
    assert "AWS_SESSION_TOKEN" not in child
    assert "AWS_PROFILE" not in child
    assert child["AWSPROF_PROFILE"] == "dev"
    assert child["AWS_REGION"] == child["AWS_DEFAULT_REGION"] == "us-east-1"
    argv = json.loads(argv_line)
    assert argv == ["-c", "arg1"]
    assert keys.secret_access_key not in argv_line


def test_exec_child_reaches_the_right_account_with_the_aws_cli(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    done = run_awsprof(
        sandbox.env(),
        "exec",
        "--profile",
        "prod",
        "--",
        str(BIN / "aws"),
        "sts",
        "get-caller-identity",
        "--endpoint-url",
        sandbox.moto_url,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Account"] == "888899990000"
    assert "AWS_SESSION_TOKEN" in run_awsprof(sandbox.env(), "exec", "prod", "--", "env").stdout


def test_exec_passes_the_exit_code_through(sandbox: Sandbox) -> None:
    done = run_awsprof(
        sandbox.env(), "exec", "dev", "--", sys.executable, "-c", "raise SystemExit(37)"
    )
    assert done.returncode == 37


def test_exec_nested_for_another_profile_is_refused(sandbox: Sandbox) -> None:
    done = run_awsprof(
        sandbox.env(), "exec", "dev", "--", str(BIN / "awsprof"), "exec", "default", "--", "true"
    )
    assert done.returncode == 2
    assert "already inside `awsprof exec` for profile 'dev'" in done.stderr


def test_exec_forwards_signals(sandbox: Sandbox) -> None:
    trap = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGTERM, lambda *a: sys.exit(42))\n"
        "print('ready', flush=True)\n"
        "time.sleep(30)\n"
    )
    process = subprocess.Popen(
        [str(BIN / "awsprof"), "exec", "dev", "--", sys.executable, "-c", trap],
        env=sandbox.env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "ready"
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 42


def test_command_not_found_is_127(sandbox: Sandbox) -> None:
    done = run_awsprof(sandbox.env(), "exec", "dev", "--", "no-such-command-anywhere")
    assert done.returncode == 127


CANARY_SECRET = "CanaryFileSecret9876543210zyxwvuTSRQPONM"
CANARY_ENV_SECRET = "CanaryEnvSecret1234567890abcdefGHIJKLMNO"


def _all_output(done: subprocess.CompletedProcess[str]) -> str:
    return done.stdout + done.stderr


def test_no_command_prints_a_planted_secret(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    token = sandbox.read_token_cache()["accessToken"]
    with open(sandbox.credentials_file, "a") as handle:
        handle.write(
            f"\n[canary]\naws_access_key_id = AKIACANARYEXAMPLE001\n"
            f"aws_secret_access_key = {CANARY_SECRET}\n"
        )
    with open(sandbox.config_file, "a") as handle:
        handle.write(f"\n[profile canary]\nendpoint_url = {sandbox.moto_url}\nregion = us-east-1\n")
    env_with_canary = sandbox.env(
        AWS_ACCESS_KEY_ID="AKIACANARYENV0000001", AWS_SECRET_ACCESS_KEY=CANARY_ENV_SECRET
    )
    prod_secret = json.loads(
        run_awsprof(sandbox.env(), "configure", "export-credentials", "--profile", "prod").stdout
    )["SecretAccessKey"]
    secrets = [CANARY_SECRET, CANARY_ENV_SECRET, token, prod_secret]
    runs = [
        run_awsprof(sandbox.env(), "whoami", "--profile", "prod", "--explain"),
        run_awsprof(sandbox.env(), "whoami", "--profile", "prod", "--explain", "--debug"),
        run_awsprof(sandbox.env(), "--debug", "whoami", "--profile", "canary"),  # invalid key
        run_awsprof(sandbox.env(), "whoami", "--profile", "canary", "--explain"),
        run_awsprof(env_with_canary, "whoami", "--explain"),
        run_awsprof(env_with_canary, "--debug", "whoami"),
        run_awsprof(sandbox.env(), "configure", "list", "--profile", "canary"),
        run_awsprof(sandbox.env(), "configure", "get", "aws_session_token", "--profile", "prod"),
        run_awsprof(sandbox.env(), "exec", "canary", "--", "true"),
        run_awsprof(sandbox.env(), "exec", "prod", "--", "false"),
    ]
    failures = [r for r in runs if r.returncode != 0]
    assert failures, "some runs must exercise failure paths"
    for done in runs:
        text = _all_output(done)
        for secret in secrets:
            assert secret not in text, (done.args, secret[-4:])


def test_export_and_credential_process_do_print_them(sandbox: Sandbox) -> None:
    keys = sandbox.static_keys["dev"]
    for args in (
        ("configure", "export-credentials", "--profile", "dev", "--format", "env"),
        ("credential-process", "--profile", "dev"),
    ):
        done = run_awsprof(sandbox.env(), *args)
        assert done.returncode == 0, done.stderr
        assert keys.secret_access_key in done.stdout
        assert keys.secret_access_key not in done.stderr


@pytest.mark.parametrize(
    ("output_format", "line"),
    [
        ("env", "export AWS_ACCESS_KEY_ID={key}"),
        ("env-no-export", "AWS_ACCESS_KEY_ID={key}"),
        ("powershell", '$Env:AWS_ACCESS_KEY_ID="{key}"'),
        ("windows-cmd", "set AWS_ACCESS_KEY_ID={key}"),
        ("fish", 'set -gx AWS_ACCESS_KEY_ID "{key}"'),
    ],
)
def test_export_formats(sandbox: Sandbox, output_format: str, line: str) -> None:
    sandbox.login_sso()
    done = run_awsprof(
        sandbox.env(),
        "configure",
        "export-credentials",
        "--profile",
        "prod",
        "--format",
        output_format,
    )
    assert done.returncode == 0, done.stderr
    key = json.loads(
        run_awsprof(sandbox.env(), "configure", "export-credentials", "--profile", "prod").stdout
    )["AccessKeyId"]
    lines = done.stdout.splitlines()
    assert line.format(key=key) in lines
    assert len(lines) == 4  # key, secret, token, expiration


def test_library_session_and_resolve(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    sandbox.login_sso()
    for name, value in sandbox.env().items():
        monkeypatch.setenv(name, value)
    explained = awsprof.resolve("prod")
    assert explained.chain == "prod -> work"
    assert explained.account_id == "888899990000"
    sts = awsprof.session("prod").client("sts")
    assert sts.get_caller_identity()["Account"] == "888899990000"
    with pytest.raises(awsprof.GuardRefusedError):
        awsprof.session("prod", expect_account="222233334444")
    assert (
        awsprof.session("dev", expect_account="222233334444")
        .client("sts")
        .get_caller_identity()["Account"]
        == "222233334444"
    )
