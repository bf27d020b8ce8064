"""``awsprof sts get-caller-identity`` (alias ``whoami``): who and where a command would run."""

from __future__ import annotations

import os

import click

from awsprof.cli.common import globals_of, profile_option
from awsprof.cli.identity_run import whoami as whoami_run


@click.group()
def sts() -> None:
    """The STS calls awsprof answers itself."""


def _whoami(ctx: click.Context, profile: str | None, explain: bool, output: str | None) -> None:
    options = globals_of(ctx)
    chosen = output or options.output or "json"
    whoami_run(os.environ, profile or options.profile, options.region, chosen, explain)


_explain_option = click.option(
    "--explain", is_flag=True, help="Also tell why: selection, chain, files and lines, expiry."
)
_output_option = click.option("--output", type=click.Choice(["json", "text", "table"]))


@sts.command("get-caller-identity")
@profile_option
@_explain_option
@_output_option
@click.pass_context
def get_caller_identity(
    ctx: click.Context, profile: str | None, explain: bool, output: str | None
) -> None:
    """Print the STS identity (UserId, Account, Arn) of the resolved credentials."""
    _whoami(ctx, profile, explain, output)


@click.command("whoami")
@profile_option
@_explain_option
@_output_option
@click.pass_context
def whoami(ctx: click.Context, profile: str | None, explain: bool, output: str | None) -> None:
    """Alias of `sts get-caller-identity`."""
    _whoami(ctx, profile, explain, output)
