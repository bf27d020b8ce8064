"""Where a login runs, and which flow fits there: the one place that looks at the host.

The AWS CLI v2 decides by its options only: ``--use-device-code`` (or a legacy profile without an
``sso_session``) takes the device flow, else the authorization code flow with a loopback redirect;
``--no-browser`` prints the URL instead of opening it. It opens a browser that cannot open over
SSH, in containers and on hosts without a display, and waits for a redirect that a browser on
another machine can never send to this one's 127.0.0.1 (aws-cli #9228, #9092, #8516).

awsprof keeps the AWS CLI's options and adds what the host says:

- over SSH, in WSL or in a container the person's browser is on another machine (or network
  namespace): the loopback redirect cannot arrive, so the device flow (a port forward is not
  assumed; ``sso_login_flow = pkce`` with ``sso_redirect_port`` says there is one);
- on Linux without ``DISPLAY``/``WAYLAND_DISPLAY`` no browser can open here: the device flow, and
  the URL and code are printed;
- ``BROWSER`` names the browser to start (``webbrowser`` honours it; ``wslview`` in WSL): a browser
  can open even where nothing else says so; ``BROWSER=none`` (or false, true, ``:``) opens none.

Everything comes from an environment mapping and a root path, so tests give both.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

# pkce | device: what the host cannot tell (a port forward).
FLOW_VARIABLE = "AWSPROF_SSO_LOGIN_FLOW"

# BROWSER values that mean "open nothing" (people set them to silence tools that open browsers).
NO_BROWSER_VALUES = frozenset({"", "none", "false", "true", "0", "no", ":", "/bin/true"})


@dataclass(frozen=True)
class Place:
    """What the host tells about where the person's browser is."""

    ssh: bool = False
    wsl: bool = False
    container: bool = False
    display: bool = True  # a graphical session here (always on macOS and Windows)
    browser: str | None = None  # $BROWSER when set

    @property
    def browser_named(self) -> bool:
        return self.browser is not None and self.browser.strip().lower() not in NO_BROWSER_VALUES

    @property
    def browser_refused(self) -> bool:
        return self.browser is not None and not self.browser_named

    @property
    def remote(self) -> str | None:
        """Why a browser here cannot reach this host's loopback, or None when it can."""
        if self.ssh:
            return "over SSH"
        if self.container:
            return "in a container"
        if self.wsl:
            return "in WSL"
        return None

    @property
    def can_open_browser(self) -> bool:
        if self.browser_refused:
            return False
        if self.browser_named:
            return True
        return self.display and self.remote is None


def detect(environ: Mapping[str, str], root: str = "/", platform: str = sys.platform) -> Place:
    """The place from the environment and the files under ``root`` (/proc, /.dockerenv)."""
    linux = platform.startswith("linux")
    return Place(
        ssh=any(environ.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY")),
        wsl=linux and (bool(environ.get("WSL_DISTRO_NAME")) or _mentions_microsoft(root)),
        container=linux
        and (
            bool(environ.get("container"))
            or os.path.exists(os.path.join(root, ".dockerenv"))
            or os.path.exists(os.path.join(root, "run", ".containerenv"))
        ),
        display=not linux or bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY")),
        browser=environ.get("BROWSER"),
    )


def _mentions_microsoft(root: str) -> bool:
    try:
        with open(os.path.join(root, "proc", "version"), encoding="utf-8", errors="replace") as f:
            return "microsoft" in f.read(4096).lower()
    except OSError:
        return False


@dataclass(frozen=True)
class Choice:
    flow: str  # "pkce" or "device"
    open_browser: bool
    reason: str  # for people: why this flow (shown with the URL, and in errors)


def choose(
    place: Place,
    *,
    use_device_code: bool = False,
    no_browser: bool = False,
    legacy: bool = False,
    configured_flow: str | None = None,
    environ_flow: str | None = None,
) -> Choice:
    """The flow and whether to open a browser. What the person said comes first, as in the AWS
    CLI: the command line, then ``AWSPROF_SSO_LOGIN_FLOW``, then ``sso_login_flow``; the host
    decides only what nobody said."""
    opens = place.can_open_browser and not no_browser
    if use_device_code:
        return Choice("device", opens, "--use-device-code")
    if legacy:
        return Choice("device", opens, "a profile without sso_session (as the AWS CLI)")
    if environ_flow:
        return Choice(environ_flow, opens, f"{FLOW_VARIABLE}={environ_flow}")
    if configured_flow is not None:
        return Choice(configured_flow, opens, f"sso_login_flow = {configured_flow}")
    remote = place.remote
    if remote is not None:
        return Choice("device", opens, f"{remote}: a browser elsewhere cannot reach 127.0.0.1")
    if not place.display and not place.browser_named:
        return Choice("device", False, "no display: no browser can open here")
    return Choice("pkce", opens, "a browser on this machine")


def describe(place: Place) -> str:
    """One line for diagnostics: what was found."""
    found = [name for name in ("ssh", "wsl", "container") if getattr(place, name)]
    if not place.display:
        found.append("no display")
    if place.browser is not None:
        found.append("BROWSER set" if place.browser_named else "BROWSER disables browsers")
    return ", ".join(found) or "a desktop"


def open_browser(url: str) -> bool:
    """Start the browser (``webbrowser`` honours ``BROWSER``); False when none started."""
    import webbrowser

    try:
        return bool(webbrowser.open(url, new=2))
    except webbrowser.Error:
        return False
