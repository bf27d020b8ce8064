"""Long-term keys stored in a profile (credentials file, or the config file)."""

from __future__ import annotations

from awsprof.credentials import Credentials
from awsprof.errors import ResolutionError
from awsprof.profiles.model import Profile
from awsprof.resolution.providers.context import Link, Step, used

KEYS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")


def has_static_keys(profile: Profile) -> bool:
    return profile.text("aws_access_key_id") is not None


def keys_file(profile: Profile) -> str:
    """'credentials file' or 'config file': where the access key ID of the profile is."""
    setting = profile.settings.get("aws_access_key_id")
    source = profile.credentials_source
    if setting is not None and source is not None and setting.source.path == source.path:
        return "credentials file"
    return "config file"


def from_profile(profile: Profile) -> Step:
    key_id = profile.text("aws_access_key_id")
    secret = profile.text("aws_secret_access_key")
    if not key_id or not secret:
        where = profile.settings.get("aws_access_key_id") or profile.settings.get(
            "aws_secret_access_key"
        )
        raise ResolutionError(
            f"profile '{profile.name}' has only half of a key pair"
            + (f" ({where.source})" if where else ""),
            f"Set both with `awsprof configure --profile {profile.name}`.",
        )
    token = profile.text("aws_session_token") or profile.text("aws_security_token")
    link = Link(
        profile.name, f"static keys ({keys_file(profile)})", used(profile, *KEYS, secret=True)
    )
    return Step(Credentials(key_id, secret, token or None), link)
