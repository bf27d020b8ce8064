"""``awsprof keys age``: every long-lived key of the files' profiles, with its age and last use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from awsprof.errors import AwsprofError
from awsprof.keys.iam import AccessKey, list_keys
from awsprof.profiles.model import load_files
from awsprof.secrets import scrub


@dataclass(frozen=True)
class KeyAge:
    profile: str
    key: AccessKey | None
    in_profile: bool  # the key the profile holds (the user's other key is listed too)
    error: str | None = None


def key_ages(environ: Mapping[str, str], only: str | None = None) -> list[KeyAge]:
    from awsprof.keys.long_lived import is_long_lived
    from awsprof.resolution.chain import resolve_in_context

    files = load_files(environ)
    names = [only] if only else [p.name for p in files.profiles() if is_long_lived(p)]
    rows: list[KeyAge] = []
    for name in names:
        try:
            resolution, context = resolve_in_context(environ, name, files=files)
            credentials = resolution.credentials
            keys = list_keys(context.clients.client("iam", credentials))
        except AwsprofError as error:
            rows.append(KeyAge(name, None, False, scrub(error.message)))
            continue
        rows += [KeyAge(name, k, k.access_key_id == credentials.access_key_id) for k in keys]
    return rows
