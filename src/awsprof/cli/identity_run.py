"""whoami's work, shared by the click command and the click-free fast path."""

from __future__ import annotations

import sys
from collections.abc import Mapping

from awsprof.cli.output import mfa_prompt, warn
from awsprof.terminal import escape_message

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def whoami(
    environ: Mapping[str, str],
    profile: str | None,
    region: str | None,
    output: str | None,
    explain: bool,
    query: Any = None,
) -> int:
    """Print the identity (``query``: a compiled ``--query``, see :mod:`awsprof.cli.structured`;
    ``output``: the flag, else AWS_DEFAULT_OUTPUT, else the profile's ``output``, else json)."""
    from awsprof.cli.sso_inline import with_sso_login
    from awsprof.cli.structured import chosen_output, render
    from awsprof.resolution import identity as identity_module
    from awsprof.resolution.chain import resolve_in_context

    resolution, context = with_sso_login(
        lambda: resolve_in_context(environ, profile, region, prompt_mfa=mfa_prompt(), report=warn)
    )
    identity = identity_module.caller_identity(context.clients, resolution.credentials, environ)
    found = context.files.profile(resolution.selection.profile)
    setting = found.text("output") if found is not None else None
    chosen = chosen_output(output, environ, setting, resolution.selection.profile)
    sys.stdout.write(render(identity.sts_json(), chosen, "GetCallerIdentity", query))
    if explain:
        from awsprof.credentials import now_utc
        from awsprof.resolution.explain import explain as explain_lines
        from awsprof.resolution.providers.sso import is_sso_profile, load_token, sso_config

        alias = identity_module.account_alias(
            context.clients, resolution.credentials, environ, identity.account
        )
        tokens = []
        for link in resolution.links:
            found = context.files.profile(link.profile) if link.profile else None
            if found is not None and link.provider == "sso" and is_sso_profile(found):
                config = sso_config(context, found)
                _, expiry = load_token(context, config)
                tokens.append((config.session_name or config.start_url, expiry))
        sys.stdout.flush()
        for line in explain_lines(resolution, identity, alias, now_utc(), tokens):
            sys.stderr.write(escape_message(line) + "\n")  # names and values from the files
    return 0
