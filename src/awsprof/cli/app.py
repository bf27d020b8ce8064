"""The click application: global options and the command groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import click

from awsprof import __version__
from awsprof.cli.lazy import LazyGroup


@dataclass(frozen=True)
class Globals:
    """Options every command accepts, in the AWS CLI's spelling."""

    profile: str | None
    region: str | None
    output: str | None
    debug: bool
    color: bool


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
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


# Top-level commands: name -> "module:attribute", imported when that command runs.
COMMANDS = {
    "agent": "awsprof.cli.agent:agent",
    "configure": "awsprof.cli.configure:configure",
    "console": "awsprof.cli.console:console",
    "credential-process": "awsprof.cli.credentials:credential_process",
    "doctor": "awsprof.cli.doctor:doctor",
    "exec": "awsprof.cli.credentials:exec_",
    "guard": "awsprof.cli.guard:guard",
    "keys": "awsprof.cli.keys:keys",
    "prompt": "awsprof.cli.shell:prompt",
    "protect": "awsprof.cli.guard:protect",
    "sandbox": "awsprof.cli.sandbox:sandbox",
    "shell-init": "awsprof.cli.shell:shell_init",
    "serve": "awsprof.cli.serve:serve",
    "sso": "awsprof.cli.sso:sso",
    "sts": "awsprof.cli.identity:sts",
    "unprotect": "awsprof.cli.guard:unprotect",
    "use": "awsprof.cli.shell:use",
    "whoami": "awsprof.cli.identity:whoami",
}
cli.lazy.update(COMMANDS)
