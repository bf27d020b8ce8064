"""``awsprof sso login | logout | sessions | populate``: IAM Identity Center sessions.

Options in, one call into :mod:`awsprof.sso`, output here. This module is the only place that
opens a browser (``webbrowser``, which honours ``$BROWSER``), prints a URL or a device code, or
draws a progress bar. Messages go to stderr; ``sessions`` and ``populate`` data go to stdout.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import click

from awsprof import settings as env_settings
from awsprof.cli import spec
from awsprof.cli.clickspec import command_for
from awsprof.cli.common import globals_of, profile_option
from awsprof.cli.output import warn as report
from awsprof.terminal import for_stream

if TYPE_CHECKING:
    from awsprof.profiles.model import AwsFiles
    from awsprof.sso.device import DeviceCode
    from awsprof.sso.login import LoginOptions, LoginResult, LoginUi
    from awsprof.sso.session import SessionSettings
    from awsprof.sso.token import SsoToken

TIMEOUT_VARIABLE = env_settings.SSO_LOGIN_TIMEOUT


def _say(message: str = "") -> None:
    from awsprof.terminal import escape_message  # names and URLs may come from files or a portal

    click.echo(escape_message(message), err=True)


def _open_browser(url: str) -> bool:
    import webbrowser

    try:
        return bool(webbrowser.open(url, new=2))
    except webbrowser.Error:
        return False


def present_authorize(url: str, open_browser: bool) -> None:
    if open_browser:
        _say("Attempting to open the IAM Identity Center authorization page in your browser.")
        _say("If it does not open, open the following URL on this machine:\n")
        _say(f"{url}\n")
        if not _open_browser(url):
            _say("(No browser could be started; open the URL above yourself.)")
    else:
        _say("Open the following URL in a browser on this machine (it redirects to 127.0.0.1):\n")
        _say(f"{url}\n")


def present_device(code: DeviceCode, open_browser: bool) -> None:
    if open_browser:
        _say("Attempting to open the IAM Identity Center authorization page in your browser.")
        _say("If it does not open, open the following URL on any device:\n")
    else:
        _say("Open the following URL on any device:\n")
    _say(f"{code.verification_uri}\n")
    _say(f"Then enter the code:\n\n{code.user_code}\n")
    if open_browser:
        _open_browser(code.verification_uri_complete)


def _chose(flow: str, reason: str) -> None:
    if flow == "device" and reason != "--use-device-code":
        _say(f"Using the device code login ({reason}).")


def terminal_ui() -> LoginUi:
    from awsprof.sso.login import LoginUi

    return LoginUi(present_authorize, present_device, lambda message: _say(message), _chose)


def login_options(
    use_device_code: bool, no_browser: bool, if_needed: bool, redirect_port: int | None
) -> LoginOptions:
    from awsprof.sso import where
    from awsprof.sso.login import DEFAULT_TIMEOUT, LoginOptions

    timeout = env_settings.seconds(os.environ, TIMEOUT_VARIABLE, DEFAULT_TIMEOUT)
    return LoginOptions(
        use_device_code=use_device_code,
        open_browser=not no_browser,
        if_needed=if_needed,
        redirect_port=redirect_port,
        timeout=timeout,
        lock_timeout=timeout + 60.0,
        place=where.detect(os.environ),
        environ_flow=os.environ.get(where.FLOW_VARIABLE, "").lower() or None,
    )


def run_login(files: AwsFiles, settings: SessionSettings, options: LoginOptions) -> LoginResult:
    from awsprof.sso.login import deps_for, login

    result = login(settings, options, terminal_ui(), deps_for(os.environ, files, settings, report))
    _say(_login_message(result))
    return result


def _login_message(result: LoginResult) -> str:
    until = result.token.expires_at.astimezone().strftime("%Y-%m-%d %H:%M %Z")
    what = f"{result.settings.label} ({result.settings.start_url})"
    return {
        "valid": f"Already logged in to {what} until {until}.",
        "refreshed": f"Refreshed the login to {what}; valid until {until}.",
        "reused": f"Logged in to {what} by another awsprof process; valid until {until}.",
    }.get(result.outcome, f"Successfully logged in to {what}; valid until {until}.")


@click.group()
def sso() -> None:
    """IAM Identity Center: log in and out, list sessions, populate profiles."""


def run_login_command(invocation: spec.Invocation) -> int:
    """``sso login`` as declared in :mod:`awsprof.cli.spec` (when the fast path did not answer)."""
    from awsprof.errors import UsageError
    from awsprof.profiles.model import load_files
    from awsprof.sso.session import session_settings

    port_text = invocation.text("redirect_port")
    port = None
    if port_text is not None:
        if not port_text.isdigit() or int(port_text) > 65535:
            raise UsageError(f"--redirect-port takes a port number (0-65535), not '{port_text}'")
        port = int(port_text)
    files = load_files(os.environ)
    settings = session_settings(
        files, os.environ, invocation.text("sso_session"), invocation.text("profile")
    )
    options = login_options(
        invocation.flag("use_device_code"),
        invocation.flag("no_browser"),
        invocation.flag("if_needed"),
        port,
    )
    run_login(files, settings, options)
    return 0


sso.add_command(command_for(("sso", "login")))


def _is_terminal() -> bool:
    return sys.stderr.isatty()


@contextlib.contextmanager
def _progress(title: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr when it is a terminal; silent otherwise (logs, pipes)."""
    if not _is_terminal():
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        f"[bold]{title}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(title, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@sso.command("logout")
@click.option("--sso-session", help="Log out of this session only.")
@click.option("--all", "everything", is_flag=True, help="Log out of every session.")
@profile_option
@click.pass_context
def logout_command(
    ctx: click.Context, sso_session: str | None, everything: bool, profile: str | None
) -> None:
    """Sign out at the portal and delete the sessions' tokens and role credentials.

    With no option, every session (as `aws sso logout` does); --sso-session or --profile: one.
    Role credentials cached from the sessions are deleted too, chained roles included.
    """
    from awsprof.errors import UsageError
    from awsprof.profiles.model import load_files
    from awsprof.sso.login import clients_for
    from awsprof.sso.session import all_sessions, session_settings
    from awsprof.sso.sessions import logout

    if everything and (sso_session or profile):
        raise UsageError("--all logs out of every session: drop --sso-session / --profile")
    files = load_files(os.environ)
    chosen = profile or (None if sso_session else globals_of(ctx).profile)
    everything = everything or (sso_session is None and chosen is None)
    if everything:
        sessions = all_sessions(files, os.environ)
    else:
        sessions = [session_settings(files, os.environ, sso_session, chosen)]

    def portal(settings: SessionSettings, token: SsoToken) -> Any:
        return clients_for(os.environ, files, settings).client("sso", None, region=settings.region)

    result = logout(files, os.environ, sessions, portal, report, everything)
    names = ", ".join(result.sessions) or "no configured session"
    tokens = len(result.deleted) - result.role_credentials
    _say(
        f"Logged out of {names}; deleted {len(result.deleted)} cached file(s): "
        f"{tokens} token(s), {result.role_credentials} role credential(s)."
    )


@sso.command("sessions")
@click.option("--output", type=click.Choice(["json", "text", "table"]), help="Output format.")
@click.pass_context
def sessions_command(ctx: click.Context, output: str | None) -> None:
    """Every sso-session: start URL, logged in until when, refreshable, role credentials."""
    import json

    from awsprof.cli.structured import check_query, write_queried
    from awsprof.credentials import now_utc
    from awsprof.files.gcpause import paused_gc
    from awsprof.profiles.model import load_files
    from awsprof.sso.sessions import statuses

    query = globals_of(ctx).query
    check_query(query)  # before any work, as the AWS CLI checks it
    with paused_gc(until_exit=True):  # the profiles' objects live until the command ends
        found = statuses(load_files(os.environ), os.environ, now_utc(), report)
    if query is not None:  # the JSON form is built only for output that shows it
        data = {"sessions": [s.as_dict() for s in found]}
        write_queried(data, output or globals_of(ctx).output, "Sessions", query)
        return
    if (output or globals_of(ctx).output) == "json":
        click.echo(json.dumps({"sessions": [s.as_dict() for s in found]}, indent=2))
        return
    if not found:
        _say("No sso-session is configured; create one with `awsprof configure sso-session`.")
        return
    rows = [("SESSION", "START URL", "LOGGED IN", "EXPIRES", "REFRESHABLE", "ROLE CREDENTIALS")]
    now = now_utc()
    for status in found:
        roles = [r for r in status.cached_roles() if r.expires_at and r.expires_at > now]
        role_text = f"{len(roles)} of {len(status.members)} cached" + (
            f", until {_when(min(r.expires_at for r in roles if r.expires_at))}" if roles else ""
        )
        rows.append(
            (
                status.settings.label,
                status.settings.start_url,
                "yes" if status.logged_in else "no",
                _when(status.expires_at) if status.expires_at else "-",
                "yes" if status.refreshable else "no",
                role_text,
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


def _when(moment: datetime.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M %Z")


@sso.command("populate")
@click.option(
    "--sso-session",
    "sessions",
    multiple=True,
    required=True,
    help="A session whose accounts and roles to use (repeat for several, one write).",
)
@click.option(
    "--name",
    "--template",
    "template",
    help="Profile names, e.g. '{account_name}-{role_name}' (the default); also {account_id}, "
    "{sso_session}. Lower-cased, spaces and other characters become '-'.",
)
@click.option(
    "--region", "region", help="region = of the generated profiles (default: sso_region)."
)
@click.option(
    "--prune", is_flag=True, help="Remove generated profiles whose account or role is gone."
)
@click.option(
    "--set", "extra", multiple=True, metavar="KEY=VALUE", help="Add a key to each profile."
)
@click.option("--dry-run", is_flag=True, help="Print the changes; write nothing.")
@click.option(
    "--force", is_flag=True, help="Overwrite (or prune) generated profiles edited by hand."
)
def populate_command(
    sessions: tuple[str, ...],
    template: str | None,
    region: str | None,
    prune: bool,
    extra: tuple[str, ...],
    dry_run: bool,
    force: bool,
) -> None:
    """Sync a profile for every account and role the sessions can reach (one atomic write).

    Prints the changes, one line per profile: '+ NAME' added, '~ NAME (keys)' or
    '~ OLD -> NEW' changed, '- NAME' removed, '! NAME' edited by hand and left alone. Only
    profiles populate generated (awsprof_generated = ...) are ever changed or removed.
    """
    from awsprof.credentials import now_utc
    from awsprof.errors import UsageError
    from awsprof.profiles.model import load_files
    from awsprof.sso import populate
    from awsprof.sso.login import clients_for, sso_cache
    from awsprof.sso.portal import portal_for
    from awsprof.sso.session import session_settings
    from awsprof.sso.token import TokenCache, usable_token

    pairs = []
    for item in extra:
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise UsageError(f"--set takes KEY=VALUE, not '{key}'")
        pairs.append((key.strip(), value.strip()))
    chosen = template or populate.DEFAULT_TEMPLATE
    populate.check_template(chosen)
    files = load_files(os.environ)
    plans: list[populate.Plan] = []
    for sso_session in dict.fromkeys(sessions):
        request = populate.PopulateRequest(
            sso_session, chosen, region, prune, tuple(pairs), dry_run, force
        )
        settings = session_settings(files, os.environ, sso_session)
        clients = clients_for(os.environ, files, settings)
        oidc_region = settings.region
        token = usable_token(
            TokenCache(sso_cache(os.environ, report), settings.token_key),
            lambda: clients.client("sso-oidc", None, region=oidc_region),  # noqa: B023
            now_utc,
            f"Run `{settings.login_command()}`.",
            f"session '{sso_session}'",
            report,
        )
        # One attempt per botocore call: populate's own backoff paces the retries. The client
        # gives the endpoint and the HTTP session; the calls skip its per-call pipeline.
        portal = portal_for(clients.client("sso", None, region=settings.region, max_attempts=1))
        with _progress(f"{sso_session}: accounts") as progress:
            assignments = populate.fetch_assignments(portal, token.access_token, progress)
        plans.append((request, assignments, settings.region))
    # Names the credentials file defines are taken too (the config's are read under the lock).
    credentials = files.credentials.sections if files.credentials is not None else []
    credentials_names = [s.name for s in credentials if s.name != "DEFAULT"]
    result = populate.write(files.config_path, plans, credentials_names, dry_run, os.environ)
    for line in result.diff_lines():
        click.echo(for_stream(line, sys.stdout))
    verb = "would be" if dry_run else "were"
    _say(
        f"{result.assignments} account roles: {len(result.added)} profiles {verb} added, "
        f"{len(result.updated)} changed, {len(result.removed)} removed"
        + (f", {len(result.covered)} already configured by hand" if result.covered else "")
        + (f", {len(result.edited)} edited by hand and kept" if result.edited else "")
        + "."
    )
    if result.stale:
        _say(
            f"{len(result.stale)} generated profile(s) no longer match an account role "
            f"({', '.join(result.stale[:5])}{', ...' if len(result.stale) > 5 else ''}); "
            "run again with --prune to remove them."
        )
    if result.written and not dry_run:
        _say(f"The previous file is kept as {files.config_path}{populate.BACKUP_SUFFIX}.")
