"""``awsprof login`` and ``awsprof logout``: console credentials (``login_session`` profiles).

Options in, one call into :mod:`awsprof.signin.login`, messages here (URLs and prompts on stderr,
the result on stdout as the AWS CLI prints it).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from awsprof import settings as env_settings
from awsprof.cli.common import globals_of, profile_option, select
from awsprof.cli.output import warn as report

DEFAULT_REGION = "us-east-1"  # the AWS CLI's default answer to its region prompt


def _say(message: str = "") -> None:
    from awsprof.terminal import escape_message

    click.echo(escape_message(message), err=True)


def _profile_name(ctx: click.Context, local: str | None) -> str:
    """The AWS CLI v2's choice (the flag, then AWS_PROFILE, then AWS_DEFAULT_PROFILE): the one
    selection rule every command uses."""
    return select(ctx, local).profile


def _present(open_browser: bool, remote: bool) -> Callable[[str], None]:
    def present(url: str) -> None:
        if remote:
            _say("Open the following URL in a browser on any device and sign in:\n")
            _say(f"{url}\n")
            return
        if open_browser:
            import webbrowser

            _say("Attempting to open the AWS sign-in page in your browser.")
            _say("If it does not open, open the following URL on this machine:\n")
            _say(f"{url}\n")
            try:
                opened = webbrowser.open(url, new=2)
            except webbrowser.Error:
                opened = False
            if not opened:
                _say("(No browser could be started; open the URL above yourself.)")
        else:
            _say("Open the following URL in a browser on this machine (it redirects to 127.0.0.1):")
            _say()
            _say(f"{url}\n")

    return present


def _read_code() -> str:
    from awsprof.cli.output import end_of_input

    prompt = "Enter the authorization code displayed in your browser"
    try:
        return str(click.prompt(prompt, err=True))
    except click.exceptions.Abort:
        if not sys.stdin.isatty():
            raise end_of_input(prompt, "Run `awsprof login --remote` in a terminal.") from None
        raise


def _confirm(question: str) -> bool:
    from awsprof.cli.output import end_of_input

    try:
        return bool(click.confirm(question, err=True, default=False))
    except click.exceptions.Abort:
        if not sys.stdin.isatty():
            hint = "Log in with another --profile, or answer the question in a terminal."
            raise end_of_input(question, hint) from None
        raise


@click.command()
@profile_option
@click.option(
    "--remote",
    is_flag=True,
    help="No loopback listener: print the URL and read the code the sign-in page shows "
    "(for a host without a browser, e.g. over SSH).",
)
@click.option("--no-browser", is_flag=True, help="Print the URL instead of opening a browser.")
@click.option(
    "--list",
    "listing",
    is_flag=True,
    help="List the console logins the profiles use (from the cache, no sign-in).",
)
@click.option(
    "--output", type=click.Choice(["json", "text", "table"]), help="Output format of --list."
)
@click.pass_context
def login(
    ctx: click.Context,
    profile: str | None,
    remote: bool,
    no_browser: bool,
    listing: bool,
    output: str | None,
) -> None:
    """Console credentials for this profile through AWS Sign-In (as `aws login`).

    The profile gets `login_session = <your console principal's ARN>` (and `region` when it had
    none); the credentials and refresh token go to ~/.aws/login/cache (AWS_LOGIN_CACHE_DIRECTORY),
    shared with the AWS CLI. awsprof refreshes them while the console session lasts.
    """
    from awsprof.files import locate
    from awsprof.profiles.configure import Change, address, apply_changes
    from awsprof.profiles.model import load_files
    from awsprof.resolution.chain import select_region
    from awsprof.signin.login import DEFAULT_TIMEOUT, LoginUi
    from awsprof.signin.login import login as run_login

    if listing:
        _list(ctx, output or globals_of(ctx).output)
        return
    name = _profile_name(ctx, profile)
    files = load_files(os.environ)
    existing = files.profile(name)
    settings = {k: s.value for k, s in existing.settings.items()} if existing else {}
    region = select_region(os.environ, globals_of(ctx).region, existing).name
    prompted = False
    if not region:
        prompted = True
        region = str(
            click.prompt("AWS Region", default=DEFAULT_REGION, err=True)
            if sys.stdin.isatty()
            else DEFAULT_REGION
        )
    config_file, credentials_file = locate.aws_files(os.environ)
    ui = LoginUi(_present(not no_browser, remote), _read_code, _confirm, report)
    timeout = env_settings.seconds(os.environ, env_settings.SSO_LOGIN_TIMEOUT, DEFAULT_TIMEOUT)
    result = run_login(
        os.environ,
        config_file,
        credentials_file,
        name,
        settings,
        region,
        remote,
        ui,
        lambda: dt.datetime.now(dt.timezone.utc),
        timeout,
    )
    if result is None:
        return
    changes = [Change(address("login_session", name), result.session)]
    if prompted:
        changes.append(Change(address("region", name), region))
    apply_changes(os.environ, changes)
    click.echo(f"\nUpdated profile {name} to use {result.session} credentials.")
    if name != "default":
        click.echo(
            f'Use "--profile {name}" to use the new credentials, such as '
            f'"awsprof whoami --profile {name}"'
        )


@click.command()
@profile_option
@click.option("--all", "everything", is_flag=True, help="Remove every cached console login.")
@click.pass_context
def logout(ctx: click.Context, profile: str | None, everything: bool) -> None:
    """Revoke and remove the cached console login of this profile (as `aws logout`)."""
    from awsprof.profiles.model import load_files
    from awsprof.signin.login import logout as run_logout
    from awsprof.signin.login import logout_all, revoke_with

    if everything:
        count = logout_all(os.environ)
        click.echo(
            f"Removed {count} cached login credential{'s' if count != 1 else ''}."
            if count
            else "No cached login session tokens found."
        )
        return
    name = _profile_name(ctx, profile)
    found = load_files(os.environ).profile(name)
    session = found.text("login_session") if found is not None else None
    if session is None:
        report(f"no login session found for profile '{name}'")
        return
    result = run_logout(
        os.environ,
        name,
        session,
        revoke_with(_revoke_client(name, globals_of(ctx).region), _now),
    )
    revoked = " and revoked its refresh token" if result.revoked else ""
    click.echo(
        f"Removed cached login credentials for profile '{name}'{revoked}. Tools that already "
        "loaded the credentials may use them until they expire (at most 15 minutes)."
    )


def _list(ctx: click.Context, output: str | None) -> None:
    """The login rows: json/text/table with --output and --query, else an aligned table."""
    import json

    from awsprof.cli.structured import check_query, write_queried
    from awsprof.profiles.model import load_files
    from awsprof.signin.sessions import statuses

    query = globals_of(ctx).query
    check_query(query)
    now = _now()
    found = statuses(load_files(os.environ), os.environ, now)
    data = {"logins": [status.as_dict() for status in found]}
    if write_queried(data, output, "Logins", query):
        return
    if output == "json":
        click.echo(json.dumps(data, indent=2))
        return
    if not found:
        report("no profile uses a console login; create one with `awsprof login --profile NAME`")
        return
    rows = [("SESSION", "PROFILES", "ACCOUNT", "LOGGED IN", "EXPIRES", "REFRESHABLE")]
    for status in found:
        expired = status.cached and not status.logged_in
        rows.append(
            (
                status.session,
                ", ".join(status.profiles),
                status.account_id or "-",
                "yes" if status.cached and not expired else ("expired" if expired else "no"),
                status.expires_at.astimezone().strftime("%Y-%m-%d %H:%M %Z")
                if status.expires_at
                else "-",
                "yes" if status.refreshable else "no",
            )
        )
    from awsprof.terminal import escape

    shown = [[escape(cell) for cell in row] for row in rows]  # names come from hand edits
    widths = [max(len(row[i]) for row in shown) for i in range(len(shown[0]))]
    for row in shown:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _revoke_client(profile: str, region: str | None) -> Callable[[Any], Any]:
    def client_for(credentials: Any) -> Any:
        from awsprof.aws.clients import Clients
        from awsprof.credentials import Credentials
        from awsprof.files import locate

        assert isinstance(credentials, Credentials)  # noqa: S101 - from the login cache
        config_file, credentials_file = locate.aws_files(os.environ)
        clients = Clients(config_file, credentials_file, profile, region, os.environ)
        return clients.client("signin", credentials)

    return client_for
