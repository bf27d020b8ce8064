"""``awsprof keys age``: every long-lived key of the files' profiles, with its age and last use."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from awsprof.errors import AwsprofError
from awsprof.keys.iam import AccessKey, list_keys
from awsprof.profiles.model import Profile, load_files
from awsprof.secrets import scrub


@dataclass(frozen=True)
class KeyAge:
    profile: str
    key: AccessKey | None
    in_profile: bool  # the key the profile holds (the user's other key is listed too)
    error: str | None = None
    note: str | None = None  # why there is nothing to age (an SSO, role or login profile)


def without_long_lived_keys(profile: Profile) -> str | None:
    """Why ``profile`` holds no long-lived key, read from the files alone (no IAM call); None
    when it may hold one (keys in the file, or a credential_process such as the keychain's)."""
    from awsprof.keys.long_lived import is_long_lived

    if is_long_lived(profile) or profile.text("credential_process"):
        return None
    if profile.text("role_arn"):
        return "no long-lived keys: it assumes a role (temporary credentials)"
    if any(profile.text(k) for k in ("sso_session", "sso_start_url", "sso_account_id")):
        return "no long-lived keys: IAM Identity Center (SSO) gives temporary credentials"
    if profile.text("login_session"):
        return "no long-lived keys: a console login session gives temporary credentials"
    if profile.text("web_identity_token_file"):
        return "no long-lived keys: web identity gives temporary credentials"
    if profile.text("aws_access_key_id"):
        return "no long-lived keys: its keys are temporary (a session token)"
    return "no long-lived keys: the profile holds no credentials of its own"


def key_ages(environ: Mapping[str, str], only: str | None = None) -> list[KeyAge]:
    from awsprof.keys.long_lived import is_long_lived
    from awsprof.resolution.chain import resolve_in_context

    files = load_files(environ)
    if only:
        note = without_long_lived_keys(files.require_profile(only))
        if note is not None:
            return [KeyAge(only, None, False, note=note)]
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
