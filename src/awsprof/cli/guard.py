"""``awsprof protect`` and ``unprotect`` as click commands (``guard`` is declared in
:mod:`awsprof.cli.spec` and runs :func:`awsprof.cli.guard_run.run_guard` on both paths)."""

from __future__ import annotations

import os

import click

from awsprof.guard import marks


@click.command("protect")
@click.argument("profile")
@click.option(
    "--level",
    type=click.Choice(marks.LEVELS),
    default=marks.DESTRUCTIVE,
    show_default=True,
    help="destructive: ask before destructive commands; writes: before any change; "
    "refuse-writes: refuse changes.",
)
@click.option("--account", metavar="ACCOUNT_ID", help="Pin the account this profile must reach.")
@click.option("--no-pin", is_flag=True, help="Never ask AWS for the account to pin.")
def protect(profile: str, level: str, account: str | None, no_pin: bool) -> None:
    """Mark PROFILE, and every profile reaching its account, as protected."""
    from awsprof.guard.protect import protect as protect_profile

    done = protect_profile(os.environ, profile, level, account, pin=not no_pin)
    where = f"account {done.account}" if done.account else "its account (not known yet)"
    click.echo(f"awsprof: profile '{profile}' is protected ({level}): {where}", err=True)
    if done.pinned:
        click.echo(f"awsprof: pinned {marks.EXPECTED_ACCOUNT_KEY} = {done.account}", err=True)
    if done.problem:
        click.echo(
            f"awsprof: the account could not be determined ({done.problem}); until it is, "
            f"only this profile is protected. Pin it: `awsprof protect {profile} --account ID`.",
            err=True,
        )


@click.command("unprotect")
@click.argument("profile")
def unprotect(profile: str) -> None:
    """Remove the protection marks of PROFILE."""
    from awsprof.guard.decide import Protection
    from awsprof.guard.protect import unprotect as unprotect_profile

    facts = unprotect_profile(os.environ, profile)
    click.echo(f"awsprof: removed the marks of profile '{profile}'", err=True)
    still = Protection(facts)
    if still.level is not None:
        click.echo(f"awsprof: it is still protected: {still.why}", err=True)
