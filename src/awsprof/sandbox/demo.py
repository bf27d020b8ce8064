"""``awsprof sandbox demo``: the journey of the README against a temporary sandbox, step by step.

The journey is data: an ordered list of ``Step`` (title, one line of explanation, the command).
Each command runs as a real child process in the sandbox home, and its real output is shown.
Later work appends steps; a step whose ``awsprof`` command is not in this build yet is left out
(the CLI layer says which commands exist), so the demo always runs what exists, end to end.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from awsprof.sandbox import accounts as world
from awsprof.sandbox.home import SandboxHome

STEP_TIMEOUT = 60.0


@dataclass(frozen=True)
class Step:
    title: str
    explanation: str
    argv: tuple[str, ...]  # starts with "awsprof" or "aws"
    expect_exit: int = 0

    def command_words(self) -> tuple[str, ...]:
        """The subcommand path of an awsprof step (what must exist for the step to run)."""
        words = []
        for word in self.argv[1:]:
            if word.startswith("-"):
                break
            words.append(word)
        return tuple(words[:2])


PROD_BUCKET = world.BUCKETS[world.PROD.account_id][0]

STEPS: tuple[Step, ...] = (
    Step(
        "The profiles",
        "The sandbox wrote an AWS home: static keys (default, dev), SSO (work), a role (prod).",
        ("awsprof", "configure", "list-profiles"),
    ),
    Step(
        "Static keys for dev",
        "Where each value of the dev profile comes from; the secret is masked.",
        ("awsprof", "configure", "list", "--profile", "dev"),
    ),
    Step(
        "Reading one setting",
        "configure get reads a value exactly as the AWS CLI would.",
        ("awsprof", "configure", "get", "region", "--profile", "dev"),
    ),
    Step(
        "Changing one setting",
        "configure set edits one line and keeps every other byte of the file.",
        ("awsprof", "configure", "set", "output", "table", "--profile", "dev"),
    ),
    Step(
        "The change, read back",
        "The new value is there; the AWS CLI would now print tables for dev.",
        ("awsprof", "configure", "get", "output", "--profile", "dev"),
    ),
    Step(
        "Who am I, as dev?",
        "GetCallerIdentity for dev: the account comes from the key, not from the profile name.",
        ("awsprof", "sts", "get-caller-identity", "--profile", "dev"),
    ),
    Step(
        "The real AWS CLI agrees",
        "The AWS CLI reads the same files and lands in the same account.",
        ("aws", "sts", "get-caller-identity", "--profile", "dev", "--output", "json"),
    ),
    Step(
        "Each account sees only its buckets",
        "dev lists dev's buckets; prod's are in another account.",
        ("aws", "s3", "ls", "--profile", "dev"),
    ),
    Step(
        "The sandbox at a glance",
        "Every profile's identity; work and prod need an SSO login first.",
        ("awsprof", "sandbox", "status"),
    ),
    Step(
        "Configure SSO for work",
        "The AWS CLI's SSO wizard, every answer given as a flag; it logs in with the device code "
        "(the demo's emulator approves it at once; a person would open the printed URL).",
        (
            "awsprof",
            "configure",
            "sso",
            "--profile",
            "work",
            "--sso-session",
            world.SSO_SESSION,
            "--start-url",
            world.SSO_START_URL,
            "--sso-region",
            world.SSO_REGION,
            "--scopes",
            world.SSO_SCOPES,
            "--use-device-code",
            "--no-browser",
            "--account-id",
            world.WORK.account_id,
            "--role-name",
            "PowerUserAccess",
            "--region",
            world.REGION,
            "--output",
            "json",
        ),
    ),
    Step(
        "Who am I, as work?",
        "Role credentials from IAM Identity Center, with the token awsprof just cached.",
        ("awsprof", "whoami", "--profile", "work"),
    ),
    Step(
        "And as prod, through work",
        "prod assumes OrganizationAccountAccessRole with work's SSO credentials.",
        ("awsprof", "whoami", "--profile", "prod"),
    ),
    Step(
        "Why prod, and through what",
        "--explain: the selection, each link of the chain with its file and line, every expiry.",
        ("awsprof", "whoami", "--profile", "prod", "--explain"),
    ),
    Step(
        "The real AWS CLI uses awsprof's login",
        "Same token cache, same file names: no second login.",
        ("aws", "sts", "get-caller-identity", "--profile", "prod", "--output", "json"),
    ),
    Step(
        "Logging in only when needed",
        "--if-needed does nothing while the token has more than 15 minutes left (no network).",
        ("awsprof", "sso", "login", "--sso-session", world.SSO_SESSION, "--if-needed"),
    ),
    Step(
        "The SSO sessions",
        "What is logged in until when, from the caches alone.",
        ("awsprof", "sso", "sessions"),
    ),
    Step(
        "A profile for every account and role",
        "sso populate asks the portal concurrently and writes every profile in one atomic write.",
        ("awsprof", "sso", "populate", "--sso-session", world.SSO_SESSION, "--dry-run"),
    ),
)


# The guard: no terminal here, so every question becomes a refusal (exit 7).
GUARD_STEPS: tuple[Step, ...] = (
    Step(
        "Protect the default profile too",
        "A careful team marks its default: then a command that names no profile is refused.",
        ("awsprof", "protect", "default"),
    ),
    Step(
        "The default-profile gotcha, stopped",
        "No --profile, no AWS_PROFILE: the silent default reaches a protected account. Refused.",
        ("awsprof", "guard", "--", "aws", "s3", "rb", f"s3://{PROD_BUCKET}"),
        expect_exit=7,
    ),
    Step(
        "Back to an unprotected default",
        "unprotect removes the marks; prod stays protected by its own.",
        ("awsprof", "unprotect", "default"),
    ),
    Step(
        "What the guard would do",
        "--dry-run prints the decision: prod's account comes from its role ARN, not its name.",
        (
            "awsprof",
            "guard",
            "--dry-run",
            "--",
            "aws",
            "s3",
            "rb",
            f"s3://{PROD_BUCKET}",
            "--profile",
            "prod",
        ),
    ),
    Step(
        "Deleting the prod bucket, on purpose",
        "A destructive command in a protected account needs the account typed at a terminal.",
        ("awsprof", "guard", "--", "aws", "s3", "rb", f"s3://{PROD_BUCKET}", "--profile", "prod"),
        expect_exit=7,
    ),
)
# Listing prod's buckets needs the SSO login of the steps above (prod is a role assumed from it).
GUARD_CHECK = Step(
    "The prod bucket is still there",
    "Both refusals ran nothing: the bucket is listed as before.",
    ("aws", "s3", "ls", "--profile", "prod"),
)
_LOGGED_IN = any(step.argv[1:3] == ("sso", "login") for step in STEPS)
STEPS = (*STEPS, *GUARD_STEPS, *((GUARD_CHECK,) if _LOGGED_IN else ()))

# Best practice: plant two mistakes, let the doctor find them, fix the safe
# one, then check key ages with IAM and rotate dev's key; the AWS CLI keeps working throughout.
DOCTOR_STEPS: tuple[Step, ...] = (
    Step(
        "A planted mistake: readable keys",
        "chmod 644 makes the credentials file readable by every user of the machine.",
        ("chmod", "644", ".aws/credentials"),
    ),
    Step(
        "A planted mistake: a typo",
        "configure set accepts any key, as the AWS CLI does; `regoin` silently does nothing.",
        ("awsprof", "configure", "set", "regoin", "eu-west-1", "--profile", "dev"),
    ),
    Step(
        "The doctor",
        "Each finding: an ID, a severity, the file and line, why it matters and the fix.",
        ("awsprof", "doctor"),
        expect_exit=1,
    ),
    Step(
        "Fixing what is safe",
        "--fix tightens the file mode and says so; the typo needs a person (did you mean region?).",
        ("awsprof", "doctor", "--fix"),
        expect_exit=1,
    ),
    Step(
        "How old are the keys?",
        "IAM ListAccessKeys and GetAccessKeyLastUsed for every profile with long-lived keys.",
        ("awsprof", "keys", "age"),
    ),
    Step(
        "Rotating dev's key",
        "New key created and proven, saved atomically, old key deactivated then deleted.",
        ("awsprof", "keys", "rotate", "--profile", "dev"),
    ),
    Step(
        "The AWS CLI, with the new key",
        "The profile never lacked a working key; the AWS CLI reads the new one.",
        ("aws", "sts", "get-caller-identity", "--profile", "dev", "--output", "json"),
    ),
)
CONSOLE_STEP = Step(
    "A console sign-in URL for prod",
    "The federation endpoint turns prod's role credentials into a 15-minute sign-in link.",
    ("awsprof", "console", "--profile", "prod", "--url"),
)
STEPS = (*STEPS, *DOCTOR_STEPS, *((CONSOLE_STEP,) if _LOGGED_IN else ()))


def _auto_approve(idc_url: str) -> None:
    import json
    import urllib.request

    request = urllib.request.Request(  # noqa: S310 - the sandbox's own loopback URL
        f"{idc_url}/_sandbox/settings",
        data=json.dumps({"auto_approve": True}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as answer:
        answer.read()


def step_environment(home: SandboxHome) -> dict[str, str]:
    from awsprof.sandbox.identities import child_environment

    env = child_environment(home)
    # The AWS CLI and awsprof of this installation first on PATH.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.setdefault("AWS_PAGER", "")
    return env


def resolve_argv(step: Step) -> list[str] | None:
    """The argv to run, or None when the program of the step is not installed."""
    if step.argv[0] == "awsprof":
        return [sys.executable, "-m", "awsprof", *step.argv[1:]]
    bin_dir = str(Path(sys.executable).parent)
    program = shutil.which(
        step.argv[0], path=os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    )
    return [program, *step.argv[1:]] if program else None


Announce = Callable[[int, int, str, str, list[str]], None]


def run_demo(
    announce: Announce,
    output: Callable[[str], None],
    message: Callable[[str], None],
    is_available: Callable[[tuple[str, ...]], bool],
    keep: bool = False,
    steps: Sequence[Step] = STEPS,
) -> int:
    """Run the journey; returns 0 when every step behaved as expected, else 1."""
    from awsprof.sandbox import control

    runnable = []
    for step in steps:
        argv = resolve_argv(step)
        if argv is None or (step.argv[0] == "awsprof" and not is_available(step.command_words())):
            continue
        runnable.append((step, argv))
    directory = Path(tempfile.mkdtemp(prefix="awsprof-sandbox-demo-"))
    home = SandboxHome(directory)
    started = time.monotonic()
    failed: list[str] = []
    try:
        message(f"Starting a sandbox in {directory} ...")
        result = control.up(directory, watch_pid=None if keep else os.getpid())
        message(f"moto at {result.state.moto_url}, IAM Identity Center at {result.state.idc_url}")
        env = step_environment(home)
        # Nobody can press "Allow" during the demo: the emulator approves SSO logins by itself.
        _auto_approve(result.state.idc_url)
        for number, (step, argv) in enumerate(runnable, start=1):
            announce(number, len(runnable), step.title, step.explanation, list(step.argv))
            completed = subprocess.run(  # noqa: S603 - argv from the fixed step list
                argv,
                env=env,
                cwd=directory,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=STEP_TIMEOUT,
                check=False,
            )
            output(completed.stdout + completed.stderr)
            if completed.returncode != step.expect_exit:
                failed.append(step.title)
                message(f"  !! exit code {completed.returncode}, expected {step.expect_exit}")
    finally:
        if keep:
            message(
                f'\nThe sandbox keeps running: eval "$(awsprof sandbox env --home {directory})"'
            )
        else:
            control.down(directory)
            shutil.rmtree(directory, ignore_errors=True)
    seconds = time.monotonic() - started
    if failed:
        message(f"\n{len(failed)} of {len(runnable)} steps failed: {', '.join(failed)}")
        return 1
    message(f"\nAll {len(runnable)} steps passed in {seconds:.1f} s; the sandbox is stopped.")
    return 0
