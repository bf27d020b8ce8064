"""``awsprof trust [DIR]``: let a directory's `.awsprof` file set the profile of shells in it."""

from __future__ import annotations

import os

import click


@click.command("trust")
@click.argument("directory", required=False, default=".")
@click.option("--revoke", is_flag=True, help="Stop trusting it.")
def trust(directory: str, revoke: bool) -> None:
    """Trust the exact content of DIRECTORY's .awsprof file (the nearest one above it).

    Shells with the integration then take its profile when they enter the directory and give
    it back when they leave; a changed file does nothing until it is trusted again.
    """
    from awsprof.errors import UsageError
    from awsprof.shell.directory import FILE_NAME, find
    from awsprof.shell.directory import trust as record

    found = find(directory)
    if found is None:
        raise UsageError(f"no {FILE_NAME} in {os.path.abspath(directory)} or above it")
    settings = record(os.environ, found, revoke)
    if revoke:
        click.echo(f"awsprof: {found} is no longer trusted", err=True)
    else:
        click.echo(
            f"awsprof: trusted {found}: shells inside use profile {settings['profile']}", err=True
        )
