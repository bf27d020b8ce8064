"""``sso login``: one login per session across processes, with the flow the session asks for.

The AWS CLI always starts a new login (aws-cli #6948); ``if_needed`` keeps a token with more than
15 minutes left, and refreshes one that can be refreshed, without a browser. Parallel logins of one
session (a script starting eight tools at once) open one browser: the first process takes the
session's login lock, the others wait and then use the token it saved. The core shows nothing
itself: the caller's :class:`LoginUi` opens the browser or prints the URL and code.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from awsprof.aws.clients import Clients
from awsprof.credentials import now_utc
from awsprof.files.jsoncache import JsonCache
from awsprof.profiles.model import AwsFiles
from awsprof.sso import device, oidc, pkce, where
from awsprof.sso.session import DEFAULT_SCOPES, SessionSettings
from awsprof.sso.token import SsoToken, TokenCache, from_grant, refresh, sso_cache_dir

DEFAULT_TIMEOUT = 600.0
Report = Callable[[str], None]


@dataclass(frozen=True)
class LoginOptions:
    use_device_code: bool = False
    open_browser: bool = True
    if_needed: bool = False
    redirect_port: int | None = None  # overrides sso_redirect_port
    timeout: float = DEFAULT_TIMEOUT  # PKCE: how long to wait for the browser
    lock_timeout: float = DEFAULT_TIMEOUT + 60.0  # how long to wait for another process's login
    # Where the login runs (sso.where); None: the AWS CLI's rule alone, a browser may open.
    place: where.Place | None = None
    environ_flow: str | None = None  # AWSPROF_SSO_LOGIN_FLOW


@dataclass(frozen=True)
class LoginUi:
    """How a login talks to the person; the CLI prints and opens a browser, tests drive one."""

    present_authorize: Callable[[str, bool], None]  # (authorize URL, open a browser?)
    present_device: Callable[[device.DeviceCode, bool], None]
    waiting: Callable[[str], None]  # another process is logging in
    chose: Callable[[str, str], None] = field(default=lambda flow, reason: None)  # (flow, why)


@dataclass(frozen=True)
class LoginDeps:
    """The world a login runs in: the token cache, an OIDC client factory, clocks."""

    sso_cache: JsonCache
    oidc_client: Callable[[], Any]
    now: Callable[[], dt.datetime]
    report: Callable[[str], None] = field(default=lambda message: None)
    sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class LoginResult:
    settings: SessionSettings
    token: SsoToken
    outcome: str  # "valid", "refreshed", "logged-in" or "reused" (another process's login)
    flow: str | None = None  # "pkce" or "device" when this process logged in


def choose_flow(settings: SessionSettings, options: LoginOptions) -> str:
    """``--use-device-code``, then ``sso_login_flow``; legacy profiles use the device flow."""
    return plan(settings, options).flow


def plan(settings: SessionSettings, options: LoginOptions) -> where.Choice:
    """The flow and whether a browser opens: the options and the config, then the place."""
    if options.place is None:
        if options.use_device_code or settings.is_legacy:
            return where.Choice("device", options.open_browser, "--use-device-code or legacy")
        return where.Choice(settings.login_flow or "pkce", options.open_browser, "default")
    return where.choose(
        options.place,
        use_device_code=options.use_device_code,
        no_browser=not options.open_browser,
        legacy=settings.is_legacy,
        configured_flow=settings.login_flow,
        environ_flow=options.environ_flow,
    )


def login(
    settings: SessionSettings, options: LoginOptions, ui: LoginUi, deps: LoginDeps
) -> LoginResult:
    tokens = TokenCache(deps.sso_cache, settings.token_key)
    if options.if_needed:
        current = tokens.read()
        if current is not None and current.fresh(deps.now()):
            return LoginResult(settings, current, "valid")
        if current is not None and current.refreshable(deps.now()):
            refreshed = refresh(tokens, deps.oidc_client, deps.now, deps.report)
            if refreshed is not None and refreshed.fresh(deps.now()):
                return LoginResult(settings, refreshed, "refreshed")
    started = time.time()
    with tokens.login_lock(
        options.lock_timeout,
        lambda: ui.waiting(f"another process is logging in to {settings.label}; waiting for it"),
    ):
        current = tokens.read()
        written = tokens.modified_at()
        if (
            current is not None
            and current.fresh(deps.now())
            and (options.if_needed or (written is not None and written >= started))
        ):
            return LoginResult(settings, current, "reused")
        choice = plan(settings, options)
        ui.chose(choice.flow, choice.reason)
        token = _run_flow(choice, settings, options, ui, deps)
        with tokens.refresh_lock():
            tokens.write(token)
    return LoginResult(settings, token, "logged-in", choice.flow)


def _run_flow(
    choice: where.Choice,
    settings: SessionSettings,
    options: LoginOptions,
    ui: LoginUi,
    deps: LoginDeps,
) -> SsoToken:
    flow = choice.flow
    client = deps.oidc_client()
    registration = oidc.registration(client, deps.sso_cache, settings, flow == "pkce", deps.now())
    if flow == "pkce":
        port = (
            options.redirect_port if options.redirect_port is not None else settings.redirect_port
        )
        answer = pkce.run(
            client,
            registration,
            settings.scopes or DEFAULT_SCOPES,
            pkce.PkceLogin(port or 0, options.timeout),
            lambda url: ui.present_authorize(url, choice.open_browser),
            deps.report,
        )
    else:
        answer = device.run(
            client,
            registration,
            settings.start_url,
            lambda code: ui.present_device(code, choice.open_browser),
            deps.sleep,
        )
    return from_grant(
        answer,
        settings.start_url,
        settings.region,
        registration.client_id,
        registration.client_secret,
        registration.expires_at,
        deps.now(),
    )


def deps_for(
    environ: Mapping[str, str], files: AwsFiles, settings: SessionSettings, report: Report
) -> LoginDeps:
    """The login's world for this environment: the AWS CLI's token cache under HOME, and an OIDC
    client that honours the endpoints of the session's profile (``[services]``, env vars)."""
    return LoginDeps(
        sso_cache(environ, report),
        lambda: clients_for(environ, files, settings).client(
            "sso-oidc", None, region=settings.region
        ),
        now_utc,
        report,
    )


def sso_cache(environ: Mapping[str, str], report: Report) -> JsonCache:
    return JsonCache(sso_cache_dir(environ), report)


def clients_for(environ: Mapping[str, str], files: AwsFiles, settings: SessionSettings) -> Clients:
    return Clients(
        files.config_path,
        files.credentials_path,
        settings.profile,
        settings.region,
        environ,
        files,
    )
