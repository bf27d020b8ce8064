"""The settings the AWS CLI v2 and botocore read, for the unknown-key check and "did you mean".

Collected from the AWS CLI v2 documentation of the config file (mid-2026). A key not listed here is
not an error for botocore (it is kept and ignored); the doctor reports it because a misspelt key
(``regoin``) silently does nothing.
"""

from __future__ import annotations

CREDENTIAL_KEYS = frozenset(
    {"aws_access_key_id", "aws_secret_access_key", "aws_session_token", "aws_security_token"}
)

PROFILE_KEYS = frozenset(
    {
        *CREDENTIAL_KEYS,
        "account_id_endpoint_mode",
        "api_versions",
        "auth_scheme_preference",
        "aws_account_id",
        "ca_bundle",
        "cli_auto_prompt",
        "cli_binary_format",
        "cli_follow_urlparam",
        "cli_help_output",
        "cli_history",
        "cli_pager",
        "cli_timestamp_format",
        "credential_process",
        "credential_source",
        "defaults_mode",
        "disable_request_compression",
        "duration_seconds",
        "ec2_metadata_service_endpoint",
        "ec2_metadata_service_endpoint_mode",
        "ec2_metadata_v1_disabled",
        "endpoint_discovery_enabled",
        "endpoint_url",
        "external_id",
        "ignore_configured_endpoint_urls",
        "imds_use_ipv6",
        "login_session",
        "max_attempts",
        "metadata_service_num_attempts",
        "metadata_service_timeout",
        "mfa_serial",
        "output",
        "parameter_validation",
        "region",
        "request_checksum_calculation",
        "request_min_compression_size_bytes",
        "response_checksum_validation",
        "retry_mode",
        "role_arn",
        "role_session_name",
        "s3",
        "sdk_ua_app_id",
        "services",
        "sigv4a_signing_region_set",
        "source_profile",
        "sso_account_id",
        "sso_region",
        "sso_registration_scopes",
        "sso_role_name",
        "sso_session",
        "sso_start_url",
        "sts_regional_endpoints",
        "tcp_keepalive",
        "use_dualstack_endpoint",
        "use_fips_endpoint",
        "web_identity_token_file",
    }
)

# awsprof's own keys (the AWS CLI ignores them): guard marks, the keychain marker and what
# `sso populate` writes to recognise its profiles (deleting those would break the next populate).
# A test holds this list against every `awsprof_*` key the source writes.
OWN_KEYS = frozenset(
    {
        "awsprof_protected",
        "awsprof_expected_account",
        "awsprof_keychain",
        "awsprof_generated",
        "awsprof_account_name",
        "awsprof_read_only",
        "awsprof_read_only_role",
    }
)
PROFILE_KEYS = PROFILE_KEYS | OWN_KEYS

SSO_SESSION_KEYS = frozenset({"sso_start_url", "sso_region", "sso_registration_scopes"})

# Top-level config sections the AWS CLI reads that are not profiles.
TOP_LEVEL_SECTIONS = frozenset({"plugins", "preview", "DEFAULT"})

LEGACY_SSO_KEYS = ("sso_start_url", "sso_region")


def closest(key: str, known: frozenset[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.75)
    return matches[0] if matches else None
