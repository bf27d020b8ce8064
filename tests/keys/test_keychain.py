"""Keychain storage with an in-memory keyring backend (in-process) and a real file-based one
(keyrings.alt, read by the AWS CLI's child `awsprof keys credential-process`)."""

from __future__ import annotations

import base64
import json
import subprocess
from collections.abc import Iterator

import keyring
import pexpect
import pytest
from keyring.backend import KeyringBackend

from awsprof.cli.main import run
from awsprof.keys.keychain import MARKER_KEY
from fixtures_sandbox import BIN_DIR, Sandbox


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


def test_without_an_os_keychain_keys_go_to_the_encrypted_file_and_the_aws_cli_reads_them(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # keyrings.alt's PlaintextKeyring is what keyring picks on a Linux without a desktop
    # keyring: it protects nothing, so awsprof must not use it.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(sandbox.home / ".local" / "share"))
    monkeypatch.setenv("PATH", sandbox.env()["PATH"])  # awsprof resolves through `awsprof` too
    monkeypatch.setenv("AWSPROF_KEYCHAIN_PASSPHRASE", "correct horse battery staple")
    keyring.set_keyring(keyring.core.load_keyring("keyrings.alt.file.PlaintextKeyring"))
    keys = sandbox.static_keys["dev"]
    try:
        assert run(["keys", "to-keychain", "--profile", "dev"]) == 0
        err = capfd.readouterr().err
        assert "into an encrypted file" in err and "keychain.json" in err
        assert not list((sandbox.home / ".local" / "share").rglob("*.cfg"))  # no plain text
        store = sandbox.home / ".local" / "share" / "awsprof" / "keychain.json"
        sealed = store.read_bytes()
        assert keys.secret_access_key.encode() not in sealed
        assert base64.b64encode(keys.secret_access_key.encode()) not in sealed
        assert store.stat().st_mode & 0o777 == 0o600
        assert f"{MARKER_KEY} = encrypted-file" in sandbox.config_file.read_text()
        env = sandbox.env(
            XDG_DATA_HOME=str(sandbox.home / ".local" / "share"),
            AWSPROF_KEYCHAIN_PASSPHRASE="correct horse battery staple",
        )
        identity = subprocess.run(
            [str(BIN_DIR / "aws"), "sts", "get-caller-identity", "--profile", "dev"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert identity.returncode == 0, identity.stderr
        assert json.loads(identity.stdout)["Account"] == sandbox.accounts["dev"]
        wrong = subprocess.run(
            [str(BIN_DIR / "awsprof"), "keys", "credential-process", "--profile", "dev"],
            env={**env, "AWSPROF_KEYCHAIN_PASSPHRASE": "wrong"},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            start_new_session=True,
        )
        assert wrong.returncode == 2 and "wrong passphrase" in wrong.stderr
        assert wrong.stdout == ""
        assert run(["keys", "from-keychain", "--profile", "dev"]) == 0
        assert keys.secret_access_key in sandbox.credentials_file.read_text()
        assert "profile:dev" not in store.read_text()
    finally:
        keyring.set_keyring(keyring.core.load_keyring("keyring.backends.fail.Keyring"))


def test_the_passphrase_is_asked_at_the_terminal(sandbox: Sandbox) -> None:
    env = sandbox.env(
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        XDG_DATA_HOME=str(sandbox.home / ".local" / "share"),
    )
    child = pexpect.spawn(
        str(BIN_DIR / "awsprof"),
        ["keys", "to-keychain", "--profile", "dev"],
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    child.expect_exact("Passphrase of the awsprof keychain file")
    child.sendline("s3cret phrase")
    child.expect_exact("The same passphrase again")
    child.sendline("s3cret phrase")
    child.expect_exact("into an encrypted file")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    reader = pexpect.spawn(
        str(BIN_DIR / "awsprof"),
        ["keys", "credential-process", "--profile", "dev"],
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    reader.expect_exact("Passphrase of the awsprof keychain file")
    reader.sendline("s3cret phrase")
    reader.expect_exact(sandbox.static_keys["dev"].access_key_id)
    reader.expect(pexpect.EOF)
    reader.close()
    assert reader.exitstatus == 0
