"""``awsprof shell-init bash|zsh|fish|powershell``: the functions a shell evaluates.

- ``aws``: every `aws` command goes through ``awsprof guard`` (which becomes the real `aws` when
  nothing is wrong, so exit codes and signals are the command's own);
- ``awsprof``: `awsprof use P [--for 30m]` changes this shell; everything else runs as usual;
- a lease check before each prompt and each command: after a `use --for` lease the shell warns
  once and falls back to the profile it had before;
- with ``--prompt``, the `awsprof prompt` segment in front of the prompt;
- tab completion of commands, options and profile names (:mod:`awsprof.shell.completion`).

Printed, never written to rc files: the person adds ``eval "$(awsprof shell-init bash)"`` to
theirs if they want it there.
"""

from __future__ import annotations

from awsprof.errors import UsageError
from awsprof.shell.completion import script as completion_script
from awsprof.shell.directory import hook as directory_hook
from awsprof.shell.use import CODE_MARKER

SHELLS = ("bash", "zsh", "fish", "powershell")

_POSIX = r"""# awsprof shell integration (eval "$(awsprof shell-init SHELL)")
_awsprof_bin() { BIN "$@"; }
_awsprof_lease() {
  [ -n "${AWSPROF_USE_UNTIL:-}" ] || return 0
  [ "${EPOCHSECONDS:-$(date +%s)}" -lt "$AWSPROF_USE_UNTIL" ] && return 0
  if [ "${AWS_PROFILE:-}" = "${AWSPROF_USE_PROFILE:-}" ]; then
    if [ -n "${AWSPROF_USE_PREVIOUS:-}" ]; then
      export AWS_PROFILE="$AWSPROF_USE_PREVIOUS"
    else
      unset AWS_PROFILE
    fi
    printf 'awsprof: the lease on profile %s has expired; AWS_PROFILE is now %s\n' \
      "$AWSPROF_USE_PROFILE" "${AWS_PROFILE:-unset (default)}" >&2
  fi
  unset AWSPROF_USE_PROFILE AWSPROF_USE_UNTIL AWSPROF_USE_PREVIOUS
}
aws() {
  _awsprof_lease
  _awsprof_bin guard -- aws "$@"
}
awsprof() {
  _awsprof_lease
  if [ "${1:-}" = "use" ] && ! _awsprof_wants_help "$@"; then
    shift
    local _awsprof_code
    _awsprof_code="$(_awsprof_bin use --shell SHELL "$@")" || return $?
    case "$_awsprof_code" in
      "MARKER"*) eval "$_awsprof_code" ;;
      *) [ -z "$_awsprof_code" ] || printf '%s\n' "$_awsprof_code" ;;
    esac
  else
    _awsprof_bin "$@"
    local _awsprof_status=$?
    _awsprof_dir_pwd=  # `awsprof trust` may have changed what this directory means
    return $_awsprof_status
  fi
}
_awsprof_wants_help() {
  local _awsprof_arg
  for _awsprof_arg in "$@"; do
    case "$_awsprof_arg" in
      --) return 1 ;;
      -h|--help) return 0 ;;
    esac
  done
  return 1
}
"""

_BASH_HOOK = r"""_awsprof_precmd() { _awsprof_lease; PROMPT_SEGMENT }
case ";${PROMPT_COMMAND:-};" in
  *";_awsprof_precmd;"*) ;;
  *) PROMPT_COMMAND="_awsprof_precmd${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;
esac
"""

_ZSH_HOOK = r"""zmodload zsh/datetime 2>/dev/null
_awsprof_precmd() { _awsprof_lease; PROMPT_SEGMENT }
autoload -Uz add-zsh-hook && add-zsh-hook precmd _awsprof_precmd
"""

_BASH_PROMPT = r"""AWSPROF_SEGMENT="$(_awsprof_bin prompt --shell bash 2>/dev/null)";"""
_ZSH_PROMPT = r"""AWSPROF_SEGMENT="$(_awsprof_bin prompt --shell zsh 2>/dev/null)";"""
_BASH_PS1 = r"""case "$PS1" in
  *AWSPROF_SEGMENT*) ;;
  *) PS1='${AWSPROF_SEGMENT:+$AWSPROF_SEGMENT }'"$PS1" ;;
esac
"""
_ZSH_PS1 = r"""setopt PROMPT_SUBST
case "$PROMPT" in
  *AWSPROF_SEGMENT*) ;;
  *) PROMPT='${AWSPROF_SEGMENT:+$AWSPROF_SEGMENT }'"$PROMPT" ;;
esac
"""

_FISH = r"""# awsprof shell integration (awsprof shell-init fish | source)
function _awsprof_bin; BIN $argv; end
function _awsprof_lease
    set -q AWSPROF_USE_UNTIL; or return 0
    test (date +%s) -lt $AWSPROF_USE_UNTIL; and return 0
    if test "$AWS_PROFILE" = "$AWSPROF_USE_PROFILE"
        if test -n "$AWSPROF_USE_PREVIOUS"
            set -gx AWS_PROFILE $AWSPROF_USE_PREVIOUS
        else
            set -e AWS_PROFILE
        end
        echo "awsprof: the lease on profile $AWSPROF_USE_PROFILE has expired;" \
            "AWS_PROFILE is now $AWS_PROFILE" >&2
    end
    set -e AWSPROF_USE_PROFILE AWSPROF_USE_UNTIL AWSPROF_USE_PREVIOUS
end
function aws --wraps aws
    _awsprof_lease
    _awsprof_bin guard -- aws $argv
end
function awsprof
    _awsprof_lease
    set -l help 0
    for arg in $argv
        test "$arg" = --; and break
        contains -- $arg -h --help; and set help 1; and break
    end
    if test (count $argv) -gt 0; and test "$argv[1]" = use; and test $help = 0
        set -l code (_awsprof_bin use --shell fish $argv[2..-1]); or return $status
        if test (count $code) -gt 0; and test "$code[1]" = "MARKER"
            printf '%s\n' $code | source
        else if test (count $code) -gt 0
            printf '%s\n' $code
        end
    else
        _awsprof_bin $argv
        set -l awsprof_status $status
        contains -- trust $argv; and _awsprof_dir
        return $awsprof_status
    end
end
function _awsprof_precmd --on-event fish_prompt
    _awsprof_lease
end
"""

_FISH_PROMPT = r"""functions -q fish_prompt; and functions -c fish_prompt _awsprof_original_prompt
function fish_prompt
    set -l segment (_awsprof_bin prompt --shell plain 2>/dev/null)
    test -n "$segment"; and printf '%s ' $segment
    functions -q _awsprof_original_prompt; and _awsprof_original_prompt
end
"""

_POWERSHELL = r"""# awsprof shell integration:
#   awsprof shell-init powershell | Out-String | Invoke-Expression
function global:_awsprof_bin { & BIN @args }
function global:_awsprof_lease {
    if (-not $Env:AWSPROF_USE_UNTIL) { return }
    if ([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() -lt [long]$Env:AWSPROF_USE_UNTIL) { return }
    if ($Env:AWS_PROFILE -eq $Env:AWSPROF_USE_PROFILE) {
        if ($Env:AWSPROF_USE_PREVIOUS) { $Env:AWS_PROFILE = $Env:AWSPROF_USE_PREVIOUS }
        else { Remove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue }
        $message = "awsprof: the lease on profile $($Env:AWSPROF_USE_PROFILE) has expired; " +
            "AWS_PROFILE is now $($Env:AWS_PROFILE)"
        [Console]::Error.WriteLine($message)
    }
    $lease = 'Env:AWSPROF_USE_PROFILE', 'Env:AWSPROF_USE_UNTIL', 'Env:AWSPROF_USE_PREVIOUS'
    Remove-Item $lease -ErrorAction SilentlyContinue
}
function global:aws {
    _awsprof_lease
    _awsprof_bin guard -- aws @args
}
function global:awsprof {
    _awsprof_lease
    $help = $false
    foreach ($arg in $args) {
        if ($arg -eq '--') { break }
        if ($arg -ceq '-h' -or $arg -ceq '--help') { $help = $true; break }
    }
    if ($args.Count -gt 0 -and $args[0] -eq 'use' -and -not $help) {
        $rest = @($args | Select-Object -Skip 1)
        $code = @(_awsprof_bin use --shell powershell @rest)
        if ($LASTEXITCODE -ne 0) { return }
        if ($code.Count -gt 0 -and $code[0] -ceq 'MARKER') {
            Invoke-Expression ($code -join "`n")
        } else {
            $code
        }
    } else {
        _awsprof_bin @args
    }
}
"""

_POWERSHELL_PROMPT = r"""$global:_awsprof_original_prompt = $function:prompt
function global:prompt {
    _awsprof_lease
    $segment = _awsprof_bin prompt --shell plain 2>$null
    $rest = & $global:_awsprof_original_prompt
    if ($segment) { "$segment $rest" } else { $rest }
}
"""


def script(shell: str, binary: str, prompt: bool = False) -> str:
    """The text to evaluate; ``binary`` is the shell-quoted command that runs awsprof."""
    if shell not in SHELLS:
        raise UsageError(f"unknown shell '{shell}'", f"Use one of {', '.join(SHELLS)}.")
    if shell in ("bash", "zsh"):
        hook = _BASH_HOOK if shell == "bash" else _ZSH_HOOK
        segment = (_BASH_PROMPT if shell == "bash" else _ZSH_PROMPT) if prompt else ""
        text = _POSIX.replace("SHELL", shell) + hook.replace("PROMPT_SEGMENT", segment or ":;")
        if prompt:
            text += _BASH_PS1 if shell == "bash" else _ZSH_PS1
    elif shell == "fish":
        text = _FISH + (_FISH_PROMPT if prompt else "")
    else:
        text = _POWERSHELL + (_POWERSHELL_PROMPT if prompt else "")
    text += directory_hook(shell)  # per-directory profiles (awsprof.shell.directory)
    text = text.replace("MARKER", CODE_MARKER).replace("BIN", binary)
    return text + completion_script(shell, binary)
