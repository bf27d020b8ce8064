"""Running awsprof and botocore as a person's shell would: real processes, the sandbox home."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent


def awsprof(
    env: dict[str, str], *args: str, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "awsprof"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


BOTOCORE_IDENTITY = """
import json, sys, botocore.session
session = botocore.session.Session(profile=sys.argv[1] or None)
sts = session.create_client("sts")
response = sts.get_caller_identity()
response.pop("ResponseMetadata", None)
print(json.dumps(response))
"""


def botocore_identity(env: dict[str, str], profile: str | None) -> dict[str, Any]:
    """Unmodified botocore in a child process (it fixes its cache paths from HOME at import)."""
    done = subprocess.run(
        [sys.executable, "-c", BOTOCORE_IDENTITY, profile or ""],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def append_config(config: Path, text: str) -> None:
    with open(config, "a", encoding="utf-8") as handle:
        handle.write("\n" + text.strip() + "\n")
