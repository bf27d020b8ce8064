"""credential_process run for real: failures, hangs, bad output, expiry, size, permissions,
recursion."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from resolution.helpers import awsprof

SECRET = "CanarySecretKey0123456789abcdefGHIJKLMNOP"


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS")}
    env.update(HOME=str(home), AWSPROF_CREDENTIAL_PROCESS_TIMEOUT="3", **extra)
    return env


def _profile(aws_dir: Path, script: str) -> Path:
    path = aws_dir / "creds.py"
    path.write_text(script)
    (aws_dir / "config").write_text(
        f"[profile tool]\ncredential_process = {sys.executable} {path}\n"
    )
    return path


def _export(home: Path) -> tuple[int, str, str]:
    done = awsprof(_env(home), "configure", "export-credentials", "--profile", "tool")
    return done.returncode, done.stdout, done.stderr


GOOD = (
    "import json\nprint(json.dumps({'Version': 1, 'AccessKeyId': 'AKIAPROCESSEXAMPLE01', "
    f"'SecretAccessKey': '{SECRET}', 'Expiration': '2099-01-01T00:00:00Z'}}))\n"
)


def test_valid_output_is_exported(aws_dir: Path, isolated_home: Path) -> None:
    _profile(aws_dir, GOOD)
    code, out, err = _export(isolated_home)
    assert code == 0, err
    data = json.loads(out)
    assert data == {
        "Version": 1,
        "AccessKeyId": "AKIAPROCESSEXAMPLE01",
        "SecretAccessKey": SECRET,
        "Expiration": "2099-01-01T00:00:00+00:00",  # the AWS CLI v2's form
    }


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        pytest.param(
            f"import sys\nsys.stderr.write('vault locked, secret {SECRET}')\nsys.exit(3)\n",
            "failed with exit code 3 (run with --debug to see its stderr)",
            id="non_zero_exit",
        ),
        pytest.param("import time\ntime.sleep(30)\n", "did not finish within 3 s", id="hang"),
        pytest.param("print('hello')\n", "not JSON", id="not_json"),
        pytest.param(
            "import json\nprint(json.dumps({'AccessKeyId': 'A', 'SecretAccessKey': 'B'}))\n",
            "'Version' must be 1",
            id="missing_version",
        ),
        pytest.param(
            "import json\nprint(json.dumps({'Version': 1, 'AccessKeyId': 'A'}))\n",
            "must be non-empty strings",
            id="missing_secret",
        ),
        pytest.param("print('x' * (2 << 20))\n", "printed more than", id="huge_output"),
        pytest.param(
            "import json\nprint(json.dumps({'Version': 1, 'AccessKeyId': 'A', "
            "'SecretAccessKey': 'B', 'Expiration': 'soon'}))\n",
            "not an ISO 8601 time",
            id="bad_expiration",
        ),
    ],
)
def test_bad_process_is_a_clear_error(
    aws_dir: Path, isolated_home: Path, script: str, expected: str
) -> None:
    _profile(aws_dir, script)
    code, out, err = _export(isolated_home)
    assert code == 4
    assert out == ""
    assert expected in err
    assert SECRET not in err  # stderr of the child is shown, its secrets masked


def test_expired_credentials_ask_for_login(aws_dir: Path, isolated_home: Path) -> None:
    _profile(aws_dir, GOOD.replace("2099-01-01", "2001-01-01"))
    code, _, err = _export(isolated_home)
    assert code == 5
    assert "already expired" in err


def test_command_from_a_world_writable_config_is_refused(
    aws_dir: Path, isolated_home: Path
) -> None:
    marker = aws_dir / "ran"
    _profile(aws_dir, f"open({str(marker)!r}, 'w').write('ran')\n" + GOOD)
    os.chmod(aws_dir / "config", 0o666)  # noqa: S103 - the unsafe mode is what is tested
    code, _, err = _export(isolated_home)
    assert code == 4
    assert "can be written by other users" in err
    assert not marker.exists()


def test_recursion_through_awsprof_credential_process_is_refused(
    aws_dir: Path, isolated_home: Path
) -> None:
    awsprof_bin = Path(sys.executable).parent / "awsprof"
    (aws_dir / "config").write_text(
        f"[profile loop]\ncredential_process = {awsprof_bin} credential-process --profile loop\n"
    )
    done = awsprof(_env(isolated_home), "credential-process", "--profile", "loop", timeout=60)
    assert done.returncode == 4
    assert "credential_process recursion: loop -> loop" in done.stderr
