"""The keychain where there is no OS keychain: one file of items encrypted with a passphrase
(as aws-vault's file backend does), never a plain-text store.

``$XDG_DATA_HOME/awsprof/keychain.json`` (else ``~/.local/share/awsprof/keychain.json``), mode
0600, written atomically under the awsprof file lock. The key is derived from the passphrase with
scrypt (a fresh random salt per file); each item is sealed with AES-256-GCM under a fresh nonce,
with the item's name as associated data, so an item cannot be moved to another name unnoticed. A
check item proves the passphrase before anything is read or written. The primitives are the
``cryptography`` library's; nothing cryptographic is written here.

The passphrase comes from ``AWSPROF_KEYCHAIN_PASSPHRASE`` (for scripts and the AWS CLI's
credential_process child), else a no-echo prompt on the terminal (``/dev/tty``, so it works
while the AWS CLI captures stdout and stderr).
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from awsprof.errors import AwsprofError, UsageError

PASSPHRASE_VARIABLE = "AWSPROF_KEYCHAIN_PASSPHRASE"  # noqa: S105 - a variable's name, no secret
STORE_NAME = "an encrypted file (passphrase, scrypt + AES-256-GCM)"
_CHECK_ITEM = "awsprof:passphrase-check"
_CHECK_TEXT = "awsprof keychain"
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
Prompt = Callable[[str], str]


def store_path(environ: Mapping[str, str]) -> Path:
    from awsprof.files.locate import home_dir

    base = environ.get("XDG_DATA_HOME") or os.path.join(home_dir(environ), ".local", "share")
    return Path(base) / "awsprof" / "keychain.json"


def _tty_prompt(text: str) -> str:
    import getpass

    if os.name != "nt":
        try:  # getpass would fall back to an echoing stdin without a terminal: refuse instead
            os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
        except OSError:
            raise _no_passphrase() from None
    try:
        return getpass.getpass(text)  # on /dev/tty, even while stdout and stderr are captured
    except EOFError:
        raise _no_passphrase() from None


def _no_passphrase() -> UsageError:
    return UsageError(
        "the encrypted keychain file needs its passphrase",
        f"Type it at the prompt, or set {PASSPHRASE_VARIABLE} (where no terminal can ask).",
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    return base64.b64decode(str(text))


class EncryptedStore:
    """get / set / delete of named secrets in the encrypted file."""

    def __init__(self, environ: Mapping[str, str], prompt: Prompt | None = None) -> None:
        self.environ = environ
        self.path = store_path(environ)
        self._prompt = prompt or _tty_prompt
        self._key: bytes | None = None

    @property
    def name(self) -> str:
        return f"{STORE_NAME} at {self.path}"

    def _load(self) -> dict[str, Any] | None:
        try:
            data: dict[str, Any] = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            raise AwsprofError(
                f"{self.path}: the encrypted keychain file cannot be read ({type(error).__name__})"
            ) from None
        return data

    def _passphrase(self, confirm: bool) -> str:
        given = self.environ.get(PASSPHRASE_VARIABLE)
        if given:
            return given
        try:
            first = self._prompt("Passphrase of the awsprof keychain file: ")
            if confirm and self._prompt("The same passphrase again: ") != first:
                raise UsageError("the two passphrases differ; nothing was stored")
        except OSError:
            raise _no_passphrase() from None
        if not first:
            raise UsageError("an empty passphrase protects nothing; nothing was stored")
        return first

    def _derive(self, passphrase: str, salt: bytes) -> bytes:
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        return Scrypt(salt=salt, length=32, **_SCRYPT).derive(passphrase.encode("utf-8"))

    def _seal(self, key: bytes, item: str, secret: str) -> dict[str, str]:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        nonce = os.urandom(12)
        sealed = AESGCM(key).encrypt(nonce, secret.encode("utf-8"), item.encode("utf-8"))
        return {"nonce": _b64(nonce), "ciphertext": _b64(sealed)}

    def _open(self, key: bytes, item: str, entry: Mapping[str, Any]) -> str | None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            plain = AESGCM(key).decrypt(
                _unb64(entry["nonce"]), _unb64(entry["ciphertext"]), item.encode("utf-8")
            )
        except (InvalidTag, KeyError, ValueError):
            return None
        return plain.decode("utf-8")

    def _unlock(self, data: dict[str, Any]) -> bytes:
        if self._key is not None:
            return self._key
        key = self._derive(self._passphrase(False), _unb64(data["salt"]))
        if self._open(key, _CHECK_ITEM, data.get("check", {})) != _CHECK_TEXT:
            raise UsageError(
                "wrong passphrase for the awsprof keychain file; nothing was read or changed",
                f"Use the passphrase it was created with ({self.path}).",
            )
        self._key = key
        return key

    def get(self, item: str) -> str | None:
        data = self._load()
        if data is None or item not in data.get("items", {}):
            return None
        value = self._open(self._unlock(data), item, data["items"][item])
        if value is None:
            raise AwsprofError(f"{self.path}: the item for {item} is damaged or was moved")
        return value

    def set(self, item: str, secret: str) -> None:
        self._write(lambda items, key: items.__setitem__(item, self._seal(key, item, secret)))

    def delete(self, item: str) -> None:
        self._write(lambda items, key: items.pop(item, None))

    def _write(self, change: Callable[[dict[str, Any], bytes], object]) -> None:
        from awsprof.files.atomic import locked, write_atomic

        with locked(self.path) as target:
            data = self._load()
            if data is None:
                salt = os.urandom(16)
                key = self._derive(self._passphrase(True), salt)
                data = {
                    "version": 1,
                    "kdf": {"name": "scrypt", **_SCRYPT},
                    "cipher": "AES-256-GCM",
                    "salt": _b64(salt),
                    "check": self._seal(key, _CHECK_ITEM, _CHECK_TEXT),
                    "items": {},
                }
                self._key = key
            key = self._unlock(data)
            change(data["items"], key)
            write_atomic(target, (json.dumps(data, indent=2) + "\n").encode("utf-8"), 0o600)
