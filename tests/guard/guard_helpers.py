"""Driving the guard as a person does: a real bash or zsh with `eval "$(awsprof shell-init SHELL)"`,
the real AWS CLI, and moto's own state to check that a bucket is still there."""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pexpect

from awsprof.sandbox import accounts as world
from fixtures_sandbox import BIN_DIR, Sandbox

PROD = world.PROD.account_id
DEV = world.DEV.account_id
PROMPT = "GUARD-READY> "
ASK = "Type the account alias or ID"


def new_bucket(account: str = PROD) -> str:
    """A fresh, empty bucket in ``account``, made in moto directly (no guard, no credentials)."""
    from moto.s3.models import s3_backends

    name = f"guard-test-{uuid.uuid4().hex[:12]}"
    s3_backends[account][world.PARTITION].create_bucket(name, world.REGION)
    return name


def bucket_exists(name: str, account: str = PROD) -> bool:
    from moto.s3.models import s3_backends

    return name in s3_backends[account][world.PARTITION].buckets


def prod_environment_keys(sandbox: Sandbox) -> dict[str, str]:
    """Temporary credentials of prod, as `export-credentials` gives them."""
    done = subprocess.run(
        [str(BIN_DIR / "awsprof"), "configure", "export-credentials", "--profile", "prod"],
        env=sandbox.env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    data: dict[str, Any] = json.loads(done.stdout)
    return {
        "AWS_ACCESS_KEY_ID": data["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": data["SecretAccessKey"],
        "AWS_SESSION_TOKEN": data["SessionToken"],
    }


def run_in_shell(
    sandbox: Sandbox, shell: str, command: str, **env: str
) -> subprocess.CompletedProcess[str]:
    """``command`` in a non-interactive shell with the integration, without any terminal."""
    script = f'eval "$(awsprof shell-init {shell})"\n{command}\n'
    return subprocess.run(
        [shell, "-c", script],
        env=sandbox.env(**env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        start_new_session=True,  # no controlling terminal either
    )


class Terminal:
    """An interactive bash or zsh on a pseudo-terminal, with the integration evaluated."""

    def __init__(self, sandbox: Sandbox, shell: str, home: Path, **env: str) -> None:
        environment = sandbox.env(**env)
        environment["TERM"] = "dumb"
        arguments = ["--norc", "--noprofile"] if shell == "bash" else ["-f"]
        self.child = pexpect.spawn(
            shell, arguments, env=environment, cwd=str(home), encoding="utf-8", timeout=90
        )
        self.child.setwinsize(40, 250)
        if shell == "zsh":
            # Split, so that the echo of this line does not match the prompt itself.
            self.child.sendline("unsetopt zle; PROMPT='GUARD-''READY> '")
        else:
            self.child.sendline("PS1='GUARD-''READY> '")
        self.child.expect_exact(PROMPT)
        self.run(f'eval "$(awsprof shell-init {shell})"')

    def run(self, command: str) -> str:
        """Run a command to its end; returns what it printed."""
        self.child.sendline(command)
        self.child.expect_exact(PROMPT)
        return str(self.child.before)

    def start(self, command: str) -> None:
        self.child.sendline(f"{command}; echo EXIT=$?")

    def expect(self, text: str) -> str:
        self.child.expect_exact(text)
        return str(self.child.before)

    def exit_code(self) -> tuple[int, str]:
        self.child.expect(r"EXIT=(\d+)")
        output = str(self.child.before)
        code = int(self.child.match.group(1))
        self.child.expect_exact(PROMPT)
        return code, output

    def close(self) -> None:
        self.child.sendline("exit")
        self.child.close(force=True)


ANSI = re.compile(r"\x1b\[[0-9;]*m")


def plain(text: str) -> str:
    return ANSI.sub("", text)
