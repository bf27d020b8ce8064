"""Back-dated keys (moto state) make the age findings of `doctor --online` and `keys age` appear."""

from __future__ import annotations

import json

import pytest

from awsprof.cli.main import run
from fixtures_sandbox import Sandbox
from keys.conftest import KeyUser


def test_old_unused_and_inactive_keys_are_found_online(
    sandbox: Sandbox, key_user: KeyUser, capfd: pytest.CaptureFixture[str]
) -> None:
    iam = sandbox.moto_client("iam", "dev")
    second = iam.create_access_key(UserName=key_user.user_name)["AccessKey"]["AccessKeyId"]
    iam.update_access_key(UserName=key_user.user_name, AccessKeyId=second, Status="Inactive")
    account = sandbox.accounts["dev"]
    sandbox.backdate_access_key(account, key_user.access_key_id, days=120)
    sandbox.backdate_access_key(account, second, days=200)

    assert run(["doctor", "--online", "--output", "json"]) == 1
    out, err = capfd.readouterr()
    found = [
        f for f in json.loads(out) if f["profile"] == key_user.profile and f["id"] != "AWSP051"
    ]
    by_id = {f["id"]: f for f in found}
    assert sorted(f["id"] for f in found) == ["AWSP060", "AWSP061", "AWSP062"]
    assert key_user.access_key_id in by_id["AWSP060"]["message"]
    assert "120 days" in by_id["AWSP060"]["message"]
    assert second in by_id["AWSP061"]["message"] and second in by_id["AWSP062"]["message"]
    assert by_id["AWSP060"]["file"] == str(sandbox.credentials_file)
    assert key_user.secret_access_key not in out + err

    assert run(["keys", "age", "--profile", key_user.profile, "--output", "json"]) == 0
    out, err = capfd.readouterr()
    rows = {r["AccessKeyId"]: r for r in json.loads(out)}
    assert rows[key_user.access_key_id]["AgeDays"] == 120
    assert rows[key_user.access_key_id]["InProfile"] is True
    assert rows[second]["Status"] == "Inactive" and rows[second]["LastUsedDate"] is None
    assert "older than 90 days" in err


def test_fresh_keys_give_no_online_finding(
    sandbox: Sandbox, key_user: KeyUser, capfd: pytest.CaptureFixture[str]
) -> None:
    run(["doctor", "--online", "--output", "json"])
    found = [f for f in json.loads(capfd.readouterr().out) if f["profile"] == key_user.profile]
    assert [f["id"] for f in found] == ["AWSP051"]  # only the keychain hint
