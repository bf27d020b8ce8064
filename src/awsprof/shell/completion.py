"""Tab completion for bash, zsh, fish and PowerShell: the scripts, and the candidates they ask for.

Each shell's script is a thin adapter: at each Tab it runs ``awsprof __complete --current=WORD --
WORDS...`` (the words before the cursor, the program's name first) and offers the lines printed.
The candidates come from one function, :func:`candidates`, over a tree of the commands, their
options and arguments (built from the click application and cached by the caller) and the profile
names from the fast reader, so the four shells can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from awsprof.errors import UsageError

SHELLS = ("bash", "zsh", "fish", "powershell")

# Arguments and options whose values are profile names.
PROFILE_ARGUMENTS = frozenset({"profile"})
PROFILE_OPTIONS = frozenset({"--profile", "--source-profile"})
# Commands whose first free word is a profile (`exec PROFILE COMMAND...`).
PROFILE_FIRST = frozenset({"exec"})

Tree = Mapping[str, Any]  # {"commands": {name: Tree}, "options": {...}, "arguments": [...]}

_BASH = r"""# awsprof completion (bash)
_awsprof_complete() {
  local IFS=$'\n'
  COMPREPLY=($(BIN __complete "--current=${COMP_WORDS[COMP_CWORD]}" -- \
    "${COMP_WORDS[@]:0:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _awsprof_complete awsprof
"""

_ZSH = r"""# awsprof completion (zsh)
if ! (( $+functions[compdef] )); then
  autoload -Uz compinit && compinit -u
fi
_awsprof_complete() {
  local -a candidates
  candidates=("${(@f)$(BIN __complete "--current=${words[CURRENT]}" -- \
    "${(@)words[1,CURRENT-1]}" 2>/dev/null)}")
  candidates=(${candidates:#})
  (( ${#candidates} )) && compadd -Q -- "${candidates[@]}"
}
compdef _awsprof_complete awsprof
"""

_FISH = r"""# awsprof completion (fish)
function __awsprof_complete
    BIN __complete --current=(commandline -ct) -- (commandline -opc) 2>/dev/null
end
complete -c awsprof -f -a '(__awsprof_complete)'
"""

_POWERSHELL = r"""# awsprof completion (PowerShell)
Register-ArgumentCompleter -Native -CommandName awsprof -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @($commandAst.CommandElements | ForEach-Object { $_.ToString() })
    if ($wordToComplete -ne '') { $words = @($words | Select-Object -SkipLast 1) }
    & BIN __complete "--current=$wordToComplete" -- @words 2>$null | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
"""


def script(shell: str, binary: str) -> str:
    """The completion script for ``shell``; ``binary`` is the shell words that run awsprof."""
    scripts = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH, "powershell": _POWERSHELL}
    if shell not in scripts:
        raise UsageError(f"unknown shell '{shell}'", f"Use one of {', '.join(SHELLS)}.")
    text = scripts[shell]
    if shell == "powershell":
        binary = binary.replace("'", "")  # PowerShell's `& PATH`: a plain path
    return text.replace("BIN", binary)


def candidates(
    tree: Tree, words: list[str], current: str, profile_names: Callable[[], list[str]]
) -> list[str]:
    """What may come at the cursor after ``words`` (the program's name first), starting with
    ``current``."""
    node, positionals, pending, free = tree, 0, None, False
    for word in words[1:]:
        if pending is not None:
            pending = None
            continue
        if free:
            continue
        if word == "--":
            free = True  # after `--` the words belong to another program
            continue
        if word.startswith("-"):
            option = node.get("options", {}).get(word.partition("=")[0])
            if option and option["takes_value"] and "=" not in word:
                pending = option
            continue
        commands = node.get("commands", {})
        if word in commands and positionals == 0:
            node = commands[word]
            continue
        positionals += 1
        if node.get("name") in PROFILE_FIRST:
            free = True  # `exec PROFILE COMMAND...`: the rest is the command
    if free:
        return []
    if pending is not None:
        return _values(pending, current, profile_names)
    if current.startswith("-"):
        name, equals, value = current.partition("=")
        options = node.get("options", {})
        if equals and name in options:
            return [f"{name}={v}" for v in _values(options[name], value, profile_names)]
        return sorted(o for o in options if o.startswith(current))
    found = [c for c in node.get("commands", {}) if c.startswith(current)]
    arguments = node.get("arguments", [])
    if node.get("name") in PROFILE_FIRST and positionals == 0:
        found += [p for p in profile_names() if p.startswith(current)]
    elif positionals < len(arguments):
        found += _values(arguments[positionals], current, profile_names)
    return sorted(dict.fromkeys(found))


def _values(
    parameter: Mapping[str, Any], current: str, profile_names: Callable[[], list[str]]
) -> list[str]:
    if parameter.get("choices"):
        return [c for c in parameter["choices"] if c.startswith(current)]
    if parameter.get("name") in PROFILE_OPTIONS | PROFILE_ARGUMENTS:
        return [p for p in profile_names() if p.startswith(current)]
    return []
