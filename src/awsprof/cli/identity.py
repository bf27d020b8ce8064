"""``awsprof sts get-caller-identity`` (alias ``whoami``): who and where a command would run.

Both commands are declared in :mod:`awsprof.cli.spec`; their work is
:func:`awsprof.cli.fast.whoami`, which the click-free fast path runs too.
"""

from __future__ import annotations

import click

from awsprof.cli.clickspec import command_for


@click.group()
def sts() -> None:
    """The STS calls awsprof answers itself."""


sts.add_command(command_for(("sts", "get-caller-identity")))
