"""Which AWS CLI a command line will run: the `aws` on PATH is v1 or v2, and it matters.

The two read ``AWS_PROFILE`` and ``AWS_DEFAULT_PROFILE`` in opposite orders
(:mod:`awsprof.reader.selection`). The answer is remembered per executable (its real path, device,
inode, size and modification time) in awsprof's cache, so that only the first command after an
install or upgrade pays for finding out:

- a native executable (ELF, Mach-O, PE) is the AWS CLI v2, which is only shipped that way;
- anything else (the AWS CLI v1 is a Python script; so is a v2 built by a package manager, and a
  version manager's shim is a shell script) is asked ``aws --version``.

Callers only ask when the answer changes something (both variables set and naming different
profiles); when it cannot be found out, the guard judges both ways and keeps the stricter.
"""

from __future__ import annotations

import os

from awsprof.reader.caches import read_cache
from awsprof.reader.selection import AWS_CLI_V1, AWS_CLI_V2

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (start-up time)
if TYPE_CHECKING:
    from collections.abc import Mapping

_NATIVE_MAGIC = (b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"MZ")
CACHE_NAME = "aws-clients"
VERSION_TIMEOUT = 15.0  # seconds: a cold `aws --version` of v1 takes about one on a slow disk


def find_executable(program: str, environ: Mapping[str, str]) -> str | None:
    """``program`` as the shell's ``execvp`` would find it on ``environ``'s PATH."""
    if os.sep in program or (os.altsep and os.altsep in program):
        return program if os.access(program, os.X_OK) else None
    for directory in (environ.get("PATH") or os.defpath).split(os.pathsep):
        candidate = os.path.join(directory or ".", program)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _signature(path: str) -> str:
    status = os.stat(path)
    return f"{status.st_dev}:{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


def _major_from_version(text: str) -> str | None:
    """``aws-cli/2.36.12 Python/...`` -> the client; None when the text is not a version line."""
    for word in text.split():
        if word.startswith("aws-cli/"):
            major = word[len("aws-cli/") :].split(".", 1)[0]
            return {"1": AWS_CLI_V1, "2": AWS_CLI_V2}.get(major)
    return None


def _ask(path: str, environ: Mapping[str, str]) -> str | None:
    try:
        with open(path, "rb") as handle:
            if handle.read(4).startswith(_NATIVE_MAGIC):
                return AWS_CLI_V2
    except OSError:
        return None
    import subprocess

    # Only what finding the interpreter needs: no credentials, no profile, no pager.
    child = {k: v for k, v in environ.items() if not k.startswith(("AWS_", "AWSPROF_"))}
    try:
        done = subprocess.run(  # noqa: S603 - the person's own `aws`, no shell
            [path, "--version"],
            env=child,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=VERSION_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = (done.stdout + b" " + done.stderr)[:4096].decode("utf-8", "replace")
    return _major_from_version(text)


def aws_cli_client(program: str, environ: Mapping[str, str]) -> str | None:
    """``AWS_CLI_V1``, ``AWS_CLI_V2``, or None when it cannot be told (or there is no `aws`)."""
    found = find_executable(program, environ)
    if found is None:
        return None
    path = os.path.realpath(found)
    # A shim dispatches on the environment, so its answer is not a property of the file alone.
    key = path if "shims" not in path.split(os.sep) else f"{path}|{environ.get('PATH', '')}"
    try:
        signature = _signature(path)
    except OSError:
        return None
    known = read_cache(environ, CACHE_NAME).get(key)
    if isinstance(known, dict) and known.get("signature") == signature:
        client = known.get("client")
        return client if client in (AWS_CLI_V1, AWS_CLI_V2) else None
    client = _ask(path, environ)
    if client is not None:
        _remember(environ, key, signature, client)
    return client


def _remember(environ: Mapping[str, str], key: str, signature: str, client: str) -> None:
    """Best effort: an unwritable cache only means asking again next time."""
    try:
        from pathlib import Path

        from awsprof.files.jsoncache import JsonCache
        from awsprof.files.paths import cache_dir

        cache = JsonCache(Path(cache_dir(environ)))
        with cache.lock(CACHE_NAME):
            known = cache.get(CACHE_NAME) or {}
            known[key] = {"signature": signature, "client": client}
            cache.put(CACHE_NAME, known)
    except Exception:  # noqa: S110 - a cache is a nicety; the answer stands without it
        pass
