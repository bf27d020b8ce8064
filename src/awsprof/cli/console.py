"""``awsprof console``: open the AWS console signed in as one or several profiles, or print the
URLs."""

from __future__ import annotations

import json
import os
import sys

import click

from awsprof.cli.common import globals_of
from awsprof.cli.output import warn as report
from awsprof.errors import UsageError


@click.command()
@click.option("--profile", "profiles", multiple=True, help="Sign in as this profile (repeatable).")
@click.option(
    "--url",
    "--print",
    "print_url",
    is_flag=True,
    help="Print the URLs instead of opening them (for a remote host).",
)
@click.option("--destination", help="Console service to land on (e.g. s3, ec2, iam).")
@click.option(
    "--browser",
    type=click.Choice(["default", "chromium", "firefox"]),
    default=None,
    help="default: the system's browser (one profile); chromium: a user data directory "
    "per profile; firefox: a container per profile. Several profiles: chromium.",
)
@click.pass_context
def console(
    ctx: click.Context,
    profiles: tuple[str, ...],
    print_url: bool,
    destination: str | None,
    browser: str | None,
) -> None:
    """Console sign-in URLs through the federation endpoint (each valid for 15 minutes).

    With several --profile, each console opens in its own browser session (a Chromium user data
    directory or a Firefox container), so that the sign-ins do not replace one another.
    """
    from awsprof.console import signin_url
    from awsprof.console_browsers import open_console

    names: list[str | None] = [*profiles] or [globals_of(ctx).profile]
    browser = browser or ("chromium" if len(names) > 1 else "default")
    if browser == "default" and len(names) > 1 and not print_url:
        raise UsageError(
            "several consoles in one browser session would sign each other out",
            "Use --browser chromium (a user data directory each) or firefox (a container each), "
            "or --print.",
        )
    results = [(name, signin_url(os.environ, name, destination)) for name in names]
    for name, result in results:
        _warn_if_protected(name, result.account)
        if result.federated:
            report(
                f"{name or 'default'}: long-lived keys: signed in through STS GetFederationToken"
            )
    if print_url:
        if len(results) == 1:
            sys.stdout.write(results[0][1].url + "\n")
        else:
            data = [{"profile": name, "url": result.url} for name, result in results]
            sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return
    for name, result in results:
        open_console(os.environ, browser, name or "default", result.url)
        report(f"opened the console of {name or 'default'} ({result.destination}) in {browser}")


def _warn_if_protected(profile: str | None, account: str | None) -> None:
    """The guard cannot see what is done in the console: say so for a protected account."""
    from awsprof.guard.decide import Protection
    from awsprof.guard.facts import gather

    facts = gather(os.environ, profile)
    if account is not None:
        facts = facts.replace(account=account, identified=True)
    protection = Protection(facts)
    if protection.level is None:
        return
    report(
        f"WARNING: the console of {profile or 'default'} signs in to PROTECTED account "
        f"{facts.account or '(unknown)'} (level {protection.level}: {protection.why}); the guard "
        "cannot check what is done there. Every change in the console is real."
    )
