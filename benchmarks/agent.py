"""The agent next to the file caches and botocore: `python benchmarks/agent.py [--runs N]`.

In a throw-away HOME with 100 profiles whose credential_process prints credentials (expiring in an
hour), it times one process asking for a profile's credentials:
- agent:      `awsprof configure export-credentials` answered by a running agent
- file cache: the same command with `AWSPROF_AGENT=0` (awsprof's credential_process cache)
- botocore:   `python -c` botocore `Session(profile).get_credentials().get_frozen_credentials()`
              (botocore runs the credential_process each time: it has no cache for it)
and the agent's resident memory once it holds all 100 profiles.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
PROFILES = 100
PROCESS = (
    "import datetime as dt, json; e = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1); "
    'print(json.dumps({"Version": 1, "AccessKeyId": "AKIABENCHEXAMPLE0001", '
    '"SecretAccessKey": "benchSecretKey0123456789abcdefGHIJKLMNOP", '
    '"Expiration": e.strftime("%Y-%m-%dT%H:%M:%SZ")}))'
)
BOTOCORE = (
    "import sys, botocore.session; "
    "botocore.session.Session(profile=sys.argv[1]).get_credentials().get_frozen_credentials()"
)


def _home(root: Path) -> dict[str, str]:
    aws = root / ".aws"
    aws.mkdir(mode=0o700)
    script = aws / "creds.py"
    script.write_text(PROCESS)
    lines = []
    for index in range(PROFILES):
        lines += [f"[profile p{index}]", f"credential_process = {sys.executable} {script}", ""]
    (aws / "config").write_text("\n".join(lines))
    runtime = root / "run"
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS", "XDG"))}
    env.update(HOME=str(root), XDG_RUNTIME_DIR=str(runtime))
    return env


def _time(argv: list[str], env: dict[str, str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as directory:
        env = _home(Path(directory))
        awsprof = str(BIN / "awsprof")
        export = [awsprof, "configure", "export-credentials", "--profile", "p0"]
        subprocess.run([awsprof, "agent", "start"], env=env, check=True)
        try:
            for index in range(PROFILES):
                subprocess.run(
                    [awsprof, "configure", "export-credentials", "--profile", f"p{index}"],
                    env=env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
            status = subprocess.run(
                [awsprof, "agent", "status", "--json"], env=env, check=True, capture_output=True
            )
            import json

            pid = int(json.loads(status.stdout)["pid"])
            rss = _rss_kib(pid)
            agent = _time(export, env, runs)
            cache = _time(export, dict(env, AWSPROF_AGENT="0"), runs)
            botocore = _time([sys.executable, "-c", BOTOCORE, "p0"], env, runs)
        finally:
            subprocess.run([awsprof, "agent", "stop"], env=env, check=False)
    print(f"credentials for one profile, median of {runs} runs (one process each):")
    print(f"  through the agent          {agent:7.1f} ms")
    print(f"  awsprof's file cache       {cache:7.1f} ms")
    print(f"  botocore's own resolution  {botocore:7.1f} ms (runs the credential_process)")
    print(f"agent resident memory holding {PROFILES} profiles: {rss / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
