"""``awsprof keys``: rotate, age, and keychain storage of long-lived access keys."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

import click

from awsprof.cli.common import globals_of, select
from awsprof.cli.output import warn as report
from awsprof.errors import UsageError


@click.group()
def keys() -> None:
    """Long-lived access keys: rotation, age, keychain storage."""


@keys.command()
@click.option("--profile", help="The profile whose key to rotate (required).")
@click.option(
    "--confirm-account",
    metavar="ACCOUNT_ID",
    help="For a protected account: go on without asking when this is exactly its ID.",
)
@click.pass_context
def rotate(ctx: click.Context, profile: str | None, confirm_account: str | None) -> None:
    """Create a new key, prove it, save it, then deactivate and delete the old one.

    The profile must be named: rotation deletes a key, so it never falls back to AWS_PROFILE or
    `default`. In a protected account it asks for the account (or refuses) as the guard does for
    `aws iam delete-access-key`.
    """
    from awsprof.cli.guard_check import guard_change
    from awsprof.keys.rotate import rotate as rotate_key

    name = profile or globals_of(ctx).profile
    if not name:
        chosen = os.environ.get("AWS_PROFILE")
        raise UsageError(
            "keys rotate deletes the old key, so it needs the profile named",
            f"Pass --profile {chosen or 'NAME'}"
            + (" (AWS_PROFILE is not enough for a deletion)." if chosen else "."),
        )

    def guard_first(step: str) -> None:
        # After rotate's own checks (keys in the file, room for a key), before any change.
        if step == "create":
            guard_change(os.environ, name, ["iam", "delete-access-key"], confirm_account)

    result = rotate_key(os.environ, name, before=guard_first, report=report)
    click.echo(
        f"awsprof: rotated profile '{name}': {result.old_key_id} -> {result.new_key_id}", err=True
    )


def _days(value: dt.datetime | None, now: dt.datetime) -> str:
    from awsprof.keys.iam import days_since

    if value is None:
        return "never"
    days = days_since(value, now)
    return "today" if days == 0 else f"{days}d ago"


@keys.command()
@click.option("--profile", help="Only this profile (default: every profile with long-lived keys).")
@click.option("--output", type=click.Choice(["json", "text", "table"]))
@click.pass_context
def age(ctx: click.Context, profile: str | None, output: str | None) -> int:
    """List each access key with its age, status and last use (IAM)."""
    from awsprof.cli.structured import check_query, write_queried
    from awsprof.credentials import now_utc
    from awsprof.keys.age import key_ages
    from awsprof.keys.iam import MAX_AGE_DAYS

    query = globals_of(ctx).query
    check_query(query)  # before any call, as the AWS CLI checks it
    now = now_utc()
    rows = key_ages(os.environ, profile or globals_of(ctx).profile)
    chosen = output or globals_of(ctx).output
    if query is not None or chosen == "json":
        data = [
            {
                "Profile": r.profile,
                "AccessKeyId": r.key.access_key_id if r.key else None,
                "UserName": r.key.user_name if r.key else None,
                "Status": r.key.status if r.key else None,
                "AgeDays": r.key.age_days(now) if r.key else None,
                "LastUsedDate": r.key.last_used.isoformat() if r.key and r.key.last_used else None,
                "InProfile": r.in_profile,
                "Error": r.error,
                "Note": r.note,
            }
            for r in rows
        ]
        if not write_queried(data, chosen, "KeyAges", query):
            sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        if any(r.key is not None for r in rows):
            click.echo("PROFILE\tACCESS KEY (* in profile)\tSTATUS\tAGE\tLAST USED")
        for r in rows:
            if r.key is None:
                click.echo(f"{r.profile}\t{r.note}" if r.note else f"{r.profile}\terror: {r.error}")
                continue
            mark = "*" if r.in_profile else " "
            click.echo(
                f"{r.profile}\t{mark}{r.key.access_key_id}\t{r.key.status}\t"
                f"{r.key.age_days(now)}d\t{_days(r.key.last_used, now)}"
            )
        if not rows:
            report("no profile holds long-lived keys in the credentials file")
    old = [r for r in rows if r.key and r.key.age_days(now) > MAX_AGE_DAYS]
    for r in old:
        report(f"key of profile '{r.profile}' is older than {MAX_AGE_DAYS} days: rotate it")
    return 1 if any(r.error for r in rows) else 0


@keys.command("to-keychain")
@click.option("--profile", help="The profile whose keys to move.")
@click.pass_context
def to_keychain(ctx: click.Context, profile: str | None) -> None:
    """Move a profile's key pair from the credentials file into the OS keychain.

    Without an OS keychain: into a passphrase-encrypted file (AWSPROF_KEYCHAIN_PASSPHRASE or a
    prompt), never a plain-text store. The command says which store it used.
    """
    from awsprof.keys.keychain import command_for
    from awsprof.keys.keychain import to_keychain as move

    name = select(ctx, profile).profile
    key_id, store = move(os.environ, name)
    report(f"moved access key {key_id} of profile '{name}' into {store}")
    report(f"the config now has: credential_process = {command_for(name)}")


@keys.command("from-keychain")
@click.option("--profile", help="The profile whose keys to move back.")
@click.pass_context
def from_keychain(ctx: click.Context, profile: str | None) -> None:
    """Move a profile's key pair from the keychain back into the credentials file."""
    from awsprof.keys.keychain import from_keychain as move

    name = select(ctx, profile).profile
    key_id = move(os.environ, name)
    report(f"moved access key {key_id} of profile '{name}' back to the credentials file")


@keys.command("credential-process")
@click.option("--profile", required=True, help="The profile whose keychain item to print.")
def keychain_credential_process(profile: str) -> None:
    """Print the keychain's key pair as credential_process JSON (for the AWS CLI and SDKs)."""
    from awsprof.keys.keychain import read

    sys.stdout.write(json.dumps(read(profile, os.environ).process_json()) + "\n")
