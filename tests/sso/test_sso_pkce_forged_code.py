"""A local process that learns the ``state`` sends a bogus code (issue 12, case 9): the login
neither ends nor fails; it says what happened and keeps waiting for the browser's real redirect.
The real listener, hit by real local requests, against the real Identity Center emulator."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from sso_helpers import ui

from awsprof.errors import LoginRequiredError
from awsprof.profiles.model import load_files
from awsprof.sso.login import LoginOptions, deps_for, login
from awsprof.sso.session import session_settings
from fixtures_sandbox import NO_REDIRECTS, Sandbox


def _forge(url: str, code: str) -> int:
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))
    redirect = query["redirect_uri"]
    params = urllib.parse.urlencode({"code": code, "state": query["state"]})
    try:
        with NO_REDIRECTS.open(f"{redirect}?{params}", timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _login(sandbox: Sandbox, browser: object, reports: list[str], timeout: float = 60.0) -> None:
    environ = sandbox.env()
    files = load_files(environ)
    settings = session_settings(files, environ, "my-org", None)
    deps = deps_for(environ, files, settings, reports.append)
    login(settings, LoginOptions(timeout=timeout), ui(authorize=browser), deps)  # type: ignore[arg-type]


def _code_grants(sandbox: Sandbox) -> list[int]:
    return [e.status for e in sandbox.request_log() if e.grant_type == "authorization_code"]


def test_bogus_code_with_the_right_state_does_not_end_the_login(sandbox: Sandbox) -> None:
    reports: list[str] = []

    def browser(url: str) -> None:
        assert _forge(url, "bogus-code") == 200
        sandbox.open_and_allow(url)  # the person approves in the browser afterwards

    _login(sandbox, browser, reports)
    assert sandbox.read_token_cache()["accessToken"]
    statuses = _code_grants(sandbox)
    assert statuses[-1] == 200 and len(statuses) == 2 and statuses[0] >= 400
    assert any("refused" in r and "still waiting" in r for r in reports), reports


def test_bogus_code_alone_times_out_and_says_it_was_refused(sandbox: Sandbox) -> None:
    reports: list[str] = []

    def browser(url: str) -> None:
        assert _forge(url, "bogus-code") == 200

    with pytest.raises(LoginRequiredError) as raised:
        _login(sandbox, browser, reports, timeout=3.0)
    message = str(raised.value)
    assert "no login arrived within 3 s" in message
    assert "1 authorization code(s) arrived but IAM Identity Center refused them" in message
    assert not sandbox.token_cache_file.exists()


def test_the_same_bogus_code_twice_is_tried_once(sandbox: Sandbox) -> None:
    def browser(url: str) -> None:
        assert _forge(url, "bogus-code") == 200
        assert _forge(url, "bogus-code") == 409
        sandbox.open_and_allow(url)

    _login(sandbox, browser, [])
    assert len(_code_grants(sandbox)) == 2
