"""``awsprof serve`` and ``exec --server``: a local credential endpoint instead of keys."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Mapping, Sequence

import click

from awsprof.cli.common import globals_of, profile_option, resolve_for_cli
from awsprof.cli.output import warn
from awsprof.credentials import Credentials
from awsprof.resolution import export
from awsprof.resolution.endpoint import CredentialEndpoint

FORWARDED = (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


def make_endpoint(
    environ: Mapping[str, str],
    profile: str | None,
    region: str | None,
    port: int = 0,
    read_only: bool = False,
) -> CredentialEndpoint:
    """An endpoint resolving exactly as the command did (same environment, same selection);
    nobody can answer an MFA prompt from a request, so the first resolution is the command's.
    With ``read_only`` it serves the narrowed session (resolution/read_only.py), renewed the
    same way: never the agent's credentials, which are the profile's own."""
    from awsprof.resolution.agent_client import agent_credentials
    from awsprof.resolution.chain import resolve

    def fetch() -> Credentials:  # a running agent's held credentials first, as other commands
        if read_only:
            return resolve(environ, profile, region, report=warn, read_only=True).credentials
        held = agent_credentials(environ, profile, region)
        return held or resolve(environ, profile, region, report=warn).credentials

    try:
        return CredentialEndpoint(fetch, port, report=warn)
    except OSError as error:
        from awsprof.errors import UsageError

        raise UsageError(
            f"cannot listen on 127.0.0.1:{port}: {error.strerror}", "Pick another --port."
        ) from None


def announce(endpoint: CredentialEndpoint, profile: str, read_only: bool = False) -> None:
    """Tell a running agent about this endpoint, for `agent status` (no token: never a secret)."""
    from awsprof.resolution.agent_client import request

    message = {
        "op": "endpoint",
        "profile": profile,
        "url": endpoint.url,
        "pid": os.getpid(),
        "read_only": read_only,
    }
    request(os.environ, message, timeout=2)


def server_environment(
    environ: Mapping[str, str], endpoint: CredentialEndpoint, profile: str, region: str | None
) -> dict[str, str]:
    """A child's environment: the endpoint and its token, no keys (inherited ones removed)."""
    child = {k: v for k, v in environ.items() if k not in export.CREDENTIAL_VARIABLES}
    child["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = endpoint.url
    child["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = endpoint.token
    if region:
        child["AWS_REGION"] = region
        child["AWS_DEFAULT_REGION"] = region
    child["AWSPROF_PROFILE"] = profile
    return child


def run_with_endpoint(
    command: Sequence[str], environ: Mapping[str, str], endpoint: CredentialEndpoint
) -> int:
    """Run ``command`` while the endpoint serves; its exit code (128+N when killed by signal N).

    Ctrl-C reaches the child from the terminal, so this process ignores it and waits; other
    signals sent to this process are passed on to the child."""
    import subprocess

    with endpoint:
        try:
            child = subprocess.Popen(list(command), env=dict(environ))  # noqa: S603 - no shell
        except FileNotFoundError:
            click.echo(f"awsprof: command not found: {command[0]}", err=True)
            return 127
        except PermissionError:
            click.echo(f"awsprof: permission denied: {command[0]}", err=True)
            return 126
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, *FORWARDED)}
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        for sig in FORWARDED:
            signal.signal(sig, lambda number, frame: child.send_signal(number))
        try:
            code = child.wait()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    return 128 - code if code < 0 else code


def instructions(
    endpoint: CredentialEndpoint, profile: str, region: str | None, read_only: bool = False
) -> str:
    url, token = endpoint.url, endpoint.token
    region_arg = f" -e AWS_REGION={region}" if region else ""
    what = "read-only credentials" if read_only else "credentials"
    return f"""\
Serving {what} of profile '{profile}' at {url} (Ctrl-C to stop).

Docker (the SDKs accept an http endpoint only on a loopback address, hence --network host;
host.docker.internal is refused by them):
  docker run --network host \\
    -e AWS_CONTAINER_CREDENTIALS_FULL_URI={url} \\
    -e AWS_CONTAINER_AUTHORIZATION_TOKEN={token}{region_arg} IMAGE ...

devcontainer.json:
  "runArgs": ["--network=host"],
  "containerEnv": {{
    "AWS_CONTAINER_CREDENTIALS_FULL_URI": "{url}",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN": "{token}"
  }}
"""


@click.command("serve")
@profile_option
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (default: any free).")
@click.option(
    "--read-only",
    is_flag=True,
    help="Serve credentials narrowed at AWS to read-only (as `exec --read-only`); never asks "
    "for a login or an MFA code.",
)
@click.pass_context
def serve(ctx: click.Context, profile: str | None, port: int, read_only: bool) -> None:
    """Serve a profile's credentials to containers and long jobs on 127.0.0.1.

    Prints what to pass to `docker run` and a devcontainer; the access keys are never printed,
    only the endpoint's random token. Credentials are refreshed through awsprof before they expire.
    """
    name = profile or globals_of(ctx).profile
    # Fails now, with the right error, if it cannot.
    resolution, _ = resolve_for_cli(ctx, name, read_only=read_only)
    endpoint = make_endpoint(os.environ, name, globals_of(ctx).region, port, read_only)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda number, frame: stop.set())
    with endpoint:
        announce(endpoint, resolution.selection.profile, read_only)
        sys.stdout.write(
            instructions(endpoint, resolution.selection.profile, resolution.region.name, read_only)
        )
        sys.stdout.flush()
        while not stop.wait(3600):
            pass
    warn("endpoint stopped")
