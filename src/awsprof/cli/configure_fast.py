"""``configure list-profiles`` and ``configure get``: shared by the click commands and the fast
path, so they must not import click."""

from __future__ import annotations

import sys
from collections.abc import Mapping

from awsprof.cli.output import emit_lines
from awsprof.errors import ProfileNotFoundError
from awsprof.profiles.model import list_profile_names, load_files
from awsprof.terminal import for_stream


def list_profiles(environ: Mapping[str, str]) -> int:
    emit_lines(list_profile_names(environ))
    return 0


def get(
    environ: Mapping[str, str],
    varname: str,
    profile_flag: str | None,
    sso_session: str | None = None,
    services: str | None = None,
) -> int:
    """Print one value; exit 1 when it is unset or a nested section, as the AWS CLI does."""
    from awsprof.profiles.configure import address, get_value
    from awsprof.reader.selection import select_profile

    selection = select_profile(profile_flag, environ)
    where = address(varname, selection.profile, sso_session, services)
    files = load_files(environ, keep=where.target.name)
    try:
        value = get_value(files, where, selection.explicit)
    except ProfileNotFoundError as error:
        from awsprof.reader.selection import not_found_hint

        # The fix belongs where the name came from: the flag, or AWS_PROFILE.
        raise ProfileNotFoundError(
            error.profile, not_found_hint(selection, files.profile_names())
        ) from None
    if isinstance(value, str):
        sys.stdout.write(for_stream(value, sys.stdout) + "\n")
        return 0
    return 1
