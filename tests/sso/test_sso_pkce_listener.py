"""Reliability G20: the PKCE loopback listener binds 127.0.0.1 only, before the browser opens;
wrong state, wrong path, a stray error and repeated requests neither end the login early nor let
a forged code in; the whole login has a timeout. Each case against the real emulator."""

from __future__ import annotations

import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from sso_helpers import core_login, token_grants, ui

from awsprof.errors import LoginRequiredError
from fixtures_sandbox import NO_REDIRECTS, Sandbox


def _query(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def _redirect(url: str) -> tuple[int, int]:
    """(port, state) of an authorize URL's loopback redirect."""
    query = _query(url)
    port = urllib.parse.urlsplit(query["redirect_uri"]).port
    assert port is not None
    return port, 0


def _get(url: str) -> int:
    try:
        with NO_REDIRECTS.open(url, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _callback(url: str, path: str = "/oauth/callback", **params: str) -> int:
    port, _ = _redirect(url)
    return _get(f"http://127.0.0.1:{port}{path}?{urllib.parse.urlencode(params)}")


def _listening_addresses(port: int) -> set[str]:
    """Local addresses in LISTEN state for ``port``, read from the kernel's table."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, port_hex = fields[1].split(":")
            if int(port_hex, 16) == port and fields[3] == "0A":
                found.add(address)
    return found


def _login(sandbox: Sandbox, browser: Callable[[str], None], **options: object) -> None:
    result = core_login(sandbox, ui(authorize=browser), **options)  # type: ignore[arg-type]
    assert result.outcome == "logged-in"


def test_listener_binds_loopback_only_and_before_the_browser_opens(sandbox: Sandbox) -> None:
    def browser(url: str) -> None:
        port, _ = _redirect(url)
        # Already bound and answering when the browser is asked to open the page.
        assert _get(f"http://127.0.0.1:{port}/favicon.ico") == 404
        assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1, not 0.0.0.0 or ::
        sandbox.open_and_allow(url)

    _login(sandbox, browser)
    assert sandbox.read_token_cache()["accessToken"]


def test_wrong_state_is_ignored_and_its_code_never_exchanged(sandbox: Sandbox) -> None:
    def browser(url: str) -> None:
        assert _callback(url, code="forged-code", state="not-the-state") == 400
        assert _callback(url, code="forged-code") == 400  # no state at all
        sandbox.open_and_allow(url)

    _login(sandbox, browser)
    codes = [e for e in sandbox.request_log() if e.grant_type == "authorization_code"]
    assert [e.status for e in codes] == [200]


def test_wrong_path_is_ignored(sandbox: Sandbox) -> None:
    def browser(url: str) -> None:
        state = _query(url)["state"]
        assert _callback(url, path="/", code="x", state=state) == 404
        assert _callback(url, path="/oauth/callback/extra", code="x", state=state) == 404
        sandbox.open_and_allow(url)

    _login(sandbox, browser)
    assert token_grants(sandbox, "authorization_code") == 1


def test_stray_error_does_not_end_the_login(sandbox: Sandbox) -> None:
    def browser(url: str) -> None:
        assert _callback(url, error="access_denied") == 400
        assert _callback(url, error="access_denied", state="guess") == 400
        sandbox.open_and_allow(url)

    _login(sandbox, browser)
    assert sandbox.read_token_cache()["accessToken"]


def test_repeated_requests_cannot_replace_the_received_code(sandbox: Sandbox) -> None:
    def browser(url: str) -> None:
        location = sandbox.open_and_allow(url)
        state = _query(url)["state"]
        # A second code is only a candidate, tried if the first is refused (issue 12, case 9).
        assert _callback(url, code="forged-after", state=state) == 200
        assert _get(location) == 409  # the browser reloading the page

    _login(sandbox, browser)
    codes = [e for e in sandbox.request_log() if e.grant_type == "authorization_code"]
    assert [e.status for e in codes] == [200]


def test_denial_carrying_the_state_ends_the_login_without_a_token(sandbox: Sandbox) -> None:
    def browser(url: str) -> None:
        page = NO_REDIRECTS.open(url, timeout=10)
        request_id = page.headers["X-Sandbox-Request-Id"]
        form = urllib.parse.urlencode({"request_id": request_id, "decision": "deny"}).encode()
        try:
            NO_REDIRECTS.open(f"{sandbox.idc_url}/authorize/decision", data=form, timeout=10)
        except urllib.error.HTTPError as redirect:
            assert _get(redirect.headers["Location"]) == 200

    with pytest.raises(LoginRequiredError, match="refused: access_denied"):
        _login(sandbox, browser)
    assert not sandbox.token_cache_file.exists()


def test_overall_timeout_ends_the_login_and_frees_the_port(sandbox: Sandbox) -> None:
    ports: list[int] = []

    def browser(url: str) -> None:
        ports.append(_redirect(url)[0])

    with pytest.raises(LoginRequiredError, match="no login arrived within 1 s"):
        _login(sandbox, browser, timeout=1.0)
    assert not sandbox.token_cache_file.exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", ports[0]), timeout=2).close()


def test_fixed_redirect_port_from_the_session_and_the_option(sandbox: Sandbox) -> None:
    def free_port() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])

    configured, flag = free_port(), free_port()
    text = sandbox.config_file.read_text()
    sandbox.config_file.write_text(
        text.replace(
            "[sso-session my-org]\n", f"[sso-session my-org]\nsso_redirect_port = {configured}\n"
        )
    )
    used: list[int] = []

    def browser(url: str) -> None:
        used.append(_redirect(url)[0])
        sandbox.open_and_allow(url)

    _login(sandbox, browser)
    _login(sandbox, browser, redirect_port=flag)
    assert used == [configured, flag]


def test_a_port_in_use_is_a_clear_error(sandbox: Sandbox) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = int(taken.getsockname()[1])
        with pytest.raises(Exception, match=f"cannot listen on 127.0.0.1:{port}"):
            _login(sandbox, lambda url: None, redirect_port=port)
