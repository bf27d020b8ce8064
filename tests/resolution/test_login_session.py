"""``login_session`` profiles (``aws login``, console credentials): awsprof resolves them from the
AWS CLI's login cache, as the AWS CLI v2 does, and asks for a new login when it cannot be refreshed.

The cached credentials are a real sandbox session (the work profile's SSO role), written in the
AWS CLI's cache format under the AWS CLI's file name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from awsprof.sandbox import accounts as world
from fixtures_awscli_v2 import Clis
from fixtures_sandbox import BIN_DIR, Sandbox


def awsprof(sandbox: Sandbox, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN_DIR / "awsprof"), *args],
        env=sandbox.env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def dpop_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()


def console_login(
    sandbox: Sandbox, cache_dir: Path | None = None, expires_in: float | None = None
) -> tuple[str, dict[str, Any]]:
    """Write a ``console`` profile and its cached login; returns (login_session, credentials)."""
    sandbox.login_sso()
    exported = awsprof(sandbox, "configure", "export-credentials", "--profile", "work")
    assert exported.returncode == 0, exported.stderr
    creds = json.loads(exported.stdout)
    arn = json.loads(awsprof(sandbox, "whoami", "--profile", "work").stdout)["Arn"]
    expires = dt.datetime.fromisoformat(creds["Expiration"])
    if expires_in is not None:
        expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=expires_in)
    token = {
        "accessToken": {
            "accessKeyId": creds["AccessKeyId"],
            "secretAccessKey": creds["SecretAccessKey"],
            "sessionToken": creds["SessionToken"],
            "accountId": world.WORK.account_id,
            "expiresAt": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        "tokenType": "aws_sigv4",
        "refreshToken": "sandbox-refresh-token",
        "idToken": "sandbox-id-token",
        "clientId": "arn:aws:signin:::devtools/same-device",
        "dpopKey": dpop_key_pem(),
    }
    directory = cache_dir or sandbox.aws_dir / "login" / "cache"
    directory.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(arn.encode()).hexdigest() + ".json"
    (directory / name).write_text(json.dumps(token))
    with sandbox.config_file.open("a") as handle:
        handle.write(
            f"\n[profile console]\nlogin_session = {arn}\nregion = {world.REGION}\n"
            f"endpoint_url = {sandbox.moto_url}\nservices = {world.SERVICES_SECTION}\n"
        )
    return arn, creds


def test_whoami_uses_the_cached_console_login(sandbox: Sandbox) -> None:
    arn, _ = console_login(sandbox)
    done = awsprof(sandbox, "whoami", "--profile", "console")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Arn"] == arn


def test_export_credentials_from_the_login_cache(sandbox: Sandbox) -> None:
    _, creds = console_login(sandbox)
    done = awsprof(sandbox, "configure", "export-credentials", "--profile", "console")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["AccessKeyId"] == creds["AccessKeyId"]
    assert data["SessionToken"] == creds["SessionToken"]


def test_login_cache_directory_variable_moves_the_cache(sandbox: Sandbox, tmp_path: Path) -> None:
    elsewhere = tmp_path / "login-cache"
    arn, _ = console_login(sandbox, cache_dir=elsewhere)
    without = awsprof(sandbox, "whoami", "--profile", "console")
    assert without.returncode == 5  # not in ~/.aws/login/cache
    done = awsprof(
        sandbox, "whoami", "--profile", "console", AWS_LOGIN_CACHE_DIRECTORY=str(elsewhere)
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Arn"] == arn


def test_expired_login_is_exit_5_naming_aws_login(sandbox: Sandbox) -> None:
    _, creds = console_login(sandbox, expires_in=-60)
    done = awsprof(sandbox, "whoami", "--profile", "console")
    assert done.returncode == 5, done.stderr
    assert "console login of profile 'console' expired" in done.stderr
    assert "aws login --profile console" in done.stderr
    assert creds["SecretAccessKey"] not in done.stderr


def test_missing_login_cache_is_exit_5(sandbox: Sandbox) -> None:
    with sandbox.config_file.open("a") as handle:
        handle.write("\n[profile console]\nlogin_session = arn:aws:iam::222233334444:user/alice\n")
    done = awsprof(sandbox, "whoami", "--profile", "console")
    assert done.returncode == 5
    assert "no cached login" in done.stderr
    assert "aws login --profile console" in done.stderr


def test_login_profile_matches_aws_cli_v2(clis: Clis) -> None:
    arn, _ = console_login(clis.sandbox)
    theirs = clis.v2("sts", "get-caller-identity", "--profile", "console", "--output", "json")
    assert theirs.returncode == 0, theirs.stderr
    assert json.loads(theirs.stdout)["Arn"] == arn
    for args in (
        ("configure", "export-credentials", "--profile", "console"),
        ("configure", "export-credentials", "--profile", "console", "--format", "env"),
        ("configure", "list", "--profile", "console"),
    ):
        v2, ours = clis.v2(*args), clis.awsprof(*args)
        assert (v2.returncode, ours.returncode) == (0, 0), (v2.stderr, ours.stderr)
        assert ours.stdout == v2.stdout, args
    assert ": login " in ours.stdout


def test_explain_names_the_login_session_and_its_cache(sandbox: Sandbox) -> None:
    arn, _ = console_login(sandbox)
    done = awsprof(sandbox, "whoami", "--profile", "console", "--explain")
    assert done.returncode == 0, done.stderr
    name = hashlib.sha256(arn.encode()).hexdigest() + ".json"
    assert "1. console: login" in done.stderr
    assert f"login_session = {arn}" in done.stderr
    assert f"cached in {sandbox.aws_dir / 'login' / 'cache' / name}" in done.stderr
