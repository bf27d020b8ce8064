"""The part of botocore's ``full_config`` that one profile's clients read, from awsprof's model.

A botocore session parses both files whole the first time a client is made (``full_config``):
seconds on a config of 100,000 profiles, for a file awsprof has already read. A client only
reads the selected profile (merged with the credentials file, key by key), the ``[services]``
section that profile names (endpoint URLs) and its ``[sso-session]``, so that is all this gives
botocore, in the shape of botocore's own ``configloader.load_config``.
"""

from __future__ import annotations

from typing import Any

from awsprof.profiles.model import AwsFiles, NamedSection

# The profile botocore uses when none is selected; also the name a missing profile is given, so
# the scoped config is the same empty one botocore would use.
DEFAULT = "default"


def _values(section: NamedSection | None) -> dict[str, Any]:
    if section is None:
        return {}
    return {key: setting.value for key, setting in section.settings.items()}


def scoped_config(files: AwsFiles, profile: str | None) -> tuple[str, dict[str, Any]]:
    """(the profile name to give botocore, a ``full_config`` holding what its clients read)."""
    name = profile or DEFAULT
    found = files.profile(name)
    values: dict[str, Any] = (
        {} if found is None else {key: s.value for key, s in found.settings.items()}
    )
    config: dict[str, Any] = {"profiles": {name: values}}
    services = values.get("services")
    if isinstance(services, str):
        section = files.services(services)
        if section is not None:
            config["services"] = {services: _values(section)}
    session = values.get("sso_session")
    if isinstance(session, str):
        section = files.sso_session(session)
        if section is not None:
            config["sso_sessions"] = {session: _values(section)}
    return name, config
