"""Using resolved credentials elsewhere: export-credentials, credential-process and exec."""

from __future__ import annotations

import json
import os
import sys

import click

from awsprof.cli.common import globals_of, profile_option, resolve_for_cli
from awsprof.errors import UsageError
from awsprof.resolution import export
from awsprof.resolution.providers.process import guard_recursion


@click.command("credential-process")
@click.option("--profile", required=True, help="The profile to resolve.")
@click.pass_context
def credential_process(ctx: click.Context, profile: str) -> None:
    """Print credentials as `credential_process` JSON, for other tools' profiles.

    Use it as `credential_process = awsprof credential-process --profile NAME`. A profile whose
    credential_process leads back to itself is refused (the AWS CLI's recursion guard).
    """
    from awsprof.cli.output import show_agent_login
    from awsprof.resolution.agent_client import agent_credentials

    environ = guard_recursion(os.environ, profile)
    credentials = agent_credentials(os.environ, profile, globals_of(ctx).region, show_agent_login)
    if credentials is None:
        credentials = resolve_for_cli(ctx, profile, environ)[0].credentials
    # Not export-credentials: SDKs read AccountId from a credential_process, so it stays.
    sys.stdout.write(json.dumps(credentials.process_json(), indent=2) + "\n")


class _RawArgsCommand(click.Command):
    """Keeps the raw words: click drops a leading `--`, which decides what `exec` runs."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["exec_raw_args"] = list(args)
        return super().parse_args(ctx, args)


@click.command(
    "exec",
    cls=_RawArgsCommand,
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@profile_option
@click.option(
    "--confirm-account",
    metavar="ACCOUNT_ID",
    help="For a protected account: go on without asking when this is exactly its ID.",
)
@click.option(
    "--read-only",
    is_flag=True,
    help="Hand the child credentials narrowed at AWS to read-only (a session policy, or the "
    "SSO read-only permission set); never asks for a login or an MFA code.",
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
    read_only: bool,
    server: bool,
    words: tuple[str, ...],
) -> None:
    """Run COMMAND with the profile's credentials in its environment.

    `awsprof exec prod -- terraform plan`, `awsprof exec prod terraform plan` (as with aws-vault)
    or `awsprof exec --profile prod -- terraform plan`. Without a COMMAND, your $SHELL opens with
    `(awsprof:prod)` in front of its prompt. Without a profile, the one AWS_PROFILE (or the
    implicit default) selects is used, and said. The child gets AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_REGION,
    AWS_DEFAULT_REGION and AWSPROF_PROFILE; credentials it would otherwise inherit are removed
    first. Secrets never appear in its arguments. Into a protected account, the identity box is
    shown first (once per shell session when nothing needs asking), and the account asked for
    when its level covers the command (an `aws` command is classified; anything else is a write).
    With --server the child gets AWS_CONTAINER_CREDENTIALS_FULL_URI and
    AWS_CONTAINER_AUTHORIZATION_TOKEN instead of keys, and the endpoint lives while it runs.
    """
    from awsprof.cli.exec_args import leading_separator, split_words
    from awsprof.cli.exec_box import guard_once
    from awsprof.files.locate import cache_dir
    from awsprof.profiles.model import list_profile_names

    raw = ctx.meta.get("exec_raw_args", list(words))
    parsed = split_words(
        list(words),
        profile or globals_of(ctx).profile,
        leading_separator(raw),
        lambda: list_profile_names(os.environ),
    )
    name, command = parsed.profile, parsed.command
    resolution, _ = resolve_for_cli(ctx, name, read_only=read_only)
    if name is None:
        click.echo(f"awsprof: exec uses {resolution.selection.describe()}", err=True)
    current = os.environ.get("AWSPROF_PROFILE")
    if current and current != resolution.selection.profile:
        raise UsageError(
            f"already inside `awsprof exec` for profile '{current}'; running "
            f"'{resolution.selection.profile}' inside it would mix two accounts' credentials",
            "Leave that shell first (or unset AWSPROF_PROFILE if you really mean it).",
        )
    cache = cache_dir(os.environ)
    extra: dict[str, str] = {}
    if not command:
        from awsprof.shell.exec_shell import shell_command

        command, extra = shell_command(os.environ, cache, resolution.selection.profile)
        click.echo(
            f"awsprof: a shell with profile '{resolution.selection.profile}'; `exit` leaves it",
            err=True,
        )
    account = resolution.account_id
    known_keys = {resolution.credentials.access_key_id: account} if account else {}
    if not any(link.note and link.note.startswith("read-only") for link in resolution.links):
        # Read-only credentials cannot change anything: nothing for the guard to ask about.
        guard_once(os.environ, cache, resolution.selection, known_keys, command, confirm_account)
    child = export.child_environment(
        os.environ, resolution.credentials, resolution.selection.profile, resolution.region.name
    )
    child.update(extra)
    sys.stdout.flush()
    sys.stderr.flush()
    if server:
        from awsprof.cli import serve

        endpoint = serve.make_endpoint(
            os.environ, name, globals_of(ctx).region, read_only=read_only
        )
        serve.announce(endpoint, resolution.selection.profile, read_only)
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
