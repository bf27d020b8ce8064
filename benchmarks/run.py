"""awsprof next to the reference tools, in one run: `python benchmarks/run.py [--runs N] [CASE]`.

Cases (each prints the ratio reference / awsprof):
- files-list[-cold]: `configure list-profiles`, N SSO profiles (--profiles, default 100,000), vs
                botocore `available_profiles` (cold: awsprof's index of validated files switched
                off, as on the first read after a change)
- files-get[-cold]:  `configure get region --profile <last>`, same file, vs botocore
- files-after-write: `configure list-profiles` right after `awsprof configure set` changed the
                file (the index kept valid across awsprof's own write), vs botocore
- get-small:    `configure get region` on a two-profile config vs `aws configure get region`
- export-cache: `configure export-credentials --profile prod` from a valid cache vs
                `python -c "import botocore.session"`
- whoami:       `whoami --profile dev` vs `aws sts get-caller-identity --profile dev` (sandbox)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from harness import Command, Result, compare, table

BIN = Path(sys.executable).parent
AWSPROF = str(BIN / "awsprof")
AWS = str(BIN / "aws")
PYTHON = sys.executable
WORK = Path(__file__).parent / ".work"

BOTOCORE_LIST = "import botocore.session; print(len(botocore.session.Session().available_profiles))"
BOTOCORE_GET = (
    "import sys, botocore.session; "
    "print(botocore.session.Session(profile=sys.argv[1]).get_config_variable('region'))"
)


PROFILES = 100_000


def big_config(path: Path, profiles: int) -> str:
    """A generated organisation config: one sso-session and N SSO profiles."""
    last = f"acct-{profiles - 1:05d}-PowerUserAccess"
    if path.exists():
        return last
    lines = [
        "[default]\nregion = us-east-1\noutput = json\n",
        "[sso-session my-org]\nsso_start_url = https://my-org.awsapps.com/start\n"
        "sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n",
    ]
    for index in range(profiles):
        lines.append(
            f"\n[profile acct-{index:05d}-PowerUserAccess]\nsso_session = my-org\n"
            f"sso_account_id = {100000000000 + index}\nsso_role_name = PowerUserAccess\n"
            "region = us-east-1\noutput = json\n"
        )
    path.write_text("".join(lines))
    settled = time.time() - 3600  # awsprof only remembers files that are not being written
    os.utime(path, (settled, settled))
    return last


def files_env(config: Path) -> dict[str, str]:
    empty = WORK / "empty-credentials"
    empty.touch()
    return {
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(empty),
        "HOME": str(WORK),
    }


# awsprof remembers a validated file (awsprof.files.index); an unwritable cache directory turns
# that off, so the "cold" cases measure a full validation on every run.
COLD = {"XDG_CACHE_HOME": "/dev/null/no-cache"}


def case_files_list_cold(runs: int) -> Result:
    config = WORK / f"{PROFILES}.ini"
    big_config(config, PROFILES)
    env = {**files_env(config), **COLD}
    return compare(
        f"list-profiles, {PROFILES:,} profiles, cold (vs botocore)",
        Command("awsprof", [AWSPROF, "configure", "list-profiles"], env),
        Command("botocore", [PYTHON, "-c", BOTOCORE_LIST], env),
        runs,
        ">= 30x, <= 1/3 memory",
    )


def case_files_get_cold(runs: int) -> Result:
    config = WORK / f"{PROFILES}.ini"
    last = big_config(config, PROFILES)
    env = {**files_env(config), **COLD}
    return compare(
        f"get region --profile <last>, {PROFILES:,} profiles, cold (vs botocore)",
        Command("awsprof", [AWSPROF, "configure", "get", "region", "--profile", last], env),
        Command("botocore", [PYTHON, "-c", BOTOCORE_GET, last], env),
        runs,
        ">= 30x, <= 1/3 memory",
    )


def case_files_list(runs: int) -> Result:
    config = WORK / f"{PROFILES}.ini"
    big_config(config, PROFILES)
    env = files_env(config)
    return compare(
        f"list-profiles, {PROFILES:,} profiles, warm (vs botocore)",
        Command("awsprof", [AWSPROF, "configure", "list-profiles"], env),
        Command("botocore", [PYTHON, "-c", BOTOCORE_LIST], env),
        runs,
        ">= 80x, <= 1/3 memory",
    )


def case_files_get(runs: int) -> Result:
    config = WORK / f"{PROFILES}.ini"
    last = big_config(config, PROFILES)
    env = files_env(config)
    return compare(
        f"get region --profile <last>, {PROFILES:,} profiles, warm (vs botocore)",
        Command("awsprof", [AWSPROF, "configure", "get", "region", "--profile", last], env),
        Command("botocore", [PYTHON, "-c", BOTOCORE_GET, last], env),
        runs,
        ">= 80x, <= 1/3 memory",
    )


def case_files_after_write(runs: int) -> Result:
    """Each awsprof run first changes the file with `awsprof configure set` (not timed), then
    lists: the index written by that write must make the listing warm, not cold."""
    config = WORK / f"{PROFILES}-written.ini"
    last = big_config(config, PROFILES)
    env = files_env(config)
    set_region = [AWSPROF, "configure", "set", "region", "eu-west-1", "--profile", last]
    flip = iter(("eu-west-1", "us-east-1") * (runs + 2))

    def before() -> None:
        set_region[4] = next(flip)
        subprocess.run(set_region, env={**os.environ, **env}, check=True)

    return compare(
        f"list-profiles right after `awsprof configure set`, {PROFILES:,} profiles (vs botocore)",
        Command("awsprof", [AWSPROF, "configure", "list-profiles"], env, before),
        Command("botocore", [PYTHON, "-c", BOTOCORE_LIST], env),
        runs,
        ">= 30x",
    )


def case_get_small(runs: int) -> Result:
    config = WORK / "small.ini"
    config.write_text("[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n")
    env = files_env(config)
    return compare(
        "configure get region, 2 profiles (vs aws CLI)",
        Command("awsprof", [AWSPROF, "configure", "get", "region"], env),
        Command("aws", [AWS, "configure", "get", "region"], env),
        runs,
        ">= 5x",
    )


class Sandbox:
    """A background sandbox in a temporary home, for the cases that talk to (emulated) AWS."""

    def __init__(self, extra_accounts: int = 0) -> None:
        self.home = Path(tempfile.mkdtemp(prefix="awsprof-bench-"))
        up = [AWSPROF, "sandbox", "up", "--home", str(self.home)]
        if extra_accounts:
            up += ["--extra-accounts", str(extra_accounts)]
        subprocess.run(up, check=True, capture_output=True)
        state = json.loads((self.home / "sandbox.json").read_text())
        self.idc_url = f"http://127.0.0.1:{state['idc_port']}"
        self.env = {
            "HOME": str(self.home),
            "AWS_CONFIG_FILE": str(self.home / ".aws" / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(self.home / ".aws" / "credentials"),
            "NO_PROXY": "127.0.0.1",
        }

    def login(self) -> None:
        """Device-flow login; nobody presses Allow, so the emulator approves by itself."""
        settings = urllib.request.Request(  # noqa: S310 - the sandbox's loopback URL
            f"{self.idc_url}/_sandbox/settings",
            data=json.dumps({"auto_approve": True}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        urllib.request.build_opener(urllib.request.ProxyHandler({})).open(settings).read()
        done = subprocess.run(
            [
                AWSPROF,
                "sso",
                "login",
                "--sso-session",
                "my-org",
                "--use-device-code",
                "--no-browser",
            ],
            env={**os.environ, **self.env},
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"sso login failed: {done.stderr}")

    def close(self) -> None:
        subprocess.run(
            [AWSPROF, "sandbox", "down", "--home", str(self.home)], check=False, capture_output=True
        )


def case_whoami(runs: int, sandbox: Sandbox) -> Result:
    return compare(
        "whoami --profile dev (vs aws sts get-caller-identity, sandbox)",
        Command("awsprof", [AWSPROF, "whoami", "--profile", "dev"], sandbox.env),
        Command("aws", [AWS, "sts", "get-caller-identity", "--profile", "dev"], sandbox.env),
        runs,
        ">= 2x",
    )


def case_export_cache(runs: int, sandbox: Sandbox) -> Result:
    sandbox.login()
    prime = [AWSPROF, "configure", "export-credentials", "--profile", "prod"]
    subprocess.run(prime, env={**os.environ, **sandbox.env}, check=True, capture_output=True)
    return compare(
        "export-credentials --profile prod, cached (vs import botocore.session)",
        Command("awsprof", prime, sandbox.env),
        Command("import botocore", [PYTHON, "-c", "import botocore.session"], sandbox.env),
        runs,
        "<= 1/2 the time (>= 2x)",
    )


CASES: dict[str, Callable[..., Result]] = {
    "files-list-cold": case_files_list_cold,
    "files-get-cold": case_files_get_cold,
    "files-list": case_files_list,
    "files-get": case_files_get,
    "files-after-write": case_files_after_write,
    "get-small": case_get_small,
    "whoami": case_whoami,
    "export-cache": case_export_cache,
}
NEEDS_SANDBOX = {"whoami", "export-cache"}


def main() -> int:
    global PROFILES  # one setting for every case
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="*", metavar="CASE", help=f"any of {', '.join(CASES)}")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--profiles", type=int, default=PROFILES, help="profiles of the big file")
    parser.add_argument("--json", action="store_true", help="print results as JSON too")
    options = parser.parse_args()
    PROFILES = options.profiles
    options.cases = options.cases or list(CASES)
    unknown = set(options.cases) - set(CASES)
    if unknown:
        parser.error(f"unknown case(s): {', '.join(sorted(unknown))}")
    WORK.mkdir(exist_ok=True)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    results: list[Result] = []
    sandbox = Sandbox() if NEEDS_SANDBOX & set(options.cases) else None
    try:
        for name in options.cases:
            case = CASES[name]
            result = case(options.runs, sandbox) if name in NEEDS_SANDBOX else case(options.runs)
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
