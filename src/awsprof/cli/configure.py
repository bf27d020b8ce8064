"""``awsprof configure``: the wizard and its set/get/list/list-profiles family."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

import click

from awsprof.cli import configure_fast
from awsprof.cli.common import globals_of, profile_option, select
from awsprof.cli.lazy import LazyGroup
from awsprof.cli.output import secret_prompt
from awsprof.errors import UsageError
from awsprof.files.document import check_text
from awsprof.profiles import wizard
from awsprof.profiles.configure import CREDENTIAL_KEYS, Change, address, apply_changes
from awsprof.profiles.model import Profile, load_files
from awsprof.resolution.selection import SelectedBy, select_profile
from awsprof.secrets import mask
from awsprof.terminal import escape


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    lazy={
        "export-credentials": "awsprof.cli.credentials:export_credentials",
        "import": "awsprof.cli.configure_import:configure_import",
        "sso": "awsprof.cli.sso_configure:configure_sso",
        "sso-session": "awsprof.cli.sso_configure:configure_sso_session",
    },
)
@profile_option
@click.pass_context
def configure(ctx: click.Context, profile: str | None) -> None:
    """Ask for keys, region and output of a profile, or use a subcommand."""
    if ctx.invoked_subcommand is not None:
        return
    name = select(ctx, profile).profile
    run_wizard(os.environ, name)


def run_wizard(environ: Mapping[str, str], profile: str) -> None:
    check_text("profile name", profile)  # refused before asking anything
    files = load_files(environ)
    current = wizard.current_values(files, profile)
    answers: dict[str, str] = {}
    for question in (wizard.ACCESS_KEY, wizard.SECRET_KEY):
        answers[question.key] = _ask(question, current)
    if wizard.asks_session_token(answers["aws_access_key_id"], current):
        answers[wizard.SESSION_TOKEN.key] = _ask(wizard.SESSION_TOKEN, current)
    for question in (wizard.REGION, wizard.OUTPUT):
        answers[question.key] = _ask(question, current)
    apply_changes(environ, wizard.changes(profile, current, answers))


def _ask(question: wizard.Question, current: Mapping[str, str | None]) -> str:
    text = question.prompt(current.get(question.key))
    hidden = question.key in CREDENTIAL_KEYS - {"aws_access_key_id"}
    if hidden and sys.stdin.isatty():
        return secret_prompt(text)
    click.echo(text, nl=False, err=True)
    line = sys.stdin.readline()
    if not line:
        raise click.Abort
    return line.strip()


@configure.command("set")
@click.argument("varname")
@click.argument("value", required=False)
@profile_option
@click.option("--sso-session", help="Set the key in [sso-session NAME].")
@click.option("--services", help="Set the key in [services NAME].")
@click.pass_context
def set_(
    ctx: click.Context,
    varname: str,
    value: str | None,
    profile: str | None,
    sso_session: str | None,
    services: str | None,
) -> None:
    """Set one value in the config or credentials file.

    VARNAME is `region`, `default.region`, `profile.NAME.region` or a nested
    `s3.max_concurrent_requests`. Secret keys given without VALUE are read from a
    no-echo prompt (or standard input), so they never reach shell history.
    """
    where = address(varname, select(ctx, profile).profile, sso_session, services)
    if value is None:
        if where.key.lower() not in CREDENTIAL_KEYS:
            raise UsageError(f"missing VALUE for {varname}")
        value = _read_secret(f"{where.key}: ")
    apply_changes(os.environ, [Change(where, value)])


def _read_secret(prompt: str) -> str:
    return secret_prompt(prompt) if sys.stdin.isatty() else sys.stdin.readline().strip()


@configure.command("get")
@click.argument("varname")
@profile_option
@click.option("--sso-session", help="Read the key from [sso-session NAME].")
@click.option("--services", help="Read the key from [services NAME].")
@click.pass_context
def get(
    ctx: click.Context,
    varname: str,
    profile: str | None,
    sso_session: str | None,
    services: str | None,
) -> int:
    """Print one value (exit 1 when it is unset or a nested section)."""
    flag = profile or globals_of(ctx).profile
    return configure_fast.get(os.environ, varname, flag, sso_session, services)


@configure.command("list-profiles")
def list_profiles() -> None:
    """Print every profile name, one per line (both files, in file order)."""
    configure_fast.list_profiles(os.environ)


@configure.command("list")
@profile_option
@click.pass_context
def list_(ctx: click.Context, profile: str | None) -> None:
    """Show the profile, keys (masked), region and where each comes from."""
    flag = profile or globals_of(ctx).profile
    region_flag = globals_of(ctx).region
    rows = configuration_rows(os.environ, flag, region_flag)
    click.echo(f"{'Name':>10} {'Value':>24} {'Type':>16}    Location")
    click.echo(f"{'----':>10} {'-----':>24} {'----':>16}    --------")
    for name, value, kind, location in rows:
        value, location = escape(value), escape(location)  # read from files: terminal-safe
        click.echo(f"{name:>10} {value:>24} {kind:>16}    {location}")


NOT_SET = "<not set>"


def configuration_rows(
    environ: Mapping[str, str], flag: str | None, region_flag: str | None
) -> list[tuple[str, str, str, str]]:
    selection = select_profile(flag, environ)
    files = load_files(environ)
    found = files.profile(selection.profile)
    if selection.selected_by is SelectedBy.FLAG:
        profile_row = ("profile", selection.profile, "manual", "--profile")
    elif selection.explicit:
        name = selection.selected_by.value
        profile_row = ("profile", selection.profile, "env", name)
    else:
        profile_row = ("profile", NOT_SET, "None", "None")
    if selection.explicit and found is None:
        files.require_profile(selection.profile)
    rows = [profile_row, *_key_rows(environ, selection.selected_by, found)]
    rows.append(_region_row(environ, region_flag, found))
    return rows


def _key_rows(
    environ: Mapping[str, str], selected_by: SelectedBy, found: Profile | None
) -> list[tuple[str, str, str, str]]:
    env_key, env_secret = environ.get("AWS_ACCESS_KEY_ID"), environ.get("AWS_SECRET_ACCESS_KEY")
    if selected_by is not SelectedBy.FLAG and env_key and env_secret:
        return [
            ("access_key", mask(env_key) or "", "env", "AWS_ACCESS_KEY_ID"),
            ("secret_key", mask(env_secret) or "", "env", "AWS_SECRET_ACCESS_KEY"),
        ]
    if found is not None and found.text("aws_access_key_id"):
        rows = []
        for label, key in (
            ("access_key", "aws_access_key_id"),
            ("secret_key", "aws_secret_access_key"),
        ):
            setting = found.settings.get(key)
            if setting is None or not isinstance(setting.value, str):
                rows.append((label, NOT_SET, "None", "None"))
                continue
            kind = (
                "shared-credentials-file" if setting.source.path.name != "config" else "config-file"
            )
            rows.append((label, mask(setting.value) or "", kind, str(setting.source)))
        return rows
    kind = _provider_kind(found)
    value = "<temporary>" if kind != "None" else NOT_SET
    return [("access_key", value, kind, ""), ("secret_key", value, kind, "")]


def _provider_kind(found: Profile | None) -> str:
    if found is None:
        return "None"
    if found.text("role_arn"):
        return "assume-role"
    if found.text("sso_session") or found.text("sso_start_url"):
        return "sso"
    if found.text("credential_process"):
        return "custom-process"
    return "None"


def _region_row(
    environ: Mapping[str, str], region_flag: str | None, found: Profile | None
) -> tuple[str, str, str, str]:
    if region_flag:
        return ("region", region_flag, "manual", "--region")
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        if environ.get(variable):
            return ("region", environ[variable], "env", variable)
    setting = found.settings.get("region") if found is not None else None
    if setting is not None and isinstance(setting.value, str):
        return ("region", setting.value, "config-file", str(setting.source))
    return ("region", NOT_SET, "None", "None")
