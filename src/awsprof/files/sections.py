"""What botocore makes of a section header, and the header to write for a profile.

botocore keeps ``[default]`` as the default profile and splits any header that starts with
``profile``, ``sso-session`` or ``services`` like a shell would; exactly two words make a section
of that kind named by the second word. Everything else that starts with those words is silently
dropped (``[profilefoo]``, ``[profile a b]``, ``[profile]``): those are the sections ``doctor``
reports. In the credentials file every header is a profile name as written.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    PROFILE = "profile"
    SSO_SESSION = "sso-session"
    SERVICES = "services"
    OTHER = "other"  # kept by botocore as a top-level section (e.g. [plugins], [preview])
    DROPPED = "dropped"  # looks like one of the kinds above, but botocore ignores it


@dataclass(frozen=True, slots=True)
class HeaderMeaning:
    kind: Kind
    name: str  # profile / session / services name; the raw header for OTHER and DROPPED


_PREFIXES = (Kind.PROFILE, Kind.SSO_SESSION, Kind.SERVICES)
# Headers without quotes, backslashes or unusual whitespace split like str.split() on spaces/tabs,
# which is much faster than shlex and gives the same words.
_NEEDS_SHLEX = re.compile(r"['\"\\]|[^\S \t]")


def _words(header: str) -> list[str] | None:
    if _NEEDS_SHLEX.search(header) is None:
        return header.split()
    try:
        return shlex.split(header)
    except ValueError:  # unbalanced quotes: botocore skips the section
        return None


def config_header_meaning(header: str) -> HeaderMeaning:
    """The meaning of ``[header]`` in the config file, by botocore's rules."""
    for kind in _PREFIXES:
        if header.startswith(kind.value):
            words = _words(header)
            if words is not None and len(words) == 2:
                return HeaderMeaning(kind, words[1])
            return HeaderMeaning(Kind.DROPPED, header)
    if header == "default":
        return HeaderMeaning(Kind.PROFILE, "default")
    return HeaderMeaning(Kind.OTHER, header)


def quote_name(name: str) -> str:
    """``name`` as a word that shlex splits back to ``name`` (quoted only when needed)."""
    if name and _NEEDS_SHLEX.search(name) is None and " " not in name and "\t" not in name:
        return name
    if "'" not in name:
        return f"'{name}'"
    return shlex.quote(name)


def config_header(kind: Kind, name: str) -> str:
    """The header text (without brackets) that botocore reads as ``kind`` ``name``."""
    if kind is Kind.PROFILE and name == "default":
        return "default"
    return f"{kind.value} {quote_name(name)}"
