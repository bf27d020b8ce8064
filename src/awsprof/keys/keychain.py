"""Long-lived keys in the OS keychain instead of the credentials file (the keyring library).

``keys to-keychain --profile P`` stores the pair as one keychain item and leaves in the config file

    [profile P]
    credential_process = awsprof keys credential-process --profile P
    awsprof_keychain = true

so the AWS CLI, boto3 and every SDK that reads the config keep working. The command reads the
keychain directly and never resolves P (resolving P would run P's credential_process, itself:
endless recursion). ``awsprof_keychain`` marks the profile for ``keys from-keychain`` and
the doctor.
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


def read(profile: str) -> Credentials:
    """The key pair stored for ``profile``; ResolutionError when there is none."""
    keyring = _keyring()
    try:
        stored = keyring.get_password(SERVICE, _item(profile))
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


def to_keychain(environ: Mapping[str, str], profile: str) -> str:
    """Move ``profile``'s keys into the keychain; returns the access key ID moved."""
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
    keyring = _keyring()
    item = json.dumps({"AccessKeyId": key_id, "SecretAccessKey": secret})
    try:
        keyring.set_password(SERVICE, _item(profile), item)
        stored_back = keyring.get_password(SERVICE, _item(profile))
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
            Change(address(MARKER_KEY, profile), "true"),
        ],
    )
    apply_changes(
        environ,
        [
            Change(address("aws_access_key_id", profile), None),
            Change(address("aws_secret_access_key", profile), None),
        ],
    )
    return key_id


def from_keychain(environ: Mapping[str, str], profile: str) -> str:
    """Put the keys back in the credentials file and remove the keychain item."""
    files = load_files(environ)
    found = files.require_profile(profile)
    if found.text(MARKER_KEY) is None:
        raise UsageError(f"profile '{profile}' does not keep its keys in the keychain")
    credentials = read(profile)
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
        _keyring().delete_password(SERVICE, _item(profile))
    return credentials.access_key_id
