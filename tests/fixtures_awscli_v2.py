"""The official AWS CLI v2 binary (installed by scripts/install-aws-cli-v2.sh into .tools/) and a
runner that points it at the test's sandbox home, next to awsprof and the AWS CLI v1.

When the binary is missing: outside CI the tests skip with the command that installs it; in CI
(``CI`` set, as ``.ci/run`` does) they fail, so a broken install never passes as green.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from fixtures_sandbox import BIN_DIR, Sandbox

ROOT = Path(__file__).resolve().parent.parent
AWS_V2 = ROOT / ".tools" / "aws-cli-v2" / "dist" / "aws"
AWS_V2_VERSION = "2.36.12"
IN_CI = bool(os.environ.get("CI"))  # .ci/run sets it


@pytest.fixture(scope="session")
def aws_v2_path() -> Path:
    """The v2 binary; fails in CI when missing, skips (with the reason) elsewhere."""
    if not (AWS_V2.is_file() and os.access(AWS_V2, os.X_OK)):
        message = f"AWS CLI v2 not installed at {AWS_V2}: run `make aws-cli-v2`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return AWS_V2


@dataclass
class Clis:
    """AWS CLI v2, AWS CLI v1 and awsprof, each run with the same sandbox home and variables."""

    sandbox: Sandbox
    v2_path: Path

    def _run(
        self, argv: list[str], env: Mapping[str, str] | None, stdin: str | None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            argv,
            env=self.sandbox.env(**(env or {})),
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def v2(
        self, *args: str, env: Mapping[str, str] | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return self._run([str(self.v2_path), *args], env, stdin)

    def v1(
        self, *args: str, env: Mapping[str, str] | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return self._run([str(BIN_DIR / "aws"), *args], env, stdin)

    def awsprof(
        self, *args: str, env: Mapping[str, str] | None = None, stdin: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return self._run([str(BIN_DIR / "awsprof"), *args], env, stdin)


@pytest.fixture
def clis(sandbox: Sandbox, aws_v2_path: Path) -> Clis:
    return Clis(sandbox, aws_v2_path)
