"""Every command on a small config and on the same config with 100,000 more profiles, side by side.

    python benchmarks/big_config.py [--runs 3] [--profiles 100000] [COMMAND ...]

The small config is the sandbox's own (4 profiles: default, dev, work, prod); the big one is
the same file with N generated SSO profiles appended (what `sso populate` writes for an
organisation). Both run against the same sandbox (moto and the IAM Identity Center emulator).
The sandbox's `[services]` section (nested values, so indented lines) is replaced by the
`AWS_ENDPOINT_URL_<SERVICE>` variables: a file of plain lines is the shape `sso populate` writes
and the one awsprof reads section by section; a file with indented lines is parsed whole.
"read" is the cost of one validated read of the big file: `configure list-profiles` with the
index switched off, big minus small. The goal (issue 17): each command on the big file within
1.5x of (its time on the small file + read). Medians of --runs runs after one warm-up, the
commands interleaved so that the machine's load hits both files alike.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import AWSPROF, WORK, Sandbox

# label -> (argv after `awsprof`, exit codes that count as a normal answer)
COMMANDS: dict[str, tuple[list[str], tuple[int, ...]]] = {
    "whoami": (["whoami", "--profile", "dev"], (0,)),
    "export-credentials": (["configure", "export-credentials", "--profile", "prod"], (0,)),
    "exec": (["exec", "dev", "--", "true"], (0,)),
    "configure get": (["configure", "get", "region", "--profile", "dev"], (0,)),
    "configure set": (["configure", "set", "region", "FLIP", "--profile", "dev"], (0,)),
    "configure list": (["configure", "list", "--profile", "dev"], (0,)),
    "configure list-profiles": (["configure", "list-profiles"], (0,)),
    "sso sessions": (["sso", "sessions"], (0,)),
    "console --print": (["console", "--print", "--profile", "prod"], (0,)),
    "keys age": (["keys", "age", "--profile", "dev"], (0,)),
    "doctor": (["doctor"], (0, 1)),  # findings in the sandbox's own files are not a failure
}
COLD = {"XDG_CACHE_HOME": "/dev/null/no-cache"}  # the index switched off: a full validation


def plain_sandbox_config(config: Path, small: Path) -> dict[str, str]:
    """The sandbox's config without its [services] section; returns the variables that give the
    SSO, OIDC and sign-in clients the same endpoints."""
    text = config.read_text()
    services = text.index("[services ")
    endpoints: dict[str, str] = {}
    current = ""
    for line in text[services:].splitlines()[1:]:
        if line.startswith(" ") and "endpoint_url" in line:
            endpoints[current] = line.split("=", 1)[1].strip()
        elif "=" in line and not line.startswith("#"):
            current = line.split("=", 1)[0].strip()
    kept = [
        line
        for line in text[:services].splitlines()
        if line != "services = sandbox" and not line.startswith("# The SSO clients")
    ]
    small.write_text("\n".join(kept).rstrip("\n") + "\n")
    small.chmod(0o600)
    return {f"AWS_ENDPOINT_URL_{name.upper()}": url for name, url in endpoints.items()}


def append_profiles(small: Path, big: Path, count: int) -> None:
    lines = [small.read_text()]
    for index in range(count):
        lines.append(
            f"\n[profile acct-{index:06d}-PowerUserAccess]\nsso_session = my-org\n"
            f"sso_account_id = {100000000000 + index}\nsso_role_name = PowerUserAccess\n"
            "region = us-east-1\noutput = json\n"
        )
    big.write_text("".join(lines))
    big.chmod(0o600)
    settled = time.time() - 3600  # awsprof's index only remembers files that are not being written
    os.utime(big, (settled, settled))


def run_once(argv: list[str], env: dict[str, str], codes: tuple[int, ...], run: int) -> float:
    # `configure set` alternates between two values, so that every run really changes the file.
    value = ("eu-west-1", "eu-west-2")[run % 2]
    argv = [value if word == "FLIP" else word for word in argv]
    start = time.perf_counter()
    done = subprocess.run(
        [AWSPROF, *argv], env={**os.environ, **env}, capture_output=True, check=False
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in codes:
        error = done.stderr.decode(errors="replace")[-600:]
        raise RuntimeError(f"awsprof {' '.join(argv)} failed ({done.returncode}): {error}")
    return elapsed


def median(label: str, env: dict[str, str], runs: int) -> float:
    argv, codes = COMMANDS[label]
    # The first run warms the caches (and the index) up and is not counted.
    times = [run_once(argv, env, codes, run) for run in range(runs + 1)][1:]
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commands", nargs="*", metavar="COMMAND", help=", ".join(COMMANDS))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profiles", type=int, default=100_000)
    options = parser.parse_args()
    chosen = options.commands or list(COMMANDS)
    unknown = set(chosen) - set(COMMANDS)
    if unknown:
        parser.error(f"unknown command(s): {', '.join(sorted(unknown))}")
    WORK.mkdir(exist_ok=True)
    sandbox = Sandbox()
    try:
        sandbox.login()
        config = sandbox.home / ".aws" / "config"
        small = sandbox.home / "small.ini"
        big = sandbox.home / "big.ini"
        endpoints = plain_sandbox_config(config, small)
        append_profiles(small, big, options.profiles)
        small_env = {**sandbox.env, **endpoints, "AWS_CONFIG_FILE": str(small)}
        big_env = {**sandbox.env, **endpoints, "AWS_CONFIG_FILE": str(big)}
        # export-credentials answers from the role cache: fill it once for both files.
        warm = [AWSPROF, "configure", "export-credentials", "--profile", "prod"]
        subprocess.run(warm, env={**os.environ, **small_env}, check=True, capture_output=True)
        cold_small = median("configure list-profiles", {**small_env, **COLD}, options.runs)
        cold_big = median("configure list-profiles", {**big_env, **COLD}, options.runs)
        read = max(cold_big - cold_small, 0.0)
        print(f"{os.cpu_count()} cores; big file: {options.profiles:,} profiles more")
        print(f"read of the big file (validated, index off): {read * 1000:.0f} ms\n")
        header = f"{'command':<26}{'small':>9}{'big':>10}{'goal':>10}{'big/(small+read)':>18}"
        print(header)
        for label in chosen:
            on_small = median(label, small_env, options.runs)
            on_big = median(label, big_env, options.runs)
            ratio = on_big / (on_small + read)
            print(
                f"{label:<26}{on_small * 1000:>7.0f}ms{on_big * 1000:>8.0f}ms"
                f"{1.5 * (on_small + read) * 1000:>8.0f}ms{ratio:>17.2f}x"
                f"{'' if ratio <= 1.5 else '  (over)'}",
                flush=True,
            )
    finally:
        sandbox.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
