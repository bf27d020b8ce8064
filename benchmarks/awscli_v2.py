"""awsprof next to the official AWS CLI v2 binary, in one run:
`python benchmarks/awscli_v2.py [--runs N] [CASE]`.

Cases (each prints the ratio AWS CLI v2 / awsprof):
- whoami:     `whoami --profile dev` vs v2 `aws sts get-caller-identity --profile dev` (sandbox)
- get-region: `configure get region` on a two-profile config vs v2 `aws configure get region`

The v2 binary is the one `make aws-cli-v2` installs (.tools/aws-cli-v2/dist/aws).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from harness import Command, Result, compare, table
from run import AWSPROF, WORK, Sandbox, files_env

AWS_V2 = Path(__file__).resolve().parent.parent / ".tools" / "aws-cli-v2" / "dist" / "aws"


def case_whoami(runs: int, sandbox: Sandbox) -> Result:
    return compare(
        "whoami --profile dev (vs AWS CLI v2 sts get-caller-identity, sandbox)",
        Command("awsprof", [AWSPROF, "whoami", "--profile", "dev"], sandbox.env),
        Command(
            "aws v2", [str(AWS_V2), "sts", "get-caller-identity", "--profile", "dev"], sandbox.env
        ),
        runs,
        ">= 2x",
    )


def case_get_region(runs: int, sandbox: Sandbox | None = None) -> Result:
    config = WORK / "small-v2.ini"
    config.write_text("[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n")
    env = files_env(config)
    return compare(
        "configure get region, 2 profiles (vs AWS CLI v2)",
        Command("awsprof", [AWSPROF, "configure", "get", "region"], env),
        Command("aws v2", [str(AWS_V2), "configure", "get", "region"], env),
        runs,
        ">= 5x",
    )


CASES: dict[str, Callable[..., Result]] = {"whoami": case_whoami, "get-region": case_get_region}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", metavar="CASE", help=f"any of {', '.join(CASES)}")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print results as JSON too")
    options = parser.parse_args()
    if not AWS_V2.is_file():
        parser.error(f"the AWS CLI v2 is not installed at {AWS_V2}: run `make aws-cli-v2`")
    options.cases = options.cases or list(CASES)
    unknown = set(options.cases) - set(CASES)
    if unknown:
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")
    WORK.mkdir(exist_ok=True)
    answer = subprocess.run([str(AWS_V2), "--version"], capture_output=True, text=True, check=False)
    version = answer.stdout.split(" ")[0]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {version}"
    )
    results: list[Result] = []
    sandbox = Sandbox() if "whoami" in options.cases else None
    try:
        for name in options.cases:
            result = CASES[name](options.runs, sandbox)
            results.append(result)
            print(table([result]).splitlines()[-1], flush=True)
    finally:
        if sandbox is not None:
            sandbox.close()
    print()
    print(table(results))
    if options.json:
        print(json.dumps([r.row() for r in results]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
