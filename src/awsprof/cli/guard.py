"""``awsprof guard``, ``protect`` and ``unprotect`` as click commands.

``guard`` is normally answered by the click-free fast path; this command only gives it help and
error messages, and runs the same function.
"""

from __future__ import annotations

import os

import click

from awsprof.guard import marks


@click.command(
    "guard",
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False},
)
@click.option("--dry-run", is_flag=True, help="Print the decision as JSON and run nothing.")
@click.option(
    "--confirm-account",
    metavar="ACCOUNT_ID",
    help="Go on without asking when this is exactly the target account "
    "(or AWSPROF_CONFIRM_ACCOUNT).",
)
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def guard(dry_run: bool, confirm_account: str | None, command: tuple[str, ...]) -> int:
    """Run `aws ARGS...` unless it would reach a protected account by mistake.

    `awsprof guard -- aws s3 rb s3://bucket`. Read-only commands run at once; a destructive
    command (or any write, per the level) against a protected account shows who and where, and
    asks for the account's alias or ID; the implicit `default` reaching a protected account is
    refused. Exit code 7 when refused; otherwise the command's own.
    """
    from awsprof.cli.guard_run import run_guard

    args = ["--dry-run"] if dry_run else []
    if confirm_account is not None:
        args += ["--confirm-account", confirm_account]
    return run_guard(os.environ, [*args, "--", *command])


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
