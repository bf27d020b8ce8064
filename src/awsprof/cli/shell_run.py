"""``awsprof prompt``, ``use`` and ``shell-init`` without click: the first two run on every prompt
and every profile switch, so the fast path in :mod:`awsprof.cli.fast` calls these directly."""

from __future__ import annotations

import os
import sys

from awsprof.errors import ProfileNotFoundError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping


def parse(
    args: list[str], valued: tuple[str, ...], flags: tuple[str, ...]
) -> tuple[list[str], dict[str, str]]:
    """Positionals and options (``--name value``, ``--name=value``, flags as "1")."""
    positionals: list[str] = []
    options: dict[str, str] = {}
    index = 0
    while index < len(args):
        arg = args[index]
        name, equals, value = arg.partition("=")
        if name in flags and not equals:
            options[name] = "1"
        elif name in valued:
            if not equals:
                if index + 1 >= len(args):
                    raise UsageError(f"{name} needs a value")
                index += 1
                value = args[index]
            options[name] = value
        elif arg.startswith("-") and arg != "-":
            raise UsageError(f"unknown option {arg}")
        else:
            positionals.append(arg)
        index += 1
    return positionals, options


def run_prompt(environ: Mapping[str, str], args: list[str]) -> int:
    from awsprof.shell.prompt import DEFAULT_FORMAT, segment

    positionals, options = parse(args, ("--format", "--shell"), ("--no-color",))
    if positionals:
        raise UsageError("awsprof prompt takes no arguments")
    colour = "--no-color" not in options and not environ.get("NO_COLOR")
    text = segment(
        environ, options.get("--format", DEFAULT_FORMAT), options.get("--shell", "plain"), colour
    )
    if text:
        sys.stdout.write(text + "\n")
    return 0


def run_use(environ: Mapping[str, str], args: list[str]) -> int:
    import time

    from awsprof.shell.use import CODE_MARKER, parse_duration, switch

    positionals, options = parse(args, ("--shell", "--for"), ("--clear",))
    clear = "--clear" in options
    if len(positionals) != (0 if clear else 1):
        raise UsageError("usage: awsprof use PROFILE [--for 30m] | awsprof use --clear")
    shell = options.get("--shell")
    if shell is None:
        raise UsageError(
            "`awsprof use` changes the current shell, which a program cannot do by itself",
            'Enable it once per shell: eval "$(awsprof shell-init bash)" (or zsh, fish, '
            "powershell); then run `awsprof use PROFILE` again.",
        )
    profile = None if clear else positionals[0]
    lease = parse_duration(options["--for"]) if "--for" in options else None
    about = _describe(environ, profile) if profile is not None else None
    change = switch(shell, environ, profile, lease, time.time())
    for message in change.messages:
        sys.stderr.write(f"awsprof: {message}\n")
    if about:
        sys.stderr.write(f"awsprof: {about}\n")
    sys.stdout.write("\n".join([CODE_MARKER, *change.lines]) + "\n")
    return 0


def _describe(environ: Mapping[str, str], profile: str) -> str:
    """`AWS_PROFILE=prod: account 888899990000, protected (destructive)`; checks it exists."""
    from awsprof.guard.decide import Protection
    from awsprof.guard.facts import gather

    facts = gather(environ, profile)
    if not facts.profile_exists:
        from awsprof.profiles.model import did_you_mean, list_profile_names

        raise ProfileNotFoundError(
            profile, did_you_mean(profile, list_profile_names(environ), "awsprof use")
        )
    level = Protection(facts).level
    account = f"account {facts.account}" if facts.account else "account not known yet"
    return f"AWS_PROFILE={profile}: {account}" + (f", PROTECTED ({level})" if level else "")


def awsprof_command() -> str:
    """The shell words that run this awsprof (the same installation, whatever PATH says later)."""
    import shlex

    program = sys.argv[0] if sys.argv else ""
    if program.endswith("__main__.py") or not os.path.isfile(program):
        return f"{shlex.quote(sys.executable)} -m awsprof"
    return shlex.quote(os.path.abspath(program))


def run_shell_init(args: list[str]) -> int:
    from awsprof.shell.init import script

    positionals, options = parse(args, (), ("--prompt",))
    if len(positionals) != 1:
        raise UsageError("usage: awsprof shell-init bash|zsh|fish|powershell [--prompt]")
    shell = positionals[0]
    binary = awsprof_command()
    if shell == "powershell":
        binary = binary.replace("'", "")  # PowerShell's `& PATH`: a plain path
    sys.stdout.write(script(shell, binary, "--prompt" in options))
    return 0
