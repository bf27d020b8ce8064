"""Read-only credentials for automation: the resolved identity, narrowed so it can change nothing.

Scripts and coding assistants should be able to look, never to change. ``awsprof exec
--read-only`` (or ``awsprof_read_only = true`` in a profile) hands out credentials narrowed at
AWS, not by awsprof's classifier, so that no command line, SDK call or tool can get around it:

- a role profile: the same role assumed again from its source, with the AWS-managed
  ``ReadOnlyAccess`` policy as a session policy (the session can do only what both allow);
- an SSO profile: the read-only permission set of the same account (``awsprof_read_only_role``,
  else ``ReadOnlyAccess``), from the cached login;
- long-lived keys: ``GetFederationToken`` with the same session policy.

It never starts an interactive login and never asks for an MFA code: what cannot be narrowed
without a person is refused with the reason (exit 4 or 5).
"""

from __future__ import annotations

import time

from awsprof.aws.clients import call
from awsprof.credentials import Credentials
from awsprof.errors import ResolutionError
from awsprof.profiles.model import Profile, Setting
from awsprof.resolution.providers.context import Context, Link, Step, Used

READ_ONLY_POLICY_ARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"
SETTING = "awsprof_read_only"
ROLE_SETTING = "awsprof_read_only_role"
DEFAULT_SSO_ROLE = "ReadOnlyAccess"
SESSION_SECONDS = 3600
_ON = frozenset({"true", "yes", "on", "1"})


def wanted(profile: Profile | None) -> bool:
    """Whether the profile asks to be read-only everywhere awsprof resolves it."""
    value = profile.text(SETTING) if profile is not None else None
    return value is not None and value.strip().lower() in _ON


def reason(profile: Profile | None) -> str:
    if profile is not None and wanted(profile):
        return f"{SETTING} ({profile.settings[SETTING].source})"
    return "--read-only"


def narrow(
    context: Context, profile: Profile | None, last: Step, region: str | None, why: str
) -> Step:
    """Read-only credentials for what ``last`` (the chain's final step) resolved to."""
    provider = last.link.provider
    if provider == "assume-role" and profile is not None:
        return _role(context, profile, region, why)
    if provider == "sso" and profile is not None:
        return _sso(context, profile, why)
    long_lived = not last.credentials.temporary
    if provider.startswith(("static keys", "environment")) and long_lived:
        return _federation(context, last.credentials, profile, why)
    raise ResolutionError(
        f"credentials from {last.link.provider} cannot be narrowed to read-only ({why})",
        "Use a role, SSO or long-lived-key profile for read-only work.",
    )


def _session_link(profile: Profile | None, provider: str, why: str, used: tuple[Used, ...]) -> Link:
    name = profile.name if profile is not None else None
    note = f"read-only: narrowed by {why}"
    return Link(name, provider, used, note=note)


def _role(context: Context, profile: Profile, region: str | None, why: str) -> Step:
    from awsprof.resolution.chain import resolve_in_context

    if profile.text("mfa_serial"):
        raise ResolutionError(
            f"profile '{profile.name}' needs an MFA code, and read-only credentials never ask "
            "for one",
            "Use a profile without mfa_serial for automation.",
        )
    source = profile.text("source_profile")
    if not source:
        raise ResolutionError(
            f"profile '{profile.name}' has no source_profile to assume its role from again ({why})"
        )
    source_credentials = resolve_in_context(context.environ, source, region)[0].credentials
    role_arn = profile.text("role_arn") or ""
    arguments: dict[str, object] = {
        "RoleArn": role_arn,
        "RoleSessionName": f"awsprof-read-only-{int(time.time())}",
        "PolicyArns": [{"arn": READ_ONLY_POLICY_ARN}],
        "DurationSeconds": SESSION_SECONDS,
    }
    if profile.text("external_id"):
        arguments["ExternalId"] = profile.text("external_id")
    sts = context.clients.client("sts", source_credentials)
    answer = call("AssumeRole", sts.assume_role, **arguments)["Credentials"]
    credentials = Credentials(
        answer["AccessKeyId"],
        answer["SecretAccessKey"],
        answer["SessionToken"],
        answer["Expiration"],
        account_id=role_arn.split(":")[4] if role_arn.count(":") >= 5 else None,
    )
    used = (Used("role_arn", role_arn, str(profile.settings["role_arn"].source)),)
    link = _session_link(profile, "assume-role (read-only session policy)", why, used)
    return Step(credentials, link.replace(expiration=credentials.expiration))


def _sso(context: Context, profile: Profile, why: str) -> Step:
    from awsprof.resolution.providers import sso

    role = profile.text(ROLE_SETTING) or DEFAULT_SSO_ROLE
    where = profile.settings[ROLE_SETTING].source if profile.text(ROLE_SETTING) else None
    source = where or profile.settings["sso_role_name"].source
    settings = dict(profile.settings)
    settings["sso_role_name"] = Setting(role, source)
    step = sso.from_sso(context, Profile(profile.name, settings))
    note = f"read-only: permission set {role} instead of {profile.text('sso_role_name')} ({why})"
    return Step(step.credentials, step.link.replace(note=note))


def _federation(
    context: Context, credentials: Credentials, profile: Profile | None, why: str
) -> Step:
    sts = context.clients.client("sts", credentials)
    name = f"awsprof-ro-{profile.name if profile is not None else 'env'}"[:32]
    answer = call(
        "GetFederationToken",
        sts.get_federation_token,
        Name=name,
        PolicyArns=[{"arn": READ_ONLY_POLICY_ARN}],
        DurationSeconds=SESSION_SECONDS,
    )["Credentials"]
    narrowed = Credentials(
        answer["AccessKeyId"],
        answer["SecretAccessKey"],
        answer["SessionToken"],
        answer["Expiration"],
    )
    link = _session_link(profile, "federation (read-only session policy)", why, ())
    return Step(narrowed, link.replace(expiration=narrowed.expiration))
