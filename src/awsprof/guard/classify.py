"""Classify an AWS CLI command line as read-only, write or destructive, without running it.

Runs on every `aws` command typed through the shell wrapper, so it is pure and cheap: no botocore,
no network, and files only in the rare cases below. It reads argv the way the AWS CLI's own
argparse parsers do:

1. the main parser takes the global options (`--profile`, `--region`, ...) from anywhere on the
   line, with their values, and accepts unambiguous abbreviations (`--prof prod`), as argparse does;
2. what is left gives the service (first positional) and the operation (second positional), where
   an unknown option takes no value;
3. the operation's own options are read knowing which take values, and expanded as argparse
   expands abbreviations (`--del` is `--delete`, `--no-dry` is `--no-dry-run`): against the
   high-level `s3` commands' tables here, or, for an API operation, against its model (read by
   `grammar.py`, and only when a token may abbreviate an option that matters to the verdict). An
   ambiguous prefix, which the CLI rejects, is judged by its most dangerous candidate, and an
   abbreviation never makes a command safer (`--dry` is not trusted as a dry run);
4. `--cli-input-json` / `--cli-input-yaml` contents count as options (`{"DryRun": false}`), read
   by `cli_input.py`; when they cannot be read, the most dangerous reading is assumed.

The verdict comes from tables in `verbs.py`, then from the argument and payload rules of
`rules.py` for the operations they cover (`--backup-retention-period 0`, a change batch with a
DELETE, the statements of `--sql`): their values are read by `payload.py` (JSON, shorthand, local
files) and `sql.py` (SQL and PartiQL), only for those operations. Anything unknown is a write,
never read-only.
"""

from __future__ import annotations

import itertools
from collections import namedtuple
from collections.abc import Callable, Sequence

from awsprof.guard import verbs
from awsprof.guard.verbs import DESTRUCTIVE, READ_ONLY, WRITE, Kind

__all__ = ["Classification", "Kind", "classify", "describe"]

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (~2 ms per `aws` command)
if TYPE_CHECKING:
    from typing import NamedTuple, TypeVar

    _T = TypeVar("_T")

    def _named_tuple(cls: _T) -> _T:
        return cls

else:
    NamedTuple = object

    def _named_tuple(cls):
        """The class's annotated fields as a `collections.namedtuple`: what `typing.NamedTuple`
        makes, without importing `typing` on the path of every command."""
        made = namedtuple(cls.__name__, list(cls.__annotations__))
        made.__doc__, made.__module__ = cls.__doc__, cls.__module__
        return made


@_named_tuple
class Classification(NamedTuple):
    """The verdict on one command line.

    A NamedTuple rather than a frozen dataclass: `dataclasses` imports `inspect`, which alone costs
    more than this whole module on the path of every `aws` command.
    """

    kind: Kind
    reason: str  # one sentence for a person: "`delete-bucket` deletes"
    service: str | None
    operation: str | None
    recognized: bool  # False when no table knew the command and it defaulted to a write
    profile: str | None  # `--profile`, when given on the line (the last one wins, as in the CLI)
    region: str | None
    endpoint_url: str | None
    dry_run: bool  # `--dry-run` (EC2 and others) or `--dryrun` (high-level s3): nothing changes
    no_sign_request: bool  # `--no-sign-request`: sent anonymously, with no profile's credentials


# The AWS CLI's global options (v2, plus v1's --v2-debug) -> whether each takes a value.
GLOBAL_OPTIONS: dict[str, bool] = {
    "--profile": True,
    "--region": True,
    "--endpoint-url": True,
    "--output": True,
    "--query": True,
    "--color": True,
    "--ca-bundle": True,
    "--cli-read-timeout": True,
    "--cli-connect-timeout": True,
    "--cli-binary-format": True,
    "--debug": False,
    "--no-verify-ssl": False,
    "--no-paginate": False,
    "--no-sign-request": False,
    "--no-cli-pager": False,
    "--cli-auto-prompt": False,
    "--no-cli-auto-prompt": False,
    "--version": False,
    "--v2-debug": False,
}

# Options the CLI adds to (nearly) every API operation: how many values each takes.
_OPERATION_OPTIONS: dict[str, int | str] = {
    "--cli-input-json": 1,
    "--cli-input-yaml": 1,
    "--page-size": 1,
    "--max-items": 1,
    "--starting-token": 1,
    "--generate-cli-skeleton": "?",
}
# With the string-valued protection settings, whose values the escalation reads.
_OPERATION_ARITIES: dict[str, int | str] = {
    **_OPERATION_OPTIONS,
    **dict.fromkeys(verbs.PROTECTION_OFF_VALUES, 1),
}

# The high-level `s3` commands' options that take values (the rest are flags), from awscli's
# customizations/s3/subcommands.py: "?" one optional value, "+" one or more.
_S3_OPTIONS: dict[str, int | str] = {
    **dict.fromkeys(
        (
            "--acl",
            "--bucket-name-prefix",
            "--bucket-region",
            "--cache-control",
            "--case-conflict",
            "--checksum-algorithm",
            "--checksum-mode",
            "--content-disposition",
            "--content-encoding",
            "--content-language",
            "--content-type",
            "--error-document",
            "--exclude",
            "--expected-size",
            "--expires",
            "--expires-in",
            "--include",
            "--index-document",
            "--metadata",
            "--metadata-directive",
            "--page-size",
            "--source-region",
            "--sse-c-copy-source-key",
            "--sse-c-key",
            "--sse-kms-key-id",
            "--storage-class",
            "--website-redirect",
        ),
        1,
    ),
    **dict.fromkeys(("--sse", "--sse-c", "--sse-c-copy-source", "--request-payer"), "?"),
    "--grants": "+",
    "--tags": 2,
}

# Every option of each high-level `s3` command (awscli's customizations/s3: subcommands.py and the
# sync strategies; v1 and v2), so that an abbreviation is expanded against the command's own list.
_S3_TRANSFER = [
    "--dryrun",
    "--quiet",
    "--include",
    "--exclude",
    "--acl",
    "--follow-symlinks",
    "--no-follow-symlinks",
    "--no-guess-mime-type",
    "--sse",
    "--sse-c",
    "--sse-c-key",
    "--sse-kms-key-id",
    "--sse-c-copy-source",
    "--sse-c-copy-source-key",
    "--storage-class",
    "--grants",
    "--website-redirect",
    "--content-type",
    "--cache-control",
    "--content-disposition",
    "--content-encoding",
    "--content-language",
    "--expires",
    "--source-region",
    "--only-show-errors",
    "--no-progress",
    "--page-size",
    "--ignore-glacier-warnings",
    "--force-glacier-transfer",
    "--request-payer",
    "--checksum-mode",
    "--checksum-algorithm",
    "--metadata",
    "--metadata-directive",
    "--case-conflict",
    "--copy-props",
]
S3_COMMAND_OPTIONS: dict[str, frozenset[str]] = {
    "ls": frozenset(
        [
            "--recursive",
            "--page-size",
            "--human-readable",
            "--summarize",
            "--request-payer",
            "--bucket-name-prefix",
            "--bucket-region",
        ]
    ),
    "website": frozenset(("--index-document", "--error-document")),
    "cp": frozenset((*_S3_TRANSFER, "--expected-size", "--recursive")),
    "mv": frozenset((*_S3_TRANSFER, "--recursive", "--validate-same-s3-paths")),
    "rm": frozenset(
        [
            "--dryrun",
            "--quiet",
            "--recursive",
            "--request-payer",
            "--include",
            "--exclude",
            "--only-show-errors",
            "--page-size",
        ]
    ),
    "sync": frozenset((*_S3_TRANSFER, "--delete", "--exact-timestamps", "--size-only")),
    "mb": frozenset(("--tags",)),
    "rb": frozenset(("--force",)),
    "presign": frozenset(("--expires-in",)),
}
_S3_ALL = frozenset().union(*S3_COMMAND_OPTIONS.values())


def _is_negative_number(arg: str) -> bool:
    """`-5`, `-.5`, `-1.5`: argparse reads these as values (no AWS CLI option looks like one)."""
    whole, dot, fraction = arg[1:].partition(".")
    if dot:
        return (whole == "" or whole.isdigit()) and fraction.isdigit()
    return whole.isdigit()


def _global_candidates(name: str) -> tuple[str, ...]:
    """The global options `name` may spell: itself, or those it abbreviates (several is an
    "ambiguous option" error in the CLI, which then runs nothing)."""
    if name in GLOBAL_OPTIONS:
        return (name,)
    if not name.startswith("--") or len(name) < 3:
        return ()
    return tuple(option for option in GLOBAL_OPTIONS if option.startswith(name))


def _global_option(name: str) -> str | None:
    """The global option `name` spells, exactly or as argparse's unambiguous abbreviation."""
    matches = _global_candidates(name)
    return matches[0] if len(matches) == 1 else None


def _is_option(arg: str) -> bool:
    """Whether argparse reads `arg` as an option rather than a value (its `_parse_optional`)."""
    if len(arg) < 2 or arg[0] != "-":
        return False
    if _global_option(arg.partition("=")[0]) is not None:
        return True
    return not (_is_negative_number(arg) or " " in arg)


@_named_tuple
class _Command(NamedTuple):
    options: dict[str, str | None]  # global options seen, value (None for flags)
    words: list[str]  # service and operation, as far as given
    rest: list[str]  # what the operation's parser receives (`--` dropped)
    arguments: list[str]  # its positional arguments
    # Its options by full name, with their (last) value. An ambiguous prefix (which the CLI
    # rejects) puts all its candidates here, so that checks for danger see the worst of them.
    flags: dict[str, str | None]
    # Its options read with certainty, in order: (full name, whether typed in full).
    sequence: list[tuple[str, bool]]
    notes: list[str]  # how abbreviations that matter to the verdict were read
    version: bool
    skeleton: bool
    auto_prompt: str | None  # `--cli-auto-prompt` as typed, or an ambiguous prefix that may be it
    values: dict[str, list[str]]  # each option's values as given (rules read them)


# Operation options whose abbreviations can change a verdict. Only a token that may abbreviate
# one of these makes the classifier read the operation's model (exact names cost nothing).
_DRY_RUN, _NO_DRY_RUN = "--dry-run", "--no-dry-run"
_CLI_INPUT = ("--cli-input-json", "--cli-input-yaml")
_VERDICT_OPTIONS = frozenset(
    {
        _DRY_RUN,
        _NO_DRY_RUN,
        *_CLI_INPUT,
        "--generate-cli-skeleton",
        *verbs.PROTECTION_OFF_FLAGS,
        *verbs.PROTECTION_OFF_VALUES,
    }
)
_S3_VERDICT_OPTIONS = frozenset({"--delete", "--dryrun", "--force"})
_SAFE_OPTIONS = frozenset({_DRY_RUN, "--dryrun", "--generate-cli-skeleton"})


def expand(name: str, known: frozenset[str] | set[str]) -> tuple[str, ...]:
    """What argparse reads option `name` as among `known`: itself when exact, else every option
    it is a prefix of (one: its abbreviation; several: an "ambiguous option" error; none: an
    unknown option)."""
    if name in known or not name.startswith("--") or len(name) < 3:
        return (name,)
    return tuple(sorted(option for option in known if option.startswith(name)))


def _parse(argv: Sequence[str]) -> _Command:
    options: dict[str, str | None] = {}
    words: list[str] = []
    remaining: list[str] = []  # after the main and service parsers, before the operation's
    version = skeleton = False
    auto_prompt: str | None = None
    index, end_of_options = 0, False
    while index < len(argv):
        arg = argv[index]
        index += 1
        if end_of_options or not _is_option(arg):
            (words if len(words) < 2 else remaining).append(arg)
            continue
        if arg == "--":
            end_of_options = True
            remaining.append(arg)
            continue
        name, has_value, inline = arg.partition("=")
        version = version or arg == "--version"
        skeleton = skeleton or name == "--generate-cli-skeleton"
        candidates = _global_candidates(name)
        # Several candidates: the CLI stops with "ambiguous option"; the worst of them counts.
        if len(candidates) > 1 and "--cli-auto-prompt" in candidates:
            auto_prompt = auto_prompt or name
        option = candidates[0] if len(candidates) == 1 else None
        if option is None:
            remaining.append(arg)  # the operation's own option: its parser decides
            continue
        value: str | None = None
        if has_value:
            value = inline
        elif GLOBAL_OPTIONS[option] and index < len(argv) and not _is_option(argv[index]):
            value = argv[index]
            index += 1
        options[option] = value
    if "--cli-auto-prompt" in options:
        auto_prompt = "--cli-auto-prompt"
    operation = _Operation(words)
    rest, arguments = operation.parse(remaining)
    return _Command(
        options,
        words,
        rest,
        arguments,
        operation.flags,
        operation.sequence,
        operation.notes,
        version,
        skeleton,
        auto_prompt,
        operation.values,
    )


class _Operation:
    """The operation's own parser: its options, expanded as argparse expands abbreviations."""

    def __init__(self, words: list[str]) -> None:
        self.service = words[0].lower() if words else ""
        self.name = words[1].lower() if len(words) > 1 else ""
        self.flags: dict[str, str | None] = {}
        self.values: dict[str, list[str]] = {}
        self.sequence: list[tuple[str, bool]] = []
        self.notes: list[str] = []
        self._model_read = False  # the model is read at most once
        if self.service == "s3":
            self.arities = _S3_OPTIONS
            self.known: frozenset[str] | None = S3_COMMAND_OPTIONS.get(self.name, _S3_ALL)
            self.verdict = _S3_VERDICT_OPTIONS
        else:
            ruled: set[str] = set()
            if (self.service, self.name) in verbs.RULED_OPERATIONS:
                from awsprof.guard import rules  # only for the operations it has rules for

                ruled = {rule[2] for rule in rules.for_operation(self.service, self.name)}
            # The rules' options take values (several for lists); `--no-x` are flags.
            self.rule_arities: dict[str, int | str] = {
                option: "+" for option in ruled if not option.startswith("--no-")
            }
            self.arities = {**_OPERATION_ARITIES, **self.rule_arities}
            self.known = None  # the model's, read only when an abbreviation may matter
            self.verdict = _VERDICT_OPTIONS | ruled

    def parse(self, args: list[str]) -> tuple[list[str], list[str]]:
        rest: list[str] = []
        arguments: list[str] = []
        index, end_of_options = 0, False
        while index < len(args):
            arg = args[index]
            index += 1
            if arg == "--" and not end_of_options:
                end_of_options = True
                continue
            rest.append(arg)
            if end_of_options or not (_is_option(arg) or self._explicit(arg)):
                arguments.append(arg)
                continue
            name, has_value, inline = arg.partition("=")
            names = self._resolve(name)
            arity = self.arities.get(names[0], 0) if len(names) == 1 else 0
            values: list[str] = [inline] if has_value else []
            if has_value or arity == "?":
                limit = 1
            elif arity == "+":
                limit = len(args)
            else:
                limit = int(arity)
            while len(values) < limit and index < len(args) and not _is_option(args[index]):
                values.append(args[index])
                rest.append(args[index])
                index += 1
            value = " ".join(values) if values else None
            for full in names:
                self.flags[full] = value
                self.values[full] = values
            if len(names) == 1:
                self.sequence.append((names[0], names[0] == name))
        return rest, arguments

    def _explicit(self, arg: str) -> bool:
        """`--sql=DROP TABLE t`: argparse reads a known option before `=` as an option even when
        its value holds spaces (which otherwise make a token a positional)."""
        name, has_value, _ = arg.partition("=")
        return bool(has_value) and (name in self.arities or name in self.verdict)

    def _resolve(self, name: str) -> tuple[str, ...]:
        """Every option `name` may be read as (one, unless it is an ambiguous prefix)."""
        if self.known is None:
            if name in self.arities or name in self.verdict:
                return (name,)
            if len(name) < 3 or not any(option.startswith(name) for option in self.verdict):
                return (name,)  # a member's exact name, or an abbreviation that cannot matter
            self._load_model()
        known = self.known
        if known is None:
            # No model for this operation: every option of ours it may abbreviate counts.
            candidates = tuple(sorted(o for o in self.verdict if o.startswith(name)))
            self.notes.append(f"`{name}` may be read as {_listed(candidates)}")
            return candidates
        names = expand(name, known)
        if not names:
            return (name,)  # unknown to the CLI: it stops with "Unknown options"
        if names != (name,) and not self.verdict.isdisjoint(names):
            if len(names) == 1 and names[0] in _SAFE_OPTIONS:
                self.notes.append(
                    f"`{name}` is read as `{names[0]}`, but an abbreviation never makes a"
                    " command safer"
                )
            elif len(names) == 1:
                self.notes.append(f"`{name}` is read as `{names[0]}`")
            else:
                self.notes.append(
                    f"`{name}` is ambiguous ({_listed(names)}): the AWS CLI rejects it,"
                    " judged by the most dangerous"
                )
        return names

    def _load_model(self) -> None:
        if self._model_read:
            return
        self._model_read = True
        from awsprof.guard import grammar  # only for an abbreviation that may matter

        model = grammar.operation_options(self.service, self.name)
        if model is not None:
            self.known = model.options
            flags = model.booleans | {"--no-" + option[2:] for option in model.booleans}
            self.arities = {
                **dict.fromkeys(model.options - flags, 1),
                **_OPERATION_ARITIES,
                **self.rule_arities,
            }


def _listed(names: Sequence[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def classify(argv: Sequence[str]) -> Classification:
    """Classify the argv of an `aws` command, without the leading `aws`."""
    command = _parse(argv)
    service = command.words[0] if command.words else None
    operation = command.words[1] if len(command.words) > 1 else None
    is_s3 = (service or "").lower() == "s3"
    inputs = None if is_s3 else _read_cli_input(command)
    kind, reason, recognized = _judge(command, service, operation, inputs)
    if command.notes:
        reason = f"{reason} ({'; '.join(dict.fromkeys(command.notes))})"
    return Classification(
        kind=kind,
        reason=reason,
        service=service,
        operation=operation,
        recognized=recognized,
        profile=command.options.get("--profile"),
        region=command.options.get("--region"),
        endpoint_url=command.options.get("--endpoint-url"),
        dry_run=_dry_run(command, is_s3, inputs),
        no_sign_request="--no-sign-request" in command.options,
    )


@_named_tuple
class _Input(NamedTuple):
    """What `--cli-input-json/yaml` held: its keys as options, its text, or why it is unknown."""

    flags: dict[str, str | None]
    text: str
    problem: str | None
    typed_in_full: bool  # its option was not abbreviated: trusted to make a command safer
    data: dict[str, object]  # its parameters by option name (`--change-batch`), as given


def _read_cli_input(command: _Command) -> _Input | None:
    given = [name for name in _CLI_INPUT if name in command.flags]
    if not given:
        return None
    if len(given) > 1 or not any(name in given for name, _ in command.sequence):
        return _Input({}, "", "the option for its input is ambiguous", False, {})
    from awsprof.guard import cli_input, grammar  # only for these rare options

    name = given[0]
    try:
        data, text = cli_input.read(command.flags[name], yaml=name.endswith("yaml"))
    except cli_input.Missing:
        return _Input({}, "", None, False, {})  # the CLI stops on it: nothing in it can be sent
    except cli_input.Unreadable as error:
        return _Input({}, "", f"`{name}` cannot be read: {error}", False, {})
    # Its keys are the operation's parameters, named as in the model: `DryRun` is `--dry-run`.
    flags: dict[str, str | None] = {}
    members: dict[str, object] = {}
    for key, value in data.items():
        option = "--" + grammar.kebab(str(key))
        members[option] = value
        if isinstance(value, dict) and set(value) == {"Value"}:
            value = value["Value"]  # EC2's attribute values: {"Value": false}
        if value is False:
            flags["--no-" + option[2:]] = None
        else:
            flags[option] = value if isinstance(value, str) else None
    return _Input(flags, text, None, (name, True) in command.sequence, members)


def _dry_run(command: _Command, is_s3: bool, inputs: _Input | None) -> bool:
    """Whether nothing will change, as the CLI reads the line: the last of `--dry-run` and
    `--no-dry-run` wins. An abbreviation or an ambiguous prefix never makes a command safer."""
    if is_s3:
        return ("--dryrun", True) in command.sequence
    state: bool | None = None
    for name, exact in command.sequence:
        if name == _DRY_RUN:
            state = exact
        elif name == _NO_DRY_RUN:
            state = False
    certain = {name for name, _ in command.sequence}
    if {_DRY_RUN, _NO_DRY_RUN} & (command.flags.keys() - certain):
        return False  # an ambiguous prefix that may be either
    if inputs is not None:
        if inputs.problem is not None or _NO_DRY_RUN in inputs.flags:
            return False
        if state is None and _DRY_RUN in inputs.flags and inputs.typed_in_full:
            state = True  # the command line wins over the input, as in the CLI
    return state is True


def _judge(
    command: _Command, service: str | None, operation: str | None, inputs: _Input | None = None
) -> tuple[Kind, str, bool]:
    # Nothing is sent: the CLI prints and exits while parsing.
    if command.version:
        return READ_ONLY, "`--version` only prints the CLI's version", True
    if command.skeleton:
        return READ_ONLY, "`--generate-cli-skeleton` only prints a template", True
    # The person edits the command in a prompt after this check: it may become anything.
    if command.auto_prompt:
        reason = "`--cli-auto-prompt` builds the command after this check"
        if command.auto_prompt != "--cli-auto-prompt":
            reason = (
                f"`{command.auto_prompt}` is ambiguous and may be `--cli-auto-prompt`, which builds"
                " the command after this check (the AWS CLI rejects it; judged by the worst)"
            )
        return DESTRUCTIVE, reason, False
    if service is None:
        return READ_ONLY, "no command: the CLI only prints its usage", True
    if "help" in (service, operation) or command.rest == ["help"]:
        return READ_ONLY, "`help` only shows documentation", True
    svc = service.lower()
    if operation is None:
        kind, reason = verbs.STANDALONE_COMMANDS.get(
            svc, (READ_ONLY, "no operation: the CLI only prints its usage")
        )
        return kind, reason, True
    op = operation.lower()
    if svc == "s3" and op in _S3_COMMANDS:
        kind, reason = _S3_COMMANDS[op](command)
        return kind, reason, True
    known = verbs.CUSTOM_COMMANDS.get((svc, op)) or verbs.OPERATION_OVERRIDES.get((svc, op))
    if known is not None:
        kind, phrase = known
        recognized = True
    else:
        kind, phrase, recognized = _by_verb(op)
    if kind is not READ_ONLY:
        if inputs is not None and inputs.problem is not None:
            # The input may hold anything the operation accepts: assume the worst of it.
            reason = f"`{service} {operation}`: {inputs.problem}; assumed to delete"
            return DESTRUCTIVE, reason, True
        escalated = _escalation(command, svc, op, inputs)
        if escalated is not None:
            return DESTRUCTIVE, f"`{service} {operation}` {escalated}", True
    ruled = _apply_rules(command, svc, op, inputs, kind)
    if ruled is not None:
        return ruled[0], f"`{service} {operation}`: {ruled[1]}", True
    if not recognized:
        return kind, f"unknown operation `{service} {operation}`: treated as a write", False
    return kind, f"`{service} {operation}` {phrase}", recognized


def _by_verb(operation: str) -> tuple[Kind, str, bool]:
    words = operation.split("-")
    start = 0
    while start < len(words) - 1 and words[start] in verbs.QUALIFIER_WORDS:
        start += 1
    verb = words[start]
    if verb in verbs.READ_ONLY_VERBS:
        return READ_ONLY, verbs.READ_ONLY_VERBS[verb], True
    if verb in verbs.DESTRUCTIVE_VERBS:
        return DESTRUCTIVE, verbs.DESTRUCTIVE_VERBS[verb], True
    following = [*words[start + 1 :], ""]
    for word, after in itertools.pairwise(following):
        if word in verbs.DELETION_WORDS and after != "protection":
            return DESTRUCTIVE, "starts or schedules a deletion", True
    if verb in verbs.WRITE_VERBS:
        return WRITE, verbs.WRITE_VERBS[verb], True
    return WRITE, "is not known", False


def _escalation(
    command: _Command, service: str, operation: str, inputs: _Input | None = None
) -> str | None:
    """Why a write is destructive after all, from what it carries (on the line or in its input)."""
    flags = {**(inputs.flags if inputs else {}), **command.flags}
    off = sorted(verbs.PROTECTION_OFF_FLAGS.intersection(flags))
    if off:
        return f"`{off[0]}` turns deletion protection off"
    for option, off_values in verbs.PROTECTION_OFF_VALUES.items():
        given = [command.flags.get(option), inputs.flags.get(option) if inputs else None]
        if any((value or "").lower() in off_values for value in given) or any(
            value.lower() in off_values for value in _values_after(command.rest, option)
        ):
            return f"`{option}` turns deletion protection off"
    return None


def _apply_rules(
    command: _Command, service: str, operation: str, inputs: _Input | None, kind: Kind
) -> tuple[Kind, str] | None:
    """(kind, reason) from the argument rules of `rules.py`, or None when none holds.

    Rules of kind `sql` or `read-only` set the verdict (a SELECT is a read); the others only
    raise it. A value that cannot be read is judged by the worst the rule guards against."""
    if (service, operation) not in verbs.RULED_OPERATIONS:
        return None
    from awsprof.guard import cli_input, rules

    data = inputs.data if inputs is not None else {}

    def has_option(option: str) -> bool:
        return option in command.flags or data.get(option, False) is not False

    setting: tuple[Kind, str] | None = None
    raising: tuple[Kind, str] | None = None
    for rule in rules.for_operation(service, operation):
        argument, rule_kind = rule[2], rule[5]
        given: object
        if argument in command.flags:
            given, from_line = command.values.get(argument, []), True
        elif argument in data:
            given, from_line = data[argument], False
        else:
            continue
        try:
            result = rules.evaluate(rule, given, from_line, has_option)
        except cli_input.Missing:
            continue  # the CLI stops on a missing file: nothing is sent
        except (cli_input.Unreadable, RecursionError) as error:
            why = str(error) if isinstance(error, cli_input.Unreadable) else "nested too deeply"
            worst = WRITE if rule_kind == "write" else DESTRUCTIVE
            result = (worst, f"`{argument}` cannot be read ({why}): assumed to do the worst")
            raising = result if raising is None else max(raising, result, key=_rank)
            continue
        if result is None:
            continue
        if rule_kind in ("sql", "read-only"):
            setting = result if setting is None else max(setting, result, key=_rank)
        else:
            raising = result if raising is None else max(raising, result, key=_rank)
    if setting is not None:
        return raising if raising is not None and _rank(raising) > _rank(setting) else setting
    if raising is not None and _rank(raising) > _rank((kind, "")):
        return raising
    return None


def _rank(verdict: tuple[Kind, str]) -> int:
    return (READ_ONLY, WRITE, DESTRUCTIVE).index(verdict[0])


def _values_after(args: list[str], option: str) -> list[str]:
    """Values given to an option the parser did not know takes one (`--opt value`)."""
    return [value for name, value in itertools.pairwise(args) if name == option]


# The high-level `s3` commands. Each rule gets the parsed command and returns (kind, reason).


def _s3_paths(command: _Command) -> tuple[bool, bool] | None:
    """(source in S3, destination in S3) for a two-path command, or None when unclear."""
    if len(command.arguments) != 2:
        return None
    source, destination = command.arguments
    return source[:5].lower() == "s3://", destination[:5].lower() == "s3://"


def _s3_cp(command: _Command) -> tuple[Kind, str]:
    if _s3_paths(command) == (True, False):
        return READ_ONLY, "`s3 cp` downloads: the account is not changed"
    return WRITE, "`s3 cp` writes objects"


def _s3_sync(command: _Command) -> tuple[Kind, str]:
    downloads = _s3_paths(command) == (True, False)
    if downloads:
        # --delete then removes only local files: the account is still not changed.
        return READ_ONLY, "`s3 sync` downloads: the account is not changed"
    if "--delete" in command.flags:
        return DESTRUCTIVE, "`s3 sync --delete` deletes objects missing from the source"
    return WRITE, "`s3 sync` writes objects"


def _s3_mv(command: _Command) -> tuple[Kind, str]:
    paths = _s3_paths(command)
    if paths == (False, True):
        return WRITE, "`s3 mv` moves local files into a bucket"
    if paths is None:
        return DESTRUCTIVE, "`s3 mv` may delete objects (its paths are unclear)"
    return DESTRUCTIVE, "`s3 mv` deletes the source objects after copying them"


def _s3_rb(command: _Command) -> tuple[Kind, str]:
    if "--force" in command.flags:
        return DESTRUCTIVE, "`s3 rb --force` deletes every object and the bucket"
    return DESTRUCTIVE, "`s3 rb` deletes a bucket"


def _s3_fixed(kind: Kind, reason: str) -> Callable[[_Command], tuple[Kind, str]]:
    return lambda command: (kind, reason)


_S3_COMMANDS: dict[str, Callable[[_Command], tuple[Kind, str]]] = {
    "ls": _s3_fixed(READ_ONLY, "`s3 ls` only lists"),
    "presign": _s3_fixed(READ_ONLY, "`s3 presign` only signs a URL locally"),
    "mb": _s3_fixed(WRITE, "`s3 mb` creates a bucket"),
    "website": _s3_fixed(WRITE, "`s3 website` changes a bucket's website settings"),
    "rm": _s3_fixed(DESTRUCTIVE, "`s3 rm` deletes objects"),
    "rb": _s3_rb,
    "cp": _s3_cp,
    "sync": _s3_sync,
    "mv": _s3_mv,
}


def describe(argv: Sequence[str]) -> str:
    """The command as a person would type it, shell-quoted, with every secret masked (see
    `awsprof.guard.masking.mask_argv` for the argument list itself)."""
    from awsprof.guard.masking import mask_argv

    return " ".join(map(shell_quote, ["aws", *mask_argv(argv)]))


# The characters a POSIX shell word may hold unquoted (shlex.quote's rule: word characters of
# ASCII, and these): written out so that showing a command does not import shlex and compile
# its expression on the guard's path.
_SHELL_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_@%+=:,./-")


def shell_quote(word: str) -> str:
    """``word`` as ``shlex.quote`` writes it: as is when every character is safe, else in
    single quotes (a single quote inside written as ``'"'"'``)."""
    if not word:
        return "''"
    if all(char in _SHELL_SAFE for char in word):
        return word
    return "'" + word.replace("'", "'\"'\"'") + "'"
