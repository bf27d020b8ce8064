"""doctor: one planted instance of every offline finding, each found once at its line; a clean
home gives none; --fix changes only what it reports and botocore reads the result."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import botocore.session
import pytest

from awsprof.cli.main import run
from awsprof.doctor.fix import apply_fixes
from awsprof.doctor.run import examine

PLANTED_CONFIG = """\
[default]
region = us-east-1 # the prod region
output = "json"
regoin = eu-west-1

[profile default]
region = eu-west-1
awsprof_expected_account = 888899990000
aws_access_key_id = AKIAIOSFODNN7CONFIG1

[dev]
region = eu-west-2

[profilefoo]
region = eu-west-3

[profile a b]
region = eu-central-1

[profile cyc1]
role_arn = arn:aws:iam::111111111111:role/one
source_profile = cyc2

[profile cyc2]
role_arn = arn:aws:iam::111111111111:role/two
source_profile = cyc1

[profile lost]
role_arn = arn:aws:iam::111111111111:role/x
source_profile = nowhere

[profile work]
sso_session = org
sso_start_url = https://example.awsapps.com/start
sso_account_id = 222233334444
sso_role_name = Admin

[profile orphan]
sso_session = missing
sso_account_id = 222233334444
sso_role_name = Admin

[profile chained]
role_arn = arn:aws:iam::333344445555:role/deploy
source_profile = work
duration_seconds = 43200

[profile prod]
role_arn = arn:aws:iam::888899990000:role/admin
source_profile = work
awsprof_protected = true

[profile keys]
awsprof_expected_account = 222233334444

[sso-session org]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1
"""

PLANTED_CREDENTIALS = """\
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[profile misplaced]
aws_access_key_id = AKIAIOSFODNN7MISPLAC
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE2

[keys]
aws_access_key_id = AKIAIOSFODNN7KEYSKEY
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE3
region = us-east-1
"""

# (ID, file, line); None for a finding about a whole file or folder.
EXPECTED = {
    ("AWSP005", "config", 1),
    ("AWSP010", "config", 2),
    ("AWSP011", "config", 3),
    ("AWSP012", "config", 4),
    ("AWSP030", "config", 6),  # [profile default] wins; its account is prod's, marked protected
    ("AWSP013", "config", 9),
    ("AWSP002", "config", 11),
    ("AWSP001", "config", 14),
    ("AWSP004", "config", 17),
    ("AWSP020", "config", 22),
    ("AWSP021", "config", 30),
    ("AWSP023", "config", 34),
    ("AWSP022", "config", 39),
    ("AWSP024", "config", 46),
    ("AWSP031", "credentials", 2),
    ("AWSP003", "credentials", 5),
    ("AWSP050", "credentials", 10),
    ("AWSP014", "credentials", 12),
    ("AWSP040", "credentials", None),
    ("AWSP042", "config", None),
    ("AWSP041", "cache", None),
    ("AWSP044", "credentials", None),
}


def _plant(aws_dir: Path, config: str, credentials: str) -> None:
    (aws_dir / "config").write_text(config)
    (aws_dir / "credentials").write_text(credentials)


def _relative(findings: list, aws_dir: Path) -> set[tuple[str, str, int | None]]:
    names = {aws_dir / "config": "config", aws_dir / "credentials": "credentials"}
    names[aws_dir / "cli" / "cache"] = "cache"
    return {(f.id, names.get(f.path, str(f.path)), f.line) for f in findings}


def test_every_planted_mistake_is_found_once_at_its_line(aws_dir: Path) -> None:
    _plant(aws_dir, PLANTED_CONFIG, PLANTED_CREDENTIALS)
    (aws_dir / "credentials").chmod(0o644)
    (aws_dir / "config").chmod(0o666)
    cache = aws_dir / "cli" / "cache"
    cache.mkdir(parents=True)
    (cache / "x.json").write_text("{}")
    (cache / "x.json").chmod(0o644)
    findings = [f for f in examine(os.environ) if f.id != "AWSP051"]
    ids = [f.id for f in findings]
    assert sorted(ids) == sorted({i for i, _, _ in EXPECTED}), ids
    assert _relative(findings, aws_dir) == EXPECTED


def _clean_home(home: Path, aws_dir: Path) -> None:
    (aws_dir / "config").write_text(
        "# a team config\n[default]\nregion = us-east-1\noutput = json\n\n"
        "[profile work]\nsso_session = org\nsso_account_id = 222233334444\n"
        "sso_role_name = Admin\nregion = eu-west-1\n\n"
        "[profile prod]\nrole_arn = arn:aws:iam::888899990000:role/admin\n"
        "source_profile = work\nduration_seconds = 3600\nawsprof_protected = true\n\n"
        "[profile 'my team']\ncredential_process = /bin/true\n\n"
        "[sso-session org]\nsso_start_url = https://example.awsapps.com/start\n"
        "sso_region = us-east-1\n\n[services local]\ns3 =\n    endpoint_url = http://x\n"
    )
    (aws_dir / "config").chmod(0o600)
    ignore = home / ".config" / "git" / "ignore"
    ignore.parent.mkdir(parents=True)
    ignore.write_text(".aws/credentials\n")
    (aws_dir / "credentials").write_text("")
    (aws_dir / "credentials").chmod(0o600)


def test_a_clean_home_gives_no_finding_and_exit_0(
    isolated_home: Path, aws_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _clean_home(isolated_home, aws_dir)
    assert examine(os.environ) == []
    assert run(["doctor", "--output", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_credentials_in_a_git_work_tree_are_reported(isolated_home: Path, aws_dir: Path) -> None:
    _clean_home(isolated_home, aws_dir)
    (isolated_home / ".config" / "git" / "ignore").write_text("")
    subprocess.run(["git", "init", "-q", str(isolated_home)], check=True)
    ids = [f.id for f in examine(os.environ)]
    assert ids.count("AWSP043") == 1
    assert ids.count("AWSP044") == 1
    (isolated_home / ".gitignore").write_text(".aws/\n")
    assert [f.id for f in examine(os.environ)] == ["AWSP043"]


def test_a_file_botocore_refuses_is_reported_not_crashed_on(
    aws_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _plant(aws_dir, "[default]\nregion = a\n\n[profile x]\nregion = b\nRegion = c\n", "")
    assert run(["doctor", "--output", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    broken = [f for f in found if f["id"] == "AWSP006"]
    assert len(broken) == 1
    assert broken[0]["line"] == 6
    assert broken[0]["file"].endswith("config")


def test_fix_changes_only_what_it_reports_and_botocore_reads_the_result(
    aws_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = (
        "\ufeff# top comment\n[default]\r\nregion = us-east-1\n\n[dev]\nregion = eu-west-1 \n"
        "; keep me\n[profile a b]\noutput = json\n\n[profilefoo]\nregion = x\n"
    )
    (aws_dir / "config").write_bytes(config.encode())
    (aws_dir / "credentials").write_text("[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n")
    (aws_dir / "credentials").chmod(0o644)
    code = run(["doctor", "--fix"])
    err = capsys.readouterr().err
    for expected in ("AWSP007", "AWSP002", "AWSP004", "AWSP040", "mode 0644 -> 0600"):
        assert expected in err
    after = (aws_dir / "config").read_bytes().decode()
    assert after == (
        "# top comment\n[default]\r\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1 \n"
        "; keep me\n[profile 'a b']\noutput = json\n\n[profilefoo]\nregion = x\n"
    )
    assert (aws_dir / "credentials").stat().st_mode & 0o777 == 0o600
    session = botocore.session.Session()
    session.set_config_variable("config_file", str(aws_dir / "config"))
    profiles = session.full_config["profiles"]
    assert profiles["dev"]["region"] == "eu-west-1"
    assert profiles["a b"]["output"] == "json"
    assert code == 1  # [profilefoo] is not safe to guess and stays reported
    assert [f.id for f in examine(os.environ) if f.id not in ("AWSP044", "AWSP051")] == ["AWSP001"]


def test_fix_does_not_rename_onto_an_existing_profile(aws_dir: Path) -> None:
    text = "[dev]\nregion = a\n\n[profile dev]\nregion = b\n"
    _plant(aws_dir, text, "")
    findings = examine(os.environ)
    assert [f.fixable for f in findings if f.id == "AWSP002"] == [False]
    assert [c for c in apply_fixes(findings, os.environ) if "AWSP040" not in c] == []
    assert (aws_dir / "config").read_text() == text


LOGIN = "login_session = arn:aws:iam::111122223333:user/dev\n"


@pytest.mark.parametrize(
    ("config", "credentials", "said"),
    [
        (f"[profile c]\n{LOGIN}role_arn = arn:aws:iam::1:role/r\nsource_profile = c\n", "", "role"),
        (f"[profile c]\n{LOGIN}sso_session = org\n", "", "SSO (sso_session)"),
        (f"[profile c]\n{LOGIN}", "[c]\naws_access_key_id = AKIAX\n", "credentials file"),
        (f"[profile c]\n{LOGIN}credential_process = /bin/true\n", "", "credential_process never"),
        (f"[profile c]\n{LOGIN}aws_access_key_id = AKIAX\n", "", "keys in the config file"),
    ],
)
def test_a_console_login_beside_another_credential_source_is_reported_at_its_line(
    aws_dir: Path, config: str, credentials: str, said: str
) -> None:
    _plant(aws_dir, config, credentials)
    found = [f for f in examine(os.environ) if f.id == "AWSP025"]
    assert [(f.path, f.line, f.profile) for f in found] == [(aws_dir / "config", 2, "c")]
    assert said in found[0].message


def test_a_plain_console_login_profile_is_not_reported(aws_dir: Path) -> None:
    _plant(aws_dir, f"[profile c]\n{LOGIN}region = eu-west-1\n", "")
    assert [f for f in examine(os.environ) if f.id == "AWSP025"] == []


def test_a_login_cache_readable_by_others_is_reported(aws_dir: Path) -> None:
    """The login cache holds refresh tokens and private DPoP keys; AWS_LOGIN_CACHE_DIRECTORY
    moves it and the check follows."""
    _plant(aws_dir, f"[profile c]\n{LOGIN}", "")
    moved = aws_dir.parent / "logins"
    moved.mkdir(mode=0o700)
    (moved / "a.json").write_text("{}")
    (moved / "a.json").chmod(0o644)
    environ = {**os.environ, "AWS_LOGIN_CACHE_DIRECTORY": str(moved)}
    assert [f.path for f in examine(environ) if f.id == "AWSP041"] == [moved]
    (moved / "a.json").chmod(0o600)
    assert [f for f in examine(environ) if f.id == "AWSP041"] == []
