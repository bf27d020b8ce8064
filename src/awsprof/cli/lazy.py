"""Command groups whose subcommands are imported only when used.

Each command module imports what it needs (botocore, rich, the SSO flows, the sandbox); importing
them all to run one command cost tens of milliseconds on every invocation. A lazy group knows its
subcommands by name and loads the one that runs (or all of them for ``--help``); a target
``spec:WORDS`` is built from the declaration in :mod:`awsprof.cli.spec`.
"""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    def __init__(self, *args: object, lazy: dict[str, str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy: dict[str, str] = dict(lazy or {})  # name -> "module:attribute"

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from awsprof.cli.clickspec import AWS_CLI_V2_MIRROR, attach_globals, command_for

        target = self.lazy.get(cmd_name)
        if target is not None and cmd_name not in self.commands:
            module, _, attribute = target.partition(":")
            if module == "spec":  # "spec:configure get": built from awsprof.cli.spec
                command = command_for(tuple(attribute.split()))
            else:
                command = getattr(importlib.import_module(module), attribute)
            self.add_command(
                attach_globals(command, bool(getattr(self, AWS_CLI_V2_MIRROR, False))), cmd_name
            )
        return super().get_command(ctx, cmd_name)
