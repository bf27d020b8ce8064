"""configure import --csv: both console spellings, a BOM, names from users or --profile; the
AWS CLI reads the result; no secret printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsprof.cli.main import run
from fixtures_sandbox import Sandbox

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYCANARY0001"


def test_user_download_with_a_bom_names_the_profile_after_the_user(
    sandbox: Sandbox, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    keys = sandbox.static_keys["dev"]
    csv_file = tmp_path / "alice_credentials.csv"
    csv_file.write_bytes(
        (
            "\ufeffUser name,Password,Access key ID,Secret access key,Console login link\r\n"
            f"alice,,{keys.access_key_id},{keys.secret_access_key},https://x/console\r\n"
        ).encode()
    )
    before = sandbox.credentials_file.read_text()
    assert run(["configure", "import", "--csv", f"file://{csv_file}"]) == 0
    out, err = capfd.readouterr()
    assert out == ""
    assert keys.secret_access_key not in err
    assert "imported profile 'alice'" in err and "keys to-keychain" in err
    assert sandbox.credentials_file.read_text().startswith(before)  # appended, nothing lost
    got = sandbox.run_aws("configure", "get", "aws_access_key_id", "--profile", "alice")
    assert got.stdout.strip() == keys.access_key_id
    with sandbox.config_file.open("a") as config:
        config.write(f"\n[profile alice]\nendpoint_url = {sandbox.moto_url}\nregion = us-east-1\n")
    identity = sandbox.run_aws("sts", "get-caller-identity", "--profile", "alice")
    assert identity.returncode == 0, identity.stderr


def test_access_key_page_download_needs_profile(
    aws_dir: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "accessKeys.csv"
    csv_file.write_text(f"Access key ID,Secret access key\nAKIAIOSFODNN7CANARY1,{SECRET}\n")
    assert run(["configure", "import", "--csv", str(csv_file)]) == 2
    assert "--profile" in capfd.readouterr().err
    assert run(["configure", "import", "--csv", str(csv_file), "--profile", "ci"]) == 0
    out, err = capfd.readouterr()
    assert SECRET not in out + err
    text = (aws_dir / "credentials").read_text()
    assert (
        text
        == f"[ci]\naws_access_key_id = AKIAIOSFODNN7CANARY1\naws_secret_access_key = {SECRET}\n"
    )
    assert (aws_dir / "credentials").stat().st_mode & 0o777 == 0o600


def test_a_csv_without_key_columns_is_refused(
    aws_dir: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "x.csv"
    csv_file.write_text("name,value\na,b\n")
    assert run(["configure", "import", "--csv", str(csv_file), "--profile", "x"]) == 2
    assert "Access key ID" in capfd.readouterr().err
    assert not (aws_dir / "credentials").exists()
