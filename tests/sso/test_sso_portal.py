"""The portal client of ``sso populate`` (awsprof.sso.portal), held to botocore: the same answers
as a botocore ``sso`` client page by page, errors read as its rest-json parser reads them, the
same query encoding, the client's own transport (proxies), the endpoint botocore and the AWS CLI
choose, and the token in no error."""

from __future__ import annotations

import json
import os
import socket
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from botocore.exceptions import ClientError
from sso_helpers import awsprof

from awsprof.errors import LoginRequiredError, ServiceError
from awsprof.sandbox import accounts as world
from awsprof.sandbox.clients import isolated_session
from awsprof.sso import populate
from awsprof.sso.portal import Portal, http_session, portal_for
from fixtures_awscli_v2 import Clis
from fixtures_sandbox import Sandbox

TOKEN = "aoaAAAAAGj-a-bearer-token-no-error-may-show-7Q2Z"


# -- a stand-in server: canned answers, and the requests it received ---------------------------


@dataclass
class Canned:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b"{}"
    seen: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # target, headers


@pytest.fixture
def canned() -> Iterator[tuple[Canned, str]]:
    """An HTTP server that answers every GET with ``Canned`` (a wrong endpoint, a proxy)."""
    answer = Canned()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            answer.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield answer, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def extra_accounts(sandbox: Sandbox) -> Iterator[Callable[[int], None]]:
    portal = sandbox.identity_center.portal

    def set_count(count: int) -> None:
        portal.extra_accounts = count

    yield set_count
    portal.extra_accounts = 0


def sso_client(endpoint: str) -> Any:
    """A botocore ``sso`` client as awsprof makes one (unsigned, one attempt), proxies from the
    environment as botocore reads them."""
    from botocore import UNSIGNED
    from botocore.config import Config

    config = Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1})
    return isolated_session().create_client(
        "sso", region_name=world.SSO_REGION, endpoint_url=endpoint, config=config
    )


def fast(client: Any) -> Portal:
    portal = portal_for(client)
    assert isinstance(portal, Portal)
    return portal


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def without_metadata(answer: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in answer.items() if key != "ResponseMetadata"}


def pages(call: Callable[..., dict[str, Any]], **kwargs: Any) -> list[dict[str, Any]]:
    found = []
    while True:
        page = without_metadata(call(**kwargs))
        found.append(page)
        if "nextToken" not in page:
            return found
        kwargs["nextToken"] = page["nextToken"]


# -- botocore's private attribute --------------------------------------------------------------


def test_botocore_clients_still_carry_the_http_session_the_portal_sends_through(
    sandbox: Sandbox,
) -> None:
    """botocore has no public accessor for a client's HTTP session: if a release moves
    ``_endpoint.http_session``, populate silently falls back to the slow client. Fail here."""
    from botocore.httpsession import URLLib3Session

    from awsprof.profiles.model import load_files
    from awsprof.sso.login import clients_for
    from awsprof.sso.session import session_settings

    environ = dict(os.environ)
    files = load_files(environ)
    settings = session_settings(files, environ, world.SSO_SESSION)
    clients = clients_for(environ, files, settings)
    client = clients.client("sso", None, settings.region, max_attempts=1)
    session = client._endpoint.http_session
    assert isinstance(session, URLLib3Session)
    assert http_session(client) is session
    assert isinstance(portal_for(client), Portal)
    other = object()
    assert portal_for(other) is other  # no session: the client itself, slower, never wrong


# -- the same answers --------------------------------------------------------------------------


def test_portal_pages_equal_a_botocore_clients_pages(
    sandbox: Sandbox, extra_accounts: Callable[[int], None]
) -> None:
    extra_accounts(45)
    token = sandbox.login_sso()["accessToken"]
    client = sso_client(sandbox.idc_url)
    portal = fast(client)
    for size in ({"maxResults": 7}, {}):  # 7 a page, and the portal's default page size
        ours = pages(portal.list_accounts, accessToken=token, **size)
        theirs = pages(client.list_accounts, accessToken=token, **size)
        assert ours == theirs
        assert len(ours) > 2 and sum(len(p["accountList"]) for p in ours) > 45
    accounts = [a["accountId"] for p in ours for a in p["accountList"]]
    role_pages = 0
    for account_id in [world.DEV.account_id, *accounts[:3], accounts[-1]]:
        kwargs = {"accessToken": token, "accountId": account_id, "maxResults": 1}
        ours = pages(portal.list_account_roles, **kwargs)
        assert ours == pages(client.list_account_roles, **kwargs)
        assert all(role["accountId"] == account_id for p in ours for role in p["roleList"])
        role_pages += len(ours)
    assert role_pages > 5  # some account has several roles: their pages were followed


def test_query_values_are_encoded_as_botocore_encodes_them(canned: tuple[Canned, str]) -> None:
    answer, url = canned
    answer.body = b'{"roleList": []}'
    client = sso_client(url)
    kwargs = {
        "accessToken": TOKEN,
        "accountId": "1234 5678/9&x=y",
        "maxResults": 3,
        "nextToken": "a+b/c==~_.-ü",
    }
    client.list_account_roles(**kwargs)
    fast(client).list_account_roles(**kwargs)
    (theirs, their_headers), (ours, our_headers) = answer.seen
    assert urllib.parse.urlsplit(ours).path == urllib.parse.urlsplit(theirs).path
    assert sorted(urllib.parse.urlsplit(ours).query.split("&")) == sorted(
        urllib.parse.urlsplit(theirs).query.split("&")
    )
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(ours).query) == {
        "account_id": ["1234 5678/9&x=y"],
        "max_result": ["3"],
        "next_token": ["a+b/c==~_.-ü"],
    }
    assert our_headers["x-amz-sso_bearer_token"] == their_headers["x-amz-sso_bearer_token"]
    assert our_headers["user-agent"].startswith("Botocore/")  # botocore's, not urllib3's
    assert our_headers["user-agent"].split()[:5] == their_headers["user-agent"].split()[:5]


# -- errors ------------------------------------------------------------------------------------

JSON = "application/json"


@pytest.mark.parametrize(
    ("status", "headers", "body", "code"),
    [
        (401, {"x-amzn-ErrorType": "UnauthorizedException:http://internal/"}, b"{}", None),
        (401, {"x-amzn-ErrorType": "UnauthorizedException"}, b"", "UnauthorizedException"),
        (401, {"x-amzn-ErrorType": "ExpiredTokenException"}, b"<p>expired</p>", None),
        (429, {}, b"Too Many Requests", "429"),
        (400, {}, b'{"__type": "com.amazonaws.sso#InvalidRequestException", "message": "m"}', None),
        (404, {}, b'{"code": "NotFoundException", "__type": "x#Other", "Message": "n"}', None),
        (429, {}, b'{"message": "Rate exceeded"}', "429"),
        (500, {}, b"", "500"),
        (503, {}, b"<html><body>Service Unavailable</body></html>", "503"),
        (502, {"Content-Type": JSON}, b'{"__type": "TooManyRequestsException:x"}', None),
    ],
)
def test_error_answers_are_read_as_botocore_reads_them(
    canned: tuple[Canned, str],
    status: int,
    headers: dict[str, str],
    body: bytes,
    code: str | None,
) -> None:
    answer, url = canned
    answer.status, answer.headers, answer.body = status, headers, body
    client = sso_client(url)
    with pytest.raises(ClientError) as theirs:
        client.list_accounts(accessToken=TOKEN, maxResults=5)
    with pytest.raises(ClientError) as ours:
        fast(client).list_accounts(accessToken=TOKEN, maxResults=5)
    assert ours.value.response["Error"] == theirs.value.response["Error"]
    assert code is None or ours.value.response["Error"]["Code"] == code
    assert ours.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    assert ours.value.operation_name == theirs.value.operation_name == "ListAccounts"
    assert TOKEN not in str(ours.value)


@pytest.mark.parametrize("status", [200, 404])
def test_an_html_page_is_a_service_error_that_says_so(
    canned: tuple[Canned, str], status: int
) -> None:
    """botocore reads an HTML page at 200 as an empty answer (no accounts: populate would see
    an empty organisation) and at 404 as error "404"; the portal says what it got."""
    answer, url = canned
    answer.status, answer.headers = status, {"Content-Type": "text/html"}
    answer.body = b"<!doctype html><html><body>Sign in to the proxy</body></html>"
    with pytest.raises(ServiceError) as caught:
        populate.fetch_assignments(fast(sso_client(url)), TOKEN, sleep=lambda _: None)
    text = str(caught.value)
    assert "not an AWS JSON answer" in text and f"HTTP {status}" in text and url in text
    assert TOKEN not in text and caught.value.exit_code == 6
    assert len(answer.seen) == 1  # not retried


def test_a_password_in_the_endpoint_url_is_not_shown(canned: tuple[Canned, str]) -> None:
    answer, url = canned
    answer.body = b"<html>a captive portal</html>"
    with_password = url.replace("http://", "http://someone:pa55word@") + "/a@b"
    with pytest.raises(ServiceError) as caught:
        fast(sso_client(with_password)).list_accounts(accessToken=TOKEN)
    assert "pa55word" not in str(caught.value) and f"{url}/a@b " in str(caught.value)


def test_a_server_error_page_is_retried_then_a_service_error(canned: tuple[Canned, str]) -> None:
    answer, url = canned
    answer.status, answer.body = 503, b"<html><body>Service Unavailable</body></html>"
    waits: list[float] = []
    with pytest.raises(ServiceError) as caught:
        populate.fetch_assignments(fast(sso_client(url)), TOKEN, sleep=waits.append)
    assert len(answer.seen) == populate.MAX_ATTEMPTS and len(waits) == populate.MAX_ATTEMPTS - 1
    assert "503" in str(caught.value) and TOKEN not in str(caught.value)


def test_an_unanswered_endpoint_is_a_service_error(sandbox: Sandbox) -> None:
    portal = fast(sso_client(f"http://127.0.0.1:{free_port()}"))
    with pytest.raises(ServiceError) as caught:
        populate.fetch_assignments(portal, TOKEN, sleep=lambda _: None)
    assert "Could not connect" in str(caught.value) and TOKEN not in str(caught.value)


def test_an_invalid_token_is_login_required(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    with pytest.raises(LoginRequiredError) as caught:
        populate.fetch_assignments(fast(sso_client(sandbox.idc_url)), TOKEN)
    assert "UnauthorizedException" in str(caught.value) and TOKEN not in str(caught.value)


@pytest.mark.parametrize("how", ["expired", "invalid"])
def test_populate_with_a_refused_token_exits_5_without_the_token(
    sandbox: Sandbox, how: str
) -> None:
    cached = sandbox.login_sso()
    if how == "expired":
        assert sandbox.expire_token() > 0  # the emulator refuses it; the cache still trusts it
    else:
        cached["accessToken"] = TOKEN
        sandbox.write_token_cache(cached)
    token = cached["accessToken"]
    result = awsprof(sandbox, "sso", "populate", "--sso-session", world.SSO_SESSION)
    assert result.returncode == 5, result.stderr
    assert "refused the SSO token" in result.stderr
    assert token not in result.stdout + result.stderr
    assert token[-12:-4] not in result.stdout + result.stderr
    assert any(e.operation == "ListAccounts" and e.status == 401 for e in sandbox.request_log())


def test_a_throttled_portal_is_waited_for_and_answers_the_same(sandbox: Sandbox) -> None:
    token = sandbox.login_sso()["accessToken"]
    portal = fast(sso_client(sandbox.idc_url))
    unthrottled = populate.fetch_assignments(portal, token)
    sandbox.identity_center.clear_log()
    sandbox.configure_identity_center(throttle_next=3)
    waits: list[float] = []
    assert populate.fetch_assignments(portal, token, sleep=waits.append) == unthrottled
    assert len(waits) == 3 == sum(e.status == 429 for e in sandbox.request_log())


# -- the transport and the endpoint are botocore's ---------------------------------------------


def test_requests_take_the_proxy_botocore_chose_for_the_client(
    sandbox: Sandbox, canned: tuple[Canned, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    answer, proxy = canned
    answer.body = b'{"accountList": []}'
    monkeypatch.setenv("HTTP_PROXY", proxy)
    for name in ("http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    client = sso_client(sandbox.idc_url)
    client.list_accounts(accessToken=TOKEN, maxResults=5)
    assert fast(client).list_accounts(accessToken=TOKEN, maxResults=5) == {"accountList": []}
    (theirs, _), (ours, _) = answer.seen
    assert ours == theirs and ours.startswith(sandbox.idc_url + "/assignment/accounts?")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # botocore bypasses the proxy: so does the portal
    token = sandbox.login_sso()["accessToken"]
    listed = fast(sso_client(sandbox.idc_url)).list_accounts(accessToken=token)
    assert listed["accountList"] and len(answer.seen) == 2


def _session_only_config(sandbox: Sandbox, endpoint_url: str) -> None:
    """A default profile with a plain ``endpoint_url`` (no [services]) and the session."""
    sandbox.config_file.write_text(
        f"[default]\nregion = {world.REGION}\nendpoint_url = {endpoint_url}\n\n"
        f"[sso-session {world.SSO_SESSION}]\nsso_start_url = {world.SSO_START_URL}\n"
        f"sso_region = {world.SSO_REGION}\nsso_registration_scopes = {world.SSO_SCOPES}\n"
    )


@pytest.mark.parametrize(
    ("variable", "profile", "reached"),
    [
        ("emulator", "nothing", True),  # AWS_ENDPOINT_URL_SSO wins over endpoint_url
        ("nothing", "emulator", False),
        (None, "emulator", True),  # endpoint_url alone applies to sso too
    ],
)
def test_the_portal_endpoint_is_the_one_the_aws_cli_uses(
    sandbox: Sandbox, clis: Clis, variable: str | None, profile: str, reached: bool
) -> None:
    token = sandbox.login_sso()["accessToken"]
    where = {"emulator": sandbox.idc_url, "nothing": f"http://127.0.0.1:{free_port()}"}
    _session_only_config(sandbox, where[profile])
    env = {"AWS_MAX_ATTEMPTS": "1"}
    if variable is not None:
        env["AWS_ENDPOINT_URL_SSO"] = where[variable]
    aws = clis.v2("sso", "list-accounts", "--access-token", token, "--region", "us-east-1", env=env)
    ours = clis.awsprof("sso", "populate", "--sso-session", world.SSO_SESSION, "--dry-run", env=env)
    assert (aws.returncode == 0) is reached, aws.stderr
    assert ours.returncode == (0 if reached else 6), ours.stderr
    if reached:
        listed = {a["accountId"] for a in json.loads(aws.stdout)["accountList"]}
        assert world.DEV.account_id in listed and "+ development-" in ours.stdout
    else:
        assert "Could not connect" in ours.stderr and token not in ours.stderr
