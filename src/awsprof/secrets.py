"""Masking of secrets wherever a person could see them.

The masked form is the AWS CLI's: 16 ``*`` followed by the last 4 characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Keys whose values are secrets, in either file.
SECRET_KEYS = frozenset({"aws_secret_access_key", "aws_session_token", "aws_security_token"})

# Shapes of secrets that may appear in free text (tracebacks, a child's stderr): a secret access
# key is a run of 40 base64 characters mixing upper case, lower case and digits (a SHA-1 hex name
# or a path does not); session, SSO and refresh tokens are runs of 100 or more.
# (Both compiled on first use, through ``re``'s cache: text shorter than 40 characters, most of
# what is masked on the guard's path, never needs them.)
_SECRET_SHAPES = r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40,}(?![A-Za-z0-9/+=])"  # noqa: S105
# The same runs URL-encoded (``/`` ``+`` ``=`` as ``%2F`` ``%2B`` ``%3D``), as in a query string or
# a signed URL a tool prints: decoded before the shape test.
_ENCODED_SHAPES = r"(?<![A-Za-z0-9/+=%])(?:[A-Za-z0-9/+=]|%[0-9A-Fa-f]{2}){40,}(?![A-Za-z0-9/+=%])"


def _looks_secret(run: str) -> bool:
    if len(run) >= 100:
        return True
    return (
        any(c.isupper() for c in run)
        and any(c.islower() for c in run)
        and any(c.isdigit() for c in run)
    )


def mask(value: str | None) -> str | None:
    """The AWS CLI's masked form of a secret, or None when unset."""
    if value is None:
        return None
    return "*" * 16 + value[-4:]


def _encoded_forms(secret: str) -> set[str]:
    from urllib.parse import quote, quote_plus

    return {secret, quote(secret, safe=""), quote_plus(secret, safe="")}


def _mask_encoded(match: re.Match[str]) -> str:
    from urllib.parse import unquote

    run = match.group(0)
    if "%" not in run:
        return run
    decoded = unquote(run)
    return (mask(run) or "") if len(decoded) >= 40 and _looks_secret(decoded) else run


def scrub(text: str, known: Iterable[str] = ()) -> str:
    """Mask known secret values (also URL-encoded) and anything shaped like a secret key or token
    in ``text``, plain or URL-encoded."""
    forms = {form for s in known if s and len(s) >= 4 for form in _encoded_forms(s)}
    for secret in sorted(forms, key=len, reverse=True):
        text = text.replace(secret, mask(secret) or "")
    if len(text) < 40:  # no run of 40 characters: nothing shaped like a secret
        return text
    if "%" in text:
        text = re.sub(_ENCODED_SHAPES, _mask_encoded, text)
    return re.sub(
        _SECRET_SHAPES,
        lambda m: (mask(m.group(0)) or "") if _looks_secret(m.group(0)) else m.group(0),
        text,
    )
