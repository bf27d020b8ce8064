"""awsprof console against the sandbox's federation endpoint: long-lived keys go through
GetFederationToken, SSO credentials are used as they are, the URL signs in once, no secret shown."""

from __future__ import annotations

import urllib.parse

import pytest

from awsprof.cli.main import run
from awsprof.console import FEDERATION_URL, destination_url, federation_endpoint
from fixtures_sandbox import Sandbox


def _sign_in(sandbox: Sandbox, url: str) -> tuple[int, str]:
    return sandbox.get(url)


def test_static_keys_go_through_get_federation_token(
    sandbox: Sandbox, capfd: pytest.CaptureFixture[str]
) -> None:
    # moto issues GetFederationToken credentials but keeps no record of them, so with its
    # signature enforcement on nothing can verify them: the emulator refuses the session. What
    # is checked here: awsprof obtained temporary credentials (the STS call succeeded with the
    # long-lived key) and sent them, never the key, and printed no secret.
    code = run(["console", "--profile", "dev", "--url", "--destination", "s3"])
    out, err = capfd.readouterr()
    assert code == 6
    assert "federation endpoint refused" in err
    keys = sandbox.static_keys["dev"]
    assert keys.secret_access_key not in out + err
    assert out == ""


def test_role_credentials_sign_in_at_the_destination(
    sandbox: Sandbox, capfd: pytest.CaptureFixture[str]
) -> None:
    sandbox.login_sso()
    assert run(["console", "--profile", "prod", "--url", "--destination", "s3"]) == 0
    out, _ = capfd.readouterr()
    url = out.strip()
    assert url.startswith(sandbox.idc_url + "/federation?Action=login")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    region = "us-east-1"
    assert query["Destination"] == [
        f"https://{region}.console.aws.amazon.com/s3/home?region={region}"
    ]
    status, page = _sign_in(sandbox, url)
    assert status == 200
    assert sandbox.accounts["prod"] in page
    assert _sign_in(sandbox, url)[0] == 400  # a sign-in token works once


def test_sso_credentials_sign_in_directly(
    sandbox: Sandbox, capfd: pytest.CaptureFixture[str]
) -> None:
    sandbox.login_sso()
    assert run(["console", "--profile", "work", "--url"]) == 0
    out, err = capfd.readouterr()
    assert "GetFederationToken" not in err
    status, page = _sign_in(sandbox, out.strip())
    assert status == 200
    assert sandbox.accounts["work"] in page


def test_the_endpoint_follows_the_environment_then_the_services_section() -> None:
    assert federation_endpoint({}, None) == FEDERATION_URL
    services = {"signin": {"endpoint_url": "http://127.0.0.1:1/"}}
    assert federation_endpoint({}, services) == "http://127.0.0.1:1/federation"
    environ = {"AWS_ENDPOINT_URL_SIGNIN": "http://127.0.0.1:2"}
    assert federation_endpoint(environ, services) == "http://127.0.0.1:2/federation"
    assert destination_url(None, "eu-west-1") == "https://console.aws.amazon.com/"
