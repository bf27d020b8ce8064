"""``awsprof sts get-caller-identity`` (alias ``whoami``): who and where a command would run."""

from __future__ import annotations

import json
import os
import sys

import click

from awsprof.cli.common import globals_of, profile_option, resolve_for_cli
from awsprof.resolve import identity as identity_module
from awsprof.resolve.credentials import now_utc


@click.group()
def sts() -> None:
    """The STS calls awsprof answers itself."""


def render(data: dict[str, str], output: str) -> str:
    """The AWS CLI's json, text and table forms of a flat response."""
    if output == "text":
        return "\t".join(data[key] for key in sorted(data)) + "\n"
    if output == "table":
        from awsprof.cli.awstable import render_table

        return render_table("GetCallerIdentity", data)
    return json.dumps(data, indent=4, ensure_ascii=False) + "\n"


def _whoami(ctx: click.Context, profile: str | None, explain: bool, output: str | None) -> None:
    options = globals_of(ctx)
    resolution, context = resolve_for_cli(ctx, profile)
    identity = identity_module.caller_identity(context.clients, resolution.credentials, os.environ)
    sys.stdout.write(render(identity.sts_json(), output or options.output or "json"))
    if explain:
        from awsprof.resolve.explain import explain as explain_lines
        from awsprof.resolve.providers.sso import is_sso_profile, load_token, sso_config

        alias = identity_module.account_alias(
            context.clients, resolution.credentials, os.environ, identity.account
        )
        tokens = []
        for link in resolution.links:
            found = context.files.profile(link.profile) if link.profile else None
            if found is not None and link.provider == "sso" and is_sso_profile(found):
                config = sso_config(context, found)
                _, expiry = load_token(context, config)
                tokens.append((config.session_name or config.start_url, expiry))
        for line in explain_lines(resolution, identity, alias, now_utc(), tokens):
            click.echo(line, err=True)


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
