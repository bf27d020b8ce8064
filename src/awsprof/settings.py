"""awsprof's own environment variables (``AWSPROF_*``), each with its accepted values.

A bad value is a usage error (exit 2) that names the variable and what it accepts, never a
traceback: ``float("abc")`` used to crash every command, and ``nan`` or ``inf`` made a timeout
that never fires. Every variable awsprof reads is listed in :data:`VARIABLES` (a test holds the
list against the source), and the command line checks them all before running any command.

Imports nothing heavy: the prompt and the guard go through here.
"""

from __future__ import annotations

import re

from awsprof.errors import UsageError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

CREDENTIAL_PROCESS_TIMEOUT = "AWSPROF_CREDENTIAL_PROCESS_TIMEOUT"
SSO_LOGIN_TIMEOUT = "AWSPROF_SSO_LOGIN_TIMEOUT"

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")
_ACCOUNT = r"\d{12}"  # compiled when the variable is set (``re``'s cache), not on every start


def _seconds_text(maximum: float) -> str:
    return f"a number of seconds above 0 and at most {maximum:g}"


def _check_seconds(maximum: float) -> Callable[[str], bool]:
    def check(text: str) -> bool:
        try:
            value = float(text)
        except ValueError:
            return False
        # nan fails both comparisons and inf the second: no `math` needed on every start.
        return 0 < value <= maximum

    return check


def _any(text: str) -> bool:
    return True


# name -> (accepted values in words, check)
VARIABLES: dict[str, tuple[str, Callable[[str], bool]]] = {
    CREDENTIAL_PROCESS_TIMEOUT: (_seconds_text(3600), _check_seconds(3600)),
    SSO_LOGIN_TIMEOUT: (_seconds_text(86400), _check_seconds(86400)),
    "AWSPROF_QUIET_DEFAULT": (
        "one of " + ", ".join(repr(v) for v in (*_TRUE, *_FALSE)),
        lambda text: text.lower() in (*_TRUE, *_FALSE),
    ),
    "AWSPROF_CONFIRM_ACCOUNT": (
        "a 12-digit AWS account ID",
        lambda text: not text or bool(re.fullmatch(_ACCOUNT, text.strip())),
    ),
    # Set by `awsprof use --for`: a Unix time in whole seconds.
    "AWSPROF_USE_UNTIL": (
        "a Unix time in whole seconds (set by `awsprof use --for`)",
        lambda text: not text or text.isdigit(),
    ),
    "AWSPROF_USE_PROFILE": ("a profile name (set by `awsprof use`)", _any),
    "AWSPROF_USE_PREVIOUS": ("a profile name (set by `awsprof use`)", _any),
    "AWSPROF_PROFILE": ("a profile name (set by `awsprof exec`)", _any),
    "AWSPROF_SANDBOX_HOME": ("a directory", _any),
    "AWSPROF_SANDBOX_PREVIOUS_HOME": ("a directory (set by `awsprof sandbox shell`)", _any),
    # Set by the shell integration for the prompt; awsprof itself never reads it.
    "AWSPROF_SEGMENT": ("any text (the shell integration's prompt segment)", _any),
    # `awsprof console --browser chromium|firefox` (awsprof.console_browsers).
    "AWSPROF_CHROMIUM": ("the path of a Chromium or Chrome executable", _any),
    "AWSPROF_CHROMIUM_FLAGS": ("Chromium flags, split as a shell splits words", _any),
    "AWSPROF_FIREFOX": ("the path of a Firefox executable", _any),
    # Set by the shell integration for a trusted .awsprof (awsprof.shell.directory).
    "AWSPROF_DIR_FILE": ("a path (set by the shell integration)", _any),
    "AWSPROF_DIR_PREVIOUS_PROFILE": ("a profile name (set by the shell integration)", _any),
    "AWSPROF_DIR_PREVIOUS_REGION": ("a region (set by the shell integration)", _any),
    "AWSPROF_DIR_ANNOUNCED": ("a path and hash (set by the shell integration)", _any),
    # The encrypted key store (awsprof.keys.encrypted_store); the passphrase is never echoed.
    "AWSPROF_KEYCHAIN_PASSPHRASE": ("any passphrase", _any),
    "AWSPROF_KEYCHAIN_STORE": (
        "'file' (the encrypted file) or empty (the OS keychain when there is one)",
        lambda text: text.lower() in ("", "file", "os"),
    ),
    "AWSPROF_USER_ZDOTDIR": ("a directory (set by `awsprof exec PROFILE` for zsh)", _any),
    # The agent and the caches around providers (awsprof.resolution.agent*, providers/*_cache).
    "AWSPROF_AGENT": (
        "'0' (never ask the agent), 'auto' (start it when absent) or empty",
        lambda text: text.lower() in ("", "0", "1", "auto"),
    ),
    "AWSPROF_AGENT_CHECK_INTERVAL": (_seconds_text(3600), _check_seconds(3600)),
    # The SSO login flow where the host cannot tell (awsprof.sso.where), e.g. a port forward.
    "AWSPROF_SSO_LOGIN_FLOW": (
        "'pkce', 'device' or empty (chosen by where awsprof runs)",
        lambda text: text.lower() in ("", "pkce", "device"),
    ),
    "AWSPROF_CREDENTIAL_PROCESS_CACHE": (
        "one of " + ", ".join(repr(v) for v in (*_TRUE, *_FALSE)),
        lambda text: text.lower() in (*_TRUE, *_FALSE),
    ),
    "AWSPROF_MFA_SESSION_SECONDS": (
        "0 (one code per role, as the AWS CLI) or a number of seconds from 900 to 129600",
        lambda text: not text or (text.isdigit() and (text == "0" or 900 <= int(text) <= 129600)),
    ),
}


def _refuse(name: str, value: str) -> UsageError:
    accepted = VARIABLES[name][0]
    # The value is not echoed: it is short and the user set it, but it may hold anything.
    return UsageError(
        f"{name} is set to a value awsprof cannot use; it accepts {accepted}",
        f"Fix it or run `unset {name}`.",
    )


def check_all(environ: Mapping[str, str]) -> None:
    """Refuse the first known ``AWSPROF_*`` variable whose value is not accepted."""
    for name, value in environ.items():
        if name.startswith("AWSPROF_") and name in VARIABLES and not VARIABLES[name][1](value):
            raise _refuse(name, value)


def seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    """A timeout from ``name`` (unset or empty: ``default``)."""
    text = environ.get(name) or ""
    if not text:
        return default
    if not VARIABLES[name][1](text):
        raise _refuse(name, text)
    return float(text)


def flag(environ: Mapping[str, str], name: str) -> bool:
    text = environ.get(name, "")
    if not VARIABLES[name][1](text):
        raise _refuse(name, text)
    return text.lower() in _TRUE
