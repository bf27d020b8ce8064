"""Click-free handlers for the hot commands.

Each handler accepts only the exact, simple forms of its command and returns None for anything
else, so that click (with its help and error messages) handles every other case. Both paths call
the same function in the command's module, so their output cannot drift apart.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

Handler = Callable[[list[str]], "int | None"]


def _options(args: list[str], allowed: set[str]) -> tuple[list[str], dict[str, str]] | None:
    """Split ``--name value`` options from positionals; None for anything unusual."""
    positionals: list[str] = []
    options: dict[str, str] = {}
    index = 0
    while index < len(args):
        arg = args[index]
        if arg.startswith("-"):
            name, equals, value = arg.partition("=")
            if name not in allowed or name in options:
                return None
            if not equals:
                if index + 1 >= len(args):
                    return None
                index += 1
                value = args[index]
            options[name] = value
        else:
            positionals.append(arg)
        index += 1
    return positionals, options


def _list_profiles(args: list[str]) -> int | None:
    if args:
        return None
    from awsprof.cli.configure_fast import list_profiles

    return list_profiles(os.environ)


def _get(args: list[str]) -> int | None:
    parsed = _options(args, {"--profile", "--sso-session", "--services"})
    if parsed is None or len(parsed[0]) != 1:
        return None
    (varname,), options = parsed
    from awsprof.cli.configure_fast import get

    return get(
        os.environ,
        varname,
        options.get("--profile"),
        options.get("--sso-session"),
        options.get("--services"),
    )


def _export_credentials(args: list[str]) -> int | None:
    parsed = _options(args, {"--profile", "--format", "--region"})
    if parsed is None or parsed[0]:
        return None
    _, options = parsed
    from awsprof.cli.credentials_fast import export_credentials

    return export_credentials(
        os.environ,
        options.get("--profile"),
        options.get("--format", "process"),
        options.get("--region"),
    )


def _sso_login(args: list[str]) -> int | None:
    from awsprof.cli.sso_fast import login_if_needed

    return login_if_needed(args)


def _guard(args: list[str]) -> int | None:
    from awsprof.cli.guard_run import run_guard

    return run_guard(os.environ, args)


def _prompt(args: list[str]) -> int | None:
    from awsprof.cli.shell_run import run_prompt

    return run_prompt(os.environ, args)


def _use(args: list[str]) -> int | None:
    from awsprof.cli.shell_run import run_use

    return run_use(os.environ, args)


def _whoami(args: list[str]) -> int | None:
    explain = "--explain" in args
    parsed = _options([a for a in args if a != "--explain"], {"--profile", "--output", "--region"})
    if parsed is None or parsed[0]:
        return None
    _, options = parsed
    output = options.get("--output", "json")
    if output not in ("json", "text", "table"):
        return None  # click explains the choices
    from awsprof.cli.identity_run import whoami

    return whoami(os.environ, options.get("--profile"), options.get("--region"), output, explain)


def _complete(args: list[str]) -> int | None:
    from awsprof.cli.completion_fast import complete

    return complete(args)


_HANDLERS: dict[tuple[str, ...], Handler] = {
    ("__complete",): _complete,
    ("whoami",): _whoami,
    ("sts", "get-caller-identity"): _whoami,
    ("guard",): _guard,
    ("prompt",): _prompt,
    ("use",): _use,
    ("configure", "export-credentials"): _export_credentials,
    ("configure", "list-profiles"): _list_profiles,
    ("configure", "get"): _get,
    ("sso", "login"): _sso_login,
}


def dispatch(argv: Sequence[str]) -> int | None:
    """Run a hot command without click, or return None to let click handle the line."""
    args = list(argv)
    # After `--` the words belong to the command being run (`guard -- aws s3 ls --debug`).
    own = args[: args.index("--")] if "--" in args else args
    if any(arg in ("-h", "--help", "--debug") for arg in own):
        return None
    for words, handler in _HANDLERS.items():
        if tuple(args[: len(words)]) == words:
            return handler(args[len(words) :])
    return None
