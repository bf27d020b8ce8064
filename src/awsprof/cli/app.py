"""The click application: global options and the command groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import click

from awsprof import __version__


@dataclass(frozen=True)
class Globals:
    """Options every command accepts, in the AWS CLI's spelling."""

    profile: str | None
    region: str | None
    output: str | None
    debug: bool
    color: bool


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="awsprof")
@click.option("--profile", help="Use this named profile (overrides AWS_PROFILE).")
@click.option("--region", help="Use this region (overrides AWS_REGION and the profile).")
@click.option("--output", type=click.Choice(["json", "text", "table"]), help="Output format.")
@click.option("--debug", is_flag=True, help="Show tracebacks (secrets masked).")
@click.option("--no-color", is_flag=True, help="Never colour the output.")
@click.pass_context
def cli(
    ctx: click.Context,
    profile: str | None,
    region: str | None,
    output: str | None,
    debug: bool,
    no_color: bool,
) -> None:
    """awsprof: AWS named profiles without the wrong-account accidents."""
    ctx.obj = Globals(profile, region, output, debug, not no_color)


def run_click(argv: Sequence[str]) -> int:
    """Run the click application and return the exit code instead of exiting."""
    try:
        result = cli.main(list(argv), prog_name="awsprof", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("\nawsprof: interrupted", err=True)
        return 130
    except click.exceptions.ClickException as error:
        error.show()
        return 2 if isinstance(error, click.UsageError) else 1
    except click.exceptions.Exit as exit_:
        return int(exit_.exit_code)
    return int(result) if isinstance(result, int) else 0


def _register() -> None:
    """Attach the command groups (their modules import their own dependencies lazily)."""
    from awsprof.cli.configure import configure
    from awsprof.cli.configure_import import configure_import
    from awsprof.cli.console import console
    from awsprof.cli.credentials import credential_process, exec_, export_credentials
    from awsprof.cli.doctor import doctor
    from awsprof.cli.guard import guard, protect, unprotect
    from awsprof.cli.identity import sts, whoami
    from awsprof.cli.keys import keys
    from awsprof.cli.sandbox import sandbox
    from awsprof.cli.shell import prompt, shell_init, use
    from awsprof.cli.sso import sso
    from awsprof.cli.sso_configure import configure_sso, configure_sso_session

    configure.add_command(export_credentials)
    configure.add_command(configure_sso)
    configure.add_command(configure_sso_session)
    for command in (configure, sts, whoami, credential_process, exec_, sandbox, sso):
        cli.add_command(command)
    for command in (guard, protect, unprotect, shell_init, use, prompt):
        cli.add_command(command)
    cli.add_command(doctor)
    cli.add_command(keys)
    cli.add_command(console)
    configure.add_command(configure_import)


_register()
