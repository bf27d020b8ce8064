"""``awsprof configure mfa-login``: the AWS CLI v2's command, its prompts, options and file.

With credentials for the selected profile (or the environment), asks for the MFA serial (unless
``--serial-number`` or the profile's ``mfa_serial`` gives it), the code and the profile to write
(unless ``--update-profile``); without any, first for the access key ID and secret access key, as
the AWS CLI v2 does. Secrets and codes are typed without echo at a terminal (the AWS CLI echoes
them); every prompt goes to stderr, the three lines of the result to stdout.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping

import click

from awsprof.cli.common import globals_of, profile_option
from awsprof.cli.configure import CREDENTIAL_SETTINGS, warn_if_exposed
from awsprof.cli.output import mfa_prompt, read_answer, secret_prompt, warn
from awsprof.errors import UsageError
from awsprof.resolution.mfa_login import DEFAULT_SECONDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from awsprof.profiles.model import Profile
    from awsprof.reader.selection import Selection

CODE_HINT = "Type the code your MFA device shows now."


@click.command("mfa-login")
@profile_option
@click.option("--update-profile", help="The profile to write (else a name is suggested).")
@click.option(
    "--duration-seconds",
    type=int,
    default=DEFAULT_SECONDS,
    show_default=True,
    help="How long the credentials stay valid: 900 to 129600 seconds.",
)
@click.option(
    "--serial-number", help="The MFA device's ARN or serial (else the profile's mfa_serial)."
)
@click.pass_context
def mfa_login(
    ctx: click.Context,
    profile: str | None,
    update_profile: str | None,
    duration_seconds: int,
    serial_number: str | None,
) -> None:
    """Trade long-term keys and an MFA code for temporary keys in a profile (GetSessionToken)."""
    from awsprof.credentials import Credentials
    from awsprof.files.document import check_text
    from awsprof.profiles.model import load_files
    from awsprof.reader.selection import select_profile
    from awsprof.resolution import mfa_login as rules
    from awsprof.resolution.chain import make_context, resolve_in_context, select_region

    rules.check_duration(duration_seconds)
    if update_profile is not None:
        check_text("profile name", update_profile)
    environ = os.environ
    options = globals_of(ctx)
    flag = profile or options.profile
    selection = select_profile(flag, environ)
    files = load_files(environ)
    from_profile = _has_credentials(environ, selection, files.profile(selection.profile))
    if from_profile:
        resolution, context = resolve_in_context(
            environ, flag, options.region, prompt_mfa=mfa_prompt(), report=warn, files=files
        )
        source = resolution.credentials
        found = files.profile(selection.profile)
        serial = serial_number or (found.text("mfa_serial") if found is not None else None)
        if not serial:
            serial = _required("MFA serial number or ARN", "MFA serial number or MFA device ARN")
        code = _required("MFA token code", hidden=True)
    else:
        sys.stderr.write("Please provide your AWS credentials:\n")
        access_key = _required("AWS Access Key ID")
        secret = _required("AWS Secret Access Key", hidden=True)
        source = Credentials(access_key, secret)
        serial = serial_number or _required("MFA serial number or ARN")
        code = _required("MFA token code", hidden=True)
        # The AWS CLI v2 calls STS from a fresh session here: the profile of AWS_PROFILE or
        # [default] gives the endpoint and region, not --profile or --region.
        fresh = select_profile(None, environ).profile
        chosen = fresh if files.has_profile(fresh) else None
        region = select_region(environ, None, files.profile(fresh)).name
        context = make_context(environ, files, chosen, region, report=warn)
    target = update_profile
    if target is None:
        suggested = rules.suggested_profile(serial)
        target = read_answer(f"Profile to update [{suggested}]: ", _hint()) or suggested
    stored = files.profile(target)
    rules.check_target(
        target,
        stored.text("aws_access_key_id") if stored is not None else None,
        stored.text("aws_session_token") if stored is not None else None,
        source,
    )
    temporary = rules.session_token(context.clients, source, serial, code, duration_seconds)
    written = rules.write_profile(environ, target, temporary)
    warn_if_exposed(written or [files.credentials_path])
    expiry = _expiry_text(temporary.expiration, from_profile)
    click.echo(f"Temporary credentials written to profile '{target}'")
    click.echo(f"Credentials will expire at {expiry}")
    click.echo(
        f"To use these credentials, specify --profile {target} when running AWS CLI commands"
    )


def _has_credentials(
    environ: Mapping[str, str], selection: Selection, found: Profile | None
) -> bool:
    from awsprof.reader.selection import SelectedBy

    by_flag = selection.selected_by is SelectedBy.FLAG
    if not by_flag and environ.get("AWS_ACCESS_KEY_ID") and environ.get("AWS_SECRET_ACCESS_KEY"):
        return True
    if found is None:
        return selection.explicit  # a named profile that does not exist: resolution says so
    # Keys, a role, SSO, a process, web identity or a login: resolved, as the AWS CLI finds
    # "credentials"; a profile with none of them is asked for keys.
    return any(found.text(key) for key in CREDENTIAL_SETTINGS)


def _expiry_text(expiration: dt.datetime | None, from_profile: bool) -> str:
    """As the AWS CLI v2 prints it: ISO 8601 (its own session's timestamps) after a profile's
    credentials, ``YYYY-MM-DD HH:MM:SS UTC`` after typed keys (a plain botocore session)."""
    if expiration is None:
        return "unknown"
    utc = expiration.astimezone(dt.timezone.utc)
    return utc.isoformat() if from_profile else utc.strftime("%Y-%m-%d %H:%M:%S UTC")


def _hint() -> str:
    return (
        "Answer the prompts, or pass --serial-number and --update-profile "
        "(the code is always asked)."
    )


def _required(label: str, name: str | None = None, hidden: bool = False) -> str:
    text = f"{label}: "
    if hidden and sys.stdin.isatty():
        answer = secret_prompt(text, CODE_HINT if "code" in label else _hint())
    else:
        answer = read_answer(text, _hint())
    if not answer:
        raise UsageError(f"{name or label} is required", _hint())
    return answer
