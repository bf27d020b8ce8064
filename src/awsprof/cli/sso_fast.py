"""``awsprof sso login --if-needed`` with a valid token, answered without click or botocore.

Scripts call it before every batch of commands, so it must cost what ``configure get`` costs: read
the config file and one small JSON file, compare a date. Anything else (a token to refresh, a login,
an unusual option) returns None and goes to the full command.
"""

from __future__ import annotations

import os
import sys


def login_if_needed(profile: str | None, sso_session: str | None) -> int | None:
    from awsprof.credentials import now_utc
    from awsprof.files.jsoncache import JsonCache
    from awsprof.profiles.model import load_files
    from awsprof.sso.session import session_settings
    from awsprof.sso.token import TokenCache, sso_cache_dir

    environ = os.environ
    settings = session_settings(load_files(environ), environ, sso_session, profile)
    token = TokenCache(JsonCache(sso_cache_dir(environ)), settings.token_key).read()
    if token is None or not token.fresh(now_utc()):
        return None
    until = token.expires_at.astimezone().strftime("%Y-%m-%d %H:%M %Z")
    sys.stderr.write(
        f"Already logged in to {settings.label} ({settings.start_url}) until {until}.\n"
    )
    return 0
