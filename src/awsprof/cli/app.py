"""The click application: global options (from :mod:`awsprof.cli.spec`) and the commands."""

from __future__ import annotations

from collections.abc import Sequence

import click

from awsprof import __version__
from awsprof.cli.clickspec import Globals, global_options
from awsprof.cli.lazy import LazyGroup

__all__ = ["COMMANDS", "Globals", "cli", "run_click"]


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="awsprof")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """awsprof: AWS named profiles without the wrong-account accidents."""
    if not isinstance(ctx.obj, Globals):  # the global options' callbacks may have made it
        ctx.obj = Globals()


cli.params.extend(global_options())


def run_click(argv: Sequence[str]) -> int:
    """Run the click application and return the exit code instead of exiting."""
    try:
        result = cli.main(list(argv), prog_name="awsprof", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("\nawsprof: interrupted", err=True)
        return 130
    except click.exceptions.ClickException as error:
        error.show()
        return 2 if isinstance(error, click.UsageError) else 1
    except click.exceptions.Exit as exit_:
        return int(exit_.exit_code)
    return int(result) if isinstance(result, int) else 0


# Top-level commands: name -> "module:attribute", imported when that command runs.
COMMANDS = {
    "completion": "awsprof.cli.completion:completion",
    "agent": "awsprof.cli.agent:agent",
    "configure": "awsprof.cli.configure:configure",
    "console": "awsprof.cli.console:console",
    "credential-process": "awsprof.cli.credentials:credential_process",
    "doctor": "awsprof.cli.doctor:doctor",
    "exec": "awsprof.cli.credentials:exec_",
    "guard": "spec:guard",
    "keys": "awsprof.cli.keys:keys",
    "login": "awsprof.cli.login:login",
    "logout": "awsprof.cli.login:logout",
    "directory": "spec:directory",
    "prompt": "spec:prompt",
    "protect": "awsprof.cli.guard:protect",
    "registry": "awsprof.cli.registry:registry",
    "sandbox": "awsprof.cli.sandbox:sandbox",
    "shell-init": "awsprof.cli.shell:shell_init",
    "serve": "awsprof.cli.serve:serve",
    "sso": "awsprof.cli.sso:sso",
    "sts": "awsprof.cli.identity:sts",
    "tiers": "awsprof.cli.tiers:tiers",
    "trust": "awsprof.cli.trust:trust",
    "unprotect": "awsprof.cli.guard:unprotect",
    "use": "spec:use",
    "whoami": "spec:whoami",
}
cli.lazy.update(COMMANDS)
