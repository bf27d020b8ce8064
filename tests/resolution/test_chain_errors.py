"""Profiles that cannot be resolved fail before any AWS call, exit 4, and show the chain.

No sandbox here: the endpoint points at a closed port, so a test that reached AWS would fail with
exit 6 instead of the resolution error it asserts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprof.cli.main import run

CLOSED = "http://127.0.0.1:9"
ROLE = "arn:aws:iam::888899990000:role/Admin"


def _write(aws_dir: Path, config: str, credentials: str = "") -> None:
    (aws_dir / "config").write_text(config)
    (aws_dir / "credentials").write_text(credentials)


def _whoami(profile: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run(["whoami", "--profile", profile])
    return code, capsys.readouterr().err


KEYS = "[keys]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = secret/EXAMPLE\n"


@pytest.mark.parametrize(
    ("config", "profile", "expected"),
    [
        pytest.param(
            f"[profile a]\nrole_arn = {ROLE}\nsource_profile = b\n"
            f"[profile b]\nrole_arn = {ROLE}\nsource_profile = a\n",
            "a",
            "source_profile loop: a -> b -> a",
            id="a_b_cycle",
        ),
        pytest.param(
            f"[profile a]\nrole_arn = {ROLE}\nsource_profile = a\n",
            "a",
            "source_profile loop: a -> a",
            id="self_reference_without_keys",
        ),
        pytest.param(
            f"[profile a]\nrole_arn = {ROLE}\nsource_profile = b\n"
            f"[profile b]\nrole_arn = {ROLE}\nsource_profile = ops\n",
            "a",
            "a -> b -> (missing) ops",
            id="missing_source_deep",
        ),
        pytest.param(
            f"[profile a]\nrole_arn = {ROLE}\nsource_profile = keys\n"
            "credential_source = Environment\n",
            "a",
            "has both source_profile and credential_source",
            id="both_sources",
        ),
        pytest.param(
            f"[profile a]\nrole_arn = {ROLE}\ncredential_source = Ec2Metadata\n",
            "a",
            "unknown credential_source 'Ec2Metadata'",
            id="unknown_credential_source",
        ),
        pytest.param(
            f"[profile a]\nrole_arn = {ROLE}\n",
            "a",
            "neither source_profile nor credential_source",
            id="no_source",
        ),
        pytest.param(
            f"[profile a]\nrole_arn = {ROLE}\nsource_profile = keys\nduration_seconds = 90000\n",
            "a",
            "invalid duration_seconds",
            id="bad_duration",
        ),
        pytest.param(
            f"[profile a]\nrole_arn = {ROLE}\nsource_profile = keys\nduration_seconds = one hour\n",
            "a",
            "invalid duration_seconds",
            id="duration_not_a_number",
        ),
        pytest.param(
            "[profile a]\nrole_arn = arn:aws:iam::12345:role/Admin\nsource_profile = keys\n",
            "a",
            "malformed role_arn",
            id="malformed_role_arn",
        ),
        pytest.param(
            "[profile a]\nsso_session = nowhere\nsso_account_id = 111122223333\n"
            "sso_role_name = Admin\n",
            "a",
            "no [sso-session nowhere] section",
            id="sso_session_pointing_nowhere",
        ),
        pytest.param(
            "[profile a]\nsso_session = s\nsso_start_url = https://a.example/start\n"
            "sso_account_id = 111122223333\nsso_role_name = Admin\n"
            "[sso-session s]\nsso_start_url = https://b.example/start\nsso_region = us-east-1\n",
            "a",
            "disagree on sso_start_url",
            id="sso_session_disagreeing",
        ),
        pytest.param("[profile a]\nregion = us-east-1\n", "a", "has no credentials", id="empty"),
    ],
)
def test_unresolvable_profile_exits_4_with_the_chain(
    aws_dir: Path, capsys: pytest.CaptureFixture[str], config: str, profile: str, expected: str
) -> None:
    _write(
        aws_dir, config.replace("[profile a]\n", f"[profile a]\nendpoint_url = {CLOSED}\n"), KEYS
    )
    code, err = _whoami(profile, capsys)
    assert code == 4, err
    assert expected in err


def test_self_reference_with_keys_assumes_the_role(
    aws_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Allowed by the AWS CLI: keys and a role in one profile. It reaches STS (a closed port)."""
    _write(
        aws_dir,
        f"[profile keys]\nrole_arn = {ROLE}\nsource_profile = keys\nendpoint_url = {CLOSED}\n",
        KEYS,
    )
    code, err = _whoami("keys", capsys)
    assert code == 6, err  # got as far as calling STS: the loop was accepted
    assert "AssumeRole failed" in err


def test_unknown_profile_suggests_a_close_name(
    aws_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(aws_dir, "[profile production]\nregion = us-east-1\n")
    code, err = _whoami("prodution", capsys)
    assert code == 4
    assert "The config profile (prodution) could not be found" in err
    assert "Did you mean `--profile production`?" in err


def test_environment_half_pair_is_refused(
    aws_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(aws_dir, "[default]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLEEXAMPLE01")
    code = run(["whoami"])
    assert code == 4
    assert "AWS_SECRET_ACCESS_KEY is not set" in capsys.readouterr().err


def test_implicit_default_missing_is_explained(
    aws_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(aws_dir, "[profile dev]\nregion = us-east-1\n")
    code = run(["whoami"])
    assert code == 4
    assert "no profile was selected and there is no [default] profile" in capsys.readouterr().err
