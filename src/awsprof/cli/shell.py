"""``awsprof shell-init``, ``use`` and ``prompt`` as click commands (help and errors); the work is
done by :mod:`awsprof.cli.shell_run`, which the fast path also calls."""

from __future__ import annotations

import os

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


@click.command("use")
@click.argument("profile", required=False)
@click.option("--for", "duration", metavar="DURATION", help="Only for a while: 90s, 30m, 2h.")
@click.option("--clear", is_flag=True, help="Unset AWS_PROFILE (and any lease).")
@click.option("--shell", type=click.Choice(SHELLS), help="Print code for this shell to evaluate.")
def use(profile: str | None, duration: str | None, clear: bool, shell: str | None) -> int:
    """Use PROFILE in the current shell (needs `awsprof shell-init`).

    Sets AWS_PROFILE, clears keys in the environment that would override it and
    AWS_DEFAULT_PROFILE; with --for, the shell falls back after the lease ends.
    """
    from awsprof.cli.shell_run import run_use

    args = [profile] if profile else []
    args += ["--for", duration] if duration else []
    args += ["--clear"] if clear else []
    args += ["--shell", shell] if shell else []
    return run_use(os.environ, args)


@click.command("prompt")
@click.option(
    "--format",
    "template",
    metavar="FORMAT",
    help="Placeholders: {profile} {account} "
    "{account_id} {alias} {region} {expires} {lease} {protected} {shadow} {level}.",
)
@click.option(
    "--shell", type=click.Choice(["bash", "zsh", "fish", "powershell", "plain"]), default="plain"
)
@click.option("--no-color", is_flag=True, help="No red for protected accounts.")
def prompt(template: str | None, shell: str, no_color: bool) -> int:
    """Print a short prompt segment: profile, account, region, time left (no network)."""
    from awsprof.cli.shell_run import run_prompt

    args = ["--shell", shell] + (["--format", template] if template is not None else [])
    return run_prompt(os.environ, args + (["--no-color"] if no_color else []))
