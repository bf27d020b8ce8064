"""``awsprof configure import --csv FILE``: profiles from the IAM console's access-key CSV."""

from __future__ import annotations

import os
from pathlib import Path

import click

from awsprof.cli.output import warn as report


@click.command("import")
@click.option("--csv", "csv_file", required=True, help="The CSV file (a path or file://path).")
@click.option("--profile", help="Profile name (for a CSV without a 'User name' column).")
@click.option("--profile-prefix", default="", help="Prefix for profile names taken from users.")
def configure_import(csv_file: str, profile: str | None, profile_prefix: str) -> None:
    """Import access keys from the CSV the IAM console downloads."""
    from awsprof.errors import UsageError
    from awsprof.keys.csv_import import import_keys, parse_csv

    path = Path(csv_file.removeprefix("file://")).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {type(error).__name__}") from None
    keys = parse_csv(text, profile, profile_prefix)
    import_keys(os.environ, keys)
    for key in keys:
        report(f"imported profile '{key.profile}' (access key {key.access_key_id})")
    click.echo(f"Successfully imported {len(keys)} profile(s)", err=True)
    names = " ".join(f"--profile {k.profile}" for k in keys[:1])
    report(
        "long-lived keys now sit in a plain-text file; keep them in the OS keychain instead: "
        f"`awsprof keys to-keychain {names}`"
    )
