"""``configure export-credentials`` without click: from a valid cache it imports no botocore and
makes no network call (the hot path a shell prompt or a tool's credential_process takes)."""

from __future__ import annotations

import sys
from collections.abc import Mapping

from awsprof.errors import UsageError
from awsprof.resolution import export


def _report(message: str) -> None:
    sys.stderr.write(f"awsprof: {message}\n")


def _mfa(text: str) -> str:
    import getpass

    return getpass.getpass(text, stream=sys.stderr)


def export_credentials(
    environ: Mapping[str, str], profile: str | None, output_format: str, region: str | None = None
) -> int:
    if output_format not in export.FORMATS:
        raise UsageError(
            f"unknown --format '{output_format}'", f"Use one of {', '.join(export.FORMATS)}."
        )
    from awsprof.resolution.chain import resolve

    resolution = resolve(
        environ,
        profile,
        region,
        prompt_mfa=_mfa if sys.stdin.isatty() else None,
        report=_report,
    )
    sys.stdout.write(export.render(resolution.credentials, output_format))
    return 0
