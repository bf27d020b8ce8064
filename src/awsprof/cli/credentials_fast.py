"""``configure export-credentials`` without click: from a valid cache it imports no botocore and
makes no network call (the hot path a shell prompt or a tool's credential_process takes)."""

from __future__ import annotations

import sys
from collections.abc import Mapping

from awsprof.cli.output import mfa_prompt, show_agent_login, warn
from awsprof.errors import UsageError
from awsprof.resolution import export


def export_credentials(
    environ: Mapping[str, str], profile: str | None, output_format: str, region: str | None = None
) -> int:
    if output_format not in export.FORMATS:
        raise UsageError(
            f"unknown --format '{output_format}'", f"Use one of {', '.join(export.FORMATS)}."
        )
    from awsprof.resolution.agent_client import agent_credentials

    # None without a working agent; a login the agent runs is waited for (one for all callers)
    credentials = agent_credentials(environ, profile, region, show_agent_login)
    if credentials is None:
        from awsprof.cli.sso_inline import with_sso_login
        from awsprof.resolution.chain import resolve

        credentials = with_sso_login(
            lambda: resolve(environ, profile, region, prompt_mfa=mfa_prompt(), report=warn)
        ).credentials
    sys.stdout.write(export.render(credentials, output_format))
    return 0
