"""One declaration of the commands the click-free fast path answers: words, options, arguments.

The fast parser (:func:`parse`) and the click commands (:mod:`awsprof.cli.clickspec`) are both
built from :data:`COMMANDS` and :data:`GLOBALS`, so the two front ends accept the same lines and
give the same values to the same handler. The fast parser accepts only lines that are valid as
declared and returns None for anything else (help, an unknown option, a missing value, a wrong
choice), which click then answers with its usage error; tests/cli/test_cli_spec_parity.py runs
every declared command line through both.

Global options (the AWS CLI's habit) are accepted before the command, between its words and after
them, the last one winning; a command lists the globals it takes, so one that would be ignored is
refused instead (``awsprof --profile prod guard -- aws ...`` must not look like it chose a profile),
except on the commands that mirror the AWS CLI v2's (:data:`AWS_CLI_V2`), which take them all as it
does, so that lines written for ``aws`` run unchanged.

Hot path: no click, no dataclasses, no typing at run time (start-up time).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

FLAG = "flag"
VALUE = "value"
OUTPUTS = ("json", "text", "table")


class Option:
    """``--name``: a flag or an option with one value (optionally one of ``choices``).

    ``choices`` is a tuple, or ``"module:attribute"`` naming one, imported only when needed.
    """

    __slots__ = ("_choices", "default", "dest", "help", "kind", "metavar", "name")

    def __init__(
        self,
        name: str,
        *,
        help: str,
        kind: str = VALUE,
        choices: tuple[str, ...] | str = (),
        default: str | None = None,
        metavar: str | None = None,
        dest: str | None = None,
    ) -> None:
        self.name = name
        self.help = help
        self.kind = kind
        self._choices = choices
        self.default = default
        self.metavar = metavar
        self.dest = dest or name.lstrip("-").replace("-", "_")

    @property
    def choices(self) -> tuple[str, ...]:
        if isinstance(self._choices, str):
            import importlib

            module, _, attribute = self._choices.partition(":")
            found: tuple[str, ...] = getattr(importlib.import_module(module), attribute)
            return found
        return self._choices


class Argument:
    """A positional argument (one word)."""

    __slots__ = ("choices", "name", "required")

    def __init__(self, name: str, *, required: bool = True, choices: tuple[str, ...] = ()) -> None:
        self.name = name
        self.required = required
        self.choices = choices


class Command:
    """One command line form: its words, options, arguments, accepted globals and handlers.

    ``fast`` names the click-free handler (``"module:function"``), called with an
    :class:`Invocation`; it may return None to say "not answered here", and then ``slow`` (which
    may import click, botocore, rich) runs. With ``passthrough``, what follows ``--`` or the first
    positional belongs to another program and is given untouched as ``Invocation.rest``.
    """

    __slots__ = (
        "arguments",
        "fast",
        "globals",
        "help",
        "options",
        "passthrough",
        "short_help",
        "slow",
        "words",
    )

    def __init__(
        self,
        words: tuple[str, ...],
        *,
        help: str,
        fast: str,
        slow: str | None = None,
        options: tuple[Option, ...] = (),
        arguments: tuple[Argument, ...] = (),
        globals: tuple[str, ...],
        passthrough: bool = False,
        short_help: str | None = None,
    ) -> None:
        self.words = words
        self.help = help
        self.short_help = short_help
        self.fast = fast
        self.slow = slow
        self.options = options
        self.arguments = arguments
        self.globals = globals
        self.passthrough = passthrough


class Invocation:
    """A parsed command line: option values by destination (globals included), arguments."""

    __slots__ = ("arguments", "command", "rest", "values")

    def __init__(
        self,
        command: Command,
        values: dict[str, str | bool | None],
        arguments: list[str],
        rest: list[str],
    ) -> None:
        self.command = command
        self.values = values
        self.arguments = arguments
        self.rest = rest

    def text(self, dest: str) -> str | None:
        value = self.values.get(dest)
        return value if isinstance(value, str) else None

    def flag(self, dest: str) -> bool:
        return self.values.get(dest) is True

    def argument(self, index: int) -> str | None:
        return self.arguments[index] if index < len(self.arguments) else None


# -- the declaration ---------------------------------------------------------------------------

PROFILE = Option("--profile", help="Use this named profile (overrides AWS_PROFILE).")
REGION = Option("--region", help="Use this region (overrides AWS_REGION and the profile).")
OUTPUT = Option("--output", choices=OUTPUTS, help="Output format: json, text or table.")
QUERY = Option(
    "--query", metavar="JMESPATH", help="A JMESPath query applied to the output (as aws's)."
)
DEBUG = Option("--debug", kind=FLAG, help="Show tracebacks (secrets masked).")
NO_COLOR = Option("--no-color", kind=FLAG, help="Never colour the output.")
GLOBALS = (PROFILE, REGION, OUTPUT, QUERY, DEBUG, NO_COLOR)
GLOBAL_NAMES = {option.name: option for option in GLOBALS}

# Which globals a command takes (any other is refused, not silently ignored).
STRUCTURED = tuple(option.name for option in GLOBALS)
PROFILED = ("--profile", "--region", "--debug", "--no-color")
LOCAL = ("--debug", "--no-color")
# Commands that mirror an AWS CLI v2 command take every global after their words, as the AWS CLI
# does (it ignores those that do not apply): scripts written for `aws` must not fail here.
AWS_CLI_V2 = STRUCTURED

_EXPLAIN = Option(
    "--explain", kind=FLAG, help="Also tell why: selection, chain, files and lines, expiry."
)
_WHOAMI_HELP = "Print the STS identity (UserId, Account, Arn) of the resolved credentials."

COMMANDS: tuple[Command, ...] = (
    Command(
        ("whoami",),
        help="Alias of `sts get-caller-identity`.\n\n" + _WHOAMI_HELP,
        short_help="Alias of `sts get-caller-identity`.",
        fast="awsprof.cli.fast:whoami",
        options=(_EXPLAIN,),
        globals=STRUCTURED,
    ),
    Command(
        ("sts", "get-caller-identity"),
        help=_WHOAMI_HELP,
        fast="awsprof.cli.fast:whoami",
        options=(_EXPLAIN,),
        globals=STRUCTURED,
    ),
    Command(
        ("configure", "export-credentials"),
        help="Print the resolved credentials in a format other tools read.",
        fast="awsprof.cli.fast:export_credentials",
        options=(
            Option(
                "--format",
                dest="output_format",
                choices="awsprof.resolution.export:FORMATS",
                default="process",
                help="process (JSON) or shell lines for env, env-no-export, powershell, "
                "windows-cmd, fish.  [default: process]",
            ),
        ),
        globals=AWS_CLI_V2,
    ),
    Command(
        ("configure", "list-profiles"),
        help="Print every profile name, one per line (both files, in file order).",
        fast="awsprof.cli.fast:list_profiles",
        globals=AWS_CLI_V2,
    ),
    Command(
        ("configure", "get"),
        help="Print one value (exit 1 when it is unset or a nested section).",
        fast="awsprof.cli.fast:get",
        arguments=(Argument("varname"),),
        options=(
            Option("--sso-session", help="Read the key from [sso-session NAME]."),
            Option("--services", help="Read the key from [services NAME]."),
        ),
        globals=AWS_CLI_V2,
    ),
    Command(
        ("sso", "login"),
        help="Log in to IAM Identity Center and cache the token where the AWS CLI reads it.",
        fast="awsprof.cli.fast:sso_login",
        slow="awsprof.cli.sso:run_login_command",
        options=(
            Option("--sso-session", help="Log in to this [sso-session] (instead of a profile's)."),
            Option("--use-device-code", kind=FLAG, help="Use the device-code flow (remote hosts)."),
            Option("--no-browser", kind=FLAG, help="Print the URL instead of opening a browser."),
            Option("--if-needed", kind=FLAG, help="Do nothing while the token is valid."),
            Option(
                "--redirect-port",
                metavar="PORT",
                help="Fixed loopback port for the PKCE redirect "
                "(default: sso_redirect_port, else any).",
            ),
        ),
        globals=AWS_CLI_V2,
    ),
    Command(
        ("guard",),
        help="Run `aws ARGS...` unless it would reach a protected account by mistake.\n\n"
        "`awsprof guard -- aws s3 rb s3://bucket`. Read-only commands run at once; a destructive "
        "command (or any write, per the level) against a protected account shows who and where, "
        "and asks for the account's alias or ID; the implicit `default` reaching a protected "
        "account is refused. Exit code 7 when refused; otherwise the command's own.",
        short_help="Run `aws ARGS...` unless it would reach a protected account by mistake.",
        fast="awsprof.cli.fast:guard",
        options=(
            Option("--dry-run", kind=FLAG, help="Print the decision as JSON and run nothing."),
            Option(
                "--confirm-account",
                metavar="ACCOUNT_ID",
                help="Go on without asking when this is exactly the target account "
                "(or AWSPROF_CONFIRM_ACCOUNT).",
            ),
        ),
        globals=LOCAL,
        passthrough=True,
    ),
    Command(
        ("prompt",),
        help="Print a short prompt segment: profile, account, region, time left (no network).",
        fast="awsprof.cli.fast:prompt",
        options=(
            Option(
                "--format",
                dest="template",
                metavar="FORMAT",
                help="Placeholders: {profile} {account} {account_id} {alias} {region} {expires} "
                "{lease} {protected} {shadow} {level} {tier}.",
            ),
            Option(
                "--shell",
                choices=("bash", "zsh", "fish", "powershell", "plain"),
                default="plain",
                help="Escape and wrap for this shell's prompt (bash, zsh, fish, powershell), "
                "or plain.",
            ),
        ),
        globals=LOCAL,
    ),
    Command(
        ("directory",),
        help="Shell code for the working directory's trusted .awsprof file (used by the shell "
        "integration when the directory changes).",
        fast="awsprof.cli.fast:directory",
        options=(
            Option(
                "--shell",
                choices=("bash", "zsh", "fish"),
                default="bash",
                help="Print code for this shell to evaluate.",
            ),
        ),
        globals=LOCAL,
    ),
    Command(
        ("use",),
        help="Use PROFILE in the current shell (needs `awsprof shell-init`).\n\n"
        "Sets AWS_PROFILE, clears keys in the environment that would override it and "
        "AWS_DEFAULT_PROFILE; with --for, the shell falls back after the lease ends.",
        short_help="Use PROFILE in the current shell (needs `awsprof shell-init`).",
        fast="awsprof.cli.fast:use",
        arguments=(Argument("profile", required=False),),
        options=(
            Option(
                "--for", dest="duration", metavar="DURATION", help="Only for a while: 90s, 30m, 2h."
            ),
            Option("--clear", kind=FLAG, help="Unset AWS_PROFILE (and any lease)."),
            Option(
                "--shell",
                choices="awsprof.shell.init:SHELLS",
                help="Print code for this shell to evaluate.",
            ),
        ),
        globals=LOCAL,
    ),
)

BY_WORDS = {command.words: command for command in COMMANDS}
GROUPS = {command.words[:i] for command in COMMANDS for i in range(1, len(command.words))}
ROOT_ONLY = ("--version", "-h", "--help")


# -- the fast parser ---------------------------------------------------------------------------


def load(target: str) -> Callable[[Invocation], int | None]:
    """The handler named ``"module:function"``."""
    import sys

    module, _, attribute = target.partition(":")
    # __import__ rather than importlib.import_module: the importlib package (and the warnings
    # module it imports) is start-up time of every hot command.
    __import__(module)
    handler: Callable[[Invocation], int | None] = getattr(sys.modules[module], attribute)
    return handler


def parse(argv: Sequence[str]) -> Invocation | None:
    """The invocation of a declared command, or None when the line is not exactly valid."""
    args = list(argv)
    values: dict[str, str | bool | None] = {}
    given: set[str] = set()
    words: list[str] = []
    command: Command | None = None
    index = 0
    # Globals and group words until the words name a command.
    while command is None:
        if index >= len(args):
            return None
        arg = args[index]
        if arg.startswith("-") and arg != "-":
            index = _take(args, index, GLOBAL_NAMES, values, given)
            if index < 0:
                return None
            continue
        words.append(arg)
        index += 1
        command = BY_WORDS.get(tuple(words))
        if command is None and tuple(words) not in GROUPS:
            return None
    if not given <= set(command.globals):
        return None  # click explains which option this command does not take
    local = {option.name: option for option in command.options}
    for name in command.globals:
        local.setdefault(name, GLOBAL_NAMES[name])
    for option in command.options:
        values[option.dest] = option.default if option.kind == VALUE else False
    positionals: list[str] = []
    rest: list[str] = []
    while index < len(args):
        arg = args[index]
        if arg == "--":
            if not command.passthrough:
                return None
            rest = args[index + 1 :]
            break
        if arg.startswith("-") and arg != "-":
            index = _take(args, index, local, values, set())
            if index < 0:
                return None
            continue
        if command.passthrough:
            rest = args[index:]
            break
        positionals.append(arg)
        index += 1
    if not _arguments_fit(command, positionals):
        return None
    for global_option in GLOBALS:
        values.setdefault(global_option.dest, False if global_option.kind == FLAG else None)
    return Invocation(command, values, positionals, rest)


def _take(
    args: list[str],
    index: int,
    known: dict[str, Option],
    values: dict[str, str | bool | None],
    given: set[str],
) -> int:
    """Store the option at ``args[index]``; the next index, or -1 when it is not valid."""
    name, equals, value = args[index].partition("=")
    option = known.get(name)
    if option is None:
        return -1
    if option.kind == FLAG:
        if equals:
            return -1
        values[option.dest] = True
    else:
        if not equals:
            if index + 1 >= len(args):
                return -1
            index += 1
            value = args[index]
        if option.choices and value not in option.choices:
            return -1
        values[option.dest] = value
    given.add(name)
    return index + 1


def _arguments_fit(command: Command, positionals: list[str]) -> bool:
    required = sum(1 for argument in command.arguments if argument.required)
    if not required <= len(positionals) <= len(command.arguments):
        return False
    return all(
        not argument.choices or value in argument.choices
        for argument, value in zip(command.arguments, positionals)  # noqa: B905 - py3.10
    )


def own_arguments(argv: Sequence[str]) -> int:
    """How many leading words of ``argv`` are awsprof's: up to ``--``, or up to the first
    positional of a passthrough command (``guard aws s3 ls --debug``: that flag is aws's)."""
    args = list(argv)
    words: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            return index
        command = BY_WORDS.get(tuple(words))
        if arg.startswith("-") and arg != "-":
            known = {o.name: o for o in command.options} if command is not None else {}
            option = known.get(arg) or GLOBAL_NAMES.get(arg)
            index += 2 if option is not None and option.kind == VALUE else 1
            continue
        if command is not None and command.passthrough:
            return index
        words.append(arg)
        index += 1
    return len(args)
