"""How `awsprof exec` reads its words, for aws-vault's habits as well as awsprof's own:

- ``exec PROFILE -- COMMAND...`` and ``exec --profile P -- COMMAND...`` (as before);
- ``exec PROFILE COMMAND...`` without ``--`` (aws-vault's form): the first word is the profile
  when a profile of that name exists;
- ``exec -- COMMAND...``, or a first word that is no profile: the command, run with the profile
  AWS_PROFILE or the implicit default selects, which is said on stderr;
- no command at all: the person's shell.

A first word that is neither a profile nor a program, but close to a profile name, is a typo of
the profile: it is refused with "did you mean" rather than run as a command.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass

from awsprof.errors import ProfileNotFoundError, UsageError

# The options click parses for `exec` (they come before the first word or `--`).
VALUED_OPTIONS = ("--profile", "--confirm-account")


@dataclass(frozen=True)
class ExecWords:
    profile: str | None  # named on the line (the word or --profile); None: selected from the env
    command: list[str]  # empty: open the person's shell


def leading_separator(raw_args: list[str]) -> bool:
    """Whether the line had ``--`` right after exec's own options (click drops that one)."""
    index = 0
    while index < len(raw_args):
        arg = raw_args[index]
        if arg == "--":
            return True
        if arg in VALUED_OPTIONS:
            index += 2
            continue
        if arg.startswith("-") and arg.partition("=")[0] in VALUED_OPTIONS:
            index += 1
            continue
        return False
    return False


def split_words(
    words: list[str],
    profile_flag: str | None,
    separator_first: bool,
    profile_names: Callable[[], list[str]],
) -> ExecWords:
    """The profile named on the line (if any) and the command, from exec's positional words."""
    if separator_first:
        return ExecWords(profile_flag, words)
    if "--" in words:
        split = words.index("--")
        before, command = words[:split], words[split + 1 :]
        if len(before) > 1 or (before and profile_flag):
            raise UsageError("name the profile once: `awsprof exec PROFILE -- COMMAND`")
        return ExecWords(profile_flag or (before[0] if before else None), command)
    if profile_flag or not words:
        return ExecWords(profile_flag, words)
    names = profile_names()
    first = words[0]
    if first in names:
        return ExecWords(first, words[1:])
    if shutil.which(first) is None:
        import difflib

        close = difflib.get_close_matches(first, names, n=1, cutoff=0.6)
        if close:
            raise ProfileNotFoundError(
                first,
                f"Did you mean `awsprof exec {close[0]} ...`? To run a command named "
                f"'{first}', write `awsprof exec -- {first} ...`.",
            )
    return ExecWords(None, words)
