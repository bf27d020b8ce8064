"""Long-lived keys in the OS keychain instead of the credentials file (the keyring library).

``keys to-keychain --profile P`` stores the pair as one keychain item and leaves in the config file

    [profile P]
    credential_process = awsprof keys credential-process --profile P
    awsprof_keychain = true

so the AWS CLI, boto3 and every SDK that reads the config keep working. The command reads the
keychain directly and never resolves P (resolving P would run P's credential_process, itself:
endless recursion). ``awsprof_keychain`` marks the profile for ``keys from-keychain`` and
the doctor, and says which store holds the item: ``true`` for the OS keychain, ``encrypted-file``
for :mod:`awsprof.keys.encrypted_store`.

The store is the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service, KWallet)
when keyring finds one. keyring's own fallbacks protect nothing (``fail``, ``null``, and
keyrings.alt's ``PlaintextKeyring``, which writes the key base64-encoded into a file), so where
they are all there is, the item goes to the passphrase-encrypted file instead. The command says
which store it used. ``AWSPROF_KEYCHAIN_STORE=file`` chooses the encrypted file everywhere.
"""

from __future__ import annotations

import contextlib
import json
import shlex
from collections.abc import Mapping
from typing import Any

from awsprof.credentials import Credentials
from awsprof.errors import AwsprofError, ResolutionError, UsageError
from awsprof.profiles.configure import Change, address, apply_changes
from awsprof.profiles.model import load_files

SERVICE = "awsprof"
MARKER_KEY = "awsprof_keychain"
OS_KEYCHAIN = "true"
ENCRYPTED_FILE = "encrypted-file"
STORE_VARIABLE = "AWSPROF_KEYCHAIN_STORE"
# keyring backends that keep nothing safe: never used to hold a key.
UNSAFE_BACKENDS = frozenset(
    {
        "keyring.backends.fail.Keyring",
        "keyring.backends.null.Keyring",
        "keyrings.alt.file.PlaintextKeyring",
    }
)


class _OsKeychain:
    """keyring's backend, with the name of the store for the person."""

    def __init__(self, backend: Any) -> None:
        self.backend = backend
        self.name = f"the OS keychain ({getattr(backend, 'name', type(backend).__name__)})"

    def get(self, item: str) -> str | None:
        value = self.backend.get_password(SERVICE, item)
        return None if value is None else str(value)

    def set(self, item: str, secret: str) -> None:
        self.backend.set_password(SERVICE, item, secret)

    def delete(self, item: str) -> None:
        self.backend.delete_password(SERVICE, item)


def _class_path(backend: Any) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def protects(backend: Any) -> bool:
    """Whether a keyring backend keeps secrets protected (a chain: any of its backends)."""
    inner = getattr(backend, "backends", None)
    if inner is not None and _class_path(backend).endswith("ChainerBackend"):
        return any(protects(b) for b in inner)
    return _class_path(backend) not in UNSAFE_BACKENDS


def _os_backend() -> Any:
    try:
        import keyring
    except ImportError:
        return None  # the encrypted file needs only `cryptography`
    return keyring.get_keyring()


def choose_store(environ: Mapping[str, str]) -> tuple[Any, str]:
    """(the store for a new item, the marker naming it): the OS keychain, else the encrypted
    file; never a plain-text store."""
    from awsprof.keys.encrypted_store import EncryptedStore

    if environ.get(STORE_VARIABLE, "").lower() != "file":
        backend = _os_backend()
        if backend is not None and protects(backend):
            return _OsKeychain(backend), OS_KEYCHAIN
    return EncryptedStore(environ), ENCRYPTED_FILE


def _store_for(marker: str | None, environ: Mapping[str, str]) -> Any:
    """The store an item marked ``marker`` was written to."""
    if marker == ENCRYPTED_FILE:
        from awsprof.keys.encrypted_store import EncryptedStore

        return EncryptedStore(environ)
    return _OsKeychain(_keyring().get_keyring())


def _keyring() -> Any:
    try:
        import keyring
    except ImportError:  # the optional extra is not installed
        raise UsageError(
            "keychain storage needs the keyring library",
            "Install it with `pip install 'awsprof[keychain]'`.",
        ) from None
    return keyring


def _item(profile: str) -> str:
    return f"profile:{profile}"


def command_for(profile: str) -> str:
    return f"awsprof keys credential-process --profile {shlex.quote(profile)}"


def read(profile: str, environ: Mapping[str, str] | None = None) -> Credentials:
    """The key pair stored for ``profile``; ResolutionError when there is none."""
    import os

    environ = os.environ if environ is None else environ
    found = load_files(environ, keep=profile).profile(profile)
    store = _store_for(found.text(MARKER_KEY) if found is not None else None, environ)
    try:
        stored = store.get(_item(profile))
    except AwsprofError:
        raise
    except Exception as error:  # keyring backends raise their own types
        raise ResolutionError(
            f"the keychain could not be read for profile '{profile}': {type(error).__name__}"
        ) from None
    if stored is None:
        raise ResolutionError(
            f"no access key for profile '{profile}' in the keychain",
            f"Store one with `awsprof keys to-keychain --profile {profile}`.",
        )
    data = json.loads(stored)
    return Credentials(data["AccessKeyId"], data["SecretAccessKey"])


def to_keychain(environ: Mapping[str, str], profile: str) -> tuple[str, str]:
    """Move ``profile``'s keys into the keychain; returns the access key ID moved and the name
    of the store that now holds it."""
    files = load_files(environ)
    found = files.require_profile(profile)
    key_id, secret = found.text("aws_access_key_id"), found.text("aws_secret_access_key")
    in_file = found.settings.get("aws_access_key_id")
    if not key_id or not secret or in_file is None or in_file.source.path != files.credentials_path:
        raise ResolutionError(
            f"profile '{profile}' has no access key pair in the credentials file to move"
        )
    if found.text("aws_session_token"):
        raise UsageError("temporary credentials (with a session token) do not belong in a keychain")
    if found.text("credential_process") and found.text(MARKER_KEY) is None:
        raise UsageError(
            f"profile '{profile}' already has a credential_process; awsprof will not replace it"
        )
    store, marker = choose_store(environ)
    item = json.dumps({"AccessKeyId": key_id, "SecretAccessKey": secret})
    try:
        store.set(_item(profile), item)
        stored_back = store.get(_item(profile))
    except AwsprofError:
        raise
    except Exception as error:
        raise AwsprofError(
            f"the keychain refused to store the key: {type(error).__name__}"
        ) from None
    if stored_back != item:
        raise AwsprofError("the keychain did not give back what was stored; nothing was changed")
    # Config first: while both exist, the credentials file's keys still win, so the profile
    # works at every moment; only then are the keys removed from the plain-text file.
    apply_changes(
        environ,
        [
            Change(address("credential_process", profile), command_for(profile)),
            Change(address(MARKER_KEY, profile), marker),
        ],
    )
    apply_changes(
        environ,
        [
            Change(address("aws_access_key_id", profile), None),
            Change(address("aws_secret_access_key", profile), None),
        ],
    )
    return key_id, str(store.name)


def from_keychain(environ: Mapping[str, str], profile: str) -> str:
    """Put the keys back in the credentials file and remove the keychain item."""
    files = load_files(environ)
    found = files.require_profile(profile)
    marker = found.text(MARKER_KEY)
    if marker is None:
        raise UsageError(f"profile '{profile}' does not keep its keys in the keychain")
    credentials = read(profile, environ)
    apply_changes(
        environ,
        [
            Change(address("aws_access_key_id", profile), credentials.access_key_id),
            Change(address("aws_secret_access_key", profile), credentials.secret_access_key),
        ],
    )
    apply_changes(
        environ,
        [
            Change(address("credential_process", profile), None),
            Change(address(MARKER_KEY, profile), None),
        ],
    )
    # Already gone is fine: the files are what matters.
    with contextlib.suppress(Exception):
        _store_for(marker, environ).delete(_item(profile))
    return credentials.access_key_id
