"""MFA once: ten role profiles behind one MFA device ask for one code (a terminal, via pexpect).

A moto server of its own runs in a child process: the shared sandbox enforces authentication and
moto's enforcement does not know GetSessionToken's keys, so AssumeRole with them would be refused
there. What this proves: one code typed, one MFA session cached, ten roles assumed from it (ten
different role sessions); with the feature off, the AWS CLI's one code per role comes back.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from resolution.helpers import BIN

SERIAL = "arn:aws:iam::123456789012:mfa/alice"


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _home(home: Path, url: str) -> None:
    aws = home / ".aws"
    aws.mkdir(mode=0o700, exist_ok=True)
    common = f"region = us-east-1\nendpoint_url = {url}\n"
    lines = [
        "[profile base]",
        "aws_access_key_id = AKIAMFAONCEEXAMPLE01",
        "aws_secret_access_key = mfaOnceSecretKey0123456789abcdefGHIJKLMN",
        common,
    ]
    for index in range(10):
        lines += [
            f"[profile role{index}]",
            f"role_arn = arn:aws:iam::12345678901{index % 10}:role/Team{index}",
            "source_profile = base",
            f"mfa_serial = {SERIAL}",
            common,
        ]
    (aws / "config").write_text("\n".join(lines))


@pytest.mark.parametrize(("seconds", "codes"), [("3600", 1), ("0", 10)], ids=["once", "off"])
def test_ten_role_profiles_behind_one_device_ask_for_one_code(
    moto_url: str, isolated_home: Path, seconds: str, codes: int
) -> None:
    _home(isolated_home, moto_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS", "XDG"))}
    env.update(HOME=str(isolated_home), AWSPROF_MFA_SESSION_SECONDS=seconds, NO_PROXY="*")
    script = "; ".join(
        f"{BIN / 'awsprof'} configure export-credentials --profile role{i} --format env"
        for i in range(10)
    )
    child = pexpect.spawn("/bin/sh", ["-c", script], env=env, encoding="utf-8", timeout=60)
    prompts, output = 0, ""
    while True:
        found = child.expect([r"Enter MFA code for \S+: ", pexpect.EOF])
        output += str(child.before or "")
        if found == 1:
            break
        prompts += 1
        child.sendline("123456")
    child.close()
    assert child.exitstatus == 0, output
    keys = [
        line.split("=", 1)[1].strip() for line in output.splitlines() if "ACCESS_KEY_ID=" in line
    ]
    assert prompts == codes
    assert len(set(keys)) == 10  # ten role sessions, one per profile
    cached = list((isolated_home / ".cache" / "awsprof" / "mfa-session").glob("*.json"))
    assert len(cached) == (1 if codes == 1 else 0)
