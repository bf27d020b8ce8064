"""The credential chain: which provider answers for a profile, following ``source_profile`` links.

The order is the AWS CLI's: the environment (unless ``--profile`` was given), then for the
profile: assume-role (``role_arn`` + ``source_profile``/``credential_source``), web identity, SSO,
keys in the credentials file, ``credential_process``, keys in the config file. A source profile
is resolved with the environment switched off; a chain stops at the first profile with static
keys; a profile may name itself as its source only when it has static keys; any other loop is an
error that shows the chain (``prod -> work -> prod``).

Every step returns a :class:`Link` saying which profile, which provider and which settings (with
file and line) it used: that is the explanation ``whoami --explain`` prints.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from awsprof import settings
from awsprof.aws.clients import Clients
from awsprof.credentials import Credentials, now_utc
from awsprof.errors import ProfileNotFoundError, ResolutionError
from awsprof.files import jsoncache as cache
from awsprof.files import locate
from awsprof.files.jsoncache import JsonCache
from awsprof.profiles import roles
from awsprof.profiles.model import AwsFiles, Profile, did_you_mean, load_files
from awsprof.reader.selection import AWS_CLI_V2, SelectedBy, Selection, select_profile
from awsprof.resolution import read_only as read_only_credentials
from awsprof.resolution.providers import (
    assume_role,
    environment,
    login,
    process_cache,
    sso,
    static,
    web_identity,
)
from awsprof.resolution.providers.context import Context, Link, Step
from awsprof.values import Value

CREDENTIAL_SOURCES = ("Environment", "Ec2InstanceMetadata", "EcsContainer")


class Region(Value):
    __slots__ = ("name", "source")

    def __init__(self, name: str | None, source: str | None) -> None:
        self.name = name
        self.source = source  # "--region", "AWS_REGION", "config:12", ...


class Resolution(Value):
    """Which profile, which credentials, why, and what else a person should know."""

    __slots__ = ("credentials", "links", "notes", "region", "selection")

    def __init__(
        self,
        selection: Selection,
        credentials: Credentials,
        links: tuple[Link, ...],  # from the first source to the selected profile
        region: Region,
        notes: tuple[str, ...] = (),
    ) -> None:
        self.selection = selection
        self.credentials = credentials
        self.links = links
        self.region = region
        self.notes = notes

    @property
    def chain(self) -> str:
        names = [link.profile or "environment" for link in self.links]
        return " -> ".join(reversed(names))

    @property
    def account_id(self) -> str | None:
        """The account, when known without calling AWS (role ARN, SSO, credential_process)."""
        if self.credentials.account_id:
            return self.credentials.account_id
        for item in reversed(self.links):
            for setting in item.used:
                if setting.key == "role_arn":
                    return roles.role_account(setting.shown)
                if setting.key == "sso_account_id":
                    return setting.shown
        return None


def aws_home(environ: Mapping[str, str]) -> Path:
    return Path(locate.home_dir(environ)) / ".aws"


def make_context(
    environ: Mapping[str, str],
    files: AwsFiles,
    profile: str | None,
    region: str | None,
    prompt_mfa: Callable[[str], str] | None = None,
    report: Callable[[str], None] | None = None,
    now: Callable[[], dt.datetime] = now_utc,
) -> Context:
    home = aws_home(environ)
    say = report or (lambda message: None)
    if report is not None:
        cache.report_warnings_to(report)  # also for caches made later (the account cache)
    timeout = settings.seconds(environ, settings.CREDENTIAL_PROCESS_TIMEOUT, 60.0)
    clients = Clients(files.config_path, files.credentials_path, profile, region, environ, files)
    return Context(
        files,
        environ,
        clients,
        JsonCache(home / "cli" / "cache", say),
        JsonCache(home / "sso" / "cache", say),
        now,
        prompt_mfa,
        say,
        timeout,
    )


def resolve(
    environ: Mapping[str, str] | None = None,
    profile: str | None = None,
    region: str | None = None,
    *,
    prompt_mfa: Callable[[str], str] | None = None,
    report: Callable[[str], None] | None = None,
    now: Callable[[], dt.datetime] = now_utc,
    files: AwsFiles | None = None,
    client: str = AWS_CLI_V2,
    read_only: bool = False,
) -> Resolution:
    """Resolve credentials exactly as ``client`` (the AWS CLI v2 unless told) would for this
    command line and environment."""
    return resolve_in_context(
        environ,
        profile,
        region,
        prompt_mfa=prompt_mfa,
        report=report,
        now=now,
        files=files,
        client=client,
        read_only=read_only,
    )[0]


def resolve_in_context(
    environ: Mapping[str, str] | None = None,
    profile: str | None = None,
    region: str | None = None,
    *,
    prompt_mfa: Callable[[str], str] | None = None,
    report: Callable[[str], None] | None = None,
    now: Callable[[], dt.datetime] = now_utc,
    files: AwsFiles | None = None,
    client: str = AWS_CLI_V2,
    read_only: bool = False,
) -> tuple[Resolution, Context]:
    """:func:`resolve`, also returning the context (clients, caches) for further AWS calls."""
    environ = os.environ if environ is None else environ
    selection = select_profile(profile, environ, client)
    files = files or load_files(environ)
    chosen = selection.profile if files.has_profile(selection.profile) else None
    the_region = select_region(environ, region, files.profile(selection.profile))
    context = make_context(environ, files, chosen, the_region.name, prompt_mfa, report, now)
    notes = list(_notes(environ, selection, files))
    steps: list[Step] = []
    if selection.selected_by is not SelectedBy.FLAG:
        from_env = environment.from_environment(environ)
        if from_env is not None:
            steps = [from_env]
            if selection.explicit:
                notes.insert(
                    0,
                    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment override "
                    f"{selection.selected_by.value}={selection.profile}: the profile is NOT used",
                )
    if not steps and not selection.explicit and not files.has_profile(selection.profile):
        # No profile at all: botocore still finds web identity from the environment (EKS, CI).
        settings = web_identity.web_identity_settings(None, environ)
        if settings is not None:
            steps = [web_identity.from_web_identity(context, None, settings)]
    if not steps:
        if not files.has_profile(selection.profile):
            if selection.explicit:
                from awsprof.reader.selection import not_found_hint

                raise ProfileNotFoundError(
                    selection.profile, not_found_hint(selection, files.profile_names())
                )
            raise ResolutionError(
                "no credentials: no profile was selected and there is no [default] profile",
                "Pass --profile NAME, set AWS_PROFILE, or create one with `awsprof configure`.",
            )
        # A profile named by --profile (botocore: an explicit profile) switches the environment
        # providers off, web identity's AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE included.
        top_environ = {} if selection.selected_by is SelectedBy.FLAG else environ
        steps = _resolve_profile(context, selection.profile, [], top_environ)
    chosen_profile = files.profile(selection.profile)
    if read_only or (
        read_only_credentials.wanted(chosen_profile) and steps[-1].link.profile is not None
    ):
        why = "--read-only" if read_only else read_only_credentials.reason(chosen_profile)
        # Never a login or an MFA prompt (read_only.py): automation fails, it never waits.
        steps = [
            *steps,
            read_only_credentials.narrow(context, chosen_profile, steps[-1], the_region.name, why),
        ]
        notes.insert(0, f"read-only credentials: narrowed by {why}")
    resolution = Resolution(
        selection, steps[-1].credentials, tuple(s.link for s in steps), the_region, tuple(notes)
    )
    return resolution, context


def select_region(environ: Mapping[str, str], flag: str | None, profile: Profile | None) -> Region:
    if flag:
        return Region(flag, "--region")
    for variable in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        if environ.get(variable):
            return Region(environ[variable], variable)
    setting = profile.settings.get("region") if profile is not None else None
    if setting is not None and isinstance(setting.value, str):
        return Region(setting.value, str(setting.source))
    return Region(None, None)


def _notes(environ: Mapping[str, str], selection: Selection, files: AwsFiles) -> list[str]:
    notes = []
    disagreement = selection.disagreement(environ)
    if disagreement is not None:
        notes.append(disagreement)
    region, default_region = environ.get("AWS_REGION"), environ.get("AWS_DEFAULT_REGION")
    if region and default_region and region != default_region:
        notes.append(
            f"AWS_REGION={region} and AWS_DEFAULT_REGION={default_region} disagree: the AWS CLI "
            f"uses {region}, boto3 uses {default_region}"
        )
    headers = files.default_headers()
    if selection.profile == "default" and len(headers) > 1:
        notes.append(
            f"both [default] and [profile default] exist ({', '.join(map(str, headers))}); "
            f"the last one ({headers[-1]}) wins whole, the other is ignored"
        )
    return notes


def _chain_text(visited: list[str], last: str) -> str:
    return " -> ".join([*visited, last])


def _resolve_profile(
    context: Context, name: str, visited: list[str], top_environ: Mapping[str, str]
) -> list[Step]:
    profile = context.files.profile(name)
    if profile is None:
        raise ResolutionError(
            f"source profile '{name}' does not exist: {_chain_text(visited, f'(missing) {name}')}",
            did_you_mean(name, context.files.profile_names(), "source_profile ="),
        )
    if _is_role(profile):
        return _assume_role_chain(context, profile, [*visited, name])
    return [_non_role_step(context, profile, top_environ)]


# The credential sources of one profile, named in botocore's order.
ROLE = "role"
WEB_IDENTITY = "web identity"
SSO = "SSO"
CREDENTIALS_FILE_KEYS = "keys in the credentials file"
LOGIN = "console login"
PROCESS = "credential_process"
CONFIG_FILE_KEYS = "keys in the config file"


def _is_role(profile: Profile) -> bool:
    return bool(profile.text("role_arn")) and not profile.text("web_identity_token_file")


def credential_sources(profile: Profile, environ: Mapping[str, str]) -> list[str]:
    """Every credential source the profile (and, for web identity, ``environ``) defines, in
    botocore's order: the first is the one used. The resolution dispatches on it and doctor
    reports with it, so the two never disagree about which source wins."""
    found = [ROLE] if _is_role(profile) else []
    if web_identity.web_identity_settings(profile, environ) is not None:
        found.append(WEB_IDENTITY)
    if sso.is_sso_profile(profile):
        found.append(SSO)
    has_keys = static.has_static_keys(profile)
    in_credentials_file = has_keys and static.keys_file(profile) == "credentials file"
    if in_credentials_file:
        found.append(CREDENTIALS_FILE_KEYS)
    # botocore's order: console login after the credentials file, before credential_process.
    if login.is_login_profile(profile):
        found.append(LOGIN)
    if profile.text("credential_process"):
        found.append(PROCESS)
    if has_keys and not in_credentials_file:
        found.append(CONFIG_FILE_KEYS)
    return found


def _non_role_step(context: Context, profile: Profile, environ: Mapping[str, str]) -> Step:
    """The providers after assume-role, for one profile (environment already handled);
    ``environ`` is empty where the environment's web identity variables do not apply."""
    sources = [source for source in credential_sources(profile, environ) if source != ROLE]
    first = sources[0] if sources else None
    if first == WEB_IDENTITY:
        settings = web_identity.web_identity_settings(profile, environ)
        assert settings is not None  # noqa: S101 - credential_sources found it
        return web_identity.from_web_identity(context, profile.name, settings)
    if first == SSO:
        return sso.from_sso(context, profile)
    if first in (CREDENTIALS_FILE_KEYS, CONFIG_FILE_KEYS):
        return static.from_profile(profile)
    if first == LOGIN:
        return login.from_login(context, profile)
    if first == PROCESS:
        return process_cache.from_process(context, profile)
    raise ResolutionError(
        f"profile '{profile.name}' has no credentials: no keys, role, SSO, login_session or "
        "credential_process",
        f"Add keys with `awsprof configure --profile {profile.name}` or SSO with "
        f"`awsprof configure sso --profile {profile.name}`.",
    )


def _assume_role_chain(context: Context, profile: Profile, visited: list[str]) -> list[Step]:
    source_name = profile.text("source_profile")
    credential_source = profile.text("credential_source")
    if source_name and credential_source:
        raise ResolutionError(
            f"profile '{profile.name}' has both source_profile and credential_source",
            "Keep exactly one: source_profile names a profile, credential_source a place.",
        )
    if not source_name and not credential_source:
        raise ResolutionError(
            f"role profile '{profile.name}' has neither source_profile nor credential_source",
            "Add `source_profile = NAME` naming the profile whose credentials assume the role.",
        )
    roles.check_role_arn(profile)
    roles.duration(profile)
    if credential_source:
        steps = [_credential_source(context, profile, credential_source)]
    else:
        assert source_name is not None  # noqa: S101 - narrowed by the checks above
        steps = _source_steps(context, profile, source_name, visited)
    return [*steps, assume_role.assume_role(context, profile, steps[-1].credentials)]


def _source_steps(
    context: Context, profile: Profile, source_name: str, visited: list[str]
) -> list[Step]:
    source = context.files.profile(source_name)
    if source is None:
        raise ResolutionError(
            f"profile '{profile.name}' names a source_profile that does not exist: "
            f"{_chain_text(visited, f'(missing) {source_name}')}",
            did_you_mean(source_name, context.files.profile_names(), "source_profile ="),
        )
    if source_name in visited:
        is_self = source_name == profile.name
        if not (is_self and static.has_static_keys(source)):
            raise ResolutionError(
                f"source_profile loop: {_chain_text(visited, source_name)}",
                "A profile may name itself as source_profile only when it holds static keys.",
            )
    role_config = source.text("role_arn") and not source.text("web_identity_token_file")
    if static.has_static_keys(source) or not role_config:
        return [_non_role_step(context, source, {})]
    return _assume_role_chain(context, source, [*visited, source_name])


def _credential_source(context: Context, profile: Profile, credential_source: str) -> Step:
    where = profile.settings["credential_source"].source
    if credential_source not in CREDENTIAL_SOURCES:
        raise ResolutionError(
            f"profile '{profile.name}' has an unknown credential_source '{credential_source}' "
            f"({where})",
            f"Use one of {', '.join(CREDENTIAL_SOURCES)} (exact spelling).",
        )
    if credential_source == "Environment":
        step = environment.from_environment(context.environ)
        if step is None:
            raise ResolutionError(
                f"profile '{profile.name}' takes its source credentials from the environment, "
                "but AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set"
            )
        return step
    return _from_botocore_provider(context, profile, credential_source)


def _from_botocore_provider(context: Context, profile: Profile, source: str) -> Step:
    """Instance metadata and container credentials: botocore's own providers do the talking."""
    from botocore import credentials as provider_module

    if source == "EcsContainer":
        provider = provider_module.ContainerProvider(dict(context.environ))
    else:
        fetcher = provider_module.InstanceMetadataFetcher(timeout=2, num_attempts=1)
        provider = provider_module.InstanceMetadataProvider(iam_role_fetcher=fetcher)
    loaded = provider.load()
    if loaded is None:
        raise ResolutionError(
            f"profile '{profile.name}' uses credential_source {source}, but no credentials are "
            "available from it on this machine"
        )
    frozen = loaded.get_frozen_credentials()
    credentials = Credentials(frozen.access_key, frozen.secret_key, frozen.token)
    return Step(credentials, Link(profile.name, f"credential_source {source}"))
