"""Keychain storage with an in-memory keyring backend (in-process) and a real file-based one
(keyrings.alt, read by the AWS CLI's child `awsprof keys credential-process`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from awsprof.cli.main import run
from awsprof.keys.keychain import MARKER_KEY
from fixtures_sandbox import Sandbox


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.items[(service, username)]


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_to_and_from_keychain_in_memory(
    sandbox: Sandbox, memory_keyring: MemoryKeyring, capfd: pytest.CaptureFixture[str]
) -> None:
    keys = sandbox.static_keys["dev"]
    credentials_before = sandbox.credentials_file.read_text()
    assert run(["keys", "to-keychain", "--profile", "dev"]) == 0
    out, err = capfd.readouterr()
    assert keys.secret_access_key not in out + err
    assert keys.secret_access_key not in sandbox.credentials_file.read_text()
    assert keys.access_key_id not in sandbox.credentials_file.read_text()
    config = sandbox.config_file.read_text()
    assert "credential_process = awsprof keys credential-process --profile dev" in config
    assert f"{MARKER_KEY} = true" in config
    assert list(memory_keyring.items) == [("awsprof", "profile:dev")]
    # What the AWS CLI's child prints: the credential_process JSON.
    assert run(["keys", "credential-process", "--profile", "dev"]) == 0
    printed = json.loads(capfd.readouterr().out)
    assert printed == {
        "Version": 1,
        "AccessKeyId": keys.access_key_id,
        "SecretAccessKey": keys.secret_access_key,
    }
    # Rotation refuses a keychain profile and says how to proceed.
    assert run(["keys", "rotate", "--profile", "dev"]) == 4
    assert "from-keychain" in capfd.readouterr().err

    assert run(["keys", "from-keychain", "--profile", "dev"]) == 0
    out, err = capfd.readouterr()
    assert keys.secret_access_key not in out + err
    assert memory_keyring.items == {}
    assert "credential_process" not in sandbox.config_file.read_text()
    after = sandbox.credentials_file.read_text()
    assert keys.secret_access_key in after and keys.access_key_id in after
    assert after.replace("\n", "") == credentials_before.replace("\n", "")


def test_a_missing_item_is_a_clear_error(
    sandbox: Sandbox, memory_keyring: MemoryKeyring, capfd: pytest.CaptureFixture[str]
) -> None:
    assert run(["keys", "credential-process", "--profile", "dev"]) == 4
    assert "no access key for profile 'dev'" in capfd.readouterr().err


def test_the_aws_cli_reads_keys_from_a_file_keyring(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # A real backend in a file, shared with the child processes through the environment.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(sandbox.home / ".local" / "share"))
    monkeypatch.setenv("PATH", sandbox.env()["PATH"])  # awsprof resolves through `awsprof` too
    keyring.set_keyring(keyring.core.load_keyring("keyrings.alt.file.PlaintextKeyring"))
    try:
        assert run(["keys", "to-keychain", "--profile", "dev"]) == 0
        stored = list(Path(sandbox.home / ".local" / "share").rglob("*.cfg"))
        assert stored, "the file backend wrote nothing"
        identity = sandbox.run_aws("sts", "get-caller-identity", "--profile", "dev")
        assert identity.returncode == 0, identity.stderr
        assert json.loads(identity.stdout)["Account"] == sandbox.accounts["dev"]
        assert run(["whoami", "--profile", "dev"]) == 0
        assert json.loads(capfd.readouterr().out)["Account"] == sandbox.accounts["dev"]
        assert run(["keys", "from-keychain", "--profile", "dev"]) == 0
        identity = sandbox.run_aws("sts", "get-caller-identity", "--profile", "dev")
        assert identity.returncode == 0, identity.stderr
    finally:
        keyring.set_keyring(keyring.core.load_keyring("keyring.backends.fail.Keyring"))
