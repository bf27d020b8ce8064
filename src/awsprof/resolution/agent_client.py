"""Asking the credential agent, when one runs; never required.

Lean on purpose (socket and json only): ``export-credentials`` asks it on the hot path. Any
failure (no socket, a dead agent, a timeout, an error it reports, other files than its own) is
None, and the caller resolves by itself as it would without an agent.
"""

from __future__ import annotations

import json
import os
import socket

from awsprof.credentials import Credentials, parse_expiration
from awsprof.files import paths

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

    OnLogin = Callable[[dict[str, Any]], None]

# 0: never ask the agent; auto: start it in the background when a command finds none.
SWITCH = "AWSPROF_AGENT"
# The environment decides the credentials by itself here: the agent's answer could differ.
SELF_DECIDING = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "_AWS_CLI_PROFILE_CHAIN",  # inside a credential_process: keep the recursion guard local
)
CONNECT_TIMEOUT = 1.0
ANSWER_TIMEOUT = 120.0  # a refresh behind the agent may call AWS or run a credential_process


def agent_dir(environ: Mapping[str, str]) -> str:
    """``$XDG_RUNTIME_DIR/awsprof`` (per user, cleared at logout) or awsprof's cache directory."""
    runtime = environ.get("XDG_RUNTIME_DIR")
    return os.path.join(runtime, "awsprof") if runtime else paths.cache_dir(environ)


def socket_path(environ: Mapping[str, str]) -> str:
    return os.path.join(agent_dir(environ), "agent.sock")


def files_of(environ: Mapping[str, str]) -> list[str]:
    """What must be the same for the agent's answer to be this process's answer."""
    return [
        paths.config_path(environ),
        paths.credentials_path(environ),
        os.path.realpath(paths.home_dir(environ)),
    ]


def request(
    environ: Mapping[str, str],
    message: dict[str, Any],
    timeout: float = ANSWER_TIMEOUT,
    on_progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any] | None:
    """One request, one JSON answer; None when there is no agent or it went away. Lines
    ``{"progress": ...}`` before the answer (a login the agent runs) go to ``on_progress``;
    ``timeout`` is the longest silence, and a waiting agent speaks every second."""
    path = socket_path(environ)
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(CONNECT_TIMEOUT)
            connection.connect(path)
            connection.settimeout(timeout)
            connection.sendall(json.dumps(message).encode() + b"\n")
            connection.shutdown(socket.SHUT_WR)
            with connection.makefile("rb") as lines:
                for line in lines:
                    answer = _parse(line)
                    if answer is None or "progress" not in answer:
                        return answer
                    if on_progress is not None and isinstance(answer["progress"], dict):
                        on_progress(answer["progress"])
    except OSError:
        return None
    return None


def _parse(line: bytes) -> dict[str, Any] | None:
    try:
        answer = json.loads(line)
    except ValueError:
        return None
    return answer if isinstance(answer, dict) else None


def agent_credentials(
    environ: Mapping[str, str],
    profile: str | None,
    region: str | None,
    on_login: OnLogin | None = None,
) -> Credentials | None:
    """The agent's credentials for this command line, or None (then resolve locally).

    When the profile needs an SSO login, the agent runs it (one for every caller) and this
    waits; ``on_login`` gets each distinct prompt (URL, code) to show a person."""
    if environ.get(SWITCH) == "0" or any(environ.get(name) for name in SELF_DECIDING):
        return None
    if not os.path.exists(socket_path(environ)):
        if environ.get(SWITCH) == "auto":
            start_in_background(environ)
        return None  # this command resolves by itself; the next ones find the agent
    from awsprof.reader.selection import select_profile

    selection = select_profile(profile, environ)
    region = region or environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION") or None
    shown: list[dict[str, Any]] = []

    def progress(line: dict[str, Any]) -> None:
        prompt = line.get("login")
        if isinstance(prompt, dict) and prompt not in shown:
            shown.append(prompt)
            if on_login is not None:
                on_login(prompt)

    answer = request(
        environ,
        {
            "op": "credentials",
            "profile": selection.profile,
            "region": region,
            "files": files_of(environ),
            "login": True,
        },
        on_progress=progress,
    )
    if answer is None or not answer.get("ok"):
        return None
    return from_process_json(answer.get("credentials"))


def from_process_json(data: object) -> Credentials | None:
    if not isinstance(data, dict):
        return None
    try:
        expiry, token, account = (
            data.get("Expiration"),
            data.get("SessionToken"),
            data.get("AccountId"),
        )
        return Credentials(
            str(data["AccessKeyId"]),
            str(data["SecretAccessKey"]),
            str(token) if token else None,
            parse_expiration(str(expiry)) if expiry else None,
            str(account) if account else None,
        )
    except (KeyError, ValueError):
        return None


def start_in_background(environ: Mapping[str, str]) -> None:
    """``awsprof agent start``, detached; its outcome is not waited for (never required)."""
    import subprocess
    import sys

    try:
        subprocess.Popen(
            [sys.executable, "-m", "awsprof", "agent", "start"],
            env=dict(environ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return
