"""Reliability G21: the device-code flow shows what the service returned, honours ``interval``,
SlowDown and expiry, and a cancelled or failed flow leaves no token. Against the real emulator."""

from __future__ import annotations

import time

import pytest
from sso_helpers import core_login, token_grants, ui

from awsprof.errors import LoginRequiredError
from awsprof.profiles.model import load_files
from awsprof.sso.device import DeviceCode
from awsprof.sso.login import LoginDeps, LoginOptions, deps_for, login
from awsprof.sso.session import session_settings
from fixtures_sandbox import Sandbox

DEVICE = "urn:ietf:params:oauth:grant-type:device_code"


def _login_with_sleep(sandbox: Sandbox, present: object, sleep: object) -> None:
    environ = sandbox.env()
    files = load_files(environ)
    settings = session_settings(files, environ, "my-org")
    base = deps_for(environ, files, settings, lambda message: None)
    deps = LoginDeps(base.sso_cache, base.oidc_client, base.now, base.report, sleep)  # type: ignore[arg-type]
    login(settings, LoginOptions(use_device_code=True), ui(device=present), deps)  # type: ignore[arg-type]


def test_shown_url_and_code_are_the_services(sandbox: Sandbox) -> None:
    shown: list[DeviceCode] = []

    def person(code: DeviceCode) -> None:
        shown.append(code)
        sandbox.approve(code.user_code)

    core_login(sandbox, ui(device=person), use_device_code=True)
    device = sandbox.identity_center.oidc.device_by_user_code(shown[0].user_code)
    assert device is not None and device.status == "used"
    assert shown[0].user_code == device.user_code
    assert shown[0].verification_uri == f"{sandbox.idc_url}/device"
    assert (
        shown[0].verification_uri_complete
        == f"{sandbox.idc_url}/device?user_code={device.user_code}"
    )


def test_an_approved_request_logs_in_without_showing_anything(sandbox: Sandbox) -> None:
    sandbox.configure_identity_center(auto_approve=True)
    result = core_login(sandbox, ui(), use_device_code=True)  # ui() fails if anything is shown
    assert result.flow == "device"
    assert token_grants(sandbox, DEVICE) == 1


def test_polls_every_interval_without_slow_down(sandbox: Sandbox) -> None:
    sandbox.configure_identity_center(poll_interval_seconds=1)
    slept: list[float] = []
    polls: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        polls.append(time.monotonic())
        if len(slept) == 3:
            sandbox.approve()
        time.sleep(seconds)

    _login_with_sleep(sandbox, lambda code: None, sleep)
    assert slept == [1, 1, 1]
    errors = [e.error for e in sandbox.request_log() if e.grant_type == DEVICE]
    assert errors == ["AuthorizationPendingException"] * 3 + [None]


def test_slow_down_adds_five_seconds_each_time(sandbox: Sandbox) -> None:
    sandbox.configure_identity_center(poll_interval_seconds=3)
    slept: list[float] = []

    def too_fast(seconds: float) -> None:  # a clock that lies: polls arrive too early
        slept.append(seconds)
        if len(slept) == 3:
            sandbox.approve()

    _login_with_sleep(sandbox, lambda code: None, too_fast)
    errors = [e.error for e in sandbox.request_log() if e.grant_type == DEVICE]
    assert errors[:3] == ["AuthorizationPendingException", "SlowDownException", "SlowDownException"]
    assert slept == [3, 8, 13]
    assert sandbox.token_cache_file.exists()


def test_expired_device_code_ends_the_login_without_a_token(sandbox: Sandbox) -> None:
    sandbox.configure_identity_center(poll_interval_seconds=1, device_code_seconds=2)
    with pytest.raises(LoginRequiredError, match="device code expired"):
        _login_with_sleep(sandbox, lambda code: None, time.sleep)
    assert not sandbox.token_cache_file.exists()
    errors = [e.error for e in sandbox.request_log() if e.grant_type == DEVICE]
    assert errors[-1] == "ExpiredTokenException"


def test_denied_in_the_browser_leaves_no_token(sandbox: Sandbox) -> None:
    def deny(code: DeviceCode) -> None:
        sandbox.identity_center.oidc.decide_device(code.user_code, allow=False)

    with pytest.raises(LoginRequiredError, match="denied"):
        _login_with_sleep(sandbox, deny, lambda seconds: None)
    assert not sandbox.token_cache_file.exists()


def test_cancelled_flow_leaves_no_token(sandbox: Sandbox) -> None:
    def interrupted(seconds: float) -> None:
        sandbox.approve()  # approved in the browser, but the person pressed Ctrl-C first
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _login_with_sleep(sandbox, lambda code: None, interrupted)
    assert not sandbox.token_cache_file.exists()
    assert not list(sandbox.paths.sso_cache.glob("*.tmp"))


def test_device_flow_without_scopes_is_not_refreshable(sandbox: Sandbox) -> None:
    text = sandbox.config_file.read_text()
    sandbox.config_file.write_text(
        text.replace("sso_registration_scopes = sso:account:access\n", "")
    )
    sandbox.configure_identity_center(auto_approve=True)
    core_login(sandbox, ui(), use_device_code=True)
    assert "refreshToken" not in sandbox.read_token_cache()


def test_saved_preference_for_the_device_flow(sandbox: Sandbox) -> None:
    text = sandbox.config_file.read_text()
    sandbox.config_file.write_text(
        text.replace("[sso-session my-org]\n", "[sso-session my-org]\nsso_login_flow = device\n")
    )
    sandbox.configure_identity_center(auto_approve=True)
    assert core_login(sandbox, ui()).flow == "device"
