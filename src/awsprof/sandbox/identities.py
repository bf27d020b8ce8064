"""``python -m awsprof.sandbox.identities``: GetCallerIdentity for each sandbox profile, as JSON.

``sandbox status`` runs this in a child whose HOME is the sandbox home: botocore fixes its SSO token
cache directory from HOME at import time, so only a separate process can read the sandbox's caches
(and never the person's real ``~/.aws``). Profiles are checked in parallel.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from awsprof.errors import SandboxError
from awsprof.sandbox import accounts as world
from awsprof.sandbox.home import SandboxHome

# Errors that mean "log in first" rather than "something is broken".
LOGIN_ERRORS = frozenset({"SSOTokenLoadError", "UnauthorizedSSOTokenError", "TokenRetrievalError"})


def identity(profile: str) -> dict[str, Any]:
    import botocore.session
    from botocore.config import Config

    try:
        session = botocore.session.Session(profile=profile)
        sts = session.create_client(
            "sts",
            config=Config(
                proxies={}, connect_timeout=5, read_timeout=10, retries={"max_attempts": 1}
            ),
        )
        answer = sts.get_caller_identity()
        return {"profile": profile, "account": answer["Account"], "arn": answer["Arn"]}
    except Exception as error:  # every failure is reported per profile, never raised
        kind = type(error).__name__
        return {
            "profile": profile,
            "error": kind,
            "login_required": kind in LOGIN_ERRORS,
            # botocore messages hold names and codes, not secrets; keep them short anyway.
            "message": str(error).splitlines()[0][:300],
        }


def child_environment(home: SandboxHome) -> dict[str, str]:
    """The environment of a process that must see only the sandbox home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(home.environment())
    env["NO_PROXY"] = ",".join(filter(None, ["127.0.0.1,localhost", env.get("NO_PROXY")]))
    return env


def check_identities(home: Path, timeout: float = 60.0) -> list[dict[str, Any]]:
    """Run this module in a child that sees only the sandbox home; one result per profile."""
    result = subprocess.run(
        [sys.executable, "-m", "awsprof.sandbox.identities"],
        env=child_environment(SandboxHome(home)),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise SandboxError(
            "Could not check the sandbox identities",
            result.stderr.strip().splitlines()[-1] if result.stderr else None,
        )
    answer: list[dict[str, Any]] = json.loads(result.stdout)
    return answer


def main() -> int:
    profiles = [p.name for p in world.PROFILES]
    with ThreadPoolExecutor(max_workers=len(profiles)) as pool:
        results = list(pool.map(identity, profiles))
    sys.stdout.write(json.dumps(results) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
