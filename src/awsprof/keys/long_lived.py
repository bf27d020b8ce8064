"""Which profiles hold long-lived access keys: the keys `keys age`, `keys rotate` and doctor
talk about (an IAM user's ``AKIA`` keys, not a session's temporary ones)."""

from __future__ import annotations

from awsprof.profiles.model import Profile

__all__ = ["is_long_lived"]


def is_long_lived(profile: Profile) -> bool:
    key_id = profile.text("aws_access_key_id")
    return (
        bool(key_id)
        and not profile.text("aws_session_token")
        and not str(key_id).startswith("ASIA")
    )
