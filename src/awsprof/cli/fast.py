"""Click-free handlers for the hot commands, and the dispatcher that runs them.

The command lines these handlers take are declared once in :mod:`awsprof.cli.spec`: the fast
parser accepts only lines valid as declared and returns None for anything else, so that click
(built from the same declaration, with its help and error messages) handles every other case.
The click commands call these same handlers with the same values, so the output of the two paths
cannot drift apart.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from awsprof.cli import spec


def list_profiles(invocation: spec.Invocation) -> int:
    from awsprof.cli.configure_fast import list_profiles as run

    return run(os.environ)


def get(invocation: spec.Invocation) -> int:
    from awsprof.cli.configure_fast import get as run

    return run(
        os.environ,
        invocation.arguments[0],
        invocation.text("profile"),
        invocation.text("sso_session"),
        invocation.text("services"),
    )


def export_credentials(invocation: spec.Invocation) -> int:
    from awsprof.cli.credentials_fast import export_credentials as run

    return run(
        os.environ,
        invocation.text("profile"),
        invocation.text("output_format") or "process",
        invocation.text("region"),
    )


def sso_login(invocation: spec.Invocation) -> int | None:
    """Only ``--if-needed`` with a valid token is answered here; None runs the full login."""
    if not invocation.flag("if_needed") or any(
        invocation.values.get(dest) for dest in ("use_device_code", "no_browser", "redirect_port")
    ):
        return None
    from awsprof.cli.sso_fast import login_if_needed

    return login_if_needed(invocation.text("profile"), invocation.text("sso_session"))


def guard(invocation: spec.Invocation) -> int:
    from awsprof.cli.guard_run import run_guard

    args = ["--dry-run"] if invocation.flag("dry_run") else []
    confirm = invocation.text("confirm_account")
    if confirm is not None:
        args += ["--confirm-account", confirm]
    return run_guard(os.environ, [*args, "--", *invocation.rest])


def prompt(invocation: spec.Invocation) -> int:
    from awsprof.cli.shell_run import run_prompt

    args = ["--shell", invocation.text("shell") or "plain"]
    template = invocation.text("template")
    if template is not None:
        args += ["--format", template]
    return run_prompt(os.environ, args + (["--no-color"] if invocation.flag("no_color") else []))


def directory(invocation: spec.Invocation) -> int:
    from awsprof.shell.directory import code

    lines, messages = code(os.environ, invocation.text("shell") or "bash", os.getcwd())
    for message in messages:
        sys.stderr.write(f"awsprof: {message}\n")
    if lines:
        sys.stdout.write("\n".join(lines) + "\n")
    return 0


def use(invocation: spec.Invocation) -> int:
    from awsprof.cli.shell_run import run_use

    args = list(invocation.arguments)
    duration, shell = invocation.text("duration"), invocation.text("shell")
    args += ["--for", duration] if duration is not None else []
    args += ["--clear"] if invocation.flag("clear") else []
    args += ["--shell", shell] if shell is not None else []
    return run_use(os.environ, args)


def whoami(invocation: spec.Invocation) -> int:
    from awsprof.cli.identity_run import whoami as run
    from awsprof.cli.structured import check_query

    query = check_query(invocation.text("query"))
    return run(
        os.environ,
        invocation.text("profile"),
        invocation.text("region"),
        invocation.text("output"),
        invocation.flag("explain"),
        query,
    )


def dispatch(argv: Sequence[str]) -> int | None:
    """Run a hot command without click, or return None to let click handle the line."""
    args = list(argv)
    if args[:1] == ["__complete"]:  # a Tab press of the shell completion (shell/completion.py)
        from awsprof.cli.completion_fast import complete

        return complete(args[1:])
    # --debug takes the click path (one way to rule the fast path out); what follows a
    # passthrough command's own options is another program's (`guard -- aws s3 ls --debug`).
    if "--debug" in args[: spec.own_arguments(args)]:
        return None
    invocation = spec.parse(args)
    if invocation is None:
        return None
    return spec.load(invocation.command.fast)(invocation)
