"""``awsprof configure``: the wizard and its set/get/list/list-profiles family."""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from awsprof.cli.clickspec import mirrors_aws_cli_v2
from awsprof.cli.common import globals_of, profile_option, select
from awsprof.cli.lazy import LazyGroup
from awsprof.cli.output import end_of_input, read_answer, secret_prompt, warn
from awsprof.errors import UsageError
from awsprof.files.document import check_text
from awsprof.files.locate import aws_files
from awsprof.profiles import wizard
from awsprof.profiles.configure import CREDENTIAL_KEYS, Change, address, apply_changes
from awsprof.profiles.model import AwsFiles, load_files
from awsprof.reader.selection import SelectedBy, Selection, select_profile
from awsprof.secrets import mask
from awsprof.terminal import escape


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    lazy={
        "export-credentials": "spec:configure export-credentials",
        "get": "spec:configure get",
        "import": "awsprof.cli.configure_import:configure_import",
        "list-profiles": "spec:configure list-profiles",
        "mfa-login": "awsprof.cli.configure_mfa:mfa_login",
        "sso": "awsprof.cli.sso_configure:configure_sso",
        "sso-session": "awsprof.cli.sso_configure:configure_sso_session",
    },
)
@click.pass_context
def configure(ctx: click.Context) -> None:
    """Ask for keys, region and output of a profile, or use a subcommand."""
    if ctx.invoked_subcommand is not None:
        return
    name = select(ctx, None).profile
    run_wizard(os.environ, name)


mirrors_aws_cli_v2(configure)  # every global after any `configure` command, as the AWS CLI


def run_wizard(environ: Mapping[str, str], profile: str) -> None:
    check_text("profile name", profile)  # refused before asking anything
    files = load_files(environ)
    current = wizard.current_values(files, profile)
    found = files.profile(profile)
    if found is None or not found.settings:
        # The AWS CLI v2's tip for a profile with nothing configured yet.
        sys.stderr.write(f"\n{WIZARD_TIP}\n\n")
    answers: dict[str, str] = {}
    for question in (wizard.ACCESS_KEY, wizard.SECRET_KEY):
        answers[question.key] = _ask(question, current)
    if wizard.asks_session_token(answers["aws_access_key_id"], current):
        answers[wizard.SESSION_TOKEN.key] = _ask(wizard.SESSION_TOKEN, current)
    for question in (wizard.REGION, wizard.OUTPUT):
        answers[question.key] = _ask(question, current)
    write_changes(environ, wizard.changes(profile, current, answers))


def write_changes(environ: Mapping[str, str], changes: list[Change]) -> None:
    """Apply the edits; like the AWS CLI v2, warn when the credentials file they touch can be
    read by others (its mode is kept on every edit, so the warning repeats until it is fixed)."""
    apply_changes(environ, changes)
    credentials = [c for c in changes if c.address.in_credentials]
    if credentials:
        warn_if_exposed([aws_files(environ)[1]])


def warn_if_exposed(paths: list[Path]) -> None:
    """The AWS CLI v2's warning for a file with any group or other permission bit."""
    for path in paths:
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            continue
        if mode & 0o077:
            warn(
                f"warning: the file {path} is accessible by other users (mode {mode:04o}); "
                f"run `chmod 600 {path}` so that only you can read it"
            )


WIZARD_TIP = (
    "Tip: You can deliver temporary credentials to the AWS CLI using your AWS Console session "
    "by running the command 'aws login' (or 'awsprof login')."
)


def _ask(question: wizard.Question, current: Mapping[str, str | None]) -> str:
    text = question.prompt(current.get(question.key))
    hidden = question.key in CREDENTIAL_KEYS - {"aws_access_key_id"}
    hint = (
        f"Answer every prompt, or set the values without prompts: "
        f"`awsprof configure set {question.key} VALUE --profile NAME`."
    )
    if hidden and sys.stdin.isatty():
        return secret_prompt(text, hint)
    return read_answer(text, hint)


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
    write_changes(os.environ, [Change(where, value)])


def _read_secret(prompt: str) -> str:
    hint = "Give the value at the prompt, or on standard input: `... | awsprof configure set KEY`."
    if sys.stdin.isatty():
        return secret_prompt(prompt, hint)
    line = sys.stdin.readline()
    if not line:
        raise end_of_input(prompt, hint)  # never an empty secret written by accident
    return line.strip()


@configure.command("list")
@profile_option
@click.option(
    "--locations",
    is_flag=True,
    help="Show the file:line or variable each value comes from (and honour --region).",
)
@click.pass_context
def list_(ctx: click.Context, profile: str | None, locations: bool) -> None:
    """Show the profile, keys (masked), region and where each comes from.

    The AWS CLI v2 layout and values; temporary credentials are resolved (from the caches when
    they are valid), as the AWS CLI does.
    """
    flag = profile or globals_of(ctx).profile
    # The AWS CLI ignores --region here (it shows the configured region); --locations honours it.
    region_flag = globals_of(ctx).region if locations else None
    selection = select_profile(flag, os.environ)
    files = load_files(os.environ)
    # Row by row, like the AWS CLI: the profile row is out before credentials may fail.
    click.echo(_list_line(("NAME", "VALUE", "TYPE", "LOCATION")))
    click.echo(_list_line(_profile_row(selection, locations)))
    for row in _key_rows(os.environ, selection, files, region_flag, locations):
        click.echo(_list_line(row))
    click.echo(_list_line(_region_row(os.environ, files, region_flag, selection, locations)))


NOT_SET = "<not set>"
Row = tuple[str, str, str, str]
NOT_SET_ROW = (NOT_SET, "None", "None")
# The AWS CLI v2's credential method names, by the chain's provider names.
V2_METHODS = {
    "environment": "env",
    "static keys (credentials file)": "shared-credentials-file",
    "static keys (config file)": "config-file",
    "assume-role": "assume-role",
    "sso": "sso",
    "credential_process": "custom-process",
    "web identity": "assume-role-with-web-identity",
    "login": "login",
}


def _list_line(row: Row) -> str:
    name, value, kind, location = row
    value, location = escape(value), escape(location)  # read from files: terminal-safe
    return f"{name:<10} : {value:<24} : {kind:<16} : {location}"


def _profile_row(selection: Selection, locations: bool) -> Row:
    if selection.selected_by is SelectedBy.FLAG:
        return ("profile", selection.profile, "manual", "--profile")
    if selection.explicit:
        # The AWS CLI v2 names both variables, whichever one was set.
        where = selection.selected_by.value if locations else str(PROFILE_VARIABLES)
        return ("profile", selection.profile, "env", where)
    return ("profile", *NOT_SET_ROW)


PROFILE_VARIABLES = ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"]
REGION_VARIABLES = ["AWS_REGION", "AWS_DEFAULT_REGION"]
CREDENTIAL_SETTINGS = (
    "aws_access_key_id",
    "role_arn",
    "sso_session",
    "sso_start_url",
    "credential_process",
    "web_identity_token_file",
    "login_session",
)


def _key_rows(
    environ: Mapping[str, str],
    selection: Selection,
    files: AwsFiles,
    region_flag: str | None,
    locations: bool,
) -> list[Row]:
    found = files.profile(selection.profile)
    env_keys = selection.selected_by is not SelectedBy.FLAG and (
        environ.get("AWS_ACCESS_KEY_ID") or environ.get("AWS_SECRET_ACCESS_KEY")
    )
    if selection.explicit and found is None and not env_keys:
        files.require_profile(selection.profile)
    if not env_keys and not (found and any(found.text(key) for key in CREDENTIAL_SETTINGS)):
        return [("access_key", *NOT_SET_ROW), ("secret_key", *NOT_SET_ROW)]
    from awsprof.cli.output import mfa_prompt
    from awsprof.resolution.chain import resolve

    flag = selection.profile if selection.selected_by is SelectedBy.FLAG else None
    resolution = resolve(
        environ, flag, region_flag, prompt_mfa=mfa_prompt(), report=warn, files=files
    )
    link = resolution.links[-1]
    kind = V2_METHODS.get(link.provider, link.provider)
    credentials = resolution.credentials
    rows = []
    for label, key, value in (
        ("access_key", "aws_access_key_id", credentials.access_key_id),
        ("secret_key", "aws_secret_access_key", credentials.secret_access_key),
    ):
        where = ""
        if locations:
            shown = [u.where for u in link.used if u.key == key]
            where = shown[0] if shown else f"chain {resolution.chain}"
        rows.append((label, mask(value) or "", kind, where))
    return rows


def _region_row(
    environ: Mapping[str, str],
    files: AwsFiles,
    region_flag: str | None,
    selection: Selection,
    locations: bool,
) -> Row:
    if region_flag:
        return ("region", region_flag, "manual", "--region")
    for variable in REGION_VARIABLES:
        if environ.get(variable):
            where = variable if locations else str(REGION_VARIABLES)
            return ("region", environ[variable], "env", where)
    found = files.profile(selection.profile)
    setting = found.settings.get("region") if found is not None else None
    if setting is not None and isinstance(setting.value, str):
        # The AWS CLI shows the config file as named: AWS_CONFIG_FILE's text, or ~/.aws/config.
        where = str(setting.source) if locations else _config_file_shown(environ)
        return ("region", setting.value, "config-file", where)
    return ("region", *NOT_SET_ROW)


def _config_file_shown(environ: Mapping[str, str]) -> str:
    return environ.get("AWS_CONFIG_FILE") or "~/.aws/config"
