"""Canary secrets: no command of doctor, keys, console or import prints a secret, in success or
failure, --debug included (credential-process excepted: printing them is its job)."""

from __future__ import annotations

import pytest

from awsprof.cli.main import run
from fixtures_sandbox import Sandbox
from keys.test_keychain import MemoryKeyring, memory_keyring  # noqa: F401 - the fixture

CANARY = "CanarySecretKey0123456789abcdefGHIJKLMNOP"


def test_no_command_of_this_issue_prints_a_secret(
    sandbox: Sandbox,
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,  # noqa: F811 - the fixture imported above
) -> None:
    monkeypatch.setenv("PATH", sandbox.env()["PATH"])
    dev = sandbox.static_keys["dev"]
    with sandbox.credentials_file.open("a") as credentials:
        # A profile whose secret is a canary, with an inline comment and quotes (findings whose
        # messages name the key but must never quote the value).
        credentials.write(
            "\n[canary]\naws_access_key_id = AKIACANARY0000000001\n"
            f'aws_secret_access_key = "{CANARY}" # x\n'
        )
    secrets = [CANARY, dev.secret_access_key, sandbox.static_keys["default"].secret_access_key]
    commands = [
        ["doctor"],
        ["doctor", "--output", "json"],
        ["--debug", "doctor", "--online"],
        ["doctor", "--fix"],
        ["keys", "age"],
        ["--debug", "keys", "age", "--profile", "canary"],
        ["--debug", "keys", "rotate", "--profile", "canary"],
        ["--debug", "console", "--profile", "dev", "--url"],
        ["console", "--profile", "canary", "--url"],
        ["--debug", "keys", "to-keychain", "--profile", "dev"],
        ["whoami", "--profile", "dev"],
        ["--debug", "keys", "from-keychain", "--profile", "dev"],
        ["keys", "to-keychain", "--profile", "nosuch"],
    ]
    for argv in commands:
        assert run(argv) != 2, argv  # each command line is valid
        out, err = capfd.readouterr()
        for secret in secrets:
            assert secret not in out, argv
            assert secret not in err, argv
    # A duplicate secret line breaks the file: the parse error names the line, not the value.
    with sandbox.credentials_file.open("a") as credentials:
        credentials.write(f"aws_secret_access_key = {CANARY}\n")
    assert run(["--debug", "doctor"]) == 1
    out, err = capfd.readouterr()
    assert "AWSP006" in out
    assert CANARY not in out + err
