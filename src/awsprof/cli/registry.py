"""``awsprof registry``: follow a team's shared profiles (add, list, sync, trust, remove)."""

from __future__ import annotations

import json
import os
import sys

import click

from awsprof.errors import UsageError


@click.group("registry")
def registry() -> None:
    """Shared profile registries: a config fragment in a git repository, a file or an HTTPS
    URL, synced into one marked block of your config file. Nothing outside the block is touched;
    a local profile always wins; keys that run commands need `awsprof registry trust NAME`."""


@registry.command("add")
@click.argument("source")
@click.option("--name", help="A short name (default: from the source).")
@click.option(
    "--path",
    "fragment_path",
    default="config",
    show_default=True,
    help="The fragment's file inside a git repository.",
)
def add(source: str, name: str | None, fragment_path: str) -> None:
    """Follow the registry at SOURCE (then run `awsprof registry sync`)."""
    from awsprof.registry import store

    kind = store.kind_of(source)
    if name is None:
        base = source.rstrip("/").rsplit("/", 1)[-1]
        name = base.removesuffix(".git").rsplit(".", 1)[0] or "registry"
    if not store.NAME.match(name):
        raise UsageError(f"'{name}' is not a registry name", "Use letters, digits, '.', '_', '-'.")
    found = store.load(os.environ)
    if any(r.name == name for r in found):
        raise UsageError(f"a registry named '{name}' exists", "Pick another --name.")
    path = os.path.abspath(source) if kind in ("file", "git") and os.path.exists(source) else source
    found.append(store.Registration(name, path, kind, fragment_path))
    store.save(os.environ, found)
    click.echo(
        f"awsprof: following registry '{name}' ({kind}: {path}); "
        "`awsprof registry sync --dry-run` shows what it would write",
        err=True,
    )


@registry.command("list")
@click.pass_context
def list_(ctx: click.Context) -> None:
    """The registries you follow."""
    from dataclasses import asdict

    from awsprof.registry import store

    found = store.load(os.environ)
    if ctx.obj is not None and ctx.obj.output == "json":
        click.echo(json.dumps([asdict(r) for r in found], indent=2))
        return
    for r in found:
        trust = ", trusted to run commands" if r.trust_exec else ""
        click.echo(f"{r.name}\t{r.kind}\t{r.source}{trust}")


@registry.command("sync")
@click.argument("name", required=False)
@click.option("--dry-run", is_flag=True, help="Print the diff and change nothing.")
@click.option("--yes", is_flag=True, help="Apply without asking (needed without a terminal).")
def sync(name: str | None, dry_run: bool, yes: bool) -> None:
    """Fetch each registry (or NAME) and update its block of the config file."""
    from awsprof.registry import sources, store
    from awsprof.registry.sync import apply, plan_sync

    found = store.load(os.environ)
    chosen = [store.find(found, name)] if name else found
    if not chosen:
        raise UsageError("no registries yet", "Add one: `awsprof registry add SOURCE`.")
    for registration in chosen:
        plan = plan_sync(registration, sources.fetch(registration, os.environ), os.environ)
        for collision in plan.collisions:
            click.echo(
                f"awsprof: registry '{registration.name}': {collision} is defined locally; "
                "the local one is kept",
                err=True,
            )
        for refused in plan.refused:
            click.echo(f"awsprof: registry '{registration.name}': refused {refused}", err=True)
        if not plan.changed:
            click.echo(f"awsprof: registry '{registration.name}' is up to date", err=True)
            continue
        click.echo(plan.diff(), nl=False)
        if dry_run:
            continue
        if not yes:
            if not sys.stdin.isatty():
                raise UsageError(
                    "the changes above need your go-ahead",
                    "Run it at a terminal, or pass --yes (or --dry-run).",
                )
            if not click.confirm("Apply these changes?", default=False, err=True):
                click.echo("awsprof: nothing written", err=True)
                continue
        apply(plan)
        click.echo(
            f"awsprof: registry '{registration.name}': {len(plan.profiles)} section(s) "
            f"in {plan.path}",
            err=True,
        )


@registry.command("trust")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Stop trusting it.")
def trust(name: str, revoke: bool) -> None:
    """Accept keys that run commands (credential_process) from registry NAME."""
    from dataclasses import replace

    from awsprof.registry import store

    found = store.load(os.environ)
    chosen = store.find(found, name)
    store.save(os.environ, [replace(r, trust_exec=not revoke) if r is chosen else r for r in found])
    state = "no longer trusted" if revoke else "trusted"
    click.echo(
        f"awsprof: registry '{name}' is {state} to run commands; "
        "`awsprof registry sync` applies it",
        err=True,
    )


@registry.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """Stop following NAME and remove its block from the config file."""
    from awsprof.registry import store
    from awsprof.registry.sync import remove_block

    found = store.load(os.environ)
    chosen = store.find(found, name)
    removed = remove_block(name, os.environ)
    store.save(os.environ, [r for r in found if r is not chosen])
    click.echo(
        f"awsprof: registry '{name}' removed" + (" with its block" if removed else ""), err=True
    )
