"""``credential_process``: run a command that prints credentials as JSON.

As the AWS CLI does, the command is split like a shell would split it and run without a shell.
Unlike botocore, the command has a timeout and size limits on its stdout and stderr that hold while
it runs (:mod:`awsprof.children`), its JSON is checked strictly, and a command taken from a config
file that other users can write is refused: running it would be running their code.

Its stderr is shown only with ``--debug``: it may hold secrets of any shape (a password, a token of
another service), and pattern masking cannot know them all. Even then, every secret awsprof knows
for that profile is masked, in plain and URL-encoded form, plus anything shaped like a credential.
The one exception is awsprof itself as the command: its messages are masked already and say the
fix, so they are shown.
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
from awsprof.secrets import SECRET_KEYS, scrub

MAX_OUTPUT = 1 << 20
MAX_STDERR = 1 << 20
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
        detail = stderr_for_debug(errors, profile, context.environ, output)
        if detail is not None and _is_awsprof(argv):
            # awsprof as its own credential_process (a chain through another profile): its
            # messages are masked already and carry the fix ("run `awsprof sso login ...`").
            raise ResolutionError(
                f"credential_process of profile '{profile.name}' failed with exit code {code}: "
                + detail.partition("\n")[2].removeprefix("awsprof: "),
                f"Run the command from {setting.source} by hand to see why.",
            )
        failure = ResolutionError(
            f"credential_process of profile '{profile.name}' failed with exit code {code}"
            + (" (run with --debug to see its stderr)" if detail else ""),
            f"Run the command from {setting.source} by hand to see why.",
        )
        failure.debug_detail = detail
        raise failure
    credentials = _parse(output, profile.name)
    if credentials.expiration is not None and credentials.expiration <= context.now():
        raise LoginRequiredError(
            f"credential_process of profile '{profile.name}' returned credentials that have "
            "already expired"
        )
    link = Link(profile.name, "credential_process", used(profile, "credential_process"))
    return Step(credentials, link.replace(expiration=credentials.expiration))


def stderr_for_debug(
    errors: bytes, profile: Profile, environ: Mapping[str, str], output: bytes = b""
) -> str | None:
    """The child's stderr for ``--debug``: the last 2000 characters, every known secret masked."""
    text = errors.decode("utf-8", "replace").strip()
    if not text:
        return None
    known = [
        setting.value
        for key, setting in profile.settings.items()
        if key in SECRET_KEYS and isinstance(setting.value, str)
    ]
    known += [environ.get(name, "") for name in _SECRET_VARIABLES]
    known += _json_strings(output)  # what it printed on stdout before failing
    return f"stderr of credential_process of profile '{profile.name}':\n" + scrub(
        text[-2000:], known
    )


def _is_awsprof(argv: list[str]) -> bool:
    return os.path.basename(argv[0]).lower() in ("awsprof", "awsprof.exe")


_SECRET_VARIABLES = ("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


def _json_strings(output: bytes) -> list[str]:
    try:
        data = json.loads(output)
    except (ValueError, UnicodeDecodeError):
        return []
    return [v for v in data.values() if isinstance(v, str)] if isinstance(data, dict) else []


def _run(
    argv: list[str], env: dict[str, str], timeout: float, name: str
) -> tuple[bytes, bytes, int]:
    from awsprof.children import ChildLimitError, run_capped  # only with a credential_process

    try:
        finished = run_capped(argv, env, timeout, MAX_OUTPUT, MAX_STDERR)
    except OSError as error:
        raise ResolutionError(
            f"credential_process of profile '{name}' cannot be started: {error.strerror}"
        ) from None
    except ChildLimitError as error:
        if error.limit == "timeout":
            raise ResolutionError(
                f"credential_process of profile '{name}' did not finish within {timeout:g} s; "
                "it was stopped (with any processes it started)",
                "Check that it does not wait for input; set AWSPROF_CREDENTIAL_PROCESS_TIMEOUT "
                "to wait longer.",
            ) from None
        limit = MAX_OUTPUT if error.limit == "stdout" else MAX_STDERR
        raise ResolutionError(
            f"credential_process of profile '{name}' printed more than {limit} bytes on "
            f"{error.limit}; it was stopped (with any processes it started)",
            f"Credentials are a few kilobytes of JSON; check the command's {error.limit}.",
        ) from None
    return finished.stdout, finished.stderr, finished.returncode


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
