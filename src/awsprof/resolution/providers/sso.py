"""SSO profiles: role credentials from IAM Identity Center with a cached SSO token.

The token is the one ``aws sso login`` or ``awsprof sso login`` cached in ``~/.aws/sso/cache``
(file name: SHA-1 of the sso-session name, or of the start URL for legacy profiles). Role
credentials are cached where the AWS CLI caches them, under the AWS CLI's file name.
"""

from __future__ import annotations

import datetime as dt

from awsprof.aws.clients import call
from awsprof.credentials import (
    UTC,
    Credentials,
    format_iso,
)
from awsprof.errors import LoginRequiredError, ResolutionError
from awsprof.files.jsoncache import sha1_key, sso_role_key
from awsprof.profiles.model import Profile
from awsprof.resolution.providers.context import (
    Context,
    Link,
    Step,
    Used,
    cached_credentials,
    used,
)
from awsprof.sso.session import sso_session_of
from awsprof.values import Value

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from typing import Any

SSO_KEYS = ("sso_session", "sso_start_url", "sso_region", "sso_account_id", "sso_role_name")


class SsoConfig(Value):
    """An SSO profile's settings after merging its ``[sso-session]`` block."""

    __slots__ = (
        "account_id",
        "profile",
        "region",
        "role_name",
        "session_name",
        "start_url",
        "used",
    )

    def __init__(
        self,
        profile: str,
        session_name: str | None,
        start_url: str,
        region: str,
        account_id: str,
        role_name: str,
        used: tuple[Used, ...],
    ) -> None:
        self.profile = profile
        self.session_name = session_name
        self.start_url = start_url
        self.region = region
        self.account_id = account_id
        self.role_name = role_name
        self.used = used

    @property
    def token_key(self) -> str:
        return sha1_key(self.session_name or self.start_url)

    def login_hint(self) -> str:
        if self.session_name:
            return f"Run `awsprof sso login --sso-session {self.session_name}`."
        return f"Run `awsprof sso login --profile {self.profile}`."


class SsoLoginRequiredError(LoginRequiredError):
    """The SSO token cannot be used or refreshed: a login of this session is needed (exit 5).
    Names the session, so the agent can run that one login for every caller."""

    def __init__(
        self, message: str, hint: str | None, session_name: str | None, profile: str
    ) -> None:
        super().__init__(message, hint)
        self.session_name = session_name
        self.profile = profile


def is_sso_profile(profile: Profile) -> bool:
    return any(profile.text(key) for key in ("sso_session", "sso_start_url", "sso_account_id"))


def sso_config(context: Context, profile: Profile) -> SsoConfig:
    settings: dict[str, str] = {}
    shown = list(used(profile, *SSO_KEYS))
    session_name = profile.text("sso_session")
    session = sso_session_of(context.files, profile)
    if session is not None:
        for key in ("sso_start_url", "sso_region"):
            in_session = session.text(key)
            if in_session:
                settings[key] = in_session
                shown.append(Used(key, in_session, str(session.settings[key].source)))
    for key in SSO_KEYS:
        value = profile.text(key)
        if value and key not in settings:
            settings[key] = value
    missing = [
        key
        for key in ("sso_start_url", "sso_region", "sso_account_id", "sso_role_name")
        if not settings.get(key)
    ]
    if missing:
        raise ResolutionError(
            f"SSO profile '{profile.name}' is missing {', '.join(missing)}",
            f"Run `awsprof configure sso --profile {profile.name}`.",
        )
    return SsoConfig(
        profile.name,
        session_name,
        settings["sso_start_url"],
        settings["sso_region"],
        settings["sso_account_id"],
        settings["sso_role_name"],
        tuple(shown),
    )


def load_token(context: Context, config: SsoConfig) -> tuple[str, dt.datetime]:
    """The cached access token and its expiry, refreshed when under 15 minutes remain (one
    refresh across processes, see :mod:`awsprof.sso.token`); exit 5 with the login command when
    it cannot be used."""
    from awsprof.sso.token import TokenCache, usable_token

    try:
        token = usable_token(
            TokenCache(context.sso_cache, config.token_key),
            lambda: context.clients.client("sso-oidc", None, region=config.region),
            context.now,
            config.login_hint(),
            f"profile '{config.profile}'",
            context.report,
        )
    except LoginRequiredError as error:
        raise SsoLoginRequiredError(
            error.message, error.hint, config.session_name, config.profile
        ) from None
    return token.access_token, token.expires_at


def from_sso(context: Context, profile: Profile) -> Step:
    config = sso_config(context, profile)
    key = sso_role_key(config.account_id, config.role_name, config.session_name, config.start_url)
    path = context.cli_cache.path(key)
    link = Link(profile.name, "sso", config.used, cache_file=path)
    cached = cached_credentials(context, key, config.account_id)
    if cached is not None:
        return Step(cached, link.replace(expiration=cached.expiration, from_cache=True))
    with context.cli_cache.lock(key):
        cached = cached_credentials(context, key, config.account_id)
        if cached is not None:
            return Step(cached, link.replace(expiration=cached.expiration, from_cache=True))
        token, _ = load_token(context, config)
        portal = context.clients.client("sso", None, region=config.region)
        response = call(
            "GetRoleCredentials",
            portal.get_role_credentials,
            roleName=config.role_name,
            accountId=config.account_id,
            accessToken=token,
        )
        credentials = _store(context, key, response["roleCredentials"], config.account_id)
    return Step(credentials, link.replace(expiration=credentials.expiration))


def _store(context: Context, key: str, raw: dict[str, Any], account_id: str) -> Credentials:
    expiration = dt.datetime.fromtimestamp(raw["expiration"] / 1000, UTC)
    credentials = Credentials(
        raw["accessKeyId"], raw["secretAccessKey"], raw["sessionToken"], expiration, account_id
    )
    context.cli_cache.put(
        key,
        {
            "ProviderType": "sso",
            "Credentials": {
                "AccessKeyId": credentials.access_key_id,
                "SecretAccessKey": credentials.secret_access_key,
                "SessionToken": credentials.session_token,
                "Expiration": format_iso(expiration),
                "AccountId": account_id,
            },
        },
    )
    return credentials
