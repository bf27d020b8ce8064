"""``awsprof doctor [--fix] [--online] [--output json]``: findings on stdout, changes on stderr."""

from __future__ import annotations

import json
import os
import sys

import click

from awsprof.cli.common import globals_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from awsprof.doctor.findings import Finding


def _text(findings: list[Finding], color: bool) -> str:
    from awsprof.doctor.findings import Severity
    from awsprof.terminal import escape, escape_message

    colours = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
    lines = []
    for finding in findings:
        severity = finding.severity.value
        if color:
            severity = click.style(severity, fg=colours[finding.severity])
        # Findings quote names and values from the files: shown with control characters escaped.
        lines.append(f"{finding.id} {severity} {escape(finding.where)}")
        lines.append(f"  {escape_message(finding.message)}")
        lines.append(f"  why: {escape_message(finding.why)}")
        lines.append(f"  fix: {escape_message(finding.fix)}")
    return "\n".join(lines) + ("\n" if lines else "")


@click.command()
@click.option("--fix", is_flag=True, help="Apply the fixes that cannot lose data, then re-check.")
@click.option("--online", is_flag=True, help="Also ask IAM about each key's age and last use.")
@click.option("--output", type=click.Choice(["json", "text"]), help="Output format.")
@click.pass_context
def doctor(ctx: click.Context, fix: bool, online: bool, output: str | None) -> int:
    """Check the config and credentials files, caches and keys against best practice."""
    from awsprof.cli.structured import check_query, write_queried
    from awsprof.doctor.findings import fails
    from awsprof.doctor.fix import apply_fixes
    from awsprof.doctor.run import examine, summary
    from awsprof.files.gcpause import paused_gc

    options = globals_of(ctx)
    check_query(options.query)  # before any work, as the AWS CLI checks it
    with paused_gc(until_exit=True):  # the files' objects live until the command ends
        findings = examine(os.environ, online=online)
    if fix:
        changes = apply_fixes(findings, os.environ)
        for change in changes:
            click.echo(f"awsprof: fixed {change}", err=True)
        if not changes:
            click.echo("awsprof: nothing that is safe to fix automatically", err=True)
        findings = examine(os.environ, online=online)
    data = [f.as_json() for f in findings]
    if write_queried(data, output or options.output, "Findings", options.query):
        return 1 if fails(findings) else 0
    if (output or options.output) == "json":
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    else:
        color = options.color and sys.stdout.isatty()
        sys.stdout.write(_text(findings, color))
        click.echo(f"awsprof doctor: {summary(findings)}", err=True)
    return 1 if fails(findings) else 0
