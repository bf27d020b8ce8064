"""``awsprof login --list``: the console logins the profiles use, read from the cache alone (no
sign-in, no network), one row per distinct ``login_session``, never a secret."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

SESSION = "arn:aws:sts::111122223333:assumed-role/Admin/dev"
OTHER = "arn:aws:iam::444455556666:user/ops"
SECRET = "s3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tABCD"


def _entry(expires: dt.datetime, refresh: bool) -> dict[str, object]:
    entry: dict[str, object] = {
        "accessToken": {
            "accessKeyId": "ASIAEXAMPLEEXAMPLE01",
            "secretAccessKey": SECRET,
            "sessionToken": "token-" + SECRET,
            "accountId": "111122223333",
            "expiresAt": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        "tokenType": "aws_sigv4",
        "clientId": "arn:aws:signin:::devtools/same-device",
    }
    if refresh:
        entry["refreshToken"] = "refresh-" + SECRET
        entry["dpopKey"] = (
            "-----BEGIN EC PRIVATE KEY-----\nnot a key\n-----END EC PRIVATE KEY-----\n"
        )
    return entry


def _plant(aws_dir: Path, expires: dt.datetime, refresh: bool = True) -> None:
    (aws_dir / "config").write_text(
        f"[profile console]\nlogin_session = {SESSION}\n\n"
        f"[profile console-ro]\nlogin_session = {SESSION}\nregion = eu-west-1\n\n"
        f"[profile ops]\nlogin_session = {OTHER}\n\n"
        "[profile keys]\nregion = us-east-1\n"
    )
    cache = aws_dir / "login" / "cache"
    cache.mkdir(parents=True)
    name = hashlib.sha256(SESSION.encode()).hexdigest() + ".json"
    (cache / name).write_text(json.dumps(_entry(expires, refresh)))


def _list(*extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "awsprof", "login", "--list", *extra],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_login_list_gives_one_row_per_session_from_the_cache(aws_dir: Path) -> None:
    expires = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + dt.timedelta(minutes=10)
    _plant(aws_dir, expires)
    done = _list("--output", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "logins": [
            {
                "session": SESSION,
                "profiles": ["console", "console-ro"],
                "accountId": "111122223333",
                "cached": True,
                "loggedIn": True,
                "expiresAt": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "refreshable": True,
            },
            {
                "session": OTHER,
                "profiles": ["ops"],
                "accountId": "444455556666",  # from the principal ARN: nothing is cached
                "cached": False,
                "loggedIn": False,
                "expiresAt": None,
                "refreshable": False,
            },
        ]
    }
    table = _list()
    assert table.returncode == 0
    rows = table.stdout.splitlines()
    assert rows[0].split() == [
        "SESSION",
        "PROFILES",
        "ACCOUNT",
        "LOGGED",
        "IN",
        "EXPIRES",
        "REFRESHABLE",
    ]
    assert (
        rows[1].startswith(SESSION) and "console, console-ro" in rows[1] and rows[1].endswith("yes")
    )
    assert rows[2].startswith(OTHER) and rows[2].endswith("no")
    assert SECRET[-20:] not in table.stdout + table.stderr + done.stdout


def test_login_list_says_expired_and_takes_a_query(aws_dir: Path) -> None:
    _plant(aws_dir, dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=1), refresh=False)
    table = _list()
    assert " expired " in table.stdout.splitlines()[1]
    queried = _list("--output", "text", "--query", "logins[?cached].profiles[]")
    assert queried.returncode == 0, queried.stderr
    assert queried.stdout.split() == ["console", "console-ro"]
    logged_in = _list("--output", "text", "--query", "logins[?loggedIn].profiles[]")
    assert logged_in.stdout.split() == []  # expired is not logged in


def test_login_list_without_login_profiles_says_how_to_make_one(aws_dir: Path) -> None:
    (aws_dir / "config").write_text("[default]\nregion = us-east-1\n")
    done = _list()
    assert done.returncode == 0 and done.stdout == ""
    assert "awsprof login --profile NAME" in done.stderr
