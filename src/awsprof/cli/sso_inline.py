"""A command that needs credentials meets an SSO session that needs a login.

With a person at this terminal (stdin and stderr both terminals), the login runs here, with the
flow that fits where it runs (:mod:`awsprof.sso.where`), and the command goes on. Without one (a
script, a ``credential_process`` whose stderr is a pipe, CI) nobody could finish a login: the
error comes at once (exit 5) with the command to run, instead of a wait for a browser.
Light on purpose: ``export-credentials`` comes through here without click.
"""

from __future__ import annotations

import sys

from awsprof.errors import LoginRequiredError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TypeVar

    T = TypeVar("T")


def person_at_terminal() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


def with_sso_login(attempt: Callable[[], T], allowed: bool = True) -> T:
    """``attempt()``; when it needs an SSO login and a person is here, log in, then once more."""
    try:
        return attempt()
    except LoginRequiredError as error:
        from awsprof.resolution.providers.sso import SsoLoginRequiredError

        if not (allowed and isinstance(error, SsoLoginRequiredError) and person_at_terminal()):
            raise
        log_in_for(error.profile)
    return attempt()


def log_in_for(profile: str) -> None:
    import os

    from awsprof.cli.sso import _say, login_options, run_login
    from awsprof.profiles.model import load_files
    from awsprof.sso.session import session_settings

    files = load_files(os.environ)
    settings = session_settings(files, os.environ, None, profile)
    _say(f"Profile '{profile}' needs a login to the SSO session {settings.label}.")
    # if_needed: a token another process obtained meanwhile is used without a new login.
    run_login(files, settings, login_options(False, False, True, None))
