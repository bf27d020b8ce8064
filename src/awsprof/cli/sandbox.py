"""``awsprof sandbox up | down | env | status | demo``: the local emulated AWS.

Options in, one call into ``awsprof.sandbox``, output rendered here. Imports of the sandbox (and of
moto and botocore behind it) stay inside the commands so ``awsprof --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from awsprof.sandbox.control import SandboxState, Status

HOME_HELP = "Sandbox directory (default: $AWSPROF_SANDBOX_HOME or ~/.local/state/awsprof/sandbox)."


def _home(home: Path | None) -> Path:
    from awsprof.sandbox.control import default_home

    return (home or default_home()).expanduser().absolute()


def _home_option_text(home: Path) -> str:
    from awsprof.sandbox.control import default_home

    return "" if home == default_home().expanduser().absolute() else f" --home {home}"


def _say(message: str = "") -> None:
    click.echo(message, err=True)


def _describe(state: SandboxState) -> None:
    from awsprof.sandbox import accounts as world

    _say(f"  moto (STS, IAM, S3)   {state.moto_url}")
    _say(f"  IAM Identity Center   {state.idc_url}   start URL {world.SSO_START_URL}")
    _say(f"  AWS home              {state.home}/.aws")
    _say("  profiles:")
    for profile in world.PROFILES:
        kind = {
            "static": "static keys",
            "sso": f"SSO {profile.sso_role}",
            "role": f"role via {profile.source_profile}",
        }[profile.kind]
        mark = ", protected" if profile.protected else ""
        _say(
            f"    {profile.name:<8} {profile.account.account_id} ({profile.account.alias}) "
            f"{kind}{mark}"
        )


@click.group()
def sandbox() -> None:
    """A local emulated AWS and IAM Identity Center to try awsprof without an AWS account."""


@sandbox.command()
@click.option("--home", type=click.Path(path_type=Path, file_okay=False), help=HOME_HELP)
@click.option(
    "--moto-port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port of the emulated AWS (default: any free port).",
)
@click.option(
    "--idc-port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port of the emulated IAM Identity Center (default: any free port).",
)
@click.option(
    "--extra-accounts",
    type=click.IntRange(0, 100000),
    default=0,
    help="Add this many synthetic accounts to the SSO portal listing.",
)
@click.option(
    "--reset", is_flag=True, help="Write the AWS home afresh (your edits to it are lost)."
)
def up(home: Path | None, moto_port: int, idc_port: int, extra_accounts: int, reset: bool) -> None:
    """Start the sandbox in the background; its AWS home from before is kept unless --reset."""
    from awsprof.sandbox import control

    directory = _home(home)
    result = control.up(directory, moto_port, idc_port, extra_accounts, reset=reset)
    if result.already_running:
        _say(f"The sandbox is already running in {directory} (process {result.state.pid}).")
        if reset:
            from awsprof.errors import UsageError

            raise UsageError(
                "the sandbox is running, so its AWS home was not reset",
                f"Run `awsprof sandbox down{_home_option_text(directory)}` first, "
                "then `up --reset`.",
            )
    else:
        _say(f"Sandbox started in {directory} (process {result.state.pid}).")
        if result.reused_home:
            _say("  Kept its AWS home and your edits (new endpoints and keys; --reset: afresh).")
    _describe(result.state)
    option = _home_option_text(directory)
    _say("")
    _say("Next:")
    _say(f'  eval "$(awsprof sandbox env{option})"   # this shell now uses only the sandbox')
    _say("  aws sts get-caller-identity --profile dev")
    _say(f"  awsprof sandbox status{option}")
    _say(f"  awsprof sandbox down{option}")


@sandbox.command()
@click.option("--home", type=click.Path(path_type=Path, file_okay=False), help=HOME_HELP)
def down(home: Path | None) -> None:
    """Stop the sandbox's servers (its AWS home stays for the next `up`)."""
    from awsprof.sandbox import control

    result = control.down(_home(home))
    if result.kind == "stopped":
        _say(f"Sandbox stopped (process {result.pid}).")
    elif result.kind == "was-stale":
        _say(
            f"The sandbox's servers (process {result.pid}) were already gone; cleaned up its state."
        )
    else:
        _say(f"No sandbox is running in {result.home}.")


@sandbox.command()
@click.option("--home", type=click.Path(path_type=Path, file_okay=False), help=HOME_HELP)
@click.option("--undo", is_flag=True, help="Print the lines that return to the previous HOME.")
def env(home: Path | None, undo: bool) -> None:
    """Print shell lines that point the AWS CLI, boto3 and awsprof at the sandbox home.

    Use: eval "$(awsprof sandbox env)". HOME is set too, because the AWS CLI keeps its SSO and
    role caches under HOME; --undo prints the lines that go back.
    """
    from awsprof.errors import SandboxError
    from awsprof.sandbox.home import SandboxHome, env_lines, undo_lines

    if undo:
        click.echo("\n".join(undo_lines()))
        return
    directory = _home(home)
    paths = SandboxHome(directory)
    if not paths.config_file.exists():
        raise SandboxError(
            f"There is no sandbox home in {directory}",
            f"Run `awsprof sandbox up{_home_option_text(directory)}` first.",
        )
    click.echo("\n".join(env_lines(paths)))


def _status_json(current: Status, identities: list[dict[str, Any]] | None) -> str:
    data: dict[str, Any] = {"status": current.kind, "home": str(current.home)}
    if current.state is not None:
        data.update(
            pid=current.state.pid,
            moto_url=current.state.moto_url,
            idc_url=current.state.idc_url,
            started_at=current.state.started_at,
        )
    if current.reason:
        data["reason"] = current.reason
    if identities is not None:
        data["profiles"] = identities
    return json.dumps(data, indent=2)


@sandbox.command()
@click.option("--home", type=click.Path(path_type=Path, file_okay=False), help=HOME_HELP)
@click.option("--no-identities", is_flag=True, help="Skip GetCallerIdentity for each profile.")
@click.pass_context
def status(ctx: click.Context, home: Path | None, no_identities: bool) -> None:
    """Running, stale or not running; with each profile's identity when running."""
    from awsprof.sandbox import control
    from awsprof.sandbox.identities import check_identities

    current = control.status(_home(home))
    identities = None
    if current.kind == "running" and not no_identities:
        identities = check_identities(current.home)
    if ctx.find_root().obj is not None and ctx.find_root().obj.output == "json":
        click.echo(_status_json(current, identities))
    else:
        click.echo(_status_text(current, identities))
    if current.kind == "stale":
        _say(
            f"The sandbox in {current.home} is stale: {current.reason}. "
            f"Run `awsprof sandbox up{_home_option_text(current.home)}` to restart it."
        )
    elif current.kind == "not-running":
        _say(f"Start it with `awsprof sandbox up{_home_option_text(current.home)}`.")
    ctx.exit(0 if current.kind == "running" else 1)


def _status_text(current: Status, identities: list[dict[str, Any]] | None) -> str:
    lines = [f"status: {current.kind}", f"home:   {current.home}"]
    if current.state is not None:
        lines += [
            f"pid:    {current.state.pid} (started {current.state.started_at})",
            f"moto:   {current.state.moto_url}",
            f"sso:    {current.state.idc_url}",
        ]
    for item in identities or []:
        if "arn" in item:
            lines.append(f"  {item['profile']:<8} {item['account']}  {item['arn']}")
        else:
            what = "login required" if item.get("login_required") else item["error"]
            lines.append(f"  {item['profile']:<8} {what}: {item['message']}")
    return "\n".join(lines)


def _command_exists(words: tuple[str, ...]) -> bool:
    """Is ``awsprof WORDS...`` a command of this build? (The demo runs only what exists.)"""
    from awsprof.cli.app import cli

    command: click.Command = cli
    context = click.Context(cli)
    for word in words:
        if not isinstance(command, click.Group):
            return True  # the rest are arguments
        found = command.get_command(context, word)
        if found is None:
            return False
        command = found
    return True


@sandbox.command()
@click.option("--keep", is_flag=True, help="Leave the temporary sandbox running at the end.")
@click.pass_context
def demo(ctx: click.Context, keep: bool) -> None:
    """Walk the awsprof journey against a temporary sandbox, showing real output."""
    from awsprof.sandbox.demo import run_demo
    from awsprof.secrets import scrub

    def announce(number: int, total: int, title: str, explanation: str, argv: list[str]) -> None:
        click.secho(f"\n[{number}/{total}] {title}", bold=True)
        click.echo(f"  {explanation}")
        click.secho("  $ " + " ".join(argv), fg="cyan")

    def output(text: str) -> None:
        for line in scrub(text).splitlines():
            click.echo(f"  {line}")

    code = run_demo(announce, output, click.echo, _command_exists, keep=keep)
    ctx.exit(code)
