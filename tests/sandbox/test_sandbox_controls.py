"""The helpers tests rely on: back-dated access keys, and the emulator's HTTP control endpoints
(for tests that drive a background sandbox rather than the in-process one)."""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from typing import Any

from fixtures_sandbox import Sandbox

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def control(sandbox: Sandbox, path: str, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(  # noqa: S310 - the sandbox's loopback URL
        f"{sandbox.idc_url}{path}",
        data=None if body is None else json.dumps(body).encode(),
        method="GET" if body is None else "POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as answer:
        return json.loads(answer.read())


def test_backdated_access_key_shows_its_age_through_iam(sandbox: Sandbox) -> None:
    key_id = sandbox.backdate_access_key("dev", days=120)
    keys = sandbox.moto_client("iam", "dev").list_access_keys()["AccessKeyMetadata"]
    created = next(k["CreateDate"] for k in keys if k["AccessKeyId"] == key_id)
    age = dt.datetime.now(dt.timezone.utc) - created
    assert dt.timedelta(days=119) < age < dt.timedelta(days=121)


def test_http_controls_approve_settings_expire_and_log(sandbox: Sandbox) -> None:
    assert control(sandbox, "/_sandbox/health")["status"] == "ok"
    settings = control(sandbox, "/_sandbox/settings", {"access_token_seconds": 120})
    assert settings["access_token_seconds"] == 120
    oidc = sandbox.sso_oidc_client()
    client = oidc.register_client(clientName="c", clientType="public")
    device = oidc.start_device_authorization(
        clientId=client["clientId"],
        clientSecret=client["clientSecret"],
        startUrl=sandbox.start_url,
    )
    assert control(sandbox, "/_sandbox/approve", {}) == {"approved": [device["userCode"]]}
    token = oidc.create_token(
        clientId=client["clientId"],
        clientSecret=client["clientSecret"],
        grantType=DEVICE_GRANT,
        deviceCode=device["deviceCode"],
    )
    assert token["expiresIn"] == 120
    assert control(sandbox, "/_sandbox/expire", {"access": True})["expired"] >= 1
    log = control(sandbox, "/_sandbox/log")["entries"]
    assert [e["operation"] for e in log] == [
        "RegisterClient",
        "StartDeviceAuthorization",
        "CreateToken",
    ]
    assert log[-1]["grant_type"] == DEVICE_GRANT
    assert all(token["accessToken"] not in json.dumps(e) for e in log)


def test_auto_approve_needs_no_person(sandbox: Sandbox) -> None:
    sandbox.configure_identity_center(auto_approve=True)
    oidc = sandbox.sso_oidc_client()
    client = oidc.register_client(clientName="c", clientType="public")
    device = oidc.start_device_authorization(
        clientId=client["clientId"],
        clientSecret=client["clientSecret"],
        startUrl=sandbox.start_url,
    )
    token = oidc.create_token(
        clientId=client["clientId"],
        clientSecret=client["clientSecret"],
        grantType=DEVICE_GRANT,
        deviceCode=device["deviceCode"],
    )
    assert token["accessToken"]


def test_settings_reset_between_tests(sandbox: Sandbox) -> None:
    # The previous test switched auto_approve on; each test starts from the defaults.
    assert sandbox.identity_center.store.settings.auto_approve is False
