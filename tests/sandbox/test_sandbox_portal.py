"""The portal (accounts, roles, role credentials, logout), federation sign-in, and scale."""

from __future__ import annotations

import json
import time
import urllib.parse
from typing import Any

import pytest
from botocore.exceptions import ClientError

from awsprof.sandbox import accounts as world
from awsprof.sandbox.clients import Keys, isolated_session, moto_client
from awsprof.sandbox.identity_center import start_identity_center
from awsprof.sandbox.runtime import MotoCredentialSource
from fixtures_sandbox import Sandbox


def all_accounts(sso: Any, token: str, page_size: int) -> tuple[list[dict[str, str]], int]:
    accounts: list[dict[str, str]] = []
    pages = 0
    kwargs: dict[str, Any] = {"accessToken": token, "maxResults": page_size}
    while True:
        answer = sso.list_accounts(**kwargs)
        pages += 1
        accounts += answer["accountList"]
        if "nextToken" not in answer:
            return accounts, pages
        kwargs["nextToken"] = answer["nextToken"]


def test_accounts_have_names_and_emails_and_paginate(sandbox: Sandbox) -> None:
    token = sandbox.login_sso()["accessToken"]
    accounts, pages = all_accounts(sandbox.sso_client(), token, page_size=2)
    ids = [a["accountId"] for a in accounts]
    assert ids == [a.account_id for a in world.ACCOUNTS if a.account_id in world.ASSIGNMENTS]
    assert pages == 3
    assert all(a["accountName"] and "@" in a["emailAddress"] for a in accounts)
    assert world.MANAGEMENT.account_id not in ids


def test_roles_per_account(sandbox: Sandbox) -> None:
    token = sandbox.login_sso()["accessToken"]
    roles = sandbox.sso_client().list_account_roles(accessToken=token, accountId="555566667777")
    assert {r["roleName"] for r in roles["roleList"]} == {"PowerUserAccess", "ReadOnlyAccess"}
    assert {r["accountId"] for r in roles["roleList"]} == {"555566667777"}


def test_role_credentials_are_real_moto_credentials(sandbox: Sandbox) -> None:
    token = sandbox.login_sso()["accessToken"]
    before_ms = time.time() * 1000
    answer = sandbox.sso_client().get_role_credentials(
        accessToken=token, accountId="888899990000", roleName="ReadOnlyAccess"
    )["roleCredentials"]
    # epoch milliseconds, about an hour ahead
    assert before_ms + 50 * 60_000 < answer["expiration"] < before_ms + 70 * 60_000
    keys = Keys(answer["accessKeyId"], answer["secretAccessKey"], answer["sessionToken"])
    session = isolated_session()
    sts = moto_client(session, "sts", sandbox.moto_url, keys)
    arn = sts.get_caller_identity()["Arn"]
    assert arn == (
        "arn:aws:sts::888899990000:assumed-role/"
        f"{world.sso_role_name('888899990000', 'ReadOnlyAccess')}/alice"
    )
    s3 = moto_client(session, "s3", sandbox.moto_url, keys)
    assert "prod-data-888899990000" in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    with pytest.raises(ClientError) as denied:  # read-only really is read-only
        s3.delete_bucket(Bucket="prod-backups-888899990000")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"


def test_unassigned_role_is_forbidden(sandbox: Sandbox) -> None:
    token = sandbox.login_sso()["accessToken"]
    with pytest.raises(ClientError) as excinfo:
        sandbox.sso_client().get_role_credentials(
            accessToken=token, accountId="888899990000", roleName="AdministratorAccess"
        )
    assert excinfo.value.response["Error"]["Code"] == "ForbiddenException"


def test_bad_and_logged_out_tokens_are_unauthorized(sandbox: Sandbox) -> None:
    sso = sandbox.sso_client()
    with pytest.raises(ClientError) as bad:
        sso.list_accounts(accessToken="not-a-token")
    assert type(bad.value).__name__ == "UnauthorizedException"
    token = sandbox.login_sso()["accessToken"]
    sso.list_accounts(accessToken=token)
    sso.logout(accessToken=token)
    with pytest.raises(ClientError) as after:
        sso.list_accounts(accessToken=token)
    assert after.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401


def test_throttling_switch_answers_too_many_requests(sandbox: Sandbox) -> None:
    token = sandbox.login_sso()["accessToken"]
    sandbox.configure_identity_center(throttle_next=1)
    with pytest.raises(ClientError) as excinfo:
        sandbox.sso_client().list_accounts(accessToken=token)
    assert excinfo.value.response["Error"]["Code"] == "TooManyRequestsException"
    assert sandbox.sso_client().list_accounts(accessToken=token)["accountList"]
    # botocore's own retry (standard mode) rides over a throttle, as against AWS.
    from botocore import UNSIGNED
    from botocore.config import Config

    retrying = isolated_session().create_client(
        "sso",
        region_name="us-east-1",
        endpoint_url=sandbox.idc_url,
        config=Config(signature_version=UNSIGNED, retries={"mode": "standard"}, proxies={}),
    )
    sandbox.configure_identity_center(throttle_next=1)
    sandbox.identity_center.clear_log()
    assert retrying.list_accounts(accessToken=token)["accountList"]
    assert [e.status for e in sandbox.request_log()] == [429, 200]


def test_federation_signin_token_and_console_page(sandbox: Sandbox) -> None:
    token = sandbox.login_sso()["accessToken"]
    creds = sandbox.sso_client().get_role_credentials(
        accessToken=token, accountId="555566667777", roleName="PowerUserAccess"
    )["roleCredentials"]
    session = json.dumps(
        {
            "sessionId": creds["accessKeyId"],
            "sessionKey": creds["secretAccessKey"],
            "sessionToken": creds["sessionToken"],
        }
    )
    query = urllib.parse.urlencode({"Action": "getSigninToken", "Session": session})
    status, body = sandbox.get(f"/federation?{query}")
    assert status == 200
    signin = json.loads(body)["SigninToken"]
    login = urllib.parse.urlencode(
        {
            "Action": "login",
            "SigninToken": signin,
            "Issuer": "awsprof",
            "Destination": "https://console.aws.amazon.com/",
        }
    )
    status, html = sandbox.get(f"/federation?{login}")
    assert status == 200
    assert "assumed-role/AWSReservedSSO_PowerUserAccess_" in html
    assert sandbox.get(f"/federation?{login}")[0] == 400  # a sign-in token works once
    forged = {"sessionId": "ASIAFORGED", "sessionKey": "x" * 40, "sessionToken": "y" * 100}
    query = urllib.parse.urlencode({"Action": "getSigninToken", "Session": json.dumps(forged)})
    assert sandbox.get(f"/federation?{query}")[0] == 400


def test_five_thousand_synthetic_accounts_list_quickly(sandbox: Sandbox) -> None:
    source = MotoCredentialSource(sandbox.moto_url, sandbox.servers.seeded.identity_center_keys)
    big = start_identity_center(source, extra_accounts=5000)
    try:
        store = big.store
        from awsprof.sandbox.identity_center.oidc import Oidc  # noqa: F401 - same code path

        client = big.oidc.register_client({"clientName": "bench", "clientType": "public"})
        device = big.oidc.start_device_authorization({**client, "startUrl": world.SSO_START_URL})
        big.approve(device["userCode"])
        token = big.oidc.create_token(
            {
                **client,
                "grantType": "urn:ietf:params:oauth:grant-type:device_code",
                "deviceCode": device["deviceCode"],
            }
        )["accessToken"]
        from fixtures_sandbox import _unsigned_client

        sso = _unsigned_client("sso", big.url)
        started = time.monotonic()
        accounts, pages = all_accounts(sso, token, page_size=100)
        elapsed = time.monotonic() - started
        assert len(accounts) == 5006 and pages == 51
        assert len({a["accountId"] for a in accounts}) == 5006
        last = accounts[-1]["accountId"]
        roles = sso.list_account_roles(accessToken=token, accountId=last)["roleList"]
        assert {r["roleName"] for r in roles} == set(world.SYNTHETIC_PERMISSION_SETS)
        creds = sso.get_role_credentials(
            accessToken=token, accountId=last, roleName="ReadOnlyAccess"
        )["roleCredentials"]
        assert creds["accessKeyId"].startswith("ASIA")
        assert elapsed < 10, f"listing 5,006 accounts took {elapsed:.1f} s"
        assert len(store.log) == 51 + 2
    finally:
        big.stop()
