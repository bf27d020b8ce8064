"""Pieces every command shares: the --profile option at any level, selection, output."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import click

from awsprof.cli.clickspec import globals_of
from awsprof.cli.output import mfa_prompt, warn
from awsprof.reader.selection import Selection, select_profile

TYPE_CHECKING = False
if TYPE_CHECKING:
    from awsprof.resolution.chain import Resolution
    from awsprof.resolution.providers.context import Context

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["globals_of", "profile_option", "resolve_for_cli", "select"]


def profile_option(function: F) -> F:
    """``--profile`` after the subcommand too, as the AWS CLI accepts it anywhere."""
    return click.option("--profile", help="Use this named profile.")(function)


def select(ctx: click.Context, local_profile: str | None) -> Selection:
    """The profile for this command: the flag (at any level), else the environment."""
    return select_profile(local_profile or globals_of(ctx).profile, os.environ)


def resolve_for_cli(
    ctx: click.Context,
    local_profile: str | None,
    environ: dict[str, str] | None = None,
    read_only: bool = False,
) -> tuple[Resolution, Context]:
    """Resolve the selected profile with the command line's options and a terminal's prompts
    (none for read-only credentials: they are for automation, which must never wait)."""
    from awsprof.cli.sso_inline import with_sso_login
    from awsprof.resolution.chain import resolve_in_context

    options = globals_of(ctx)
    # A person at the terminal logs in when the SSO session needs it; never for read-only.
    return with_sso_login(
        lambda: resolve_in_context(
            os.environ if environ is None else environ,
            local_profile or options.profile,
            options.region,
            prompt_mfa=None if read_only else mfa_prompt(),
            report=warn,
            read_only=read_only,
        ),
        allowed=not read_only,
    )
