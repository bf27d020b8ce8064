"""``awsprof console``: open the AWS console signed in as a profile, or print the URL."""

from __future__ import annotations

import os
import sys

import click

from awsprof.cli.common import globals_of
from awsprof.cli.output import warn as report


@click.command()
@click.option("--profile", help="Sign in as this profile.")
@click.option("--url", "print_url", is_flag=True, help="Print the URL instead of opening it.")
@click.option("--destination", help="Console service to land on (e.g. s3, ec2, iam).")
@click.pass_context
def console(
    ctx: click.Context, profile: str | None, print_url: bool, destination: str | None
) -> None:
    """A console sign-in URL through the federation endpoint (valid for 15 minutes)."""
    from awsprof.console import signin_url

    chosen = profile or globals_of(ctx).profile
    result = signin_url(os.environ, chosen, destination)
    _warn_if_protected(chosen, result.account)
    if result.federated:
        report("long-lived keys: signed in through STS GetFederationToken")
    if print_url:
        sys.stdout.write(result.url + "\n")
        return
    import webbrowser

    if not webbrowser.open(result.url):
        report("could not open a browser; run again with --url and open the URL yourself")
        raise SystemExit(1)
    report(f"opened the console ({result.destination}) in your browser")


def _warn_if_protected(profile: str | None, account: str | None) -> None:
    """The guard cannot see what is done in the console: say so for a protected account."""
    from awsprof.guard.decide import Protection
    from awsprof.guard.facts import gather

    facts = gather(os.environ, profile)
    if account is not None:
        facts.account, facts.identified = account, True
    protection = Protection(facts)
    if protection.level is None:
        return
    report(
        f"WARNING: the console signs in to PROTECTED account {facts.account or '(unknown)'} "
        f"(level {protection.level}: {protection.why}); the guard cannot check what is done "
        "there. Every change in the console is real."
    )
