"""Driving the AWS CLI v2 and awsprof through a real pseudo-terminal (pexpect) with the same
answers, each on its own copy of the sandbox's files, to compare the bytes they leave."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import pexpect

from fixtures_awscli_v2 import Clis
from fixtures_sandbox import BIN_DIR

TOOLS = ("v2", "awsprof")


@dataclass
class Run:
    code: int
    transcript: str


def copy_home(source: Path, target: Path) -> dict[str, str]:
    """The sandbox's config and credentials files copied to ``target`` (modes kept)."""
    target.mkdir(parents=True)
    for name in ("config", "credentials"):
        shutil.copy2(source / name, target / name)
    return {
        "AWS_CONFIG_FILE": str(target / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(target / "credentials"),
    }


def homes(clis: Clis, tmp_path: Path) -> dict[str, dict[str, str]]:
    """One copy of the sandbox's files per tool: {tool: its variables}."""
    return {tool: copy_home(clis.sandbox.aws_dir, tmp_path / tool) for tool in TOOLS}


def program(clis: Clis, tool: str) -> str:
    return str(clis.v2_path) if tool == "v2" else str(BIN_DIR / "awsprof")


def converse(
    clis: Clis,
    tool: str,
    args: list[str],
    dialogue: list[tuple[str, str]],
    env: dict[str, str] | None = None,
) -> Run:
    """Run ``tool`` with ``args`` in a terminal; for each (prompt, answer) wait for exactly that
    prompt, then type the answer. Fails (pexpect timeout/EOF) when a prompt differs."""
    transcript = io.StringIO()
    child = pexpect.spawn(
        program(clis, tool),
        args,
        env=clis.sandbox.env(TERM="dumb", **(env or {})),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )
    child.logfile_read = transcript
    for prompt, answer in dialogue:
        child.expect_exact(prompt)
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    code = child.exitstatus if child.exitstatus is not None else 128 + (child.signalstatus or 0)
    return Run(code, transcript.getvalue().replace("\r\n", "\n"))


def file_bytes(env: dict[str, str]) -> dict[str, bytes | None]:
    found: dict[str, bytes | None] = {}
    for variable in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        path = Path(env[variable])
        found[path.name] = path.read_bytes() if path.exists() else None
    return found
