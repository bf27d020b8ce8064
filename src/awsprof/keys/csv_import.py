"""``configure import --csv``: the access-key CSV the IAM console offers for download.

Two spellings exist: ``User name,Password,Access key ID,Secret access key,Console login link``
(user downloads) and ``Access key ID,Secret access key`` (the access-key page). As the AWS CLI
does, the profile is named after the user (with an optional prefix); the second form has no user,
so ``--profile`` names it. Excel adds a BOM and sometimes changes case: both are tolerated.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from awsprof.errors import UsageError
from awsprof.files.document import check_text
from awsprof.profiles.configure import Change, address, apply_changes

USER = "user name"
KEY_ID = "access key id"
SECRET = "secret access key"  # noqa: S105 - a CSV column title, not a secret


@dataclass(frozen=True)
class ImportedKey:
    profile: str
    access_key_id: str
    secret_access_key: str = field(repr=False)


def parse_csv(text: str, profile: str | None = None, prefix: str = "") -> list[ImportedKey]:
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text))
    rows = [row for row in reader if any(cell.strip() for cell in row)]
    if not rows:
        raise UsageError("the CSV file is empty")
    header = [cell.strip().lower() for cell in rows[0]]
    if KEY_ID not in header or SECRET not in header:
        raise UsageError(
            "the CSV file has no 'Access key ID' and 'Secret access key' columns",
            "Use the file the IAM console offers when it creates an access key.",
        )
    if USER not in header and profile is None:
        raise UsageError("this CSV names no user, so it names no profile", "Pass --profile NAME.")
    if profile is not None and len(rows) != 2:
        raise UsageError("--profile names one profile, but the CSV holds several keys")
    keys = []
    for number, row in enumerate(rows[1:], 2):
        cells = dict(zip(header, (cell.strip() for cell in row), strict=False))
        name = profile if profile is not None else prefix + cells.get(USER, "")
        key_id, secret = cells.get(KEY_ID, ""), cells.get(SECRET, "")
        if not name or not key_id or not secret:
            raise UsageError(f"row {number} of the CSV lacks a user name, key ID or secret")
        check_text("name", name)
        check_text("value", key_id)
        check_text("value", secret)
        keys.append(ImportedKey(name, key_id, secret))
    return keys


def import_keys(environ: Mapping[str, str], keys: list[ImportedKey]) -> None:
    """Write every pair to the credentials file in one locked, atomic write."""
    changes = []
    for key in keys:
        changes.append(Change(address("aws_access_key_id", key.profile), key.access_key_id))
        changes.append(Change(address("aws_secret_access_key", key.profile), key.secret_access_key))
    apply_changes(environ, changes)
