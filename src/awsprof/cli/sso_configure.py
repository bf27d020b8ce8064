"""``awsprof configure sso`` and ``configure sso-session``: the AWS CLI v2's SSO wizard.

Prompts go to stderr and read a line from stdin (so scripts can pipe answers); the account and
role pickers are questionary lists on a terminal, skipped when there is only one choice, and every
prompt has a flag so the wizard can run with no terminal at all.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from awsprof.cli.common import globals_of, profile_option
from awsprof.errors import UsageError


def _say(message: str = "") -> None:
    from awsprof.terminal import escape_message  # names and URLs may come from files or a portal

    click.echo(escape_message(message), err=True)


def _ask(
    label: str, current: str | None, given: str | None, flag: str, text: str | None = None
) -> str | None:
    """The flag's value, else a prompt (``text``, else ``label [current]: ``) whose empty answer
    keeps ``current``; end of input is a usage error naming ``flag``."""
    from awsprof.cli.output import read_answer
    from awsprof.sso.configure import prompt_text

    if given is not None:
        return given
    hint = f"Pass {flag} to answer without a prompt."
    return read_answer(text or prompt_text(label, current), hint) or current


def _pick(kind: str, flag: str, choices: list[tuple[str, str]], given: str | None) -> str:
    """One of ``choices`` ((label, value)); the flag's value when given, the only one when alone."""
    values = [value for _, value in choices]
    if given is not None:
        if given not in values:
            raise UsageError(f"{flag} {given} is not one of the {kind}s available to you")
        return given
    if not choices:
        raise UsageError(f"no {kind} is available to you through this session")
    if len(choices) == 1:
        return values[0]
    if not sys.stdin.isatty():
        raise UsageError(f"there are {len(choices)} {kind}s: choose one with {flag}")
    import questionary
    from prompt_toolkit.output import create_output

    answer = questionary.select(
        f"Choose the {kind}:",
        choices=[questionary.Choice(label, value) for label, value in choices],
        output=create_output(stdout=sys.stderr),
    ).ask()
    if answer is None:
        raise click.Abort
    return str(answer)


def _session_answers(
    files: Any,
    name: str | None,
    start_url: str | None,
    region: str | None,
    scopes: str | None,
    current_name: str | None = None,
    recommended: bool = True,
) -> Any:
    from awsprof.sso.configure import (
        SCOPES,
        SESSION_NAME,
        SESSION_NAME_REQUIRED,
        SSO_REGION,
        START_URL,
        SessionAnswers,
        session_defaults,
    )

    # The AWS CLI v2 shows no "[None]" here: "(Recommended)" in `configure sso`, where a
    # session is optional, and nothing in `configure sso-session`, where it is required.
    first = (SESSION_NAME if recommended else SESSION_NAME_REQUIRED) + ": "
    session = _ask(
        SESSION_NAME_REQUIRED, current_name, name, "--sso-session", None if current_name else first
    )
    if not session:
        raise UsageError("an SSO session name is required (the AWS CLI's recommended setup)")
    current = session_defaults(files, session)
    url = _ask(START_URL, current["sso_start_url"], start_url, "--start-url")
    sso_region = _ask(SSO_REGION, current["sso_region"], region, "--sso-region")
    if not url or not sso_region:
        raise UsageError("the SSO start URL and SSO region are required")
    chosen_scopes = _ask(SCOPES, current["sso_registration_scopes"], scopes, "--scopes") or ""
    return SessionAnswers(session, url, sso_region, chosen_scopes)


_session_options = [
    click.option("--sso-session", help="Session name (skips the prompt)."),
    click.option("--start-url", help="SSO start URL (skips the prompt)."),
    click.option("--sso-region", help="SSO region (skips the prompt)."),
    click.option("--scopes", help="Registration scopes, comma-separated (skips the prompt)."),
]


F = TypeVar("F", bound=Callable[..., Any])


def _with(options: list[Callable[[F], F]]) -> Callable[[F], F]:
    def decorate(function: F) -> F:
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


@click.command("sso-session")
@_with(_session_options)
def configure_sso_session(
    sso_session: str | None, start_url: str | None, sso_region: str | None, scopes: str | None
) -> None:
    """Create or edit an [sso-session] block (no login)."""
    from awsprof.profiles.configure import apply_changes
    from awsprof.profiles.model import load_files
    from awsprof.sso.configure import session_changes

    answers = _session_answers(
        load_files(os.environ), sso_session, start_url, sso_region, scopes, recommended=False
    )
    apply_changes(os.environ, session_changes(answers))
    _say(f"\nCompleted configuring SSO session: {answers.name}")
    _say("Run the following to log in and refresh the token for this session:\n")
    _say(f"awsprof sso login --sso-session {answers.name}")


@click.command("sso")
@profile_option
@_with(_session_options)
@click.option("--use-device-code", is_flag=True, help="Log in with the device-code flow.")
@click.option("--no-browser", is_flag=True, help="Print the login URL instead of opening it.")
@click.option("--account-id", help="Account to use (skips the picker).")
@click.option("--role-name", help="Role to use (skips the picker).")
@click.option("--region", "client_region", help="Default client region (skips the prompt).")
@click.option("--output", "output_format", help="Default output format (skips the prompt).")
@click.pass_context
def configure_sso(
    ctx: click.Context,
    profile: str | None,
    sso_session: str | None,
    start_url: str | None,
    sso_region: str | None,
    scopes: str | None,
    use_device_code: bool,
    no_browser: bool,
    account_id: str | None,
    role_name: str | None,
    client_region: str | None,
    output_format: str | None,
) -> None:
    """Configure an SSO profile: session, login, account and role pickers, region, output."""
    from awsprof.cli.sso import login_options, run_login
    from awsprof.profiles.configure import apply_changes
    from awsprof.profiles.model import load_files
    from awsprof.reader.selection import select_profile
    from awsprof.sso import configure as rules
    from awsprof.sso.login import clients_for
    from awsprof.sso.session import SessionSettings, endpoint_profile, session_settings

    profile = profile or globals_of(ctx).profile
    files = load_files(os.environ)
    # Like the AWS CLI v2, the brackets show the selected profile's values: --profile's, else
    # AWS_PROFILE's or [default]'s (its region and output become the new profile's defaults).
    current = rules.current_profile(files, profile or select_profile(None, os.environ).profile)
    answers = _session_answers(
        files, sso_session, start_url, sso_region, scopes, current["sso_session"]
    )
    # A new [sso-session] block is written after the profile, at the end, as the AWS CLI v2
    # orders them; an existing one is edited in place before the login, which reads it.
    new_session = files.sso_session(answers.name) is None
    if new_session:
        settings = SessionSettings(
            answers.name,
            answers.start_url,
            answers.region,
            tuple(s.strip() for s in answers.scopes.split(",") if s.strip()),
            profile=endpoint_profile(files, answers.name, os.environ),
        )
    else:
        apply_changes(os.environ, rules.session_changes(answers))
        files = load_files(os.environ)
        settings = session_settings(files, os.environ, sso_session=answers.name)
    token = run_login(files, settings, login_options(use_device_code, no_browser, True, None)).token
    portal = clients_for(os.environ, files, settings).client("sso", None, region=settings.region)
    accounts = _all(portal.list_accounts, "accountList", accessToken=token.access_token)
    account_choices = [
        (rules.account_label(a), a["accountId"]) for a in rules.sorted_accounts(accounts)
    ]
    _say(f"There are {len(accounts)} AWS accounts available to you.")
    account = _pick("account", "--account-id", account_choices, account_id)
    _say(f"Using the account ID {account}")
    roles = _all(
        portal.list_account_roles, "roleList", accessToken=token.access_token, accountId=account
    )
    role_names = sorted(r["roleName"] for r in roles)
    _say(f"There are {len(role_names)} roles available to you.")
    role = _pick("role", "--role-name", [(n, n) for n in role_names], role_name)
    _say(f'Using the role name "{role}"')
    region = _ask(rules.CLIENT_REGION, current["region"], client_region, "--region")
    output = _ask(rules.OUTPUT, current["output"], output_format, "--output")
    name = profile or _ask(
        rules.PROFILE_NAME, rules.default_profile_name(role, account), None, "--profile"
    )
    if not name:  # pragma: no cover - the prompt's default is never empty
        raise UsageError("a profile name is required")
    changes = rules.profile_changes(
        rules.ProfileAnswers(name, answers.name, account, role, region, output)
    )
    apply_changes(os.environ, changes + (rules.session_changes(answers) if new_session else []))
    _say("\nTo use this profile, specify the profile name using --profile, as shown:\n")
    _say(f"awsprof whoami --profile {name}")


def _all(function: Any, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    from awsprof.aws.clients import call

    items: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        extra = {"nextToken": token} if token else {}
        answer = call(key, function, **kwargs, **extra)
        items += answer.get(key) or []
        token = answer.get("nextToken")
        if not token:
            return items
