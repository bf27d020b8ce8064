"""SHA-1 names of the shared cache files, without loading OpenSSL.

The AWS CLI names its cache files by SHA-1; ``hashlib`` loads OpenSSL first, which costs about
2 ms on every hot command. CPython's builtin ``_sha1`` gives the same digest.
"""

from __future__ import annotations

try:
    from _sha1 import sha1 as _sha1  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python builds without the builtin module
    from hashlib import sha1 as _sha1


# Past this size OpenSSL's SHA-1 (about ten times faster) is worth loading it: the digest of a
# 15 MB config kept awsprof's index valid across its own writes at about 250 ms a hash.
BIG = 1 << 20


def sha1_hex(data: bytes) -> str:
    if len(data) > BIG:
        import hashlib

        return hashlib.sha1(data).hexdigest()  # noqa: S324 - a fingerprint, not a security measure
    return str(_sha1(data).hexdigest())  # noqa: S324 - a file name, not a security measure


# From this many digests on, loading OpenSSL pays: its SHA-1 is about a third faster per call.
MANY = 1000


def sha1_hex_each(data: list[bytes]) -> list[str]:
    """:func:`sha1_hex` of each item (``sso sessions`` names 100,000 cache files at once)."""
    if len(data) < MANY:
        return [sha1_hex(item) for item in data]
    import hashlib

    new = hashlib.sha1
    return [new(item).hexdigest() for item in data]
