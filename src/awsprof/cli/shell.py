"""``awsprof shell-init`` as a click command (help and errors); the work is done by
:mod:`awsprof.cli.shell_run`. ``use`` and ``prompt`` are declared in :mod:`awsprof.cli.spec`."""

from __future__ import annotations

import click

from awsprof.shell.init import SHELLS


@click.command("shell-init")
@click.argument("shell", type=click.Choice(SHELLS))
@click.option("--prompt", is_flag=True, help="Also put the `awsprof prompt` segment in the prompt.")
def shell_init(shell: str, prompt: bool) -> int:
    """Print the shell functions to evaluate: `eval "$(awsprof shell-init bash)"`.

    They wrap `aws` with the guard, make `awsprof use PROFILE [--for 30m]` change this shell and
    expire its leases. Nothing is written to your rc files.
    """
    from awsprof.cli.shell_run import run_shell_init

    return run_shell_init([shell, *(["--prompt"] if prompt else [])])
