"""``credential_process``: run a command that prints credentials as JSON.

As the AWS CLI does, the command is split like a shell would split it and run without a shell.
Unlike botocore, the command has a timeout and a size limit on its output, its JSON is checked
strictly, its stderr is shown (secrets masked) when it fails, and a command taken from a config file
that other users can write is refused: running it would be running their code.
"""

from __future__ import annotations

import json
import os
import shlex
import stat
from collections.abc import Mapping
from pathlib import Path

from awsprof.credentials import Credentials, parse_expiration
from awsprof.errors import LoginRequiredError, ResolutionError
from awsprof.profiles.model import Profile
from awsprof.resolution.providers.context import Context, Link, Step, used
from awsprof.secrets import scrub

MAX_OUTPUT = 1 << 20
# The AWS CLI's guard against a profile whose credential_process resolves that same profile.
CHAIN_VARIABLE = "_AWS_CLI_PROFILE_CHAIN"


def check_not_writable_by_others(path: Path, profile: str) -> None:
    for target in (path, path.parent):
        try:
            mode = os.stat(target).st_mode
        except OSError:
            continue
        if mode & (stat.S_IWGRP | stat.S_IWOTH) and not (target.is_dir() and mode & stat.S_ISVTX):
            raise ResolutionError(
                f"refusing to run credential_process of profile '{profile}': {target} can be "
                f"written by other users (mode {stat.S_IMODE(mode):04o}), so they could choose the "
                "command",
                f"Run `chmod go-w {target}`.",
            )


def guard_recursion(environ: Mapping[str, str], profile: str) -> dict[str, str]:
    """Refuse a profile already being resolved up the process tree; return the child's env."""
    chain = [name for name in environ.get(CHAIN_VARIABLE, "").split(",") if name]
    if profile in chain:
        path = " -> ".join([*chain, profile])
        raise ResolutionError(
            f"credential_process recursion: {path}",
            f"The credential_process of profile '{profile}' ends up resolving '{profile}' again.",
        )
    child = dict(environ)
    child[CHAIN_VARIABLE] = ",".join([*chain, profile])
    return child


def from_process(context: Context, profile: Profile) -> Step:
    command = profile.text("credential_process") or ""
    setting = profile.settings["credential_process"]
    check_not_writable_by_others(setting.source.path, profile.name)
    try:
        argv = shlex.split(command)
    except ValueError as error:
        raise ResolutionError(
            f"credential_process of profile '{profile.name}' ({setting.source}) cannot be split "
            f"into words: {error}"
        ) from None
    if not argv:
        raise ResolutionError(f"credential_process of profile '{profile.name}' is empty")
    child_env = guard_recursion(context.environ, profile.name)
    output, errors, code = _run(argv, child_env, context.process_timeout, profile.name)
    if code != 0:
        detail = scrub(errors.decode("utf-8", "replace").strip())[-2000:]
        raise ResolutionError(
            f"credential_process of profile '{profile.name}' failed with exit code {code}"
            + (f": {detail}" if detail else ""),
            f"Run the command from {setting.source} by hand to see why.",
        )
    credentials = _parse(output, profile.name)
    if credentials.expiration is not None and credentials.expiration <= context.now():
        raise LoginRequiredError(
            f"credential_process of profile '{profile.name}' returned credentials that have "
            "already expired"
        )
    link = Link(profile.name, "credential_process", used(profile, "credential_process"))
    return Step(credentials, link.replace(expiration=credentials.expiration))


def _run(
    argv: list[str], env: dict[str, str], timeout: float, name: str
) -> tuple[bytes, bytes, int]:
    import subprocess  # only when a profile has a credential_process

    try:
        process = subprocess.Popen(  # noqa: S603 - the configured command, no shell
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env
        )
    except OSError as error:
        raise ResolutionError(
            f"credential_process of profile '{name}' cannot be started: {error.strerror}"
        ) from None
    try:
        output, errors = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise ResolutionError(
            f"credential_process of profile '{name}' did not finish within {timeout:g} s",
            "Check that it does not wait for input; set AWSPROF_CREDENTIAL_PROCESS_TIMEOUT to wait "
            "longer.",
        ) from None
    if len(output) > MAX_OUTPUT:
        raise ResolutionError(
            f"credential_process of profile '{name}' printed more than {MAX_OUTPUT} bytes"
        )
    return output, errors, process.returncode


def _parse(output: bytes, name: str) -> Credentials:
    def bad(reason: str) -> ResolutionError:
        return ResolutionError(
            f"credential_process of profile '{name}' printed invalid credentials: {reason}",
            'It must print JSON like {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ...}.',
        )

    try:
        data = json.loads(output)
    except (ValueError, UnicodeDecodeError):
        raise bad("not JSON") from None
    if not isinstance(data, dict):
        raise bad("not a JSON object")
    if data.get("Version") != 1:
        raise bad("'Version' must be 1")
    key_id, secret = data.get("AccessKeyId"), data.get("SecretAccessKey")
    if not isinstance(key_id, str) or not key_id or not isinstance(secret, str) or not secret:
        raise bad("'AccessKeyId' and 'SecretAccessKey' must be non-empty strings")
    token = data.get("SessionToken")
    if token is not None and not isinstance(token, str):
        raise bad("'SessionToken' must be a string")
    expiry = data.get("Expiration")
    try:
        expiration = parse_expiration(expiry) if isinstance(expiry, str) and expiry else None
    except ValueError:
        raise bad("'Expiration' is not an ISO 8601 time") from None
    account = data.get("AccountId")
    return Credentials(
        key_id, secret, token or None, expiration, account if isinstance(account, str) else None
    )
