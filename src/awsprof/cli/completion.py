"""``awsprof completion SHELL``, and the command tree the completion reads from the click
application (cached by :mod:`awsprof.cli.completion_fast`, which answers each Tab)."""

from __future__ import annotations

import sys
from typing import Any

import click

from awsprof.shell.completion import SHELLS


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell: str) -> None:
    """Print the tab-completion script for SHELL (commands, options, profile names).

    bash/zsh: eval "$(awsprof completion bash)"; fish: awsprof completion fish | source;
    PowerShell: awsprof completion powershell | Out-String | Invoke-Expression.
    `awsprof shell-init` includes it.
    """
    from awsprof.cli.shell_run import awsprof_command
    from awsprof.shell.completion import script

    sys.stdout.write(script(shell, awsprof_command()))


def _parameter(parameter: click.Parameter) -> dict[str, Any]:
    choices = list(parameter.type.choices) if isinstance(parameter.type, click.Choice) else None
    if isinstance(parameter, click.Option):
        long = [o for o in parameter.opts if o.startswith("--")]
        return {
            "name": long[0] if long else parameter.opts[0],
            "takes_value": not parameter.is_flag and not parameter.count,
            "choices": [str(c) for c in choices] if choices else None,
        }
    return {"name": parameter.name, "choices": [str(c) for c in choices] if choices else None}


def _node(ctx: click.Context, command: click.Command, name: str) -> dict[str, Any]:
    options: dict[str, Any] = {}
    arguments = []
    for parameter in command.get_params(ctx):
        if isinstance(parameter, click.Option):
            if parameter.hidden:
                continue
            described = _parameter(parameter)
            for opt in [*parameter.opts, *parameter.secondary_opts]:
                options[opt] = described
        elif isinstance(parameter, click.Argument):
            arguments.append(_parameter(parameter))
    node: dict[str, Any] = {"name": name, "options": options, "arguments": arguments}
    if isinstance(command, click.Group):
        commands = {}
        for sub in command.list_commands(ctx):
            child = command.get_command(ctx, sub)
            if child is not None and not child.hidden:
                commands[sub] = _node(click.Context(child, parent=ctx, info_name=sub), child, sub)
        node["commands"] = commands
    return node


def build_tree() -> dict[str, Any]:
    """Every command of the click application, with its options and arguments."""
    from awsprof.cli.app import cli

    return _node(click.Context(cli, info_name="awsprof"), cli, "awsprof")
