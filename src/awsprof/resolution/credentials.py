"""Moved to :mod:`awsprof.credentials` (the bottom layer: aws, sso and the reader use it)."""

from awsprof.credentials import (
    ADVISORY_REFRESH,
    MANDATORY_REFRESH,
    UTC,
    Credentials,
    format_botocore_cache,
    format_iso,
    format_v2_expiration,
    now_utc,
    parse_expiration,
)

__all__ = [
    "ADVISORY_REFRESH",
    "MANDATORY_REFRESH",
    "UTC",
    "Credentials",
    "format_botocore_cache",
    "format_iso",
    "format_v2_expiration",
    "now_utc",
    "parse_expiration",
]
