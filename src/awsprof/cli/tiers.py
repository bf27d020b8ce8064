"""``awsprof tiers``: the account tiers and which profiles fall into each."""

from __future__ import annotations

import json
import os

import click


@click.command("tiers")
@click.pass_context
def tiers(ctx: click.Context) -> None:
    """Show the account tiers ([awsprof-tier NAME] sections) and their profiles.

    A tier maps accounts (IDs or patterns) and profile names (patterns) to a guard level, what a
    confirmation takes (the alias or the ID) and the prompt's colour and label.
    """
    from awsprof.guard.tier_map import as_json, tier_map

    found, members = tier_map(os.environ)
    data = as_json(found, members)
    output = ctx.obj.output if ctx.obj is not None else None
    if output == "json" or (output is None and not os.isatty(1)):
        click.echo(json.dumps(data, indent=2))
        return
    if not found:
        click.echo(
            "awsprof: no tiers: add an [awsprof-tier NAME] section (docs/guard.md)", err=True
        )
    for tier in data["tiers"]:  # type: ignore[attr-defined]
        patterns = ", ".join([*tier["accounts"], *tier["profiles"]]) or "(nothing)"
        click.echo(
            f"{tier['name']}: level {tier['level'] or 'none'}, confirm by {tier['confirm']}, "
            f"matches {patterns}"
        )
        for member in tier["members"]:
            click.echo(f"  {member['profile']:<24} {member['account'] or 'account not known'}")
        if tier["problem"]:
            click.echo(f"  problem: {tier['problem']}")
    untiered = data["untiered"]
    if found and untiered:
        click.echo("no tier:")
        for member in untiered:  # type: ignore[attr-defined]
            click.echo(f"  {member['profile']:<24} {member['account'] or 'account not known'}")
