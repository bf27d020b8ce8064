"""Using resolved credentials elsewhere: export-credentials, credential-process and exec."""

from __future__ import annotations

import os
import sys

import click

from awsprof.cli.common import globals_of, profile_option, resolve_for_cli
from awsprof.errors import UsageError
from awsprof.resolution import export
from awsprof.resolution.providers.process import guard_recursion


@click.command("export-credentials")
@profile_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(export.FORMATS),
    default="process",
    show_default=True,
    help="process (JSON) or shell lines for env, env-no-export, powershell, windows-cmd, fish.",
)
@click.pass_context
def export_credentials(ctx: click.Context, profile: str | None, output_format: str) -> None:
    """Print the resolved credentials in a format other tools read."""
    from awsprof.cli.credentials_fast import export_credentials as export_shared

    options = globals_of(ctx)
    export_shared(os.environ, profile or options.profile, output_format, options.region)


@click.command("credential-process")
@click.option("--profile", required=True, help="The profile to resolve.")
@click.pass_context
def credential_process(ctx: click.Context, profile: str) -> None:
    """Print credentials as `credential_process` JSON, for other tools' profiles.

    Use it as `credential_process = awsprof credential-process --profile NAME`. A profile whose
    credential_process leads back to itself is refused (the AWS CLI's recursion guard).
    """
    from awsprof.resolution.agent_client import agent_credentials

    environ = guard_recursion(os.environ, profile)
    credentials = agent_credentials(os.environ, profile, globals_of(ctx).region)
    if credentials is None:
        credentials = resolve_for_cli(ctx, profile, environ)[0].credentials
    sys.stdout.write(export.render(credentials, "process"))


@click.command(
    "exec",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@profile_option
@click.option(
    "--confirm-account",
    metavar="ACCOUNT_ID",
    help="For a protected account: go on without asking when this is exactly its ID.",
)
@click.option(
    "--server",
    is_flag=True,
    help="Give the child a local credential endpoint (refreshed) instead of keys.",
)
@click.argument("words", nargs=-1, type=click.UNPROCESSED)
@click.pass_context
def exec_(
    ctx: click.Context,
    profile: str | None,
    confirm_account: str | None,
    server: bool,
    words: tuple[str, ...],
) -> None:
    """Run COMMAND with the profile's credentials in its environment.

    `awsprof exec prod -- terraform plan` or `awsprof exec --profile prod -- terraform plan`.
    The child gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
    AWS_CREDENTIAL_EXPIRATION, AWS_REGION, AWS_DEFAULT_REGION and AWSPROF_PROFILE; credentials it
    would otherwise inherit are removed first. Secrets never appear in its arguments.
    Into a protected account, the identity box is shown first, and the account asked for when
    its level covers the command (an `aws` command is classified; anything else is a write).
    With --server the child gets AWS_CONTAINER_CREDENTIALS_FULL_URI and
    AWS_CONTAINER_AUTHORIZATION_TOKEN instead of keys, and the endpoint lives while it runs.
    """
    args = list(words)
    if "--" in args:
        split = args.index("--")
        before, command = args[:split], args[split + 1 :]
    else:
        before, command = [], args
    if len(before) > 1 or (before and profile):
        raise UsageError("name the profile once: `awsprof exec PROFILE -- COMMAND`")
    name = profile or (before[0] if before else None)
    if not command:
        raise UsageError("nothing to run: `awsprof exec PROFILE -- COMMAND [ARGS...]`")
    resolution, _ = resolve_for_cli(ctx, name)
    current = os.environ.get("AWSPROF_PROFILE")
    if current and current != resolution.selection.profile:
        raise UsageError(
            f"already inside `awsprof exec` for profile '{current}'; running "
            f"'{resolution.selection.profile}' inside it would mix two accounts' credentials",
            "Leave that shell first (or unset AWSPROF_PROFILE if you really mean it).",
        )
    from awsprof.cli.guard_run import guard_exec

    child = export.child_environment(
        os.environ, resolution.credentials, resolution.selection.profile, resolution.region.name
    )
    account = resolution.account_id
    known_keys = {resolution.credentials.access_key_id: account} if account else {}
    guard_exec(os.environ, resolution.selection, known_keys, command, confirm_account)
    sys.stdout.flush()
    sys.stderr.flush()
    if server:
        from awsprof.cli import serve

        endpoint = serve.make_endpoint(os.environ, name, globals_of(ctx).region)
        serve.announce(endpoint, resolution.selection.profile)
        environ = serve.server_environment(
            os.environ, endpoint, resolution.selection.profile, resolution.region.name
        )
        sys.exit(serve.run_with_endpoint(command, environ, endpoint))
    try:
        os.execvpe(command[0], command, child)  # noqa: S606 - replaces this process, no shell
    except FileNotFoundError:
        click.echo(f"awsprof: command not found: {command[0]}", err=True)
        sys.exit(127)
    except PermissionError:
        click.echo(f"awsprof: permission denied: {command[0]}", err=True)
        sys.exit(126)
