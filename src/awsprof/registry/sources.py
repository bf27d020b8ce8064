"""Fetching a registry's fragment: a git repository (shallow clone, then pull), a local file or an
HTTPS URL. Size-limited; never executes anything from the registry."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from awsprof.errors import ServiceError
from awsprof.files import regular
from awsprof.files.paths import cache_dir
from awsprof.registry.store import Registration

MAX_FRAGMENT_BYTES = 4 * 1024 * 1024
TIMEOUT = 60.0


def _git(*args: str, cwd: Path | None = None) -> None:
    # No hooks, no credential prompts, no pager: a fetch must not run the registry's code.
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}
    command = ["git", "-c", "core.hooksPath=/dev/null", "-c", "protocol.file.allow=always", *args]
    done = subprocess.run(  # noqa: S603 - git from PATH, fixed arguments
        command,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise ServiceError(f"git {args[0]} failed: {done.stderr.strip()[:500]}")


def _read_limited(path: Path, what: str) -> str:
    try:
        # The one safe read (awsprof.files.regular): a FIFO or device is refused, never waited on.
        data = regular.read_bytes(path, MAX_FRAGMENT_BYTES)
    except regular.NotRegularFileError as error:
        raise ServiceError(f"cannot read {what} {path}: it is {error.kind}") from None
    except OSError as error:
        raise ServiceError(f"cannot read {what} {path}: {error.strerror}") from None
    if len(data) > MAX_FRAGMENT_BYTES:
        raise ServiceError(f"{what} {path} is larger than {MAX_FRAGMENT_BYTES} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ServiceError(f"{what} {path} is not UTF-8 text") from None


def fetch(registration: Registration, environ: Mapping[str, str]) -> str:
    """The fragment's text, fresh from its source."""
    if registration.kind == "file":
        return _read_limited(Path(registration.source), "registry file")
    if registration.kind == "https":
        return _fetch_https(registration.source)
    key = hashlib.sha256(registration.source.encode()).hexdigest()[:16]
    checkout = Path(cache_dir(environ)) / "registries" / f"{registration.name}-{key}"
    if (checkout / ".git").is_dir():
        _git("fetch", "--depth", "1", "origin", cwd=checkout)
        _git("reset", "--hard", "FETCH_HEAD", cwd=checkout)
    else:
        checkout.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _git("clone", "--depth", "1", "--no-tags", registration.source, str(checkout))
    fragment = (checkout / registration.path).resolve()
    if checkout.resolve() not in fragment.parents:
        raise ServiceError(f"registry path {registration.path} leaves the repository")
    return _read_limited(fragment, "registry file")


def _fetch_https(url: str) -> str:
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": "awsprof-registry"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - https only
            data = response.read(MAX_FRAGMENT_BYTES + 1)
    except OSError as error:
        raise ServiceError(f"cannot fetch {url}: {error}") from None
    if len(data) > MAX_FRAGMENT_BYTES:
        raise ServiceError(f"{url} is larger than {MAX_FRAGMENT_BYTES} bytes")
    return str(data.decode("utf-8", "replace"))
