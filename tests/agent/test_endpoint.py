"""The local credential endpoint (`serve`, `exec --server`) with real processes: boto3 and the AWS
CLI v1 in a child read it through botocore's unmodified ContainerProvider, against the sandbox.

Expiry is simulated, not waited for (STS's shortest session is 15 minutes): the role's cache entry
is edited to expire within a minute, which makes awsprof's resolution behind the endpoint assume
the role again; the boto3 child's credential object is moved forward on its own clock to the last
minutes before the expiry it was given, which makes botocore ask the endpoint again. What this
proves: the client re-fetches from the endpoint, and the endpoint then hands it new credentials
obtained through awsprof's refresh (different keys, accepted by the sandbox's STS).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from awsprof.credentials import Credentials
from awsprof.resolution.endpoint import CredentialEndpoint
from awsprof.sandbox import accounts as world
from fixtures_sandbox import Sandbox
from resolution.helpers import BIN

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _expire_role_entries(cache: Path, within: dt.timedelta = dt.timedelta(minutes=1)) -> int:
    """Make every cached role session expire within a minute (awsprof will refresh it)."""
    count = 0
    moment = (dt.datetime.now(dt.timezone.utc) + within).strftime("%Y-%m-%dT%H:%M:%SZ")
    for path in cache.glob("*.json"):
        data = json.loads(path.read_text())
        if "AssumedRoleUser" in data:
            data["Credentials"]["Expiration"] = moment
            path.write_text(json.dumps(data))
            count += 1
    return count


BOTO3_CHILD = r"""
import datetime as dt, json, os, sys
empty = sys.argv[2]
# A container has no ~/.aws: botocore must reach its ContainerProvider.
os.environ["AWS_CONFIG_FILE"] = os.environ["AWS_SHARED_CREDENTIALS_FILE"] = empty
print(json.dumps({"keys_in_env": [k for k in os.environ if k in (
    "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")]}), flush=True)
import boto3
session = boto3.Session()
sts = session.client("sts", endpoint_url=sys.argv[1])
creds = session.get_credentials()
print(json.dumps({"method": creds.method}), flush=True)
for round_ in range(4):
    key = creds.get_frozen_credentials().access_key
    arn = sts.get_caller_identity()["Arn"]
    print(json.dumps({"key": key, "arn": arn}), flush=True)
    if round_ == 3:
        break
    sys.stdin.readline()  # the test has expired the role's cache entry
    # This client's clock jumps to 5 minutes before the expiry it was given: botocore must
    # refresh (mandatory window) from the endpoint before its next call.
    fake_now = creds._expiry_time - dt.timedelta(minutes=5)
    creds._time_fetcher = lambda: fake_now
"""


def _line(process: subprocess.Popen[str]) -> dict[str, object]:
    assert process.stdout is not None
    text = process.stdout.readline()
    assert text, process.stderr.read() if process.stderr else ""
    data: dict[str, object] = json.loads(text)
    return data


def test_boto3_child_keeps_working_across_three_expiries(sandbox: Sandbox, tmp_path: Path) -> None:
    sandbox.login_sso()
    empty = tmp_path / "empty"
    empty.write_text("")
    child = subprocess.Popen(
        [
            str(BIN / "awsprof"),
            "exec",
            "--server",
            "--profile",
            "prod",
            "--",
            sys.executable,
            "-c",
            BOTO3_CHILD,
            sandbox.moto_url,
            str(empty),
        ],
        env=sandbox.env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None
    try:
        assert _line(child) == {"keys_in_env": []}
        assert _line(child) == {"method": "container-role"}
        seen = []
        for round_ in range(4):
            answer = _line(child)
            seen.append(answer)
            if round_ < 3:
                assert _expire_role_entries(sandbox.paths.cli_cache) == 1
                child.stdin.write("go\n")
                child.stdin.flush()
        assert child.wait(timeout=60) == 0, child.stderr.read() if child.stderr else ""
    finally:
        child.kill()
    keys = [str(a["key"]) for a in seen]
    assert len(set(keys)) == 4, f"the endpoint did not refresh: {keys}"
    for answer in seen:
        assert f":{world.PROD.account_id}:assumed-role/{world.ORG_ROLE}/" in str(answer["arn"])


AWS_CLI_CHILD = r"""
import json, os, pathlib, subprocess, sys, datetime as dt
url, empty, cache, aws = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3]), sys.argv[4]
env = dict(os.environ, AWS_CONFIG_FILE=empty, AWS_SHARED_CREDENTIALS_FILE=empty)
for round_ in range(3):
    done = subprocess.run(
        [aws, "sts", "get-caller-identity", "--endpoint-url", url, "--output", "json"],
        env=env, capture_output=True, text=True)
    keys = [json.loads(p.read_text())["Credentials"]["AccessKeyId"]
            for p in cache.glob("*.json") if b"AssumedRoleUser" in p.read_bytes()]
    print(json.dumps({"code": done.returncode, "out": done.stdout, "err": done.stderr[-500:],
                      "cached": keys}), flush=True)
    moment = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=1))
    for p in cache.glob("*.json"):
        data = json.loads(p.read_text())
        if "AssumedRoleUser" in data:
            data["Credentials"]["Expiration"] = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
            p.write_text(json.dumps(data))
"""


@pytest.mark.parametrize("cli", ["v1", "v2"])
def test_aws_cli_through_exec_server_across_expiries(
    sandbox: Sandbox, tmp_path: Path, cli: str, request: pytest.FixtureRequest
) -> None:
    """The AWS CLI v1 (from the venv) and the official v2 binary both take the container
    endpoint unchanged and keep working across three expiries."""
    aws = str(BIN / "aws") if cli == "v1" else str(request.getfixturevalue("aws_v2_path"))
    sandbox.login_sso()
    empty = tmp_path / "empty"
    empty.write_text("")
    done = subprocess.run(
        [
            str(BIN / "awsprof"),
            "exec",
            "--server",
            "--profile",
            "prod",
            "--",
            sys.executable,
            "-c",
            AWS_CLI_CHILD,
            sandbox.moto_url,
            str(empty),
            str(sandbox.paths.cli_cache),
            aws,
        ],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rounds = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rounds) == 3
    for answer in rounds:
        assert answer["code"] == 0, answer["err"]
        assert json.loads(answer["out"])["Account"] == world.PROD.account_id
    served = [answer["cached"][0] for answer in rounds]
    assert len(set(served)) == 3, f"no refresh between runs: {served}"


def test_exec_server_returns_the_childs_exit_code(sandbox: Sandbox) -> None:
    done = subprocess.run(
        [
            str(BIN / "awsprof"),
            "exec",
            "--server",
            "--profile",
            "dev",
            "--",
            sys.executable,
            "-c",
            "import sys; sys.exit(7)",
        ],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 7, done.stderr


def _get(url: str, token: str | None) -> tuple[int, bytes]:
    request = urllib.request.Request(url)  # noqa: S310 - the endpoint under test, http only
    if token is not None:
        request.add_header("Authorization", token)
    try:
        with OPENER.open(request, timeout=10) as answer:
            return int(answer.status), bytes(answer.read())
    except urllib.error.HTTPError as error:
        return int(error.code), bytes(error.read())


def test_serve_requires_the_token_and_never_prints_keys(sandbox: Sandbox) -> None:
    server = subprocess.Popen(
        [str(BIN / "awsprof"), "serve", "--profile", "dev"],
        env=sandbox.env(),
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
        url = re.search(r"AWS_CONTAINER_CREDENTIALS_FULL_URI=(\S+)", printed)
        token = re.search(r"AWS_CONTAINER_AUTHORIZATION_TOKEN=(\S+)", printed)
        assert url and token and "--network host" in printed
        assert url.group(1).startswith("http://127.0.0.1:")
        assert _get(url.group(1), None) == (401, b"")
        assert _get(url.group(1), token.group(1)[:-1] + "x") == (401, b"")
        assert _get(url.group(1), "") == (401, b"")
        status, body = _get(url.group(1), token.group(1))
        assert status == 200
        served = json.loads(body)
        keys = sandbox.static_keys["dev"]
        assert served["AccessKeyId"] == keys.access_key_id
        assert served["SecretAccessKey"] == keys.secret_access_key
        assert set(served) >= {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}
    finally:
        server.send_signal(signal.SIGTERM)
        out, err = server.communicate(timeout=20)
    assert server.returncode == 0, err
    assert keys.secret_access_key not in printed + out + err


def test_refresh_ahead_of_expiry_with_an_injected_clock() -> None:
    start = dt.datetime(2026, 1, 1, 12, tzinfo=dt.timezone.utc)
    clock = [start]
    fetched: list[Credentials] = []

    def fetch() -> Credentials:
        credentials = Credentials(
            f"ASIAFAKE{len(fetched):012d}", "s" * 40, "t", clock[0] + dt.timedelta(hours=1)
        )
        fetched.append(credentials)
        return credentials

    endpoint = CredentialEndpoint(fetch, now=lambda: clock[0])
    try:
        endpoint.credentials()
        for hour in range(1, 4):  # three expiries
            clock[0] = start + dt.timedelta(hours=hour - 1, minutes=30)
            assert endpoint.refresh_if_due() is False  # 30 minutes left: nothing to do
            clock[0] = start + dt.timedelta(hours=hour - 1, minutes=46)
            assert endpoint.refresh_if_due() is True  # 14 minutes left: advisory window
            clock[0] = start + dt.timedelta(hours=hour)
        assert len(fetched) == 4
    finally:
        endpoint.stop()


TRAP_CHILD = r"""
import signal, sys, time
signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(5))
print("ready", flush=True)
time.sleep(60)
sys.exit(1)
"""


def test_exec_server_forwards_sigterm_to_the_child(sandbox: Sandbox) -> None:
    process = subprocess.Popen(
        [
            str(BIN / "awsprof"),
            "exec",
            "--server",
            "--profile",
            "dev",
            "--",
            sys.executable,
            "-c",
            TRAP_CHILD,
        ],
        env=sandbox.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        assert process.stdout.readline().strip() == "ready"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 5  # the child's own answer to SIGTERM
    finally:
        process.kill()
