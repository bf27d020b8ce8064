"""The ``configure`` wizard's rules, without any terminal: what to ask, what to write.

The AWS CLI asks, in order, for the access key ID, the secret access key, a session token (only
when a new key is temporary, ``ASIA...``, or, the key kept, a token is stored), the default region
and the default output format. Each prompt shows the current value in brackets (secrets masked as 16
``*`` plus the last 4 characters, ``None`` when unset); an empty answer keeps it. Nothing is written
when nothing changed, and a long-term key replacing a temporary one removes the stale token.
"""

from __future__ import annotations

from dataclasses import dataclass

from awsprof.files.document import Target
from awsprof.profiles.configure import Address, Change
from awsprof.profiles.model import AwsFiles
from awsprof.secrets import mask


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    label: str
    secret: bool

    def prompt(self, current: str | None) -> str:
        shown = mask(current) if self.secret and current else current
        return f"{self.label} [{shown if shown else 'None'}]: "


ACCESS_KEY = Question("aws_access_key_id", "AWS Access Key ID", True)
SECRET_KEY = Question("aws_secret_access_key", "AWS Secret Access Key", True)
SESSION_TOKEN = Question("aws_session_token", "AWS Session Token", True)
REGION = Question("region", "Default region name", False)
OUTPUT = Question("output", "Default output format", False)


def current_values(files: AwsFiles, profile: str) -> dict[str, str | None]:
    """What each question shows in brackets: the profile's values from both files."""
    found = files.profile(profile)
    keys = [q.key for q in (ACCESS_KEY, SECRET_KEY, SESSION_TOKEN, REGION, OUTPUT)]
    return {key: (found.text(key) if found is not None else None) for key in keys}


def asks_session_token(new_access_key: str | None, current: dict[str, str | None]) -> bool:
    """The AWS CLI v2's rule: a new key (one that differs from the stored one) is asked a token
    for when it is temporary (``ASIA``) and never when it is long-term; with the key kept, the
    token is asked for only when one is stored."""
    if new_access_key and new_access_key != current.get("aws_access_key_id"):
        return new_access_key.startswith("ASIA")
    return bool(current.get("aws_session_token"))


def changes(profile: str, current: dict[str, str | None], answers: dict[str, str]) -> list[Change]:
    """The edits the answers call for; empty answers keep the current value."""
    result = []
    for key, answer in answers.items():
        if answer and answer != current.get(key):
            result.append(Change(_address(profile, key), answer))
    new_key = answers.get("aws_access_key_id")
    replaced_temporary = (
        new_key
        and new_key != current.get("aws_access_key_id")
        and not new_key.startswith("ASIA")
        and current.get("aws_session_token")
        and not answers.get("aws_session_token")
    )
    if replaced_temporary:
        result.append(Change(_address(profile, "aws_session_token"), None))
    if result and not any(not c.address.in_credentials for c in result):
        # The AWS CLI v2 then still writes the profile's (empty) section to the config file.
        result.append(Change(Address(False, Target.profile(profile), ""), ""))
    return result


def _address(profile: str, key: str) -> Address:
    in_credentials = key.startswith("aws_")
    return Address(in_credentials, Target.profile(profile, in_credentials), key)
