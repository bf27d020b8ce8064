"""Click commands built from :mod:`awsprof.cli.spec`, and the global options at every level.

A declared command's click options, arguments and help all come from its declaration, and its
callback calls the same handler with the same :class:`~awsprof.cli.spec.Invocation` as the fast
path, so the two cannot accept different lines or do different things with them.

Global options (``--profile``, ``--region``, ``--output``, ``--query``, ``--debug``,
``--no-color``) are recorded into one :class:`Globals` on the root context wherever they appear:
before the command, between its words or after them; the last one wins, as in the AWS CLI.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import click

from awsprof.cli import spec


@dataclasses.dataclass(frozen=True)
class Globals:
    """Options every command accepts, in the AWS CLI's spelling (``given``: those on the line)."""

    profile: str | None = None
    region: str | None = None
    output: str | None = None
    debug: bool = False
    color: bool = True
    query: str | None = None
    given: frozenset[str] = frozenset()

    def values(self) -> dict[str, str | bool | None]:
        """By the declaration's destinations (``no_color``, not ``color``)."""
        return {
            "profile": self.profile,
            "region": self.region,
            "output": self.output,
            "query": self.query,
            "debug": self.debug,
            "no_color": not self.color,
        }


def globals_of(ctx: click.Context) -> Globals:
    root = ctx.find_root().obj
    return root if isinstance(root, Globals) else Globals()


def _record(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """A global option's callback: fold its value into the root's :class:`Globals`."""
    if value is None or value is False:
        return
    name = param.opts[0]
    current = globals_of(ctx)
    given = current.given | {name}
    dest = spec.GLOBAL_NAMES[name].dest
    if dest == "no_color":
        changed = dataclasses.replace(current, color=False, given=given)
    elif dest == "debug":
        changed = dataclasses.replace(current, debug=True, given=given)
    else:
        fields: dict[str, Any] = {dest: str(value), "given": given}
        changed = dataclasses.replace(current, **fields)
    ctx.find_root().obj = changed


def _option(option: spec.Option, is_global: bool) -> click.Option:
    common: dict[str, Any] = {"help": option.help}
    if option.metavar:
        common["metavar"] = option.metavar
    if is_global:
        common.update(expose_value=False, callback=_record)
    if option.kind == spec.FLAG:
        return click.Option([option.name, option.dest], is_flag=True, **common)
    kind = click.Choice(option.choices) if option.choices else None
    return click.Option([option.name, option.dest], type=kind, default=option.default, **common)


def global_options(names: tuple[str, ...] = spec.STRUCTURED) -> list[click.Option]:
    return [_option(spec.GLOBAL_NAMES[name], is_global=True) for name in names]


class SpecCommand(click.Command):
    """A command built from the declaration (its globals are exactly the declared ones)."""


def build(command: spec.Command) -> click.Command:
    """The click command of one declaration."""
    params: list[click.Parameter] = [_option(option, False) for option in command.options]
    params += global_options(command.globals)
    for argument in command.arguments:
        kind = click.Choice(argument.choices) if argument.choices else None
        params.append(click.Argument([argument.name], required=argument.required, type=kind))
    if command.passthrough:
        rest = click.Argument(["rest"], nargs=-1, type=click.UNPROCESSED, metavar="[--] COMMAND...")
        params.append(rest)
    local = {option.dest for option in command.options}

    def callback(**kwargs: Any) -> int:
        ctx = click.get_current_context()
        options = globals_of(ctx)
        refused = sorted(options.given - set(command.globals))
        if refused:
            raise click.UsageError(
                f"`awsprof {' '.join(command.words)}` does not take {', '.join(refused)}", ctx
            )
        values = {dest: kwargs[dest] for dest in local}
        values.update(options.values())
        arguments = [kwargs[a.name] for a in command.arguments if kwargs[a.name] is not None]
        invocation = spec.Invocation(command, values, arguments, list(kwargs.get("rest", ())))
        code = spec.load(command.fast)(invocation)
        if code is None and command.slow is not None:
            code = spec.load(command.slow)(invocation)
        return 0 if code is None else code

    return SpecCommand(
        command.words[-1],
        params=params,
        callback=callback,
        help=command.help,
        short_help=command.short_help,
        context_settings={
            "help_option_names": ["-h", "--help"],
            "allow_interspersed_args": not command.passthrough,
        },
    )


def command_for(words: tuple[str, ...]) -> click.Command:
    return build(spec.BY_WORDS[words])


# Set on a group whose commands mirror the AWS CLI v2's (``configure``): they all take every
# global after their words, as the AWS CLI does.
AWS_CLI_V2_MIRROR = "awsprof_mirrors_aws_cli_v2"


def mirrors_aws_cli_v2(group: click.Group) -> click.Group:
    setattr(group, AWS_CLI_V2_MIRROR, True)
    return group


def attach_globals(command: click.Command, mirror: bool = False) -> click.Command:
    """Give a hand-written command the global options it does not declare itself, so that they
    are accepted after its words too: a group takes them all (they are for its subcommands); a
    command takes ``--query`` only when it has an ``--output`` of its own (structured output),
    and no second ``--output``; a command of a group that mirrors the AWS CLI v2 takes them all
    (``mirror``)."""
    if isinstance(command, SpecCommand):
        return command
    mirror = mirror or bool(getattr(command, AWS_CLI_V2_MIRROR, False))
    taken = {name for param in command.params for name in param.opts}
    # A parameter of the same name (``protect PROFILE``) would be overwritten by the global.
    dests = {param.name for param in command.params}
    names = spec.STRUCTURED
    if not isinstance(command, click.Group) and not mirror:
        names = spec.PROFILED + (("--query",) if "--output" in taken else ())
    command.params.extend(
        option
        for option in global_options(names)
        if option.opts[0] not in taken and option.name not in dests
    )
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            attach_globals(sub, mirror)
    return command
