"""``sso populate`` as a real process against the emulator: a sync of the profiles it generated
(dry-run diff = applied diff, renamed/closed/new accounts, hand edits kept), unique names,
hand-written profiles kept byte for byte, one write with a backup, resumable after SIGKILL,
backoff on throttling (a rate-limited portal too), several sessions, and 5,000 accounts."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sso_helpers import awsprof, start_awsprof

from awsprof.sandbox import accounts as world
from fixtures_sandbox import Sandbox, token_cache_name

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


def _run(sandbox: Sandbox, *args: str) -> tuple[list[str], str]:
    """stdout lines (the diff) and stderr of a successful populate of my-org."""
    result = awsprof(sandbox, "sso", "populate", "--sso-session", "my-org", *args, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines(), result.stderr


def _populate(sandbox: Sandbox, *args: str) -> tuple[list[str], str]:
    """The names populate added, and its stderr."""
    lines, stderr = _run(sandbox, *args)
    return [line[2:] for line in lines if line.startswith("+ ")], stderr


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
    assert "development-readonlyaccess" in added and "security-audit-readonlyaccess" in added
    assert "workloads-poweruseraccess" not in added  # [profile work] already gives it
    assert "1 already configured by hand" in stderr
    profiles = _profiles(sandbox)
    generated = profiles["development-readonlyaccess"]
    session, stamp = generated["awsprof_generated"].split(" ")
    assert session == "my-org" and len(stamp) == 12
    assert generated["awsprof_account_name"] == "Development"
    assert generated["sso_account_id"] == "222233334444"
    identity = sandbox.run_aws(
        "sts", "get-caller-identity", "--profile", "development-readonlyaccess", "--output", "json"
    )
    assert identity.returncode == 0 and "222233334444" in identity.stdout, identity.stderr


def test_names_stay_unique_when_the_template_collides(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    added, _ = _populate(sandbox, "--name", "{role_name}")
    assert len(added) == len(set(added)) == 7
    assert "readonlyaccess" in added and "readonlyaccess-333344445555" in added
    assert set(added) <= set(_profiles(sandbox))


def test_a_second_run_changes_nothing(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    _populate(sandbox)
    before = sandbox.config_file.read_bytes()
    lines, stderr = _run(sandbox, "--prune")
    assert lines == [] and "0 profiles were added, 0 changed, 0 removed" in stderr
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
    assert "development-readonlyaccess" not in kept  # covered by hand-dev
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
    generated = [
        p for p in profiles.values() if p.get("awsprof_generated", "").startswith("my-org ")
    ]
    assert len(generated) == 10_007
    assert "10008 account roles" in stderr
    assert seconds < 90


# -- a sync ------------------------------------------------------------------------------------


def _change_organisation(sandbox: Sandbox) -> None:
    """Development renamed, Staging closed, Management newly assigned."""
    portal = sandbox.identity_center.portal
    portal.renamed[world.DEV.account_id] = "Dev Team"
    portal.closed.add(world.STAGING.account_id)
    portal.assigned[world.MANAGEMENT.account_id] = ("AdministratorAccess",)


def _generated(sandbox: Sandbox) -> dict[str, dict[str, str]]:
    return {n: p for n, p in _profiles(sandbox).items() if "awsprof_generated" in p}


def test_dry_run_shows_exactly_the_diff_that_apply_makes(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    _populate(sandbox)
    _change_organisation(sandbox)
    before_bytes = sandbox.config_file.read_bytes()
    backup = Path(f"{sandbox.config_file}.bak")
    backup_bytes = backup.read_bytes()
    before = _profiles(sandbox)
    shown, stderr = _run(sandbox, "--prune", "--dry-run")
    assert "would be added" in stderr
    assert sandbox.config_file.read_bytes() == before_bytes  # a dry run changes nothing
    assert backup.read_bytes() == backup_bytes
    applied, _ = _run(sandbox, "--prune")
    assert applied == shown
    after = _profiles(sandbox)
    added = {line[2:] for line in shown if line.startswith("+ ")}
    removed = {line[2:] for line in shown if line.startswith("- ")}
    renamed = dict(line[2:].split(" (")[0].split(" -> ") for line in shown if " -> " in line)
    changed = {
        line[2:].split(" (")[0] for line in shown if line.startswith("~ ") and " -> " not in line
    }
    assert set(after) - set(before) == added | set(renamed.values())
    assert set(before) - set(after) == removed | set(renamed)
    assert {n for n in set(before) & set(after) if before[n] != after[n]} == changed
    assert added == {"management-administratoraccess"}
    assert removed == {"staging-readonlyaccess"}
    assert renamed == {
        "development-readonlyaccess": "dev-team-readonlyaccess",
        "development-poweruseraccess": "dev-team-poweruseraccess",
    }
    assert after["dev-team-readonlyaccess"]["awsprof_account_name"] == "Dev Team"
    assert after["dev-team-readonlyaccess"]["sso_account_id"] == world.DEV.account_id
    again, _ = _run(sandbox, "--prune")
    assert again == []


def test_closed_accounts_stay_until_prune_and_new_ones_are_added(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    _populate(sandbox)
    _change_organisation(sandbox)
    lines, stderr = _run(sandbox)
    assert "+ management-administratoraccess" in lines
    assert "1 generated profile(s) no longer match" in stderr
    assert "staging-readonlyaccess" in _generated(sandbox)
    lines, _ = _run(sandbox, "--prune")
    assert lines == ["- staging-readonlyaccess"]
    assert "staging-readonlyaccess" not in _generated(sandbox)


def test_hand_edited_generated_profiles_are_reported_not_overwritten(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    _populate(sandbox)
    text = sandbox.config_file.read_text()
    block = text.index("[profile development-readonlyaccess]")
    edited = text[:block] + text[block:].replace("region = us-east-1", "region = eu-west-3", 1)
    staging = edited.index("\n[profile staging-readonlyaccess]")
    edited = edited[:staging] + edited[staging:].replace(
        "\n[profile staging-readonlyaccess]\n",
        "\n[profile staging-readonlyaccess]\noutput = text\n",
        1,
    )
    assert edited != text
    sandbox.config_file.write_text(edited)
    _change_organisation(sandbox)  # the portal changes both accounts
    lines, stderr = _run(sandbox, "--prune")
    assert "! development-readonlyaccess (edited by hand: kept; --force overwrites it)" in lines
    assert "! staging-readonlyaccess (edited by hand: kept; --force overwrites it)" in lines
    assert "2 edited by hand and kept" in stderr
    profiles = _profiles(sandbox)
    assert profiles["development-readonlyaccess"]["region"] == "eu-west-3"
    assert profiles["development-readonlyaccess"]["awsprof_account_name"] == "Development"
    assert profiles["staging-readonlyaccess"]["output"] == "text"
    assert "dev-team-poweruseraccess" in profiles  # the unedited one followed the rename
    forced, _ = _run(sandbox, "--prune", "--force")
    assert (
        "~ development-readonlyaccess -> dev-team-readonlyaccess (region, awsprof_account_name)"
        in forced
    )
    assert "- staging-readonlyaccess" in forced
    profiles = _profiles(sandbox)
    assert profiles["dev-team-readonlyaccess"]["region"] == "us-east-1"
    assert "staging-readonlyaccess" not in profiles


def test_comments_and_hand_written_profiles_survive_a_sync_byte_for_byte(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    _populate(sandbox)
    text = sandbox.config_file.read_text()
    marked = text.replace(
        "\n[profile development-poweruseraccess]\n",
        "\n# kept: my note about dev\n[profile development-poweruseraccess]\n# inside\n",
    )
    sandbox.config_file.write_text(marked + HAND_WRITTEN.replace("awsprof_generated", "x_kept"))
    _change_organisation(sandbox)
    _run(sandbox, "--prune")
    after = sandbox.config_file.read_text()
    assert "# kept: my note about dev\n[profile dev-team-poweruseraccess]\n# inside\n" in after
    assert HAND_WRITTEN.replace("awsprof_generated", "x_kept") in after
    assert after.startswith(text[: text.index("\n[profile development-poweruseraccess]")])


def test_the_previous_file_is_kept_as_a_private_backup(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    original = sandbox.config_file.read_bytes()
    _, stderr = _run(sandbox)
    backup = Path(f"{sandbox.config_file}.bak")
    assert backup.read_bytes() == original and "config.bak" in stderr
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert sandbox.config_file.read_bytes() != original


def test_several_sessions_in_one_run_write_once(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    with sandbox.config_file.open("a") as config:
        config.write(
            f"\n[sso-session second]\nsso_start_url = {sandbox.start_url}\n"
            f"sso_region = {sandbox.sso_region}\nsso_registration_scopes = {world.SSO_SCOPES}\n"
        )
    shutil.copy(sandbox.token_cache_file, sandbox.paths.sso_cache / token_cache_name("second"))
    result = awsprof(
        sandbox,
        "sso",
        "populate",
        "--sso-session",
        "my-org",
        "--sso-session",
        "second",
        "--name",
        "{sso_session}.{account_name}-{role_name}",
    )
    assert result.returncode == 0, result.stderr
    added = [line[2:] for line in result.stdout.splitlines() if line.startswith("+ ")]
    assert "my-org.development-readonlyaccess" in added
    assert "second.development-readonlyaccess" in added
    assert "second.workloads-poweruseraccess" in added  # [profile work] is my-org's only
    generated = _generated(sandbox)
    assert {p["awsprof_generated"].split()[0] for p in generated.values()} == {"my-org", "second"}
    assert Path(f"{sandbox.config_file}.bak").exists()


def test_names_follow_the_template_and_never_merge_two_accounts(sandbox: Sandbox) -> None:
    sandbox.login_sso()
    portal = sandbox.identity_center.portal
    portal.renamed[world.SECURITY.account_id] = "DEVELOPMENT"  # two accounts, one name
    original = sandbox.config_file.read_bytes()
    added, _ = _populate(sandbox, "--name", "{account_name}  {account_id} {role_name}!")
    assert f"development-{world.DEV.account_id}-readonlyaccess" in added
    assert f"development-{world.SECURITY.account_id}-readonlyaccess" in added
    sandbox.config_file.write_bytes(original)
    added, _ = _populate(sandbox, "--name", "Org/{account_name}")
    generated = _generated(sandbox)
    ids = {generated[name]["sso_account_id"] for name in added if name.startswith("org-dev")}
    assert ids == {world.DEV.account_id, world.SECURITY.account_id}
    assert len([name for name in added if name.startswith("org-dev")]) == 3


# -- interruptions and throttling -------------------------------------------------------------


def _wait_for_portal_calls(sandbox: Sandbox, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(e.operation == "ListAccountRoles" for e in sandbox.request_log()) >= count:
            return
        time.sleep(0.02)
    raise AssertionError(f"fewer than {count} ListAccountRoles calls")


def test_a_run_killed_halfway_and_rerun_equals_an_uninterrupted_run(
    sandbox: Sandbox, extra_accounts: object
) -> None:
    extra_accounts(120)  # type: ignore[operator]
    sandbox.configure_identity_center(requests_per_second=40)
    sandbox.login_sso()
    original = sandbox.config_file.read_bytes()
    process = start_awsprof(sandbox, "sso", "populate", "--sso-session", "my-org", "--prune")
    _wait_for_portal_calls(sandbox, 40)
    assert process.poll() is None, "populate finished before it could be interrupted"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    assert sandbox.config_file.read_bytes() == original  # nothing half-written
    assert [p.name for p in sandbox.aws_dir.iterdir() if p.name.startswith(".config")] == []
    _run(sandbox, "--prune")
    resumed = sandbox.config_file.read_bytes()
    sandbox.config_file.write_bytes(original)
    _run(sandbox, "--prune")
    assert sandbox.config_file.read_bytes() == resumed
    assert len(_generated(sandbox)) == 7 + 240


def test_a_portal_limited_to_ten_requests_per_second_still_completes(
    sandbox: Sandbox, extra_accounts: object
) -> None:
    extra_accounts(40)  # type: ignore[operator]
    sandbox.login_sso()
    sandbox.configure_identity_center(requests_per_second=10)
    started = time.monotonic()
    added, _ = _populate(sandbox)
    seconds = time.monotonic() - started
    log = sandbox.request_log()
    throttled = sum(e.status == 429 for e in log)
    served = sum(
        e.status == 200 and e.operation in ("ListAccounts", "ListAccountRoles") for e in log
    )
    assert len(added) == 7 + 80 and throttled > 0
    assert served == 1 + 46  # 46 accounts in one page of 100, then each account's roles once
    assert seconds >= (served - 10) / 10 * 0.9  # the bucket held it to its rate
