"""Entry point: the one top-level handler that maps errors to exit codes.

Hot commands (``configure list-profiles``, ``configure get``, ``prompt``, ...) are answered by
:mod:`awsprof.cli.fast` without importing click, which alone costs about 30 ms of start-up; anything
the fast path does not recognise exactly (help, unusual options) goes to the click application.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from awsprof.errors import AwsprofError

GLOBAL_FLAGS = ("--debug", "--no-color")


def _own_arguments(argv: Sequence[str]) -> list[str]:
    """The arguments before ``--`` or before a passthrough command's first positional (what
    follows belongs to another command: ``guard aws s3 ls --debug``)."""
    from awsprof.cli.spec import own_arguments

    args = list(argv)
    return args[: own_arguments(args)]


def _debug_requested(argv: Sequence[str]) -> bool:
    return "--debug" in _own_arguments(argv)


def hoist_global_flags(argv: Sequence[str]) -> list[str]:
    """``--debug`` and ``--no-color`` may follow the subcommand, as the AWS CLI allows; click
    takes the root's options first, so they are moved there (never past a ``--``)."""
    args = list(argv)
    own = len(_own_arguments(args))
    flags = [a for a in args[:own] if a in GLOBAL_FLAGS]
    if not flags:
        return args
    rest = [a for a in args[:own] if a not in GLOBAL_FLAGS]
    return [*dict.fromkeys(flags), *rest, *args[own:]]


def report(error: BaseException, debug: bool) -> int:
    """Print a failure for people on stderr and return its exit code.

    Messages name profiles and settings read from files: control characters in them are shown
    escaped, never sent to the terminal.
    """
    from awsprof.secrets import scrub as mask_secrets
    from awsprof.terminal import escape_message

    def scrub(text: str) -> str:
        return escape_message(mask_secrets(text))

    if debug:
        import traceback

        sys.stderr.write(scrub("".join(traceback.format_exception(error))))
    if isinstance(error, AwsprofError):
        if debug and error.debug_detail:
            sys.stderr.write(f"{scrub(error.debug_detail)}\n")
        sys.stderr.write(f"awsprof: {scrub(error.message)}\n")
        if error.hint:
            sys.stderr.write(f"{scrub(error.hint)}\n")
        return error.exit_code
    if isinstance(error, KeyboardInterrupt):
        sys.stderr.write("\nawsprof: interrupted\n")
        return 130
    if isinstance(error, BrokenPipeError):
        # The reader went away (``awsprof ... | head``): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    sys.stderr.write(
        f"awsprof: unexpected error: {type(error).__name__}: {scrub(str(error))}\n"
        "Run again with --debug for the traceback.\n"
    )
    return 1


def run(argv: Sequence[str]) -> int:
    """Run one command line and return its exit code (used by tests and by :func:`main`)."""
    debug = _debug_requested(argv)
    try:
        from awsprof import settings

        settings.check_all(os.environ)
        from awsprof.cli import fast

        code = fast.dispatch(argv)
        if code is not None:
            return code
        from awsprof.cli.app import run_click

        return run_click(hoist_global_flags(argv))
    except (AwsprofError, KeyboardInterrupt, BrokenPipeError) as error:
        return report(error, debug)
    except Exception as error:  # the one place that turns any failure into an exit code
        return report(error, debug)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    code = run(args)
    # (no contextlib.suppress: contextlib is not otherwise imported by the hot commands)
    try:  # noqa: SIM105
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    sys.exit(code)
