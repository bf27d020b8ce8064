"""Opening several consoles at once, each in a browser session of its own.

The AWS console keeps one signed-in identity per browser profile: a second sign-in in the same
profile replaces (and confuses) the first. So each profile gets its own place:

- ``chromium``: its own Chromium user data directory (``$XDG_CACHE_HOME/awsprof/console/NAME``,
  0700), which keeps its cookies apart from every other profile's and from your own browsing;
- ``firefox``: a Firefox container named after the profile, through the URL form that the
  "Open external links in a container" extension documents (``ext+container:name=...&url=...``);
- ``default``: the system's browser, for one profile only.

``AWSPROF_CHROMIUM`` names the Chromium executable (else the first of chromium, chromium-browser,
google-chrome, google-chrome-stable on PATH) and ``AWSPROF_CHROMIUM_FLAGS`` adds flags (for
example ``--incognito`` or a window size).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from awsprof.errors import UsageError
from awsprof.files.atomic import ensure_dir
from awsprof.files.paths import cache_dir

BROWSERS = ("default", "chromium", "firefox")
_CHROMIUMS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def user_data_dir(environ: Mapping[str, str], profile: str) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in profile) or "_"
    return Path(cache_dir(environ)) / "console" / safe


def chromium_command(environ: Mapping[str, str], profile: str, url: str) -> list[str]:
    executable = environ.get("AWSPROF_CHROMIUM") or next(
        (found for name in _CHROMIUMS if (found := shutil.which(name, path=environ.get("PATH")))),
        None,
    )
    if not executable:
        raise UsageError(
            "no Chromium or Chrome found for --browser chromium",
            "Install one, name it with AWSPROF_CHROMIUM, or use --print.",
        )
    directory = user_data_dir(environ, profile)
    ensure_dir(directory)
    flags = shlex.split(environ.get("AWSPROF_CHROMIUM_FLAGS", ""))
    return [
        executable,
        f"--user-data-dir={directory}",
        "--no-first-run",
        "--no-default-browser-check",
        "--new-window",
        *flags,
        url,
    ]


def firefox_command(environ: Mapping[str, str], profile: str, url: str) -> list[str]:
    executable = environ.get("AWSPROF_FIREFOX") or shutil.which("firefox", path=environ.get("PATH"))
    if not executable:
        raise UsageError(
            "no Firefox found for --browser firefox", "Use --print, or --browser chromium."
        )
    target = "ext+container:" + urllib.parse.urlencode({"name": profile, "url": url})
    return [executable, target]


def open_console(environ: Mapping[str, str], browser: str, profile: str, url: str) -> None:
    """Start the browser for one profile's console and return at once (it outlives awsprof)."""
    if browser == "default":
        import webbrowser

        if not webbrowser.open(url):
            raise UsageError("could not open a browser", "Run again with --print and open it.")
        return
    command = (chromium_command if browser == "chromium" else firefox_command)(
        environ, profile, url
    )
    subprocess.Popen(  # noqa: S603 - the person's own browser, no shell
        command,
        env=dict(environ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )
