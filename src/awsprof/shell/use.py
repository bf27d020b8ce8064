"""``awsprof use PROFILE [--for 30m]``: the shell code that points the current shell at a profile.

A child process cannot change its parent's environment, so `use` prints code for the shell
function of ``shell-init`` to evaluate: set ``AWS_PROFILE``, clear what would silently override it
(keys in the environment beat ``AWS_PROFILE``; ``AWS_DEFAULT_PROFILE`` sends boto3 elsewhere), and,
with ``--for``, a lease: after it the next command warns and the shell falls back to the profile
it had before.
"""

from __future__ import annotations

import re

from awsprof.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

# Keys that beat AWS_PROFILE in the AWS CLI's provider order.
SHADOWING_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
)
LEASE_VARIABLES = ("AWSPROF_USE_PROFILE", "AWSPROF_USE_UNTIL", "AWSPROF_USE_PREVIOUS")
SHELLS = ("bash", "zsh", "fish", "powershell")
# The first line of the code `use --shell` prints: the shell functions evaluate only output that
# starts with it, so help text or any other output is printed, never run. A comment in every shell.
CODE_MARKER = "# awsprof use: code for the shell to evaluate"

_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


def parse_duration(text: str) -> int:
    """Seconds in ``90s``, ``30m``, ``2h``, ``1h30m`` (a bare number is minutes)."""
    value = text.strip().lower()
    if value.isdigit():
        seconds = int(value) * 60
    else:
        match = _DURATION.fullmatch(value)
        if not value or match is None:
            raise UsageError(f"'{text}' is not a duration", "Write it like 90s, 30m, 2h or 1h30m.")
        hours, minutes, secs = (int(part or 0) for part in match.groups())
        seconds = hours * 3600 + minutes * 60 + secs
    if seconds <= 0:
        raise UsageError(f"'{text}' is not a duration", "A lease must last at least a second.")
    return seconds


def _quote(shell: str, value: str) -> str:
    if shell == "powershell":
        return "'" + value.replace("'", "''") + "'"
    if shell == "fish":
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return "'" + value.replace("'", "'\"'\"'") + "'"


def set_line(shell: str, name: str, value: str) -> str:
    if shell == "fish":
        return f"set -gx {name} {_quote(shell, value)}"
    if shell == "powershell":
        return f"$Env:{name} = {_quote(shell, value)}"
    return f"export {name}={_quote(shell, value)}"


def unset_line(shell: str, names: list[str]) -> str:
    if shell == "fish":
        return f"set -e {' '.join(names)}"
    if shell == "powershell":
        return "; ".join(f"Remove-Item Env:{name} -ErrorAction SilentlyContinue" for name in names)
    return f"unset {' '.join(names)}"


class Switch:
    """What `use` changes, as shell lines and as messages for the person."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.messages: list[str] = []


def switch(
    shell: str,
    environ: Mapping[str, str],
    profile: str | None,
    lease_seconds: int | None,
    now: float,
) -> Switch:
    """The lines that make this shell use ``profile`` (None: no profile, back to `default`)."""
    if shell not in SHELLS:
        raise UsageError(f"unknown shell '{shell}'", f"Use one of {', '.join(SHELLS)}.")
    result = Switch()
    shadowing = [name for name in SHADOWING_VARIABLES if environ.get(name)]
    if shadowing:
        result.lines.append(unset_line(shell, shadowing))
        result.messages.append(
            f"cleared {', '.join(shadowing)}: keys in the environment override AWS_PROFILE"
        )
    default_profile = environ.get("AWS_DEFAULT_PROFILE")
    if default_profile and default_profile != profile:
        result.lines.append(unset_line(shell, ["AWS_DEFAULT_PROFILE"]))
        result.messages.append(
            f"cleared AWS_DEFAULT_PROFILE={default_profile}: boto3 and Terraform would use it"
        )
    if profile is None:
        result.lines.append(unset_line(shell, ["AWS_PROFILE", *LEASE_VARIABLES]))
        result.messages.append("AWS_PROFILE unset: commands without --profile use 'default'")
        return result
    result.lines.append(set_line(shell, "AWS_PROFILE", profile))
    if lease_seconds is None:
        if any(environ.get(name) for name in LEASE_VARIABLES):
            result.lines.append(unset_line(shell, list(LEASE_VARIABLES)))
        return result
    # A new lease falls back to what was there before any lease.
    leased = environ.get("AWSPROF_USE_UNTIL") and environ.get("AWSPROF_USE_PROFILE")
    previous = environ.get("AWSPROF_USE_PREVIOUS", "") if leased else environ.get("AWS_PROFILE", "")
    result.lines += [
        set_line(shell, "AWSPROF_USE_PROFILE", profile),
        set_line(shell, "AWSPROF_USE_UNTIL", str(int(now) + lease_seconds)),
        set_line(shell, "AWSPROF_USE_PREVIOUS", previous or ""),
    ]
    back = f"'{previous}'" if previous else "no profile ('default')"
    span = f"{lease_seconds // 60} min" if lease_seconds >= 60 else f"{lease_seconds} s"
    result.messages.append(f"for {span}; then back to {back}")
    return result
