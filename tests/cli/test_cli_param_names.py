"""No command has two parameters of one name: click lets the later overwrite the earlier, so a
global option attached after the words (``--profile``) would silently replace an argument of the
same name (``protect PROFILE``)."""

from __future__ import annotations

import warnings

import click
from click.testing import CliRunner

from awsprof.cli.app import cli


def _commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(cli)
    found: list[tuple[str, click.Command]] = []
    pending: list[tuple[str, click.Command]] = [("awsprof", cli)]
    while pending:
        path, command = pending.pop()
        found.append((path, command))
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    pending.append((f"{path} {name}", sub))
    return found


def test_every_command_has_unique_parameter_names() -> None:
    commands = _commands()
    assert len(commands) > 40  # every command of the application was loaded
    clashes = {}
    for path, command in commands:
        names = [param.name for param in command.params]
        repeated = {name for name in names if names.count(name) > 1}
        if repeated:
            clashes[path] = sorted(n for n in repeated if n)
    assert clashes == {}


def test_protect_refuses_a_global_profile_instead_of_mixing_it_with_its_argument() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # click's "will overwrite each other" warning fails
        result = CliRunner().invoke(cli, ["protect", "a", "--profile", "b"])
    assert result.exit_code == 2
    assert "No such option '--profile'" in result.output
