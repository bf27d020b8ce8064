"""``sso populate`` as a real process against the emulator: unique names, hand-written profiles
kept byte for byte through --prune, one write, backoff on throttling, and 5,000 accounts."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sso_helpers import awsprof

from fixtures_sandbox import Sandbox

HAND_WRITTEN = """\
# my team's profiles: keep every byte of this file
[profile hand-dev]
sso_session = my-org
sso_account_id = 222233334444
sso_role_name = ReadOnlyAccess
region=eu-west-1   # an inline remark the AWS CLI keeps in the value

[profile Gone-ReadOnlyAccess]
sso_session = my-org
sso_account_id = 123412341234
sso_role_name = ReadOnlyAccess
region = us-east-1
awsprof_account_name = Gone
awsprof_generated = my-org
# a comment that belongs to the next hand-written profile
[profile  "spaced out" ]
region = us-west-2
"""


@pytest.fixture
def extra_accounts(sandbox: Sandbox) -> Iterator[object]:
    portal = sandbox.identity_center.portal

    def set_count(count: int) -> None:
        portal.extra_accounts = count

    yield set_count
    portal.extra_accounts = 0


def _populate(sandbox: Sandbox, *args: str) -> tuple[list[str], str]:
    result = awsprof(sandbox, "sso", "populate", "--sso-session", "my-org", *args, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.split(), result.stderr


def _profiles(sandbox: Sandbox) -> dict[str, dict[str, str]]:
    """The profiles as botocore reads them (strict: a duplicate section fails the whole file)."""
    from botocore.configloader import load_config

    profiles: dict[str, dict[str, str]] = load_config(str(sandbox.config_file))["profiles"]
    return profiles


def test_populate_writes_usable_unique_profiles(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    added, stderr = _populate(
        sandbox, "--set", "services=sandbox", "--set", f"endpoint_url={sandbox.moto_url}"
    )
    assert "Development-ReadOnlyAccess" in added and "Security-Audit-ReadOnlyAccess" in added
    assert "Workloads-PowerUserAccess" not in added  # [profile work] already gives it
    assert "1 already configured by hand" in stderr
    profiles = _profiles(sandbox)
    generated = profiles["Development-ReadOnlyAccess"]
    assert generated["awsprof_generated"] == "my-org"
    assert generated["awsprof_account_name"] == "Development"
    assert generated["sso_account_id"] == "222233334444"
    identity = sandbox.run_aws(
        "sts", "get-caller-identity", "--profile", "Development-ReadOnlyAccess", "--output", "json"
    )
    assert identity.returncode == 0 and "222233334444" in identity.stdout, identity.stderr


def test_names_stay_unique_when_the_template_collides(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    added, _ = _populate(sandbox, "--template", "{role_name}")
    assert len(added) == len(set(added)) == 7
    assert "ReadOnlyAccess" in added and "ReadOnlyAccess-333344445555" in added
    assert set(added) <= set(_profiles(sandbox))


def test_a_second_run_changes_nothing(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    _populate(sandbox)
    before = sandbox.config_file.read_bytes()
    added, stderr = _populate(sandbox, "--prune")
    assert added == [] and "0 profiles were added, 0 updated, 0 removed" in stderr
    assert sandbox.config_file.read_bytes() == before


def test_prune_removes_only_gone_generated_profiles_and_keeps_bytes(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    original = sandbox.config_file.read_text()
    sandbox.config_file.write_text(original + HAND_WRITTEN)
    kept, stderr = _populate(sandbox)
    assert "1 generated profile(s) no longer match" in stderr and "--prune" in stderr
    assert "Gone-ReadOnlyAccess" in _profiles(sandbox)
    _populate(sandbox, "--prune")
    after = sandbox.config_file.read_text()
    without_gone = HAND_WRITTEN.replace(
        HAND_WRITTEN[HAND_WRITTEN.index("[profile Gone") : HAND_WRITTEN.index("# a comment")], ""
    )
    assert after.startswith(original + without_gone)  # every hand-written byte, in place
    profiles = _profiles(sandbox)
    assert "Gone-ReadOnlyAccess" not in profiles
    assert profiles["spaced out"] == {"region": "us-west-2"}
    assert "Development-ReadOnlyAccess" not in kept  # covered by hand-dev
    assert len(profiles) == len(set(profiles))


def test_throttled_portal_calls_back_off_and_complete(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    sandbox.configure_identity_center(throttle_next=4)
    added, _ = _populate(sandbox)
    assert len(added) == 7
    assert sum(1 for e in sandbox.request_log() if e.status == 429) == 4


def test_bad_template_and_missing_login_fail_clearly(sandbox: Sandbox) -> None:
    bad = awsprof(sandbox, "sso", "populate", "--sso-session", "my-org", "--template", "{acount}")
    assert bad.returncode == 2 and "unknown field(s) acount" in bad.stderr
    no_login = awsprof(sandbox, "sso", "populate", "--sso-session", "my-org")
    assert no_login.returncode == 5 and "awsprof sso login --sso-session my-org" in no_login.stderr


@pytest.mark.slow
def test_five_thousand_accounts_complete_in_one_write(
    sandbox: Sandbox, extra_accounts: object
) -> None:
    extra_accounts(5000)  # type: ignore[operator]
    sandbox.login_sso()
    started = time.monotonic()
    added, stderr = _populate(sandbox)
    seconds = time.monotonic() - started
    print(f"populate of 5,006 accounts (10,008 account roles): {seconds:.1f} s")
    assert len(added) == 10_007 and len(set(added)) == len(added)
    profiles = _profiles(sandbox)
    assert len([p for p in profiles.values() if p.get("awsprof_generated") == "my-org"]) == 10_007
    assert "10008 account roles" in stderr
    assert seconds < 90
