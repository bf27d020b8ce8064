"""`sso populate` side by side with aws-sso-util's `configure populate`, same emulator, same token.

    python benchmarks/populate.py [--sizes 250 1000] [--ours-only 5000] [--runs 1]
                                  [--throttled ACCOUNTS RPS]

aws-sso-util (PyPI) is installed into its own virtual environment under benchmarks/.work, because
it pins its own boto3. Both tools start each run from the same config file (the sandbox's, copied)
and are pointed at the same IAM Identity Center emulator with 2 roles per account. aws-sso-util
grows quadratically (aws-facts.md section 9: about 95 minutes for 5,000 accounts), so it is run at
the sizes given; awsprof alone is also run at the larger ``--ours-only`` sizes to show that its
growth is linear. ``--throttled`` runs awsprof alone against a portal limited to RPS requests per
second (the emulator's token bucket) and compares with the limit's lower bound: every portal
request that must pass the bucket, less the one second's burst it starts with, at RPS.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import AWSPROF, WORK, Sandbox

SSO_UTIL_VENV = WORK / "sso-util"
SSO_UTIL = SSO_UTIL_VENV / "bin" / "aws-sso-util"
START_URL = "https://my-org.awsapps.com/start"


def ensure_sso_util() -> None:
    if SSO_UTIL.exists():
        return
    subprocess.run([sys.executable, "-m", "venv", str(SSO_UTIL_VENV)], check=True)
    pip = [str(SSO_UTIL_VENV / "bin" / "pip"), "install", "--quiet", "aws-sso-util"]
    subprocess.run(pip, check=True)


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env={**os.environ, **env}, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed: {done.stderr[-800:]}")
    return elapsed


def profiles_in(config: Path) -> int:
    return config.read_text().count("[profile ")


def time_waits() -> int:
    """Loopback connections in TIME_WAIT (state 06 in /proc/net/tcp)."""
    try:
        rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    except OSError:
        return 0
    return sum(1 for row in rows if row.split()[3] == "06")


def settle_connections(limit: int = 100, wait: float = 120.0) -> None:
    """Wait until the last run's closed connections have left TIME_WAIT (60 s on Linux).

    The emulator closes every connection (werkzeug's server never keeps one alive), so a run
    of N accounts leaves about N local ports in TIME_WAIT; a run started while they linger
    has its new connections collide with them (a SYN retried a second later), which made
    back-to-back runs of the same size differ by up to 2x. The real portal keeps connections
    alive, so each timed run starts from a clean table.
    """
    deadline = time.monotonic() + wait
    while time_waits() > limit and time.monotonic() < deadline:
        time.sleep(2)


def measure(size: int, runs: int, with_reference: bool) -> None:
    sandbox = Sandbox(extra_accounts=size)
    try:
        sandbox.login()
        base = sandbox.home / ".aws" / "config"
        cache = sandbox.home / ".aws" / "sso" / "cache"
        # aws-sso-util looks the token up by start URL (the legacy name); awsprof by session.
        by_session = cache / (hashlib.sha1(b"my-org").hexdigest() + ".json")  # noqa: S324
        by_url = cache / (hashlib.sha1(START_URL.encode()).hexdigest() + ".json")  # noqa: S324
        shutil.copy(by_session, by_url)
        endpoints = {
            "AWS_ENDPOINT_URL_SSO": sandbox.idc_url,
            "AWS_ENDPOINT_URL_SSO_OIDC": sandbox.idc_url,
        }
        for run in range(runs):
            ours_config = WORK / f"populate-ours-{size}.ini"
            shutil.copy(base, ours_config)
            settle_connections()
            ours = timed(
                [AWSPROF, "sso", "populate", "--sso-session", "my-org"],
                {**sandbox.env, "AWS_CONFIG_FILE": str(ours_config)},
            )
            line = (
                f"{size:>6} accounts  awsprof {ours:7.2f} s ({profiles_in(ours_config)} profiles)"
            )
            if with_reference:
                theirs_config = WORK / f"populate-theirs-{size}.ini"
                shutil.copy(base, theirs_config)
                settle_connections()
                theirs = timed(
                    [
                        str(SSO_UTIL),
                        "configure",
                        "populate",
                        "--sso-start-url",
                        START_URL,
                        "--sso-region",
                        "us-east-1",
                        "--region",
                        "us-east-1",
                    ],
                    {**sandbox.env, **endpoints, "AWS_CONFIG_FILE": str(theirs_config)},
                )
                line += (
                    f"  aws-sso-util {theirs:7.2f} s ({profiles_in(theirs_config)} profiles)"
                    f"  ratio {theirs / ours:5.1f}x"
                )
            print(line + (f"  [run {run + 1}]" if runs > 1 else ""), flush=True)
    finally:
        sandbox.close()


def configure_portal(sandbox: Sandbox, **settings: int) -> None:
    request = urllib.request.Request(  # noqa: S310 - the sandbox's loopback URL
        f"{sandbox.idc_url}/_sandbox/settings",
        data=json.dumps(settings).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request).read()


def measure_throttled(size: int, rps: int) -> None:
    sandbox = Sandbox(extra_accounts=size)
    try:
        sandbox.login()
        accounts = size + 6  # the sandbox's own assigned accounts too
        requests = math.ceil(accounts / 100) + accounts  # ListAccounts pages, then roles
        configure_portal(sandbox, requests_per_second=rps)
        ours_config = WORK / f"populate-throttled-{size}.ini"
        shutil.copy(sandbox.home / ".aws" / "config", ours_config)
        settle_connections()
        ours = timed(
            [AWSPROF, "sso", "populate", "--sso-session", "my-org"],
            {**sandbox.env, "AWS_CONFIG_FILE": str(ours_config)},
        )
        bound = (requests - rps) / rps
        print(
            f"{size:>6} accounts at {rps} requests/s: awsprof {ours:7.2f} s, lower bound "
            f"{bound:.2f} s ({requests} requests), {ours / bound:.2f}x the bound",
            flush=True,
        )
    finally:
        sandbox.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[250, 1000])
    parser.add_argument("--ours-only", type=int, nargs="*", default=[5000])
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--throttled", type=int, nargs=2, metavar=("ACCOUNTS", "RPS"))
    options = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    if options.throttled:
        measure_throttled(*options.throttled)
        return 0
    if options.sizes:
        ensure_sso_util()
    for size in options.sizes:
        measure(size, options.runs, with_reference=True)
    for size in options.ours_only:
        measure(size, options.runs, with_reference=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
