"""What botocore makes of a section header, and the header to write for a profile.

botocore keeps ``[default]`` as the default profile and splits any header that starts with
``profile``, ``sso-session`` or ``services`` like a shell would; exactly two words make a section
of that kind named by the second word. Everything else that starts with those words is silently
dropped (``[profilefoo]``, ``[profile a b]``, ``[profile]``): those are the sections ``doctor``
reports. In the credentials file every header is a profile name as written.
"""

from __future__ import annotations

from enum import Enum


class Kind(str, Enum):
    PROFILE = "profile"
    SSO_SESSION = "sso-session"
    SERVICES = "services"
    OTHER = "other"  # kept by botocore as a top-level section (e.g. [plugins], [preview])
    DROPPED = "dropped"  # looks like one of the kinds above, but botocore ignores it


# (kind, name): the profile / session / services name, or the raw header for OTHER and DROPPED.
# A plain tuple because one is made per section of files with tens of thousands of them.
HeaderMeaning = tuple[Kind, str]


_PREFIXES = tuple((kind.value, kind) for kind in (Kind.PROFILE, Kind.SSO_SESSION, Kind.SERVICES))


def _plain(text: str) -> bool:
    """No quotes, backslashes or whitespace but spaces: shlex would split it like str.split()."""
    return text.isprintable() and "'" not in text and '"' not in text and "\\" not in text


def _words(header: str) -> list[str] | None:
    if _plain(header):
        return header.split()
    import shlex  # only for quoted or unusual headers (its import compiles an expression)

    try:
        return shlex.split(header)
    except ValueError:  # unbalanced quotes: botocore skips the section
        return None


def config_header_meaning(header: str) -> HeaderMeaning:
    """The meaning of ``[header]`` in the config file, by botocore's rules."""
    for prefix, kind in _PREFIXES:
        if header.startswith(prefix):
            words = _words(header)
            if words is not None and len(words) == 2:
                return (kind, words[1])
            return (Kind.DROPPED, header)
    if header == "default":
        return (Kind.PROFILE, "default")
    return (Kind.OTHER, header)


def quote_name(name: str) -> str:
    """``name`` as a word that shlex splits back to ``name`` (quoted only when needed)."""
    if name and _plain(name) and " " not in name:
        return name
    if "'" not in name:
        return f"'{name}'"
    import shlex

    return shlex.quote(name)


def config_header(kind: Kind, name: str) -> str:
    """The header text (without brackets) that botocore reads as ``kind`` ``name``."""
    if kind is Kind.PROFILE and name == "default":
        return "default"
    return f"{kind.value} {quote_name(name)}"
