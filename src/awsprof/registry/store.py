"""The registrations: which registries this person follows, and what they trust them with.

Kept in awsprof's own configuration directory (``$XDG_CONFIG_HOME/awsprof/registries.json``,
0600), never in the AWS config file, so that a registry cannot grant itself trust.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from awsprof.errors import UsageError
from awsprof.files.atomic import locked, write_atomic
from awsprof.files.paths import home_dir

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Registration:
    name: str
    source: str  # a git URL or path, a file path, or an https:// URL
    kind: str  # "git", "file" or "https"
    path: str = "config"  # the fragment's file inside a git repository
    trust_exec: bool = False  # keys that run commands (credential_process) are accepted


def state_file(environ: Mapping[str, str]) -> Path:
    base = environ.get("XDG_CONFIG_HOME") or os.path.join(home_dir(environ), ".config")
    return Path(base) / "awsprof" / "registries.json"


def load(environ: Mapping[str, str]) -> list[Registration]:
    path = state_file(environ)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as error:
        raise UsageError(
            f"{path} cannot be read ({error}); it lists the registries you follow",
            f"Fix or remove {path}, then add the registries again.",
        ) from None
    return [Registration(**entry) for entry in data.get("registries", [])]


def save(environ: Mapping[str, str], registrations: list[Registration]) -> None:
    path = state_file(environ)
    data = json.dumps({"registries": [asdict(r) for r in registrations]}, indent=2) + "\n"
    with locked(path) as target:
        write_atomic(target, data.encode("utf-8"))


def kind_of(source: str) -> str:
    if source.startswith("https://"):
        return "https"
    if source.startswith(("http://", "ftp://")):
        raise UsageError(
            f"registry source {source} is not HTTPS",
            "A registry sets where your commands run: fetch it over HTTPS, git or a file.",
        )
    if source.startswith(("git@", "ssh://", "git://")) or source.endswith(".git"):
        return "git"
    if os.path.isdir(source) and os.path.isdir(os.path.join(source, ".git")):
        return "git"
    if os.path.isfile(source):
        return "file"
    raise UsageError(
        f"registry source {source} is not a git repository, a file or an https:// URL",
        "Name a local file, a git repository (path or URL) or an https:// URL.",
    )


def find(registrations: list[Registration], name: str) -> Registration:
    for registration in registrations:
        if registration.name == name:
            return registration
    names = ", ".join(r.name for r in registrations) or "none yet"
    raise UsageError(
        f"no registry named '{name}' (registries: {names})", "See `awsprof registry list`."
    )
